#!/usr/bin/env bash
# A bounded soak of a local 3-node cluster, outside the default test run (docs/operations.md, "Soak").
#
#   scripts/soak.sh [--minutes N]     (default 10; plus about a minute to build, start and finish)
#
# For N minutes (Relay.Bench soak): long-lived clients chat one-to-one with receipts and fail over
# as Relay.Client --nodes does, every message accounted for; rooms run lockstep rounds with members
# leaving and joining; short-lived clients connect, do one thing and leave by QUIT, FIN or RST;
# halfway, one node is stopped with SIGTERM and started again while all of it goes on. Each node is
# sampled with traffic stopped and settled (after a warm-up, the restarted node again after its own,
# and at the end): RSS, threads, sockets, CLOSE-WAIT, registry shards and id blocks. Prints them
# start against end, then PASS or FAIL: <reasons>; exits 1 on FAIL. FAIL on growth beyond the noise
# allowed (bench/Relay.Bench/GrowthLimits.cs), any message neither delivered nor answered, any
# unexpected line to a client, or an error-level line in a node's log (but for two kinds that a
# graceful restart writes by design; see below).
#
# Env: SOAK_CLIENTS (chatting clients, default 60), SOAK_RATE (their msgs/s in all, 300),
#      SOAK_CHURN (short-lived clients a second, 5), SOAK_ROOMS and SOAK_ROOM_MEMBERS (4 and 5),
#      RESTART_NODE (1-3, default 1: the oldest, which holds the id allocator and shard coordinator),
#      CLIENT_PORT (9700), CLUSTER_BASE (4750), DASHBOARD_BASE (8750): node I listens on base+I on
#      127.0.0.1; SOAK_NO_BUILD=1 skips the build. Logs stay in a temporary folder, printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=10
while [ $# -gt 0 ]; do
  case $1 in
    --minutes) minutes=${2:-}; shift 2 || true ;;
    --minutes=*) minutes=${1#--minutes=}; shift ;;
    *) sed -n '2,21p' "$0"; exit 2 ;;
  esac
done
[[ $minutes =~ ^[0-9]+$ ]] && [ "$minutes" -ge 1 ] || { echo "soak.sh: --minutes must be a whole number of at least 1" >&2; exit 2; }

client_port=${CLIENT_PORT:-9700}
cluster_base=${CLUSTER_BASE:-4750}
dashboard_base=${DASHBOARD_BASE:-8750}
restart_node=${RESTART_NODE:-1}
seconds=$((minutes * 60))
# A tenth of the run, 15-60 s: enough for the JIT and the GC to find their sizes before the first sample.
warmup=$((seconds / 10)); [ $warmup -ge 15 ] || warmup=15; [ $warmup -le 60 ] || warmup=60

[ "${SOAK_NO_BUILD:-0}" = 1 ] || dotnet build RelayChat.sln -c Release -v quiet -nologo >/dev/null
host_dll=Relay.Host/bin/Release/net10.0/Relay.Host.dll
bench_dll=bench/Relay.Bench/bin/Release/net10.0/Relay.Bench.dll
log_dir=$(mktemp -d)
fail() { echo "FAIL: $1"; exit 1; }
# shellcheck source=lib/nodes.sh
. scripts/lib/nodes.sh   # the working directory is the repository's root (cd above)
dashboards=""
for i in 1 2 3; do dashboards+="${dashboards:+,}127.0.0.1:$((dashboard_base + i))"; done

for i in 1 2 3; do start_node "$i" --dashboard-port $((dashboard_base + i)); done
echo "soak: 3 nodes on 127.0.0.1:$((client_port + 1))-$((client_port + 3)) (dashboards $((dashboard_base + 1))-$((dashboard_base + 3))); $minutes min of traffic, warm-up $warmup s, node $restart_node restarted halfway; logs in $log_dir"

# The tool's own bound: the traffic, three pauses to sample (receipts, settle), and the end.
dotnet "$bench_dll" --format json --limit $((seconds + 300)) --nodes "$nodes" soak --seconds "$seconds" --warmup "$warmup" \
  --clients "${SOAK_CLIENTS:-60}" --rate "${SOAK_RATE:-300}" --churn-rate "${SOAK_CHURN:-5}" \
  --rooms "${SOAK_ROOMS:-4}" --room-members "${SOAK_ROOM_MEMBERS:-5}" \
  --pids "${pid[1]},${pid[2]},${pid[3]}" --dashboards "$dashboards" --control-dir "$log_dir" \
  >"$log_dir/bench.json" 2> >(tee "$log_dir/bench.err" >&2) &
bench_pid=$!

# Restart when the tool asks, while its traffic goes on; then tell it the new process.
until grep -q "soak: restart a node now" "$log_dir/bench.err" 2>/dev/null; do
  kill -0 "$bench_pid" 2>/dev/null || break
  sleep 0.5
done
if kill -0 "$bench_pid" 2>/dev/null; then
  started=$SECONDS
  status=0
  stop_node "$restart_node" || status=$?
  [ "$status" -eq 0 ] || echo "node $restart_node exited with code $status after SIGTERM (0 expected)" | tee -a "$log_dir/problems"
  start_node "$restart_node" --dashboard-port $((dashboard_base + restart_node))
  echo "soak: node $restart_node restarted in $((SECONDS - started)) s (pid ${pid[$restart_node]})"
  echo "$restart_node ${pid[$restart_node]}" >"$log_dir/restarted.tmp"
  mv "$log_dir/restarted.tmp" "$log_dir/restarted"
fi

status=0
wait "$bench_pid" || status=$?
bench_pid=""
sleep 0.2   # the tee of the tool's stderr may still be writing
result=$(tail -1 "$log_dir/bench.json")
verdict=$(sed -n 's/^soak: verdict: //p' "$log_dir/bench.err")

# Error-level lines in any node's log (the console logger writes "fail:" and "crit:"; an unhandled
# exception, or the process's own word on stderr, "relay: ..."). Two kinds come with a graceful
# restart by design and are shown, not failed:
#  - the shard coordinator's "Shard [N] allocation failed ... whose registry has not joined the
#    coordinator yet": BlockOwnerAllocation will not place a block's shard anywhere but on the node
#    that leased it, so while that node's region is not registered (starting, or leaving) the
#    allocation fails, Akka logs it as an error, and the region asks again;
#  - Akka.Remote's "OneForOneStrategy ... EndpointDisassociatedException: Disassociated" on another
#    node when the stopping node's association closes.
expected='allocation failed\. System\.InvalidOperationException: Id block [0-9]+ was leased by .* whose registry has not joined the coordinator yet|OneForOneStrategy\[0\] Disassociated Akka\.Remote\.EndpointDisassociatedException'
all_errors=$(grep -hE ' (fail|crit): |Unhandled exception|^relay: ' "$log_dir"/node*.log || true)
errors=$(grep -vE "$expected" <<<"$all_errors" || true)
expected_count=$(grep -cE "$expected" <<<"$all_errors" || true)
problems=()
[ "$status" -eq 0 ] && [ "$verdict" = PASS ] || problems+=("${verdict:-no result (load tool exit $status; see $log_dir/bench.err)}")
[ -z "$errors" ] || problems+=("$(wc -l <<<"$errors") error lines in the node logs (first: $(head -1 <<<"$errors"))")
[ ! -s "$log_dir/problems" ] || problems+=("$(head -1 "$log_dir/problems")")
warnings=$(cat "$log_dir"/node*.log | grep -c ' warn: ' || true)
echo "$result"
echo "node logs: $expected_count error lines that a graceful restart writes by design, $warnings warning lines (not judged; see $log_dir/node*.log)"
echo "logs: $log_dir"
if [ ${#problems[@]} -eq 0 ]; then
  echo "PASS"
else
  reasons=$(printf '%s; ' "${problems[@]#FAIL: }")
  echo "FAIL: ${reasons%; }"
  exit 1
fi
