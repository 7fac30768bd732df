#!/usr/bin/env bash
# The project's test command (README "Test"). CI runs exactly this through .ci/run.
# 1. mvn verify: compiles, runs every unit and protocol test, builds functions/*/target/function.zip
#    (shrunk by function-shrinker from function-full.zip; zip-check proves both answer alike).
# 2. checks every function zip: present, Lambda layout, no Apache/Netty HTTP client, size <= 9.5 MB (the root pom's function.zip.maxBytes).
# 3. the AWS tools check the deployment: AWS SAM CLI and cfn-lint (pinned, installed with pip into
#    .venv/sam) run `sam validate --lint` (zero errors, zero warnings) and `sam build` (which takes the
#    Maven-built zips as they are) on template.yaml.
# 4. what CloudFormation deploys: template.yaml after the AWS::Serverless transform, for every parameter set
#    docs/DEPLOY.md documents (scripts/parameter-sets.json), linted by cfn-lint (zero errors and warnings: it
#    sees the functions' IAM policies only after the transform) and every IAM policy checked by parliament
#    (pinned, installed with pip into .venv/parliament) against AWS's action / resource / condition catalogue.
# `bash scripts/test.sh --template` runs only the template checks (3 without sam build, and 4): no Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
template_only=false
if [[ "${1:-}" == "--template" ]]; then
  template_only=true
fi

# Emulator tier: moto server (pinned, installed with pip into .venv/moto) on a free loopback port;
# the integration tests (Failsafe, *IT) run against it inside the same mvn verify (docs/LOCAL-RUN.md).
if ! $template_only; then
moto_endpoint=$(bash scripts/moto.sh start --until-exit-of $$)
trap 'bash scripts/moto.sh stop' EXIT

mvn_status=0
rm -f integration-tests/target/failsafe-reports/failsafe-summary.xml  # count this run only
mvn -B verify -Dmoto.endpoint="$moto_endpoint" || mvn_status=$?
its=$(sed -n 's:.*<completed>\([0-9]*\)</completed>.*:\1:p' integration-tests/target/failsafe-reports/failsafe-summary.xml 2>/dev/null || true)
echo "integration tests run against moto: ${its:-0}"
if (( mvn_status != 0 )); then
  exit "$mvn_status"
fi

# Same limit as the root pom's function.zip.maxBytes; the build enforces it too.
max_zip_bytes=9500000
status=0
for dir in functions/*/; do
  name=$(basename "$dir")
  full="$dir/target/function-full.zip"
  zip="$dir/target/function.zip"
  if [[ ! -f "$zip" || ! -f "$full" ]]; then
    echo "FAIL $name: $full or $zip was not built"; status=1; continue
  fi
  # The dependency set (the unshrunk zip's lib/): url-connection-client, never Apache or Netty.
  full_listing=$(unzip -Z1 "$full")
  if grep -Eq '^lib/(apache-client|apache5-client|netty-nio-client|httpclient|netty-)' <<<"$full_listing"; then
    echo "FAIL $name: Apache or Netty HTTP client inside $full"; status=1
  fi
  if ! grep -q '^lib/url-connection-client-' <<<"$full_listing"; then
    echo "FAIL $name: url-connection-client missing from $full"; status=1
  fi
  # The deployed zip: handler at the root, the shrunk runtime jar still carrying the HTTP client and its
  # ServiceLoader entry (the SDK finds it by name only).
  listing=$(unzip -Z1 "$zip")
  if ! grep -Eq '^io/amirollout/.*Handler\.class$' <<<"$listing"; then
    echo "FAIL $name: no handler class at the zip root"; status=1
  fi
  runtime=$(unzip -p "$zip" lib/runtime-shrunk.jar | python3 -c 'import io,sys,zipfile; print("\n".join(zipfile.ZipFile(io.BytesIO(sys.stdin.buffer.read())).namelist()))')
  if ! grep -q '^software/amazon/awssdk/http/urlconnection/UrlConnectionSdkHttpService\.class$' <<<"$runtime" \
      || ! grep -q '^META-INF/services/software\.amazon\.awssdk\.http\.SdkHttpService$' <<<"$runtime"; then
    echo "FAIL $name: the url-connection HTTP client or its service entry was shrunk away"; status=1
  fi
  bytes=$(stat -c %s "$zip")
  limit=$max_zip_bytes
  if (( bytes > limit )); then
    echo "FAIL $name: $zip is $bytes bytes (limit $limit)"; status=1
  fi
  printf 'zip %-24s %6.2f MB (unshrunk %6.2f MB)\n' "$name" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" \
    "$(awk -v b="$(stat -c %s "$full")" 'BEGIN{print b/1e6}')"
done
if (( status != 0 )); then
  exit $status
fi
fi  # template_only

# --- 3. template.yaml checked by the AWS SAM CLI and cfn-lint -------------------------------------
# Pinned together: aws-sam-cli's `validate --lint` imports cfn-lint from the same environment.
sam_cli_version=1.170.0
cfn_lint_version=1.58.0
venv=.venv/sam
# The Python that runs the SAM CLI: the venv's, or (where python3-venv is missing) python3 with a --target dir.
sam_python() { if [[ -x "$venv/bin/python" ]]; then echo "$venv/bin/python"; else echo python3; fi; }
sam_installed() {
  PYTHONPATH="$venv/site" "$(sam_python)" -c 'import sys; from importlib.metadata import version as v
sys.exit(not (v("aws-sam-cli") == sys.argv[1] and v("cfn-lint") == sys.argv[2]))' "$sam_cli_version" "$cfn_lint_version" 2>/dev/null
}
if ! sam_installed; then
  echo "installing aws-sam-cli==$sam_cli_version cfn-lint==$cfn_lint_version into $venv (a minute or two, once)"
  if python3 -m venv "$venv" >/dev/null 2>&1; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "aws-sam-cli==$sam_cli_version" "cfn-lint==$cfn_lint_version"
  else
    echo "python3 -m venv is not available here; installing with pip --target $venv/site instead"
    rm -rf "$venv" && mkdir -p "$venv"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$venv/site" \
      "aws-sam-cli==$sam_cli_version" "cfn-lint==$cfn_lint_version"
  fi
  sam_installed || { echo "FAIL aws-sam-cli $sam_cli_version / cfn-lint $cfn_lint_version not importable after installing"; exit 1; }
fi

# Validation and build need no AWS account: no credentials, no telemetry, a fixed region.
sam() {
  env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_PROFILE \
    PYTHONPATH="$venv/site" SAM_CLI_TELEMETRY=0 AWS_DEFAULT_REGION=eu-west-1 "$(sam_python)" -m samcli "$@"
}
echo "aws-sam-cli $sam_cli_version, cfn-lint $cfn_lint_version"
# --lint fails on any cfn-lint error or warning; warnings that are deliberate are suppressed in
# template.yaml (Metadata cfn-lint ignore_checks) with the reason beside them.
sam validate --lint --template template.yaml --region eu-west-1
if ! $template_only; then
  sam build --template template.yaml --build-dir .aws-sam/build
  echo "sam validate --lint and sam build passed"
fi

# --- 4. the SAM-transformed template: cfn-lint and parliament, per documented parameter set -------------
deployed=.aws-sam/deployed
rm -rf "$deployed"
PYTHONPATH="$venv/site" AWS_DEFAULT_REGION=eu-west-1 "$(sam_python)" scripts/deployed_template.py "$deployed"
for params in "$deployed"/*.parameters.json; do
  name=$(basename "$params" .parameters.json)
  # Zero errors and warnings; a finding on a resource the transform writes is suppressed only in
  # scripts/deployed_template.py (LINT_SUPPRESSIONS), with its reason.
  PYTHONPATH="$venv/site" "$(sam_python)" -c 'import sys; from cfnlint.runner import main; sys.exit(main())' \
    --regions eu-west-1 --parameter-files "$params" -- "$deployed/$name.json"
  echo "cfn-lint $cfn_lint_version on the transformed template ($name): 0 findings"
done
# And once without parameter values: every condition's branches, as cfn-lint reasons about them.
PYTHONPATH="$venv/site" "$(sam_python)" -c 'import sys; from cfnlint.runner import main; sys.exit(main())' \
  --regions eu-west-1 -- "$deployed/both.json"
echo "cfn-lint $cfn_lint_version on the transformed template (any parameter values): 0 findings"

parliament_version=1.6.4
# parliament imports pkg_resources, which Python 3.12+ venvs no longer carry and newer setuptools drop.
parliament_setuptools=65.5.0
pvenv=.venv/parliament
parliament_python() { if [[ -x "$pvenv/bin/python" ]]; then echo "$pvenv/bin/python"; else echo python3; fi; }
parliament_installed() {
  PYTHONPATH="$pvenv/site" "$(parliament_python)" -c 'import sys; from importlib.metadata import version as v
import parliament
sys.exit(not v("parliament") == sys.argv[1])' "$parliament_version" 2>/dev/null
}
if ! parliament_installed; then
  echo "installing parliament==$parliament_version into $pvenv"
  if python3 -m venv "$pvenv" >/dev/null 2>&1; then
    "$pvenv/bin/python" -m pip install --quiet --disable-pip-version-check "parliament==$parliament_version" \
      "setuptools==$parliament_setuptools"
  else
    rm -rf "$pvenv" && mkdir -p "$pvenv"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target "$pvenv/site" \
      "parliament==$parliament_version" "setuptools==$parliament_setuptools"
  fi
  parliament_installed || { echo "FAIL parliament $parliament_version not importable after installing"; exit 1; }
fi
PYTHONPATH="$pvenv/site" "$(parliament_python)" scripts/iam_check.py "$deployed"
echo "transformed template: cfn-lint and parliament passed for every parameter set"
