#!/usr/bin/env bash
# The project's test command (README "Test"). CI runs exactly this through .ci/run.
# 1. mvn verify: compiles, runs every unit and protocol test, builds functions/*/target/function.zip.
# 2. checks every function zip: present, Lambda layout, no Apache/Netty HTTP client, size reported.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B verify

max_zip_bytes=$((40 * 1024 * 1024))
status=0
for dir in functions/*/; do
  name=$(basename "$dir")
  zip="$dir/target/function.zip"
  if [[ ! -f "$zip" ]]; then
    echo "FAIL $name: $zip was not built"; status=1; continue
  fi
  listing=$(unzip -Z1 "$zip")
  if grep -Eq '^lib/(apache-client|apache5-client|netty-nio-client|httpclient|netty-)' <<<"$listing"; then
    echo "FAIL $name: Apache or Netty HTTP client inside $zip"; status=1
  fi
  if ! grep -q '^lib/url-connection-client-' <<<"$listing"; then
    echo "FAIL $name: url-connection-client missing from $zip"; status=1
  fi
  if ! grep -Eq '^io/amirollout/.*Handler\.class$' <<<"$listing"; then
    echo "FAIL $name: no handler class at the zip root"; status=1
  fi
  bytes=$(stat -c %s "$zip")
  if (( bytes > max_zip_bytes )); then
    echo "FAIL $name: $zip is $bytes bytes (limit $max_zip_bytes)"; status=1
  fi
  printf 'zip %-24s %6.2f MB  %3d jars\n' "$name" "$(awk -v b="$bytes" 'BEGIN{print b/1048576}')" "$(grep -c '^lib/.*\.jar$' <<<"$listing")"
done
exit $status
