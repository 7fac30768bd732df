"""What CloudFormation deploys: template.yaml after the AWS::Serverless transform, per parameter set.

Run with the Python of .venv/sam (scripts/test.sh), which has the SAM translator (aws-sam-translator, the
library the AWS SAM CLI and the CloudFormation transform use) and cfn-lint:

    python scripts/deployed_template.py OUT_DIR

writes OUT_DIR/<set>.json (the processed template, the function code as `sam package` would point it at
S3) and OUT_DIR/<set>.parameters.json (cfn-lint --parameter-files) for every set in scripts/parameter-sets.json, and
prints each processed template's size against CloudFormation's 51,200-byte --template-body limit.
Nothing is deployed and no AWS account is used.
"""
import json
import logging
import os
import pathlib
import re
import sys

# The translator asks boto for the region (pseudo parameters); no credentials are read.
os.environ["AWS_DEFAULT_REGION"] = "eu-west-1"

from samcli.yamlhelper import yaml_parse
from samtranslator.translator.transform import transform

# The translator's own usage metrics (never published offline) warn when collected; not a finding.
logging.getLogger("samtranslator.metrics.metrics").setLevel(logging.ERROR)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ACCOUNT = "111122223333"
REGION = "eu-west-1"
INLINE_LIMIT = 51200


# cfn-lint findings on resources the transform writes (so template.yaml cannot carry the suppression), each with
# why it does not apply: logical id -> (rule ids, reason). Written into the resource's Metadata for cfn-lint.
LINT_SUPPRESSIONS = {
    "PipelineStarterFunctionRole": (["W1031"], "cfn-lint resolves StartPipeline's !If [CreatePipeline, ImagePipeline, "
                                               "ExistingImagePipelineArn] with ExistingImagePipelineArn's empty default, "
                                               "a branch the If takes only when that parameter is set (an ARN by its pattern)"),
}
# Central notices (issue 16): EncryptCentralNotices names CentralNotificationKeyArn, whose empty default cfn-lint
# substitutes although the statement exists only under UseCentralNotices (the parameter set; a template rule
# requires it then).
for _role in ("InstanceRefreshFunctionRole", "RollbackOnAlarmFunctionRole", "TerminationHostnameFunctionRole",
              "RefreshVerifierFunctionRole"):
    LINT_SUPPRESSIONS[_role] = (["W1031"], "cfn-lint resolves EncryptCentralNotices' CentralNotificationKeyArn with its "
                                           "empty default, in a statement that exists only when central notices are on "
                                           "(UseCentralNotices), where the rule CentralNoticesNeedTheKey requires the key")


class NoManagedPolicies:
    """The template names managed policies by ARN only, so the translator never needs IAM to look one up."""

    def load(self):
        return {}


def parameter_sets():
    sets = json.loads((ROOT / "scripts" / "parameter-sets.json").read_text())
    return {name: values for name, values in sets.items() if not name.startswith("_")}


def packaged(template):
    """CodeUri as `sam package` leaves it: the Maven-built zip uploaded to the artifact bucket."""
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and not str(properties.get("CodeUri", "")).startswith("s3://"):
            properties["CodeUri"] = "s3://ami-rollout-artifacts-%s/ami-rollout/%s" % (ACCOUNT, properties["CodeUri"])
    return template


def main(out_dir):
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    declared = yaml_parse((ROOT / "template.yaml").read_text())["Parameters"]
    # The documented commands name only parameters the template declares (a renamed parameter fails here).
    documented = set(re.findall(r"ParameterKey=(\w+)", (ROOT / "docs" / "DEPLOY.md").read_text()))
    for overrides in re.findall(r'parameter_overrides = "([^"]*)"', (ROOT / "samconfig.toml").read_text()):
        documented.update(item.split("=", 1)[0] for item in overrides.split())
    if documented - set(declared):
        sys.exit("docs/DEPLOY.md or samconfig.toml name parameters template.yaml does not declare: %s"
                 % sorted(documented - set(declared)))
    for name, values in parameter_sets().items():
        unknown = sorted(set(values) - set(declared))
        if unknown:
            sys.exit("parameter set %s names parameters template.yaml does not declare: %s" % (name, unknown))
        template = packaged(yaml_parse((ROOT / "template.yaml").read_text()))
        parameters = dict(values)
        parameters.update({"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                           "AWS::StackName": "ami-rollout-" + name, "AWS::URLSuffix": "amazonaws.com"})
        processed = transform(template, parameters, NoManagedPolicies())
        for logical_id, (rules, reason) in LINT_SUPPRESSIONS.items():
            if logical_id in processed["Resources"]:
                metadata = processed["Resources"][logical_id].setdefault("Metadata", {})
                metadata["cfn-lint"] = {"config": {"ignore_checks": rules}}
                metadata["ami-rollout-lint-suppression"] = reason
        text = json.dumps(processed, separators=(",", ":"))
        (out / (name + ".json")).write_text(json.dumps(processed, indent=1))
        # cfn-lint --parameter-files: CloudFormation's ParameterKey/ParameterValue list, list types as lists.
        (out / (name + ".parameters.json")).write_text(json.dumps([
            {"ParameterKey": key,
             "ParameterValue": value.split(",") if "List" in declared[key].get("Type", "") else value}
            for key, value in values.items()], indent=1))
        print("transformed %-32s %6d bytes processed (compact JSON; inline limit %d: %s)"
              % (name, len(text.encode()), INLINE_LIMIT, "over, deploy through S3" if len(text.encode()) > INLINE_LIMIT else "under"))


if __name__ == "__main__":
    main(sys.argv[1])
