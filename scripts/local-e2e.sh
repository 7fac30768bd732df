#!/usr/bin/env bash
# See ami-rollout work end to end on your machine, no AWS account needed (docs/LOCAL-RUN.md):
# starts moto (a local AWS emulator) on a free loopback port, builds the project, then runs the
# whole chain against it and prints what happened at each step:
#   S3 upload → pipeline-starter → Image Builder build AVAILABLE (emulated) → cross-account-invoker
#   → instance-refresh in a workload account → CloudWatch alarm → rollback-on-alarm
#   → notices → slack-notifier → a local Slack sink.
# Options: VERBOSE=true shows every function log line; SKIP_BUILD=true reuses an earlier build.
set -euo pipefail
cd "$(dirname "$0")/.."

moto_endpoint=$(bash scripts/moto.sh start --until-exit-of $$)
trap 'bash scripts/moto.sh stop' EXIT

# Fixed fake identity: nothing here can reach a real AWS account.
export AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE

if [[ "${SKIP_BUILD:-false}" != "true" ]]; then
  echo "building the functions (mvn install, tests skipped; scripts/test.sh runs them)..."
  mvn -q -B -Dstyle.color=never install -DskipTests -DskipITs
fi
mvn -q -B -Dstyle.color=never -pl integration-tests exec:java -Dmoto.endpoint="$moto_endpoint" -Dverbose="${VERBOSE:-false}"
