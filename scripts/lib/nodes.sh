# Starting and stopping the nodes of a local 3-node test cluster: sourced by scripts/faults.sh and
# scripts/soak.sh. The caller sets host_dll, client_port, cluster_base and log_dir first, defines
# fail MESSAGE (print it and exit 1), and may set bench_pid (the load tool, killed with the nodes).
# Every wait is bounded.

declare -A pid
bench_pid=""
seeds=""; nodes=""   # the nodes' cluster endpoints (--seeds) and client endpoints (--nodes)
for i in 1 2 3; do
  seeds+="${seeds:+,}127.0.0.1:$((cluster_base + i))"
  nodes+="${nodes:+,}127.0.0.1:$((client_port + i))"
done

kill_all() { # on exit, however the script ends: the load tool and every node
  [ -z "$bench_pid" ] || kill -9 "$bench_pid" 2>/dev/null || true
  for i in "${!pid[@]}"; do kill -9 "${pid[$i]}" 2>/dev/null || true; done
}
trap kill_all EXIT

start_node() { # I [more Relay.Host arguments]: starts node I on 127.0.0.1 and waits for it to listen
  local i=$1 log=$log_dir/node$1.log deadline=$((SECONDS + 60))
  shift
  # A restarted node's earlier log is kept beside the new one (both are read for error lines).
  [ -f "$log" ] && mv "$log" "$log_dir/node$i.$(date +%s%N).log"
  dotnet "$host_dll" --port $((client_port + i)) --cluster-port $((cluster_base + i)) --seeds "$seeds" "$@" >"$log" 2>&1 &
  pid[$i]=$!
  until grep -qs "RelayChat node listening on" "$log"; do
    kill -0 "${pid[$i]}" 2>/dev/null || fail "node $i exited at start; see $log"
    [ $SECONDS -lt $deadline ] || fail "node $i not ready after 60 s; see $log"
    sleep 0.2
  done
}

stop_node() { # I: SIGTERM, as a service manager would; waits (bounded) for the exit; returns its code
  local i=$1 deadline=$((SECONDS + 30)) status=0
  kill -TERM "${pid[$i]}"
  while kill -0 "${pid[$i]}" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "node $i still running 30 s after SIGTERM"
    sleep 0.1
  done
  wait "${pid[$i]}" 2>/dev/null || status=$?
  return "$status"
}
