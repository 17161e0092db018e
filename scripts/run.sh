#!/usr/bin/env bash
# Sets up and runs the whole system on this machine: installs and builds, starts Kafka, the
# schema registry and PostgreSQL as local processes, creates the topics and registers the
# schemas, starts the five services, and runs the demo (one order down each path of the saga).
# Stop everything with: bash scripts/stop.sh
source "$(dirname "$0")/lib/bootstrap.sh"

step "starting the local infrastructure (Kafka, schema registry, PostgreSQL)"
pnpm --silent infra up
eval "$(pnpm --silent infra env)"
export KAFKA_BROKERS SCHEMA_REGISTRY_URL POSTGRES_URL

step "creating topics and registering schemas"
pnpm --silent --filter @fulfillment/contracts topics

step "starting the services"
bash scripts/services.sh start

step "running the demo"
node scripts/demo.mjs

cat <<EOT

The system is running:
  order         http://127.0.0.1:3001/api/orders
  prescription  http://127.0.0.1:3002/api/formulary
  inventory     http://127.0.0.1:3003/api/inventory
  shipment      http://127.0.0.1:3004/api/shipments
  saga tracker  http://127.0.0.1:3005/  (dashboard)   /api/sagas   /api/sagas/stats
Logs: .local/logs/   Stop everything: bash scripts/stop.sh
EOT
