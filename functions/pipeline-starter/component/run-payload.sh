# ami-rollout payload component: runs exactly the uploaded object version that started this build.
# template.yaml (PayloadComponent) runs this file's body; its first three assignments are set from the
# stack parameters there. Kept free of brace-style shell expansions so CloudFormation's Fn::Sub leaves it alone.
PAYLOAD_BUCKET='ami-rollout-payloads'
PAYLOAD_PREFIX='payloads/'
PAYLOAD_SUFFIX='.sh'
set -euo pipefail
fail() { echo "ami-rollout payload: $*" >&2; exit 1; }
# 1. Which image build is this? Image Builder tags its instances with Ec2ImageBuilderArn (the image build
#    version ARN). The instance id and region come from the instance metadata service (IMDSv2).
imds=$(printenv AWS_EC2_METADATA_SERVICE_ENDPOINT || echo http://169.254.169.254)
token=$(curl -sf -X PUT "$imds/latest/api/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 300') || fail "no instance metadata token"
instance=$(curl -sf -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/instance-id") || fail "no instance id"
region=$(curl -sf -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/placement/region") || fail "no region"
image_arn=$(aws ec2 describe-tags --region "$region" --filters "Name=resource-id,Values=$instance" "Name=key,Values=Ec2ImageBuilderArn" --query 'Tags[0].Value' --output text)
case "$image_arn" in arn:*:imagebuilder:*:image/*) ;; *) fail "instance $instance has no Ec2ImageBuilderArn tag: not an Image Builder build";; esac
# 2. Which upload started it? pipeline-starter tagged the image build version with the object's identity:
#    one GetImage, the tags as one tab-separated line (None where absent; no value holds a space or a tab).
read -r bucket version etag k1 k2 k3 k4 k5 k6 < <(aws imagebuilder get-image --region "$region" --image-build-version-arn "$image_arn" --query 'image.tags.["ami-rollout:payload-bucket","ami-rollout:payload-version","ami-rollout:payload-etag","ami-rollout:payload-key-b64-1","ami-rollout:payload-key-b64-2","ami-rollout:payload-key-b64-3","ami-rollout:payload-key-b64-4","ami-rollout:payload-key-b64-5","ami-rollout:payload-key-b64-6"]' --output text) || fail "GetImage $image_arn failed"
encoded=''
for part in "$k1" "$k2" "$k3" "$k4" "$k5" "$k6"; do
  if [ "$part" = "None" ] || [ -z "$part" ]; then break; fi
  encoded="$encoded$part"
done
[ "$bucket" != "None" ] && [ -n "$encoded" ] || fail "$image_arn names no payload: builds are started by pipeline-starter when a payload is uploaded, not by hand"
[ "$bucket" = "$PAYLOAD_BUCKET" ] || fail "$image_arn names bucket $bucket, not the payload bucket $PAYLOAD_BUCKET"
key=$(printf '%s' "$encoded" | base64 -d) || fail "the payload key tag of $image_arn is not Base64"
# 3. The same filter as pipeline-starter: the prefix, then the suffix, where a whole suffix of * means any key.
case "$key" in "$PAYLOAD_PREFIX"*) ;; *) fail "key $key is not under the prefix $PAYLOAD_PREFIX";; esac
if [ "$PAYLOAD_SUFFIX" != "*" ]; then
  case "$key" in *"$PAYLOAD_SUFFIX") ;; *) fail "key $key does not end with $PAYLOAD_SUFFIX";; esac
fi
# 4. Exactly that object version (or, without versioning, exactly that content: If-Match fails if it changed).
payload=$(mktemp /tmp/ami-rollout-payload.XXXXXX)
if [ "$version" != "None" ] && [ -n "$version" ]; then
  aws s3api get-object --region "$region" --bucket "$bucket" --key "$key" --version-id "$version" "$payload" > /dev/null || fail "s3://$bucket/$key version $version could not be downloaded"
  echo "ami-rollout payload: running s3://$bucket/$key version $version for $image_arn"
elif [ "$etag" != "None" ] && [ -n "$etag" ]; then
  aws s3api get-object --region "$region" --bucket "$bucket" --key "$key" --if-match "\"$etag\"" "$payload" > /dev/null || fail "s3://$bucket/$key with ETag $etag could not be downloaded (overwritten since the upload?)"
  echo "ami-rollout payload: running s3://$bucket/$key ETag $etag for $image_arn"
else
  fail "$image_arn names neither a version id nor an ETag for s3://$bucket/$key"
fi
status=0
bash "$payload" || status=$?
rm -f "$payload"
[ "$status" -eq 0 ] || fail "the payload exited with status $status"
