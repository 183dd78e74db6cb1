#!/usr/bin/env bash
# Builds and runs every test, then prints one closing line: "N passed, N failed[, N skipped]".
# Needs the .NET SDK and Debian's apt (for Chromium, promtool, Redis and NATS); the tests start their own
# nodes on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests drive Debian's Chromium, the metrics test checks the exposition with
# Prometheus's promtool, and the benchmark's peer drivers talk to Redis and NATS: install them when
# missing (a fresh Debian machine has none of them).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/promtool ] || missing+=(prometheus)
# The benchmark's peer drivers are smoke-tested against real Redis and NATS servers.
command -v redis-server >/dev/null || missing+=(redis-server)
command -v nats-server >/dev/null || missing+=(nats-server)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} for the browser, metrics and benchmark-peer tests (apt-get)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

results=TestResults
rm -rf "$results"

status=0
dotnet test RelayChat.sln --configuration Release --logger trx "$@" || status=$?

passed=0 failed=0 skipped=0 files=0
for trx in "$results"/*/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  count() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<< "$counters"; }
  passed=$((passed + $(count passed)))
  failed=$((failed + $(count failed)))
  skipped=$((skipped + $(count notExecuted)))
done

if [ "$files" -eq 0 ]; then
  echo "no test results were written (did the build fail?)"
  [ "$status" -ne 0 ] || status=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] || [ "$status" -ne 0 ] || status=1
exit "$status"
