#!/usr/bin/env bash
# Builds and runs every test, then prints one closing line: "N passed, N failed[, N skipped]".
# Needs only the .NET SDK; the tests start their own nodes on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."

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
