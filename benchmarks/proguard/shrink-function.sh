#!/usr/bin/env bash
# Shrinks functions/<fn>/target/function.zip with ProGuard (shrink only, see function.pro) into
# benchmarks/target/shrunk-<config>/<fn>/function.zip, same layout (classes at the root, lib/*.jar).
# Then: scripts/cold-start-benchmark.sh --zips benchmarks/target/shrunk-function --functions <fn> --variants ours
set -euo pipefail
cd "$(dirname "$0")/../.."
fn=${1:?usage: benchmarks/proguard/shrink-function.sh <function-name> [function.pro|aggressive.pro]}
config=${2:-function.pro}
flavour=${config%.pro}
zip=functions/$fn/target/function.zip
[[ -f $zip ]] || { echo "no $zip: run mvn -B verify first" >&2; exit 1; }
mvn -q -B -f benchmarks/pom.xml -Pproguard dependency:copy-dependencies@proguard-tool >/dev/null
work=$PWD/benchmarks/target/shrink-work/$flavour/$fn
out=$PWD/benchmarks/target/shrunk-$flavour/$fn
rm -rf "$work" "$out"
mkdir -p "$work/in/classes" "$work/out/lib" "$out/pkg"
unzip -q "$zip" -d "$work/in/all"
(cd "$work/in/all" && tar cf - --exclude=./lib .) | (cd "$work/in/classes" && tar xf -)
{
  echo "-injars $work/in/classes"
  echo "-outjars $work/out/classes.jar"
  for jar in "$work"/in/all/lib/*.jar; do
    echo "-injars $jar"
    echo "-outjars $work/out/lib/$(basename "$jar")"
  done
  cat "benchmarks/proguard/$config"
} > "$work/config.pro"
java -cp "benchmarks/target/proguard-lib/*" proguard.ProGuard @"$work/config.pro" > "$work/proguard.log" 2>&1 \
  || { tail -20 "$work/proguard.log" >&2; exit 1; }
(cd "$out/pkg" && unzip -q "$work/out/classes.jar")
mkdir -p "$out/pkg/lib" && cp "$work"/out/lib/*.jar "$out/pkg/lib/"
(cd "$out/pkg" && zip -q -r -X ../function.zip .)
printf '%s: %s -> %s bytes\n' "$fn" "$(stat -c %s "$zip")" "$(stat -c %s "$out/function.zip")"
