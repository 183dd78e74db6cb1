#!/usr/bin/env bash
# Reproduces the headline table of docs/benchmarks.md on this machine: single node and a 3-node
# cluster on loopback, each workload several times, medians printed as a markdown table.
#
#   bench/run.sh [runs]              (default 3 runs per figure; ~4 minutes on 2 cores)
#   bench/run.sh [runs] protocols    only the JSON and UDP rows beside text's: one node with a UDP
#                                    port, the three protocols interleaved in every run (~3 minutes)
#   bench/run.sh --peers [runs]      RelayChat beside Redis pub/sub and NATS (installed with apt-get
#                                    when missing): the same workloads, interleaved in every run,
#                                    one table with ratios (~10 minutes for 3 runs; see below)
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

if [ "${1:-}" = --peers ]; then
  runs=${2:-3}; mode=peers
else
  runs=${1:-3}; mode=${2:-all}
fi
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

# RelayChat beside the pub/sub servers a user would otherwise pick, on the same workloads: the load
# tool's --server redis|nats runs the same workload code with a channel (subject) per client
# instead of an id. Every run starts a fresh RelayChat node, redis-server and nats-server on
# 127.0.0.1 (so each server's memory per idle connection is measured before it has carried any
# load) and measures each workload on the three back to back, in an order that rotates from run
# to run, so that each ratio compares figures of the same minute of this noisy machine. Then a
# 3-node RelayChat cluster beside a 3-node NATS cluster (Redis has no pub/sub cluster to compare),
# started once, interleaved the same way. Medians of the runs; ratios are RelayChat ÷ peer.
#
# Env (quick settings for development): MESSAGES per client in the throughput job (default 20000),
# RATE_SECONDS of the latency job (5), CONNS idle clients (10000), FANOUT_MESSAGES (300);
# REDIS_PORT (6390) and NATS_PORT (4290; a cluster takes the 3 ports after it, its routes the ports
# 2000 above them, its monitoring 4000 above).
if [ "$mode" = peers ]; then
  export PATH=$PATH:/usr/sbin:/sbin
  missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v nats-server >/dev/null || missing+=(nats-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]} for the peer columns (apt-get)" >&2
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi

  messages=${MESSAGES:-20000}
  rate_seconds=${RATE_SECONDS:-5}
  conns=${CONNS:-10000}
  fanout_messages=${FANOUT_MESSAGES:-300}
  redis_port=${REDIS_PORT:-6390}
  nats_port=${NATS_PORT:-4290}
  results=$log_dir/results
  mkdir -p "$results"
  declare -A server_pid server_nodes

  wait_port() { # port: until it accepts (bash's /dev/tcp: nothing to install)
    local deadline=$((SECONDS + 30))
    until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
      [ $SECONDS -lt $deadline ] || { echo "nothing listens on 127.0.0.1:$1; see $log_dir" >&2; exit 1; }
      sleep 0.1
    done
  }
  start_redis() {
    # maxclients above the default 10,000: the conns job alone holds that many.
    redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --maxclients 12000 >"$log_dir/redis.log" 2>&1 &
    pids+=($!); server_pid[redis]=$!; server_nodes[redis]=127.0.0.1:$redis_port
    wait_port "$redis_port"
  }
  start_nats() {
    nats-server -a 127.0.0.1 -p "$nats_port" >"$log_dir/nats.log" 2>&1 &
    pids+=($!); server_pid[nats]=$!; server_nodes[nats]=127.0.0.1:$nats_port
    wait_port "$nats_port"
  }
  start_nats_cluster() { # three servers, each routed to the other two; up when every route is
    local i j routes nodes=""
    server_pid[nats3]=""
    for i in 1 2 3; do
      routes=""
      for j in 1 2 3; do [ "$j" = "$i" ] || routes+="${routes:+,}nats://127.0.0.1:$((nats_port + 2000 + j))"; done
      nats-server -a 127.0.0.1 -p $((nats_port + i)) -m $((nats_port + 4000 + i)) --cluster "nats://127.0.0.1:$((nats_port + 2000 + i))" \
        --cluster_name relay-bench --routes "$routes" >"$log_dir/nats$i.log" 2>&1 &
      pids+=($!); nodes+="${nodes:+,}127.0.0.1:$((nats_port + i))"; server_pid[nats3]+=" $!"
    done
    server_nodes[nats3]=$nodes
    for i in 1 2 3; do
      wait_port $((nats_port + i))
      local deadline=$((SECONDS + 30))
      until [ "$(routez $((nats_port + 4000 + i)))" = 2 ]; do
        [ $SECONDS -lt $deadline ] || { echo "the NATS cluster did not form; see $log_dir/nats$i.log" >&2; exit 1; }
        sleep 0.2
      done
    done
  }
  routez() { # monitoring port: the server's number of routes
    (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /routez HTTP/1.0\r\n\r\n' >&3 && sed -n 's/.*"num_routes": *\([0-9]*\).*/\1/p' <&3) 2>/dev/null || true
  }
  start_relay() {
    start_node "$client_port" 0 "" "$log_dir/relay.log"
    server_pid[relay]=${pids[-1]}; server_nodes[relay]=127.0.0.1:$client_port
  }
  start_relay_cluster() {
    local i seeds="" nodes=""
    for i in 1 2 3; do seeds+="${seeds:+,}127.0.0.1:$((cluster_base + i))"; nodes+="${nodes:+,}127.0.0.1:$((client_port + i))"; done
    server_pid[relay3]=""
    for i in 1 2 3; do
      start_node $((client_port + i)) $((cluster_base + i)) "$seeds" "$log_dir/relay$i.log"
      server_pid[relay3]+=" ${pids[-1]}"
    done
    server_nodes[relay3]=$nodes
  }
  stop_all() { # every server of this script, waiting for each to exit
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    pids=()
  }
  cpu_ticks() { # pids...: their user + system CPU so far, in clock ticks (/proc/PID/stat)
    local p t=0
    for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
    echo "$t"
  }
  job() { # key server workload args...: one run; its JSON line, with the server's CPU during it, appended to results/<key>
    local key=$1 server=$2 flavour=${2%3} line before; shift 2
    before=$(cpu_ticks ${server_pid[$server]})
    line=$(("${bench[@]}" --server "$flavour" --nodes "${server_nodes[$server]}" "$@" || true) | tail -1)
    # A run that printed nothing still counts, as unfinished.
    line=${line:-{\"completed\":false\}}
    echo "${line%\}},\"server cpu ticks\":$(( $(cpu_ticks ${server_pid[$server]}) - before ))}" >>"$results/$key"
  }
  rotate() { # run-number items...: the items, starting at the run's place
    local n=$1; shift
    local items=("$@") k
    for k in $(seq 0 $((${#items[@]} - 1))); do printf '%s ' "${items[$(((k + n) % ${#items[@]}))]}"; done
  }
  warm_up() { # server: JIT and first-connection costs out of the way, alike for every server
    # A RelayChat node's JIT keeps compiling (tier 1, PGO) for its first ~20 s under load, at up to
    # 40 % of its CPU: a shorter warm-up measured the JIT more than the relay (docs/benchmarks.md,
    # "Warm-up"). Redis and NATS get the same jobs.
    "${bench[@]}" --server "${1%3}" --nodes "${server_nodes[$1]}" throughput --messages 5000 >/dev/null || true
    "${bench[@]}" --server "${1%3}" --nodes "${server_nodes[$1]}" latency --rate 10000 --seconds 10 >/dev/null || true
    "${bench[@]}" --server "${1%3}" --nodes "${server_nodes[$1]}" conns --count 1000 >/dev/null || true
  }

  for run in $(seq 1 "$runs"); do
    echo "run $run of $runs: one node each" >&2
    start_relay; start_redis; start_nats
    # Memory per idle connection on the fresh servers (after any load, a heap has room to spare);
    # connects/s and CPU per connect once warm, like every other figure.
    for s in $(rotate "$run" relay redis nats); do job "memory $s" "$s" conns --count "$conns" --concurrency 100 --pid "${server_pid[$s]}"; done
    for s in relay redis nats; do warm_up "$s"; done
    for s in $(rotate "$run" relay redis nats); do job "conns $s" "$s" conns --count "$conns" --concurrency 100; done
    for s in $(rotate "$run" relay redis nats); do job "throughput $s" "$s" throughput --clients 100 --messages "$messages" --window 256; done
    for s in $(rotate "$run" relay redis nats); do job "latency $s" "$s" latency --clients 100 --rate 10000 --seconds "$rate_seconds"; done
    for s in $(rotate "$run" relay redis nats); do job "fanout $s" "$s" fanout --receivers 1000 --messages "$fanout_messages" --window 256; done
    stop_all
  done
  echo "3 nodes each" >&2
  start_relay_cluster; start_nats_cluster
  # A cluster takes more warm-up than one node: three JITs, and remoting's paths besides (~25 s of
  # load left RelayChat's cluster at twice its settled latency; docs/benchmarks.md, "Warm-up").
  for s in relay3 nats3; do
    warm_up "$s"
    "${bench[@]}" --server "${s%3}" --nodes "${server_nodes[$s]}" throughput >/dev/null || true
    "${bench[@]}" --server "${s%3}" --nodes "${server_nodes[$s]}" latency --rate 10000 --seconds 10 >/dev/null || true
  done
  for run in $(seq 1 "$runs"); do
    echo "run $run of $runs: 3 nodes each" >&2
    for s in $(rotate "$run" relay3 nats3); do job "throughput $s" "$s" throughput --clients 100 --messages "$messages" --window 256; done
    for s in $(rotate "$run" relay3 nats3); do job "latency $s" "$s" latency --clients 100 --rate 10000 --seconds "$rate_seconds"; done
  done
  stop_all

  hz=$(getconf CLK_TCK)
  values() { # key field: one line per run (empty if it gave none). "cpu per <count>": the server's CPU µs per <count> (a
    # field: delivered, sent, connections); "tool cpu per message": the load tool's per delivered message
    [ -f "$results/$1" ] || return 0
    local l d c
    case $2 in
      "cpu per "*|"tool cpu per message")
        while read -r l; do
          if [ "$2" = "tool cpu per message" ]; then
            d=$(field delivered <<<"$l"); c=$(field "load tool cpu s" <<<"$l")
          else
            d=$(field "${2#cpu per }" <<<"$l"); c=$(field "server cpu ticks" <<<"$l") && c=$(awk -v t="$c" -v hz="$hz" 'BEGIN {print t / hz}')
          fi
          awk -v d="$d" -v c="$c" 'BEGIN { if (d > 0 && c != "") printf "%.2f", c * 1e6 / d; print "" }'
        done <"$results/$1" ;;
      *) while read -r l; do printf '%s\n' "$(field "$2" <<<"$l")"; done <"$results/$1" ;;
    esac
  }
  # figure, format (int, kb: bytes shown as KB, held: yes-count), then key and field of each column
  row() {
    local name=$1 format=$2 relay=$3 redis=$4 nats=$5 key=$6
    local m=() all=() v
    for v in "$relay" "$redis" "$nats"; do
      if [ -z "$v" ]; then m+=(""); all+=(""); continue; fi
      local list
      list=$(values "$v" "$key")
      if [ "$format" = held ]; then
        m+=("$(grep -c '^yes$' <<<"$list" || true)/$(grep -c . <<<"$list" || true)")
      else
        m+=("$(printf '%s\n' $list | median)")
      fi
      # One entry per run, in run order (empty where a run gave none), so columns pair up by run.
      all+=("$(paste -sd/ <<<"$list")")
    done
    awk -v name="$name" -v format="$format" -v a="${m[0]}" -v b="${m[1]}" -v c="${m[2]}" \
        -v ra="${all[0]}" -v rb="${all[1]}" -v rc="${all[2]}" '
      function commas(n,   s, out) { s = sprintf("%d", n + 0.5); out = ""; while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) } return s out }
      function show(x) { if (x == "") return ""; if (format == "held") return x; if (format == "kb") return sprintf("%.1f KB", x / 1000); if (format == "us") return sprintf(x >= 100 ? "%.0f µs" : "%.2f µs", x); return commas(x) }
      # The median over runs of RelayChat ÷ peer within each run: the two were measured minutes
      # apart, so a run the machine slowed for both still gives a fair ratio.
      function ratio(x, y,   X, Y, r, n, i, j, t) {
        if (format == "held") return ""
        split(x, X, "/"); split(y, Y, "/"); n = 0
        for (i = 1; i in X; i++) if (X[i] != "" && Y[i] != "" && Y[i] + 0 != 0) r[++n] = X[i] / Y[i]
        if (n == 0) return ""
        for (i = 2; i <= n; i++) for (j = i; j > 1 && r[j - 1] > r[j]; j--) { t = r[j]; r[j] = r[j - 1]; r[j - 1] = t }
        return sprintf("%.2f", r[int((n + 1) / 2)])
      }
      BEGIN { printf "| %s | %s | %s | %s | %s | %s | %s; %s; %s |\n", name, show(a), show(b), show(c), ratio(ra, rb), ratio(ra, rc), ra == "" ? "-" : ra, rb == "" ? "-" : rb, rc == "" ? "-" : rc }'
  }
  check() { # server keys...: lost, out of order and unfinished runs over all its message runs
    local server=$1 lost=0 order=0 unfinished=0 k f
    for k in throughput latency fanout; do
      f="$results/$k $server"
      [ -f "$f" ] || continue
      lost=$((lost + $(field lost <"$f" | awk '{s += $1} END {print s + 0}')))
      order=$((order + $(field "out of order" <"$f" | awk '{s += $1} END {print s + 0}')))
      unfinished=$((unfinished + $(grep -vc '"completed":true' "$f" || true)))
    done
    printf '%s / %s / %s' "$lost" "$order" "$unfinished"
  }

  printf '\nbench/run.sh --peers %s: medians of %s runs; %s msgs per client, %s s at the rate, %s idle clients, %s fan-out msgs\n\n' \
    "$runs" "$runs" "$messages" "$rate_seconds" "$conns" "$fanout_messages"
  echo "| figure | RelayChat | Redis | NATS | RelayChat ÷ Redis | RelayChat ÷ NATS | runs (RelayChat; Redis; NATS) |"
  # (ratios: the median of the per-run ratios, not the ratio of the medians)
  echo "|---|---|---|---|---|---|---|"
  row "1 node: throughput, msgs/s (100 clients in pairs, $messages × 64 B, window 256)" int "throughput relay" "throughput redis" "throughput nats" "msgs\/s"
  row "1 node: server CPU per message at full load (throughput job; /proc/PID/stat)" us "throughput relay" "throughput redis" "throughput nats" "cpu per delivered"
  row "1 node: load tool CPU per message (throughput job; the same two cores)" us "throughput relay" "throughput redis" "throughput nats" "tool cpu per message"
  for p in p50 p90 p99; do
    row "1 node: latency $p µs at 10,000 msgs/s (50 pairs, open loop)" int "latency relay" "latency redis" "latency nats" "$p us"
  done
  row "1 node: 10,000 msgs/s held (runs)" held "latency relay" "latency redis" "latency nats" "rate held"
  row "1 node: server CPU per message at 10,000 msgs/s (latency job, idle cost included)" us "latency relay" "latency redis" "latency nats" "cpu per sent"
  row "3 nodes: throughput, msgs/s (clients spread over the nodes)" int "throughput relay3" "" "throughput nats3" "msgs\/s"
  row "3 nodes: servers' CPU per message at full load (the three processes)" us "throughput relay3" "" "throughput nats3" "cpu per delivered"
  row "3 nodes: load tool CPU per message" us "throughput relay3" "" "throughput nats3" "tool cpu per message"
  for p in p50 p90 p99; do
    row "3 nodes: latency $p µs at 10,000 msgs/s" int "latency relay3" "" "latency nats3" "$p us"
  done
  row "3 nodes: 10,000 msgs/s held (runs)" held "latency relay3" "" "latency nats3" "rate held"
  row "3 nodes: servers' CPU per message at 10,000 msgs/s (latency job, idle cost included)" us "latency relay3" "" "latency nats3" "cpu per sent"
  row "connects/s ($conns clients, 100 at a time)" int "conns relay" "conns redis" "conns nats" "connects\/s"
  row "server CPU per connect and disconnect" us "conns relay" "conns redis" "conns nats" "cpu per connections"
  row "RSS per idle connection (a fresh server's VmRSS growth ÷ $conns)" kb "memory relay" "memory redis" "memory nats" "bytes per connection"
  row "fan-out: room (channel) of 1,000, deliveries/s ($fanout_messages × 64 B, window 256)" int "fanout relay" "fanout redis" "fanout nats" "deliveries\/s"
  row "fan-out: server CPU per delivery" us "fanout relay" "fanout redis" "fanout nats" "cpu per delivered"
  echo "| lost / out of order / unfinished runs, every message run (1 node; 3 nodes) | $(check relay); $(check relay3) | $(check redis) | $(check nats); $(check nats3) | | | |"
  echo
  echo "(3-node columns: RelayChat's 3-node cluster and NATS's 3-node cluster; Redis has no pub/sub cluster to compare. $SECONDS s in all; logs: $log_dir)"
  exit 0
fi

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
# Warm-up: the JIT settles after ~20 s under load ("Warm-up" in docs/benchmarks.md).
"${bench[@]}" --nodes "$node" throughput >/dev/null
"${bench[@]}" --nodes "$node" latency --rate 10000 --seconds 10 >/dev/null
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
"${bench[@]}" --nodes "$nodes" throughput >/dev/null   # warm-up, as above
"${bench[@]}" --nodes "$nodes" latency --rate 10000 --seconds 10 >/dev/null
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
