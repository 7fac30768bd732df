"""Every IAM policy CloudFormation would deploy, checked by parliament (AWS's action/resource catalogue).

Run with the Python of .venv/parliament (scripts/test.sh) after scripts/deployed_template.py:

    python scripts/iam_check.py DEPLOYED_DIR

For each parameter set it evaluates the processed template's conditions and intrinsic functions as
CloudFormation would (resources get realistic fake physical ids), collects every policy (role inline
policies and trust policies, IAM policies, bucket / topic / queue / key / log resource policies) of the
resources that exist for that set, and runs parliament on each. Exit 1 on any finding that is not in
SUPPRESSED below (each suppression says why the finding does not apply).
"""
import json
import pathlib
import re
import sys

import parliament

ACCOUNT = "111122223333"
REGION = "eu-west-1"

# (kind of policy, parliament issue) -> why the finding does not apply. Keep this short: a finding is fixed in
# template.yaml unless parliament cannot know better. Everything else fails the check.
SUPPRESSED = {
    ("trust policy", "MALFORMED"):
        "a role's trust policy has no Resource element by definition: the role itself is the resource",
    ("key policy", "RESOURCE_STAR"):
        "in a KMS key policy Resource '*' means this key and nothing else",
    ("SAM on-failure policy", "NO_VERSION"):
        "written by the SAM transform (sqs:SendMessage on the function's failure queue), not by template.yaml; "
        "no policy variables, so the 2008-10-17 default version evaluates it the same",
}


class Resolver:
    def __init__(self, template, parameters, stack):
        self.template = template
        self.stack = stack
        self.parameters = {}
        for name, declaration in template.get("Parameters", {}).items():
            value = parameters.get(name, declaration.get("Default"))
            if "List" in declaration.get("Type", ""):
                value = str(value).split(",")
            self.parameters[name] = value if not isinstance(value, (int, float)) else str(value)
        self.conditions = {}

    def condition(self, name):
        if name not in self.conditions:
            self.conditions[name] = bool(self.resolve(self.template["Conditions"][name]))
        return self.conditions[name]

    def exists(self, resource):
        return "Condition" not in resource or self.condition(resource["Condition"])

    def physical(self, logical_id):
        resource = self.template["Resources"][logical_id]
        kind = resource["Type"]
        props = resource.get("Properties", {})
        name = "%s-%s" % (self.stack, logical_id)
        if kind == "AWS::SNS::Topic":
            return "arn:aws:sns:%s:%s:%s" % (REGION, ACCOUNT, name)
        if kind == "AWS::SQS::Queue":
            return "https://sqs.%s.amazonaws.com/%s/%s" % (REGION, ACCOUNT, name)
        if kind == "AWS::S3::Bucket":
            return name.lower()
        if kind == "AWS::ImageBuilder::ImagePipeline":
            return "arn:aws:imagebuilder:%s:%s:image-pipeline/%s" % (REGION, ACCOUNT, name.lower())
        if kind == "AWS::KMS::Key":
            return "1234abcd-12ab-34cd-56ef-1234567890ab"
        if kind in ("AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Logs::LogGroup"):
            for key in ("FunctionName", "RoleName", "LogGroupName"):
                if key in props:
                    return self.resolve(props[key])
        if kind == "AWS::Lambda::Alias":
            return "arn:aws:lambda:%s:%s:function:%s:live" % (REGION, ACCOUNT, name)
        return name

    def get_att(self, logical_id, attribute):
        kind = self.template["Resources"][logical_id]["Type"]
        physical = self.physical(logical_id)
        if attribute == "QueueName":
            return physical.rsplit("/", 1)[1]
        if attribute != "Arn":
            return "%s.%s" % (physical, attribute)
        return {
            "AWS::SNS::Topic": physical,
            "AWS::SQS::Queue": "arn:aws:sqs:%s:%s:%s-%s" % (REGION, ACCOUNT, self.stack, logical_id),
            "AWS::S3::Bucket": "arn:aws:s3:::" + physical,
            "AWS::Logs::LogGroup": "arn:aws:logs:%s:%s:log-group:%s:*" % (REGION, ACCOUNT, physical),
            "AWS::Lambda::Function": "arn:aws:lambda:%s:%s:function:%s" % (REGION, ACCOUNT, physical),
            "AWS::IAM::Role": "arn:aws:iam::%s:role/%s" % (ACCOUNT, physical),
            "AWS::KMS::Key": "arn:aws:kms:%s:%s:key/%s" % (REGION, ACCOUNT, physical),
            "AWS::DynamoDB::Table": "arn:aws:dynamodb:%s:%s:table/%s" % (REGION, ACCOUNT, physical),
            "AWS::CloudWatch::Alarm": "arn:aws:cloudwatch:%s:%s:alarm:%s" % (REGION, ACCOUNT, physical),
        }.get(kind, "arn:aws:%s:%s:%s:%s" % (kind.split("::")[1].lower(), REGION, ACCOUNT, physical))

    def ref(self, name):
        pseudo = {"AWS::Region": REGION, "AWS::AccountId": ACCOUNT, "AWS::Partition": "aws",
                  "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": self.stack, "AWS::NoValue": None}
        if name in pseudo:
            return pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        return self.physical(name)

    def sub(self, text, variables):
        def replace(match):
            if match.group(1):
                return "${" + match.group(2) + "}"
            name = match.group(2)
            if name in variables:
                return str(variables[name])
            if "." in name and not name.startswith("AWS::"):
                return self.get_att(*name.split(".", 1))
            value = self.ref(name)
            return ",".join(value) if isinstance(value, list) else str(value)
        return re.sub(r"\$\{(!?)([^}]+)}", replace, text)

    def resolve(self, node):
        if isinstance(node, list):
            return [v for v in (self.resolve(item) for item in node) if v is not None]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, arg), = node.items()
            if key == "Ref":
                return self.ref(arg)
            if key == "Condition":
                return self.condition(arg)
            if key == "Fn::GetAtt":
                parts = arg if isinstance(arg, list) else arg.split(".", 1)
                return self.get_att(parts[0], parts[1])
            if key == "Fn::Sub":
                if isinstance(arg, list):
                    return self.sub(arg[0], {k: self.resolve(v) for k, v in arg[1].items()})
                return self.sub(arg, {})
            if key == "Fn::If":
                return self.resolve(arg[1] if self.condition(arg[0]) else arg[2])
            if key == "Fn::Equals":
                return str(self.resolve(arg[0])) == str(self.resolve(arg[1]))
            if key == "Fn::Not":
                return not self.resolve(arg[0])
            if key == "Fn::And":
                return all(self.resolve(a) for a in arg)
            if key == "Fn::Or":
                return any(self.resolve(a) for a in arg)
            if key == "Fn::Select":
                return self.resolve(arg[1])[int(self.resolve(arg[0]))]
            if key == "Fn::Split":
                return str(self.resolve(arg[1])).split(arg[0])
            if key == "Fn::Join":
                return arg[0].join(str(v) for v in self.resolve(arg[1]))
            if key.startswith("Fn::"):
                raise ValueError("cannot evaluate " + key)
        return {k: v for k, v in ((k, self.resolve(v)) for k, v in node.items()) if v is not None}


def policies(resolver):
    """(logical id, what, policy document) of every policy of every resource that exists."""
    for logical_id, resource in resolver.template["Resources"].items():
        if not resolver.exists(resource):
            continue
        kind = resource["Type"]
        props = resource.get("Properties", {})
        if kind == "AWS::IAM::Role":
            yield logical_id, "trust policy", resolver.resolve(props["AssumeRolePolicyDocument"])
            for policy in props.get("Policies", []):
                policy = resolver.resolve(policy)
                if policy:
                    generated = policy["PolicyName"].endswith("EventInvokeConfigOnFailureSQSPolicy")
                    yield logical_id, "SAM on-failure policy" if generated else "policy " + policy["PolicyName"], \
                        policy["PolicyDocument"]
        elif kind in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::S3::BucketPolicy",
                      "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy"):
            yield logical_id, kind, resolver.resolve(props["PolicyDocument"])
        elif kind == "AWS::KMS::Key":
            yield logical_id, "key policy", resolver.resolve(props["KeyPolicy"])
        elif kind == "AWS::Logs::ResourcePolicy":
            yield logical_id, kind, json.loads(resolver.resolve(props["PolicyDocument"]))


# EC2 actions newer than parliament's bundled catalogue (AMI usage reports, 2025; AWS SDK 2.40.2 has them), which it
# reports as UNKNOWN_ACTION. Only these names are excused; any other unknown action still fails.
NEWER_THAN_CATALOGUE = {"ec2:CreateImageUsageReport", "ec2:DescribeImageUsageReports",
                        "ec2:DescribeImageUsageReportEntries"}
NEWER_REASON = ("EC2's AMI usage report actions (CreateImageUsageReport, DescribeImageUsageReports, "
                "DescribeImageUsageReportEntries) are newer than parliament's catalogue; no other unknown action is excused")


# cloudwatch:DescribeAlarms takes alarm ARNs, but "to return information about composite alarms, you must be signed
# on with the cloudwatch:DescribeAlarms permission that is scoped to *" (CloudWatch API reference, DescribeAlarms):
# instance-refresh checks that every alarm a group names exists, composite ones included. Only this action alone.
STAR_REQUIRED = ["cloudwatch:DescribeAlarms"]
STAR_REASON = ("cloudwatch:DescribeAlarms returns composite alarms only when granted on '*' (CloudWatch API reference); "
               "instance-refresh checks that every alarm a group names exists")


def suppressed(what, finding):
    if finding.issue == "RESOURCE_STAR" and finding.detail == STAR_REQUIRED:
        SUPPRESSED[(what, "RESOURCE_STAR")] = STAR_REASON
        return STAR_REASON
    if finding.issue == "UNKNOWN_ACTION" and str(finding.detail).split()[-1] in NEWER_THAN_CATALOGUE:
        SUPPRESSED[(what, "UNKNOWN_ACTION")] = NEWER_REASON
        return NEWER_REASON
    return SUPPRESSED.get((what, finding.issue))


def main(deployed_dir):
    sets_file = pathlib.Path(__file__).resolve().parent / "parameter-sets.json"
    sets = {k: v for k, v in json.loads(sets_file.read_text()).items() if not k.startswith("_")}
    failures = 0
    suppressions = {}
    for name, values in sets.items():
        template = json.loads((pathlib.Path(deployed_dir) / (name + ".json")).read_text())
        resolver = Resolver(template, values, "ami-rollout-" + name)
        checked = 0
        for logical_id, what, document in policies(resolver):
            checked += 1
            analyzed = parliament.analyze_policy_string(json.dumps(document), include_community_auditors=False)
            for finding in analyzed.findings:
                reason = suppressed(what, finding)
                if reason:
                    suppressions[(what, finding.issue)] = suppressions.get((what, finding.issue), 0) + 1
                else:
                    failures += 1
                    print("FAIL %s %s (%s): %s %s %s" % (name, logical_id, what, finding.issue, finding.detail,
                                                         finding.location))
        print("iam-check %-32s %2d policies checked with parliament %s" % (name, checked, parliament.__version__
              if hasattr(parliament, "__version__") else ""))
    for (what, issue), count in sorted(suppressions.items()):
        print("iam-check suppressed %dx %s on %s: %s" % (count, issue, what, SUPPRESSED[(what, issue)]))
    print("iam-check findings: %d" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
