#!/usr/bin/env bash
# Heavy fault runs on a local 3-node cluster, outside the default test run. Each is bounded in
# count and time and ends with one line: PASS or FAIL, with its figures (docs/operations.md).
#
#   scripts/faults.sh rolling-restart [clients]   (default 300) clients that fail over as
#       Relay.Client --nodes does chat with receipts (1,500 msgs/s in all) while nodes 1, 2 and 3
#       are restarted one by one (SIGTERM, wait for the exit, start again, 5 s with traffic).
#       PASS: no client stranded, and every message seen by its recipient or answered with an
#       error. About 1.5 minutes.
#   scripts/faults.sh reconnect-storm [clients]   (default 5000) clients on one node, which is
#       killed (SIGKILL); they all reconnect to the other two at once. Reports how long until all
#       have new ids; PASS: all did, ids distinct, each new connection relays. About a minute.
#
# Env: VICTIM (reconnect-storm: the node killed, 1-3, default 1: the oldest, which holds the id
#      allocator), CLIENT_PORT (default 9400) and CLUSTER_BASE (default 4450): node I uses
#      CLIENT_PORT+I and CLUSTER_BASE+I on 127.0.0.1; FAULTS_NO_BUILD=1 skips the build;
#      NODE_ARGS: more arguments for every node (e.g. "--config experiment.conf").
# Node logs and the load tool's output stay in a temporary folder, printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-}
client_port=${CLIENT_PORT:-9400}
cluster_base=${CLUSTER_BASE:-4450}
case $mode in
  rolling-restart) clients=${2:-300} ;;
  reconnect-storm) clients=${2:-5000} ;;
  *) sed -n '2,17p' "$0"; exit 2 ;;
esac

[ "${FAULTS_NO_BUILD:-0}" = 1 ] || dotnet build RelayChat.sln -c Release -v quiet -nologo >/dev/null
host_dll=Relay.Host/bin/Release/net10.0/Relay.Host.dll
bench=(dotnet bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll --format json)
log_dir=$(mktemp -d)
fail() { echo "FAIL $mode: $1"; exit 1; }
# shellcheck source=lib/nodes.sh
. scripts/lib/nodes.sh   # the working directory is the repository's root (cd above)

wait_for_line() { # file pattern seconds what
  local deadline=$((SECONDS + $3))
  until grep -q "$2" "$1" 2>/dev/null; do
    kill -0 "$bench_pid" 2>/dev/null || { echo "FAIL $mode: the load tool ended early; see $1"; cat "$1"; exit 1; }
    [ $SECONDS -lt $deadline ] || { echo "FAIL $mode: no $4 after $3 s; see $1"; exit 1; }
    sleep 0.2
  done
}

field() { sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\)\"\{0,1\}[,}].*/\1/p"; }

for i in 1 2 3; do start_node "$i" --dashboard-port 0 ${NODE_ARGS:-}; done

case $mode in
  rolling-restart)
    stop_file=$log_dir/restarts-done
    "${bench[@]}" --limit 400 --nodes "$nodes" failover --clients "$clients" --until-file "$stop_file" --seconds 300 \
      >"$log_dir/bench.json" 2>"$log_dir/bench.err" &
    bench_pid=$!
    wait_for_line "$log_dir/bench.err" "clients connected" 60 "connected clients"
    sleep 5
    for i in 1 2 3; do
      started=$SECONDS
      stop_node "$i" || true
      start_node "$i" --dashboard-port 0 ${NODE_ARGS:-}
      echo "node $i restarted in $((SECONDS - started)) s"
      sleep 5
    done
    touch "$stop_file"
    ;;
  reconnect-storm)
    victim=${VICTIM:-1}
    "${bench[@]}" --limit 300 --nodes "$nodes" storm --clients "$clients" --victim $((victim - 1)) \
      --victim-pid "${pid[$victim]}" >"$log_dir/bench.json" 2>"$log_dir/bench.err" &
    bench_pid=$!
    ;;
esac

status=0
wait "$bench_pid" || status=$?
bench_pid=""
result=$(tail -1 "$log_dir/bench.json")
echo "$result"
verdict=$(field verdict <<<"$result")
case $mode in
  rolling-restart)
    figures="$(field sent <<<"$result") sent, $(field 'seen by recipient' <<<"$result") seen, $(field NOT_DELIVERED <<<"$result") NOT_DELIVERED, $(field 'no receipt, sender connection closed first' <<<"$result") without receipt as their sender's node left ($(field 'of those, not seen' <<<"$result") not seen), $(field 'lost without an answer' <<<"$result") lost silently; $(field failovers <<<"$result") failovers, p50 $(field 'failover p50 ms' <<<"$result") ms, max $(field 'failover max ms' <<<"$result") ms; $(field stranded <<<"$result") stranded" ;;
  reconnect-storm)
    figures="$(field clients <<<"$result") clients: all disconnected $(field 'all disconnected s' <<<"$result") s after the kill, first new id $(field 'first new id s' <<<"$result") s, half $(field 'half new ids s' <<<"$result") s, all $(field 'all new ids s' <<<"$result") s; $(field 'connect attempts refused or timed out' <<<"$result") attempts refused or timed out" ;;
esac
echo "logs: $log_dir"
if [ "$status" -eq 0 ] && [ "$verdict" = PASS ]; then
  echo "PASS $mode: $figures"
else
  echo "FAIL $mode: ${verdict:-no result (load tool exit $status; see $log_dir/bench.err)}; $figures"
  exit 1
fi
