#!/usr/bin/env bash
# A local RelayChat cluster on loopback, for trying things out.
#
#   scripts/cluster.sh up [N]      build, start N nodes (default 3), print their client ports
#   scripts/cluster.sh status      which nodes run
#   scripts/cluster.sh kill I      SIGKILL node I (a crash)
#   scripts/cluster.sh start I     (re)start node I on its ports
#   scripts/cluster.sh stop I      SIGTERM node I (a graceful leave)
#   scripts/cluster.sh down        stop every node
#
# Node I (1-based) listens for clients on 127.0.0.1:$((BASE_CLIENT_PORT + I)), for other nodes
# on 127.0.0.1:$((BASE_CLUSTER_PORT + I)), and serves its dashboard on
# http://127.0.0.1:$((BASE_DASHBOARD_PORT + I))/; every node has all of them as seeds, so any node can be
# restarted and finds the others. Logs and pids live in .cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_CLIENT_PORT=${BASE_CLIENT_PORT:-9000}
BASE_CLUSTER_PORT=${BASE_CLUSTER_PORT:-4050}
BASE_DASHBOARD_PORT=${BASE_DASHBOARD_PORT:-8080}
RUN_DIR=.cluster
HOST_DLL=Relay.Host/bin/Release/net10.0/Relay.Host.dll

size() { cat "$RUN_DIR/size" 2>/dev/null || echo 3; }
pid_of() { cat "$RUN_DIR/node$1.pid" 2>/dev/null || true; }
# A killed node may linger as a zombie until reaped: that is not running.
running() {
  local pid state
  pid=$(pid_of "$1")
  [ -n "$pid" ] || return 1
  state=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
  [ -n "$state" ] && [[ $state != Z* ]]
}

seeds() {
  local n i list=""
  n=$(size)
  for i in $(seq 1 "$n"); do list+="${list:+,}127.0.0.1:$((BASE_CLUSTER_PORT + i))"; done
  echo "$list"
}

start_node() {
  local i=$1 log="$RUN_DIR/node$1.log"
  if running "$i"; then echo "node $i already runs (pid $(pid_of "$i"))"; return; fi
  rm -f "$log"
  nohup dotnet "$HOST_DLL" --port $((BASE_CLIENT_PORT + i)) --cluster-port $((BASE_CLUSTER_PORT + i)) \
    --dashboard-port $((BASE_DASHBOARD_PORT + i)) --seeds "$(seeds)" >"$log" 2>&1 &
  echo $! >"$RUN_DIR/node$i.pid"
}

wait_ready() {
  local i=$1 deadline=$((SECONDS + 60))
  until grep -q "RelayChat node listening on" "$RUN_DIR/node$i.log" 2>/dev/null; do
    if ! running "$i"; then echo "node $i exited; see $RUN_DIR/node$i.log" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then echo "node $i not ready after 60 s; see $RUN_DIR/node$i.log" >&2; return 1; fi
    sleep 0.2
  done
  echo "node $i: clients connect to 127.0.0.1:$((BASE_CLIENT_PORT + i)), dashboard http://127.0.0.1:$((BASE_DASHBOARD_PORT + i))/ (pid $(pid_of "$i"))"
}

case "${1:-}" in
  up)
    n=${2:-3}
    mkdir -p "$RUN_DIR"
    echo "$n" >"$RUN_DIR/size"
    dotnet build Relay.Host -c Release -v quiet -nologo >/dev/null
    for i in $(seq 1 "$n"); do start_node "$i"; done
    for i in $(seq 1 "$n"); do wait_ready "$i"; done
    nodes=""
    for i in $(seq 1 "$n"); do nodes+="${nodes:+,}127.0.0.1:$((BASE_CLIENT_PORT + i))"; done
    echo "try: scripts/relay-client --nodes $nodes   (dashboards: http://127.0.0.1:$((BASE_DASHBOARD_PORT + 1))/ …)"
    ;;
  status)
    for i in $(seq 1 "$(size)"); do
      if running "$i"; then echo "node $i: up, clients on 127.0.0.1:$((BASE_CLIENT_PORT + i))"; else echo "node $i: down"; fi
    done
    ;;
  kill) running "${2:?node number}" && kill -9 "$(pid_of "$2")" && echo "node $2 killed" ;;
  stop) running "${2:?node number}" && kill -TERM "$(pid_of "$2")" && echo "node $2 leaving" ;;
  start) start_node "${2:?node number}"; wait_ready "$2" ;;
  down)
    for i in $(seq 1 "$(size)"); do running "$i" && kill -TERM "$(pid_of "$i")" || true; done
    deadline=$((SECONDS + 20))
    for i in $(seq 1 "$(size)"); do
      while running "$i" && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
      running "$i" && kill -9 "$(pid_of "$i")" || true
      rm -f "$RUN_DIR/node$i.pid"
    done
    echo "cluster down"
    ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
