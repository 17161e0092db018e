#!/usr/bin/env bash
# pnpm bench: measures the whole system on this machine (see bench/src/cli.ts). Builds, starts
# the local infrastructure if it is not up, (re)starts the five services as scripts/run.sh does
# but with the per-caller rate limits raised (the load comes from one caller), runs the open-loop
# benchmark, and stops the services again. Arguments go to the benchmark, for example
#   pnpm bench --rates 1,100,300 --seconds 20
# Results: bench/results/<time>.json and .md.
source "$(dirname "$0")/lib/bootstrap.sh"

step "starting the local infrastructure (Kafka, schema registry, PostgreSQL) if it is not up"
pnpm --silent infra up
eval "$(pnpm --silent infra env)"
export KAFKA_BROKERS SCHEMA_REGISTRY_URL POSTGRES_URL AUTH_ISSUER IDENTITY_DIR

step "deploying the contracts (pnpm topics, as the broker's admin)"
(eval "$(pnpm --silent infra kafka-credentials admin)" && export KAFKA_SASL_MECHANISM KAFKA_SASL_USERNAME KAFKA_SASL_PASSWORD && pnpm topics)

step "restarting the services with the rate limits raised for one load-generating caller"
bash scripts/services.sh stop
trap 'bash scripts/services.sh stop; echo "[bench] services stopped; start the system again with bash scripts/run.sh"' EXIT
RATE_LIMIT_PER_MINUTE=100000000 RATE_LIMIT_PER_ADDRESS_PER_MINUTE=100000000 bash scripts/services.sh start

step "running the benchmark"
eval "$(pnpm --silent infra kafka-credentials admin)"
export KAFKA_SASL_MECHANISM KAFKA_SASL_USERNAME KAFKA_SASL_PASSWORD
CLIENT_TOKEN=$(pnpm --silent token --role ordering-client --sub bench) \
  OPERATOR_TOKEN=$(pnpm --silent token --role operator --sub bench) \
  INVENTORY_TOKEN=$(pnpm --silent token --role inventory-manager --sub bench) \
  pnpm --silent --filter @fulfillment/bench bench "$@"
