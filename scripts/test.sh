#!/usr/bin/env bash
# Runs every test against real Kafka, the real schema registry and real PostgreSQL.
# Endpoints given in KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL are used as they are;
# otherwise the local infrastructure is started (and stopped again if this script started it).
source "$(dirname "$0")/lib/bootstrap.sh"

started_infra=0
if [ -z "${KAFKA_BROKERS:-}" ] && [ -z "${TEST_INFRA:-}" ]; then
  if ! pnpm --silent infra status >/dev/null 2>&1; then
    step "starting the local infrastructure (pnpm infra up)"
    pnpm --silent infra up
    started_infra=1
    # Ours to stop and restart: the broker-outage tests run only on servers this run started.
    export TEST_OWNS_INFRA=1
  fi
fi
stop_started_infra() {
  if [ "$started_infra" = 1 ]; then
    step "stopping the local infrastructure this run started"
    pnpm --silent infra down || true
    started_infra=0
  fi
}
trap stop_started_infra EXIT

rm -rf .local/test-results
step "running the tests (pnpm test)"
status=0
# --continue: a failing package must not hide the packages after it (the summary names each one).
pnpm test --output-logs=new-only --continue || status=$?
stop_started_infra
step "summary"
node packages/testing/dist/cli/summarize.js || status=1
exit $status
