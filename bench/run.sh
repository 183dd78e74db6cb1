#!/usr/bin/env bash
# Reproduces the headline table of docs/benchmarks.md on this machine: single node and a 3-node
# cluster on loopback, each workload several times, medians printed as a markdown table.
#
#   bench/run.sh [runs]              (default 3 runs per figure; ~4 minutes on 2 cores)
#   bench/run.sh [runs] protocols    only the JSON and UDP rows beside text's: one node with a UDP
#                                    port, the three protocols interleaved in every run (~3 minutes)
#
# Fan-out rows (rooms and broadcast) follow the one-to-one rows; when redis-server and nats-server
# are on PATH (apt-get install -y redis-server nats-server) the same fan-out job runs against them
# too, in the same run, so the rows compare as ratios.
#
# Env: HOST_DLL (a Relay.Host.dll to measure instead of this tree's, e.g. an older build),
#      CLIENT_PORT (default 9100) and CLUSTER_BASE (default 4150) for the ports used.
# Every load is bounded (counts and --limit) and goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
mode=${2:-all}
client_port=${CLIENT_PORT:-9100}
cluster_base=${CLUSTER_BASE:-4150}
dotnet build RelayChat.sln -c Release -v quiet -nologo >/dev/null
host_dll=${HOST_DLL:-Relay.Host/bin/Release/net10.0/Relay.Host.dll}
bench=(dotnet bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll --format json --limit 120)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done' EXIT

start_node() { # port cluster-port seeds log
  dotnet "$host_dll" --port "$1" --cluster-port "$2" --dashboard-port 0 ${3:+--seeds "$3"} >"$4" 2>&1 &
  pids+=($!)
  local deadline=$((SECONDS + 60))
  until grep -q "RelayChat node listening on" "$4"; do
    [ $SECONDS -lt $deadline ] || { echo "node on $1 did not start; see $4" >&2; exit 1; }
    sleep 0.2
  done
}

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([-0-9.a-z]*\)\"\{0,1\}[,}].*/\1/p"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # name field runs bench-args...
  local name=$1 key=$2 n=$3; shift 3
  local values=()
  # A workload the measured build does not have (HOST_DLL of an older tree) leaves its row empty.
  for _ in $(seq 1 "$n"); do values+=("$( ("${bench[@]}" "$@" || true) | tail -1 | field "$key")"); done
  printf '| %s | %s | %s |\n' "$name" "$(printf '%s\n' "${values[@]}" | median)" "${values[*]}"
}

log_dir=$(mktemp -d)

# Text, JSON (--json) and UDP (--udp) clients of one node, the same workloads, each run measuring
# the three back to back so that the ratios come from the same moment of this noisy machine.
# Node CPU per message is the node's utime+stime (/proc/PID/stat) around the run / delivered.
if [ "$mode" = protocols ]; then
  dotnet "$host_dll" --port "$client_port" --cluster-port 0 --udp-port 0 --dashboard-port 0 >"$log_dir/node.log" 2>&1 &
  pids+=($!)
  deadline=$((SECONDS + 60))
  until grep -q "RelayChat node listening on" "$log_dir/node.log" && grep -q "cluster member" "$log_dir/node.log"; do
    [ $SECONDS -lt $deadline ] || { echo "node did not start; see $log_dir/node.log" >&2; exit 1; }
    sleep 0.2
  done
  pid=${pids[0]}
  tcp=127.0.0.1:$client_port
  udp=$(sed -n 's/^UDP on //p' "$log_dir/node.log")
  cpu() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
  declare -A out
  job() { # protocol workload args...: one run, its JSON line in out[protocol workload], node CPU appended
    local key="$1 $2" flag=() nodes=$tcp before line
    case $1 in json) flag=(--json) ;; udp) flag=(--udp); nodes=$udp ;; esac
    before=$(cpu)
    line=$(("${bench[@]}" --nodes "$nodes" "$2" "${flag[@]}" "${@:3}" || true) | tail -1)
    out[$key]+="$line cpu=$(( $(cpu) - before ))"$'\n'
  }
  for p in text json udp; do job "$p" throughput --clients 10 --messages 2000 >/dev/null; done   # warm-up (JIT)
  out=()
  for _ in $(seq 1 "$runs"); do
    for p in text json udp; do
      if [ "$p" = udp ]; then job udp throughput --messages 2000; else job "$p" throughput; fi
    done
    for p in text json udp; do job "$p" latency --rate 10000 --seconds 5; done
  done
  col() { printf '%s' "${out[$1 $2]}" | field "$3"; }
  per_msg() { # µs of node CPU per delivered message, per run (clock ticks of 10 ms)
    printf '%s' "${out[$1 throughput]}" | while read -r l; do
      d=$(field delivered <<<"$l"); t=${l##*cpu=}
      awk -v d="$d" -v t="$t" 'BEGIN { if (d > 0) printf "%.2f\n", t * 10000 / d }'
    done
  }
  row() { # name values-of-text values-of-json values-of-udp
    local m=() all=() v
    for v in "$2" "$3" "$4"; do m+=("$(printf '%s\n' $v | median)"); all+=("$(echo $v | tr ' ' '/')"); done
    ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0 && a != "") printf "%.2f", a / b }'; }
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$1" "${m[0]}" "${m[1]}" "${m[2]}" \
      "$(ratio "${m[1]}" "${m[0]}")" "$(ratio "${m[2]}" "${m[0]}")" "${all[0]}; ${all[1]}; ${all[2]}"
  }
  echo "| figure | text | JSON | UDP | JSON ÷ text | UDP ÷ text | runs (text; JSON; UDP) |"
  echo "|---|---|---|---|---|---|---|"
  row "throughput msgs/s (100 clients, 64 B; TCP 20,000 each, window 256; UDP 2,000 each, window 32)" \
    "$(col text throughput 'msgs\/s')" "$(col json throughput 'msgs\/s')" "$(col udp throughput 'msgs\/s')"
  row "node CPU µs per message" "$(per_msg text)" "$(per_msg json)" "$(per_msg udp)"
  row "lost %" "$(col text throughput 'lost %')" "$(col json throughput 'lost %')" "$(col udp throughput 'lost %')"
  row "out of order" "$(col text throughput 'out of order')" "$(col json throughput 'out of order')" "$(col udp throughput 'out of order')"
  for k in "p50 us" "p99 us" "lost %"; do
    row "latency at 10,000 msgs/s: $k" "$(col text latency "$k")" "$(col json latency "$k")" "$(col udp latency "$k")"
  done
  row "latency at 10,000 msgs/s: rate held" "$(col text latency 'rate held')" "$(col json latency 'rate held')" "$(col udp latency 'rate held')"
  exit 0
fi

echo "| figure | median | runs |"
echo "|---|---|---|"

start_node "$client_port" 0 "" "$log_dir/single.log"
node=127.0.0.1:$client_port
"${bench[@]}" --nodes "$node" throughput --messages 2000 >/dev/null   # warm-up (JIT)
measure "1 node: throughput msgs/s (100 clients, 20,000 × 64 B, window 256)" "msgs\/s" "$runs" --nodes "$node" throughput
measure "1 node: lost messages" lost 1 --nodes "$node" throughput
measure "1 node: p50 us at 10,000 msgs/s" "p50 us" "$runs" --nodes "$node" latency --rate 10000 --seconds 5
measure "1 node: p99 us at 10,000 msgs/s" "p99 us" "$runs" --nodes "$node" latency --rate 10000 --seconds 5
measure "1 node: p99 us at 50,000 msgs/s" "p99 us" 1 --nodes "$node" latency --rate 50000 --seconds 5
measure "1 node: 50,000 msgs/s held" "rate held" 1 --nodes "$node" latency --rate 50000 --seconds 5
measure "1 node: room of 10, deliveries/s (20,000 × 64 B)" "deliveries\/s" "$runs" --nodes "$node" fanout --receivers 10 --messages 20000 --window 256
measure "1 node: room of 100, deliveries/s (2,000 × 64 B)" "deliveries\/s" "$runs" --nodes "$node" fanout --receivers 100 --messages 2000 --window 256
measure "1 node: room of 100, p99 us" "p99 us" "$runs" --nodes "$node" fanout --receivers 100 --messages 2000 --window 256
measure "1 node: room of 1,000, deliveries/s (300 × 64 B)" "deliveries\/s" "$runs" --nodes "$node" fanout --receivers 1000 --messages 300 --window 256
measure "1 node: broadcast to 1,000, deliveries/s (300 × 64 B)" "deliveries\/s" "$runs" --nodes "$node" fanout --receivers 1000 --messages 300 --window 256 --broadcast
measure "1 node: fan-out lost or out of order" lost 1 --nodes "$node" fanout --receivers 100 --messages 2000 --window 256
pid=${pids[0]}
measure "1 node: connects/s (5,000 idle clients)" "connects\/s" 1 --nodes "$node" conns --count 5000 --pid "$pid"
measure "1 node: node bytes per idle connection" "bytes per connection" 1 --nodes "$node" conns --count 5000 --pid "$pid"
kill "$pid"; wait "$pid" 2>/dev/null || true; pids=()

seeds=""; nodes=""
for i in 1 2 3; do seeds+="${seeds:+,}127.0.0.1:$((cluster_base + i))"; nodes+="${nodes:+,}127.0.0.1:$((client_port + i))"; done
for i in 1 2 3; do start_node $((client_port + i)) $((cluster_base + i)) "$seeds" "$log_dir/node$i.log"; done
"${bench[@]}" --nodes "$nodes" throughput --messages 2000 >/dev/null   # warm-up
measure "3 nodes: throughput msgs/s (clients spread over the nodes)" "msgs\/s" "$runs" --nodes "$nodes" throughput
measure "3 nodes: lost messages" lost 1 --nodes "$nodes" throughput
measure "3 nodes: p50 us at 10,000 msgs/s" "p50 us" 1 --nodes "$nodes" latency --rate 10000 --seconds 5
measure "3 nodes: p99 us at 10,000 msgs/s" "p99 us" 1 --nodes "$nodes" latency --rate 10000 --seconds 5
measure "3 nodes: connects/s (5,000 idle clients)" "connects\/s" 1 --nodes "$nodes" conns --count 5000
measure "3 nodes: room of 100 over 3 nodes, deliveries/s (2,000 × 64 B)" "deliveries\/s" "$runs" --nodes "$nodes" fanout --receivers 100 --messages 2000 --window 256
measure "3 nodes: room of 100 over 3 nodes, p99 us" "p99 us" "$runs" --nodes "$nodes" fanout --receivers 100 --messages 2000 --window 256
measure "3 nodes: broadcast to 1,000 over 3 nodes, deliveries/s (300 × 64 B)" "deliveries\/s" "$runs" --nodes "$nodes" fanout --receivers 1000 --messages 300 --window 256 --broadcast
for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; pids=()

# The same fan-out job on the pub/sub servers a user would otherwise pick, if installed.
if command -v redis-server >/dev/null && command -v nats-server >/dev/null; then
  redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no >"$log_dir/redis.log" 2>&1 &
  pids+=($!)
  nats-server -a 127.0.0.1 -p 4290 >"$log_dir/nats.log" 2>&1 &
  pids+=($!)
  sleep 1
  for peer in "redis 6390" "nats 4290"; do
    set -- $peer
    measure "$1: channel of 100, deliveries/s (2,000 × 64 B)" "deliveries\/s" "$runs" --nodes "127.0.0.1:$2" fanout --server "$1" --receivers 100 --messages 2000 --window 256
    measure "$1: channel of 100, p99 us" "p99 us" "$runs" --nodes "127.0.0.1:$2" fanout --server "$1" --receivers 100 --messages 2000 --window 256
    measure "$1: channel of 1,000, deliveries/s (300 × 64 B)" "deliveries\/s" "$runs" --nodes "127.0.0.1:$2" fanout --server "$1" --receivers 1000 --messages 300 --window 256
  done
else
  echo "(redis-server and nats-server not installed: no peer rows; apt-get install -y redis-server nats-server)"
fi
