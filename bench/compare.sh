#!/usr/bin/env bash
# One-to-one figures of two builds side by side, on one node, alternating build by build so both
# see the same machine: throughput, latency at 10,000 msgs/s, connects/s and bytes per idle
# connection. The "before/after" rows of docs/benchmarks.md come from this.
#
#   bench/compare.sh <other Relay.Host.dll> [rounds]      (default 3 rounds; ~2 minutes per round)
#
# Build the other tree first, e.g.: git worktree add /tmp/base <commit> && dotnet build /tmp/base/Relay.Host -c Release
# Every load is bounded (counts and --limit) and goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

other=${1:?usage: bench/compare.sh <other Relay.Host.dll> [rounds]}
rounds=${2:-3}
port=${CLIENT_PORT:-9700}
dotnet build RelayChat.sln -c Release -v quiet -nologo >/dev/null
this=Relay.Host/bin/Release/net10.0/Relay.Host.dll
bench=(dotnet bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll --format json --limit 120 --nodes "127.0.0.1:$port")
log=$(mktemp)
pid=""
trap '[ -z "$pid" ] || kill -9 "$pid" 2>/dev/null || true; rm -f "$log"' EXIT

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([-0-9.a-z]*\)\"\{0,1\}[,}].*/\1/p"; }
start_node() {
  : >"$log"
  # --dashboard-port is unknown to builds older than the dashboard; theirs is always off.
  dotnet "$1" --port "$port" --cluster-port 0 $(dotnet "$1" --help 2>/dev/null | grep -q -- --dashboard-port && echo --dashboard-port 0) >"$log" 2>&1 &
  pid=$!
  local deadline=$((SECONDS + 60))
  until grep -q "RelayChat node listening on" "$log"; do
    [ $SECONDS -lt $deadline ] && kill -0 "$pid" 2>/dev/null || { echo "node $1 did not start; see $log" >&2; exit 1; }
    sleep 0.2
  done
}

echo "| round | build | msgs/s | p50 us | p99 us | connects/s | bytes per idle connection |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq 1 "$rounds"); do
  for build in other this; do
    dll=$this; [ "$build" = other ] && dll=$other
    start_node "$dll"
    "${bench[@]}" throughput --messages 2000 >/dev/null   # warm-up (JIT)
    t=$("${bench[@]}" throughput | field "msgs\/s")
    l=$("${bench[@]}" latency --rate 10000 --seconds 5)
    c=$("${bench[@]}" conns --count 5000 --pid "$pid")
    echo "| $round | $build | $t | $(field "p50 us" <<<"$l") | $(field "p99 us" <<<"$l") | $(field "connects\/s" <<<"$c") | $(field "bytes per connection" <<<"$c") |"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  done
done
