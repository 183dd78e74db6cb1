#!/usr/bin/env bash
# Publishes self-contained single-file binaries, dist/relay-host and dist/relay-client (linux-x64,
# no .NET needed where they run), then checks them: the node starts with its embedded defaults,
# greets a client, serves its dashboard, and exits 0 on SIGTERM; the client prints its help.
#
#   scripts/publish.sh            publish and check
#   RID=linux-arm64 scripts/publish.sh   another runtime (not checked unless it runs here)
set -euo pipefail
cd "$(dirname "$0")/.."

rid=${RID:-linux-x64}
out=dist
work=$(mktemp -d)
trap 'rm -rf "$work"; [ -n "${node_pid:-}" ] && kill "$node_pid" 2>/dev/null || true' EXIT

publish() { # project name
  dotnet publish "$1" -c Release -r "$rid" --self-contained -p:PublishSingleFile=true \
    -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none -o "$work/$2" -v quiet -nologo >&2
  mkdir -p "$out"
  cp "$work/$2/$1" "$out/$2"
  echo "$out/$2 ($(du -h "$out/$2" | cut -f1))"
}

publish Relay.Host relay-host
publish Relay.Client relay-client

[ "$rid" = linux-x64 ] && [ "$(uname -m)" = x86_64 ] || { echo "built for $rid; not checked here"; exit 0; }

# The check: ports the OS picks for clients and the cluster, a dashboard on a free port.
dashboard_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work" && exec "$OLDPWD/$out/relay-host" --port 0 --cluster-port 0 --dashboard-port "$dashboard_port") >"$work/node.log" 2>&1 &
node_pid=$!
for _ in $(seq 1 150); do grep -q "^cluster member" "$work/node.log" && break; sleep 0.2; done
grep -q "^cluster member" "$work/node.log" || { cat "$work/node.log"; echo "check failed: the published node did not start" >&2; exit 1; }
port=$(sed -n 's/^RelayChat node listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$work/node.log")

exec 3<>"/dev/tcp/127.0.0.1/$port"
read -r -t 10 greeting <&3
exec 3>&-
[[ $greeting == YOUR_ID:* ]] || { echo "check failed: greeting was '$greeting'" >&2; exit 1; }
health=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$dashboard_port/readyz', timeout=10).read().decode())")
[[ $health == *'"ready"'* ]] || { echo "check failed: /readyz said $health" >&2; exit 1; }
page=$(python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$dashboard_port/', timeout=10).read().decode())")
[[ $page == *RelayChat* ]] || { echo "check failed: the dashboard page is missing" >&2; exit 1; }

kill -TERM "$node_pid"
status=0
wait "$node_pid" || status=$?
node_pid=
[ "$status" -eq 0 ] || { cat "$work/node.log"; echo "check failed: exit code $status after SIGTERM" >&2; exit 1; }
"$out/relay-client" --help >/dev/null
echo "checked: $out/relay-host started with its embedded defaults, greeted a client ($greeting), served /readyz and the page, and exited 0 on SIGTERM; $out/relay-client runs"
