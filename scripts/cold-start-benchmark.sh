#!/usr/bin/env bash
# Cold-start benchmark: every function's zip started the way the Lambda Java runtime starts it, against a
# local AWS + Slack endpoint (WireMock on 127.0.0.1), for our build and a naive AWS-SDK-defaults build.
# Needs the function zips: run `mvn -B verify -DskipITs` first (or `mvn -o -pl functions/<fn> verify` for one).
#
#   scripts/cold-start-benchmark.sh                       # all functions, 7 runs each, both builds
#   scripts/cold-start-benchmark.sh --runs 3 --functions slack-notifier,rollback-on-alarm
#   scripts/cold-start-benchmark.sh --variants ours --jvm 'c1=-XX:TieredStopAtLevel=1;default='
#   scripts/cold-start-benchmark.sh --markdown /tmp/table.md
# See benchmarks/README.md for what is measured and how.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for zip in functions/*/; do
  [[ -f "$zip/target/function.zip" ]] || missing+=("${zip%/}")
done
if (( ${#missing[@]} )); then
  echo "note: no target/function.zip for: ${missing[*]} (they are skipped; run mvn -B verify -DskipITs first)" >&2
fi

offline=()
[[ "${BENCHMARK_OFFLINE:-0}" == 1 ]] && offline=(-o)
# zip-check's test-jar holds what the local endpoint answers for each function (FunctionSpec); the benchmark is
# not a reactor module, so it finds that jar in ~/.m2. -am adds only the root pom (zip-check has no module deps).
mvn -q -B "${offline[@]}" -pl zip-check -am -DskipTests install
# The launcher, the naive AwsClients and the naive build's extra jars (apache-client, every SDK module).
mvn -q -B "${offline[@]}" -f benchmarks/pom.xml -Pnaive package

exec java -XX:TieredStopAtLevel=1 -cp "benchmarks/target/benchmarks-1.0.0-SNAPSHOT.jar:benchmarks/target/driver-lib/*" \
  io.amirollout.benchmarks.ColdStartBenchmark --root . "$@"
