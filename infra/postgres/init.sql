-- Databases the system needs on a fresh PostgreSQL (docker-compose runs this once, on first start).
-- Keep in sync with REQUIRED_DATABASES in infra/local/src/postgres/databases.ts, which creates the
-- same ones for the local (no Docker) setup.
CREATE DATABASE schema_registry;
CREATE DATABASE order_service;
CREATE DATABASE prescription_service;
CREATE DATABASE inventory_service;
CREATE DATABASE shipment_service;
CREATE DATABASE saga_tracker;
