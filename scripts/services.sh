#!/usr/bin/env bash
# Starts, stops or shows the five services as background processes (logs in .local/logs/).
# Usage: bash scripts/services.sh start|stop|status
# NODE_FLAGS is passed to node, e.g. NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile.
# Reads KAFKA_BROKERS, SCHEMA_REGISTRY_URL and POSTGRES_URL (admin URL; each service uses its
# own database on that server) from the environment; defaults match the local infrastructure.
# The topics, ACLs and schemas must be deployed first (pnpm topics, as the broker's admin).
set -euo pipefail
cd "$(dirname "$0")/.."

SERVICES=(saga-tracker order prescription inventory shipment)
declare -A PORT=([order]=3001 [prescription]=3002 [inventory]=3003 [shipment]=3004 [saga-tracker]=3005)
declare -A DATABASE=([order]=order_service [prescription]=prescription_service [inventory]=inventory_service [shipment]=shipment_service [saga-tracker]=saga_tracker)
POSTGRES_URL=${POSTGRES_URL:-postgres://postgres:postgres@127.0.0.1:5433/postgres}
mkdir -p .local/logs .local/pids

# A service's Kafka credentials: KAFKA_SASL_USERNAME_<SERVICE>/KAFKA_SASL_PASSWORD_<SERVICE> when
# given (e.g. KAFKA_SASL_PASSWORD_SAGA_TRACKER), otherwise the local broker's user of that name.
kafka_credentials() {
  local key; key=$(echo "$1" | tr 'a-z-' 'A-Z_')
  local user="KAFKA_SASL_USERNAME_$key" password="KAFKA_SASL_PASSWORD_$key"
  if [ -n "${!user:-}" ]; then
    printf 'KAFKA_SASL_USERNAME=%q\nKAFKA_SASL_PASSWORD=%q\nKAFKA_SASL_MECHANISM=%q\n' "${!user}" "${!password:-}" "${KAFKA_SASL_MECHANISM:-scram-sha-512}"
  else
    pnpm --silent infra kafka-credentials "$1"
  fi
}
ready() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }
alive() { [ -f ".local/pids/$1.pid" ] && kill -0 "$(cat ".local/pids/$1.pid")" 2>/dev/null; }

start() {
  for s in "${SERVICES[@]}"; do
    if alive "$s"; then echo "[services] $s already running (pid $(cat ".local/pids/$s.pid"))"; continue; fi
    if [ ! -f "services/$s/dist/main.js" ]; then echo "[services] $s is not built: run pnpm build first" >&2; exit 1; fi
    # Each service signs in to Kafka as its own principal; the broker's ACLs limit it to its topics.
    local credentials; credentials=$(kafka_credentials "$s")
    (eval "$credentials" && export KAFKA_SASL_MECHANISM KAFKA_SASL_USERNAME KAFKA_SASL_PASSWORD &&
      PORT=${PORT[$s]} DATABASE_URL="${POSTGRES_URL%/*}/${DATABASE[$s]}" \
        exec nohup node ${NODE_FLAGS:-} "services/$s/dist/main.js" >>".local/logs/$s.log" 2>&1) &
    echo $! >".local/pids/$s.pid"
    echo "[services] $s starting on port ${PORT[$s]} (pid $!, log .local/logs/$s.log)"
  done
  for s in "${SERVICES[@]}"; do
    local waited=0
    until ready "http://127.0.0.1:${PORT[$s]}/readyz"; do
      if ! alive "$s"; then echo "[services] $s exited during start; last log lines:" >&2; tail -n 20 ".local/logs/$s.log" >&2; exit 1; fi
      if [ $waited -ge 120 ]; then echo "[services] $s not ready after 120 s; see .local/logs/$s.log" >&2; exit 1; fi
      sleep 1; waited=$((waited + 1))
    done
    echo "[services] $s ready: http://127.0.0.1:${PORT[$s]}"
  done
}

stop() {
  for s in "${SERVICES[@]}"; do
    if alive "$s"; then
      local pid; pid=$(cat ".local/pids/$s.pid")
      kill -TERM "$pid"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
      echo "[services] $s stopped"
    fi
    rm -f ".local/pids/$s.pid"
  done
}

status() {
  local all=0
  for s in "${SERVICES[@]}"; do
    if alive "$s"; then echo "[services] $s up (pid $(cat ".local/pids/$s.pid")) http://127.0.0.1:${PORT[$s]}"; else echo "[services] $s down"; all=3; fi
  done
  return $all
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: bash scripts/services.sh start|stop|status" >&2; exit 2 ;;
esac
