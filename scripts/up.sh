#!/usr/bin/env bash
# `make up` (after `make build`): build the example images, start the
# all-in-one `wharf server` (or reuse one that is already running), deploy
# examples/microservices, wait until every Deployment is Available, and print
# where the frontend answers. If this script started the server it stays in the
# foreground; Ctrl-C sends the server SIGTERM and waits for its clean stop.
# Running it again while a server runs is harmless: images are rebuilt only if
# their inputs changed, `apply` is idempotent, and the running server is kept.
#
# Environment (defaults in brackets):
#   WHARF_DATA_DIR   [/var/lib/wharf]   store, certificates, images, volumes
#   WHARF_STATE_DIR  [/run/wharf]       sockets and container records
#   WHARF_LISTEN     [127.0.0.1:6443]   API server address
#   WHARF_UP_TIMEOUT [300]              seconds to wait for the node and the app
#
# It creates a bridge (wharf0), pod and service addresses and nftables rules on
# this machine: run it on a machine (or network namespace) meant for that.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA_DIR=${WHARF_DATA_DIR:-/var/lib/wharf}
STATE_DIR=${WHARF_STATE_DIR:-/run/wharf}
LISTEN=${WHARF_LISTEN:-127.0.0.1:6443}
TIMEOUT=${WHARF_UP_TIMEOUT:-300}
KUBECONFIG_FILE=$DATA_DIR/kubeconfig
LOG=$DATA_DIR/server.log
NAMESPACE=shop
NODE_PORT=30080

wharf() { node "$REPO/bin/wharf" "$@" --kubeconfig "$KUBECONFIG_FILE"; }
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
[ -t 1 ] || say() { printf '==> %s\n' "$*"; }
die() { printf 'up: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root: the runtime creates namespaces, cgroups, a bridge and mounts"
[ -f "$REPO/cli/dist/index.js" ] || die "not built: run 'make build' (or 'make up') first"
mkdir -p "$DATA_DIR" "$STATE_DIR"

say "building the example images into $DATA_DIR/images"
node "$REPO/examples/images/build.mjs" --data-dir "$DATA_DIR"

SERVER_PID=
server_answers() { [ -f "$KUBECONFIG_FILE" ] && wharf get nodes -o name >/dev/null 2>&1; }

stop_server() {
  trap - INT TERM
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    say "stopping wharf server (pid $SERVER_PID)"
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
}

if server_answers; then
  say "reusing the wharf server that answers at $KUBECONFIG_FILE"
else
  say "starting wharf server (data $DATA_DIR, API $LISTEN, log $LOG)"
  # Its own session: a Ctrl-C on the terminal reaches only this script, which
  # then sends the server one SIGTERM (a second signal would skip the drain).
  setsid node "$REPO/bin/wharf" server --data-dir "$DATA_DIR" --state-dir "$STATE_DIR" --listen "$LISTEN" >>"$LOG" 2>&1 &
  SERVER_PID=$!
  trap 'stop_server; exit 130' INT
  trap 'stop_server; exit 143' TERM
  # A failure before the cluster is up must not leave the server behind.
  trap 'rc=$?; [ $rc = 0 ] || stop_server' EXIT
fi

deadline=$((SECONDS + TIMEOUT))
check_alive() {
  if [ -n "$SERVER_PID" ] && ! kill -0 "$SERVER_PID" 2>/dev/null; then
    tail -n 30 "$LOG" >&2 || true
    die "wharf server exited (log: $LOG)"
  fi
  [ $SECONDS -lt $deadline ] || die "timed out after ${TIMEOUT}s ($1); server log: $LOG"
}

say "waiting for the node to be Ready"
until [ "$(wharf get nodes -o 'jsonpath={.items[*].status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do
  check_alive "node Ready"
  sleep 0.5
done
wharf get nodes -o wide

say "deploying examples/microservices"
wharf apply -f "$REPO/examples/microservices/"

# Prints "ok" once every Deployment in the namespace has its pods updated,
# ready and Available; otherwise a one-line progress summary.
progress() {
  wharf get deployments -n "$NAMESPACE" -o json 2>/dev/null | node -e '
    let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => {
      const items = JSON.parse(s || "{\"items\":[]}").items;
      const done = (d) => { const st = d.status ?? {}; const want = d.spec.replicas ?? 1;
        return (st.observedGeneration ?? 0) >= d.metadata.generation && (st.updatedReplicas ?? 0) === want &&
          (st.availableReplicas ?? 0) >= want && (st.replicas ?? 0) === want &&
          (st.conditions ?? []).some((c) => c.type === "Available" && c.status === "True"); };
      console.log(items.length > 0 && items.every(done) ? "ok"
        : items.map((d) => `${d.metadata.name} ${d.status?.availableReplicas ?? 0}/${d.spec.replicas ?? 1}`).join(", "));
    });'
}
say "waiting for every Deployment in namespace $NAMESPACE to be Available"
last=
while :; do
  p=$(progress || true)
  [ "$p" = ok ] && break
  [ "$p" = "$last" ] || { echo "    $p"; last=$p; }
  check_alive "Deployments Available"
  sleep 1
done
wharf get deployments,services -n "$NAMESPACE"

NODE_IP=$(wharf get nodes -o 'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}' 2>/dev/null || true)
NODE_IP=${NODE_IP:-127.0.0.1}
cat <<EOF

The shop is up. The frontend answers on NodePort $NODE_PORT of this node:
    curl http://$NODE_IP:$NODE_PORT/          # an HTML page
    curl http://$NODE_IP:$NODE_PORT/json      # the same as JSON: web -> api -> store

Use the cluster with wharf or kubectl:
    export KUBECONFIG=$KUBECONFIG_FILE
    alias wharf='node $REPO/bin/wharf'
    wharf get pods -n $NAMESPACE -o wide
    kubectl get all -n $NAMESPACE
The walkthrough (scale, roll out v2, roll back, heal) is in examples/README.md.
Server log: $LOG
EOF

if [ -n "$SERVER_PID" ]; then
  echo "Press Ctrl-C to stop the cluster (containers keep running; the next 'make up' picks them up)."
  set +e
  wait "$SERVER_PID"
  rc=$?
  SERVER_PID=
  exit $rc
fi
