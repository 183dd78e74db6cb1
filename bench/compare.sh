#!/usr/bin/env bash
# One-to-one figures of two builds side by side, alternating build by build so both see the same
# machine: throughput and the nodes' CPU per message, latency at 10,000 msgs/s and the nodes' CPU
# per message at that rate (idle cost included), and on one node connects/s with the node's CPU
# per connect and disconnect, and bytes per idle connection (on the fresh node, before any load).
# Everything but the memory is measured after a warm-up that lets the JIT settle. The
# "before/after" rows of docs/benchmarks.md come from this.
#
#   bench/compare.sh <other Relay.Host.dll> [rounds] [nodes]   (default 3 rounds of 1 node; a round
#                                                             is ~1.5 minutes on 1 node, ~1 on 3)
#
# nodes is 1 or 3 (a 3-node cluster of each build in turn, clients spread over the nodes).
# Build the other tree first, e.g.: git worktree add /tmp/base <commit> && dotnet build /tmp/base/Relay.Host -c Release
# Env: OTHER_ENV / THIS_ENV ("NAME=value ...") set for that build's nodes only, to compare a
# runtime knob on one build; CLIENT_PORT (9700) and CLUSTER_BASE (4700).
# Every load is bounded (counts and --limit) and goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

other=${1:?usage: bench/compare.sh <other Relay.Host.dll> [rounds] [nodes]}
rounds=${2:-3}
nodes=${3:-1}
[ "$nodes" = 1 ] || [ "$nodes" = 3 ] || { echo "nodes is 1 or 3" >&2; exit 2; }
port=${CLIENT_PORT:-9700}
cluster_base=${CLUSTER_BASE:-4700}
dotnet build RelayChat.sln -c Release -v quiet -nologo >/dev/null
this=Relay.Host/bin/Release/net10.0/Relay.Host.dll
log_dir=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$log_dir"' EXIT

endpoints=""; seeds=""
for i in $(seq 1 "$nodes"); do
  endpoints+="${endpoints:+,}127.0.0.1:$((port + i))"
  [ "$nodes" = 1 ] || seeds+="${seeds:+,}127.0.0.1:$((cluster_base + i))"
done
bench=(dotnet bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll --format json --limit 120 --nodes "$endpoints")

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([-0-9.a-z]*\)\"\{0,1\}[,}].*/\1/p"; }
start_nodes() { # dll env
  local i log cluster_port
  for i in $(seq 1 "$nodes"); do
    log=$log_dir/node$i.log
    : >"$log"   # not the previous node's "listening" line
    cluster_port=0; [ "$nodes" = 1 ] || cluster_port=$((cluster_base + i))
    # --dashboard-port is unknown to builds older than the dashboard; theirs is always off.
    env $2 dotnet "$1" --port $((port + i)) --cluster-port "$cluster_port" ${seeds:+--seeds "$seeds"} \
      $(dotnet "$1" --help 2>/dev/null | grep -q -- --dashboard-port && echo --dashboard-port 0) >"$log" 2>&1 &
    pids+=($!)
  done
  for i in $(seq 1 "$nodes"); do
    local deadline=$((SECONDS + 60))
    until grep -q "RelayChat node listening on" "$log_dir/node$i.log"; do
      [ $SECONDS -lt $deadline ] && kill -0 "${pids[$((i - 1))]}" 2>/dev/null || { echo "node $1 did not start: $(cat "$log_dir/node$i.log")" >&2; exit 1; }
      sleep 0.2
    done
  done
}
stop_nodes() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  pids=()
}
cpu_ticks() { local p t=0; for p in "${pids[@]}"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
hz=$(getconf CLK_TCK)
per_message() { # cpu-ticks-before messages: the nodes' CPU µs per message since then
  awk -v t="$(( $(cpu_ticks) - $1 ))" -v hz="$hz" -v d="$2" 'BEGIN { if (d > 0) printf "%.2f", t / hz * 1e6 / d }'
}

if [ "$nodes" = 1 ]; then
  echo "| round | build | msgs/s | node CPU µs/msg | p50 us | p90 us | p99 us | node CPU µs/msg at 10k/s | connects/s | node CPU µs per connect+disconnect | bytes per idle connection (fresh node) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
else
  echo "| round | build | 3 nodes msgs/s | nodes' CPU µs/msg | p50 us | p90 us | p99 us | nodes' CPU µs/msg at 10k/s |"
  echo "|---|---|---|---|---|---|---|---|"
fi
for round in $(seq 1 "$rounds"); do
  # The order alternates by round, so neither build always runs on a machine the other warmed.
  order="other this"; [ $((round % 2)) = 0 ] && order="this other"
  for build in $order; do
    dll=$this; env_vars=${THIS_ENV:-}
    [ "$build" = other ] && { dll=$other; env_vars=${OTHER_ENV:-}; }
    start_nodes "$dll" "$env_vars"
    # Memory per idle connection on the fresh node: after any load its heap has room to spare.
    [ "$nodes" != 1 ] || memory=$("${bench[@]}" conns --count 5000 --pid "${pids[0]}")
    # Warm-up: a node's JIT keeps compiling (tier-1 and PGO recompiles) for its first ~20 s under
    # load, at up to 40 % of its CPU; measured before that settles, a figure is the JIT's, not the
    # relay's (docs/benchmarks.md, "Warm-up").
    "${bench[@]}" throughput >/dev/null
    "${bench[@]}" latency --rate 10000 --seconds 10 >/dev/null
    before=$(cpu_ticks)
    t=$("${bench[@]}" throughput)
    cpu=$(per_message "$before" "$(field delivered <<<"$t")")
    before=$(cpu_ticks)
    l=$("${bench[@]}" latency --rate 10000 --seconds 5)
    rate_cpu=$(per_message "$before" "$(field sent <<<"$l")")
    row="| $round | $build | $(field "msgs\/s" <<<"$t") | $cpu | $(field "p50 us" <<<"$l") | $(field "p90 us" <<<"$l") | $(field "p99 us" <<<"$l") | $rate_cpu |"
    if [ "$nodes" = 1 ]; then
      before=$(cpu_ticks)
      c=$("${bench[@]}" conns --count 5000)
      row+=" $(field "connects\/s" <<<"$c") | $(per_message "$before" "$(field connections <<<"$c")") | $(field "bytes per connection" <<<"$memory") |"
    fi
    echo "$row"
    stop_nodes
  done
done
