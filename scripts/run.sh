#!/usr/bin/env bash
# Sets up and runs the whole system on this machine: installs and builds, starts Kafka, the
# schema registry and PostgreSQL as local processes, creates the topics, the Kafka ACLs and
# registers the schemas, starts the five services (each with its own Kafka principal), and runs the demo (one order down each path of the saga).
# Stop everything with: bash scripts/stop.sh
source "$(dirname "$0")/lib/bootstrap.sh"

step "starting the local infrastructure (Kafka, schema registry, PostgreSQL)"
pnpm --silent infra up
eval "$(pnpm --silent infra env)"
export KAFKA_BROKERS SCHEMA_REGISTRY_URL POSTGRES_URL AUTH_ISSUER IDENTITY_DIR

step "deploying the contracts: topics, Kafka ACLs, schemas (pnpm topics, as the broker's admin)"
(eval "$(pnpm --silent infra kafka-credentials admin)" && export KAFKA_SASL_MECHANISM KAFKA_SASL_USERNAME KAFKA_SASL_PASSWORD && pnpm topics)

step "starting the services"
bash scripts/services.sh start

step "running the demo (tokens from the local issuer)"
CLIENT_TOKEN=$(pnpm --silent token --role ordering-client --sub demo-shop) \
  OPERATOR_TOKEN=$(pnpm --silent token --role operator --sub demo-operator) \
  node scripts/demo.mjs
sign_in_link=$(pnpm --silent token --sign-in-link)

cat <<EOT

The system is running:
  order         http://127.0.0.1:3001/api/orders
  prescription  http://127.0.0.1:3002/api/formulary
  inventory     http://127.0.0.1:3003/api/inventory
  shipment      http://127.0.0.1:3004/api/shipments
  saga tracker  http://127.0.0.1:3005/api/sagas   /api/sagas/stats
Every API needs a bearer token from the local issuer ($AUTH_ISSUER), e.g.
  curl -H "Authorization: Bearer \$(pnpm --silent token --role pharmacist --sub alice)" http://127.0.0.1:3002/api/formulary
Operator dashboard, one-time sign-in link (valid 15 minutes; print another with pnpm --silent token --sign-in-link):
  $sign_in_link
Kafka asks every client for SASL/SCRAM credentials; an outside producer (may write order.events.v1 only) gets them with
  pnpm --silent infra kafka-credentials outside-producer
Logs: .local/logs/   Stop everything: bash scripts/stop.sh
EOT
