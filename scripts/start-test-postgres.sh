#!/usr/bin/env bash
# Starts the Debian PostgreSQL cluster (installing postgresql where missing) and makes the role
# and database the tests use: postgres://care:care@127.0.0.1:5432/care_test. Run as root.
# Idempotent: an existing role, database or running cluster is left as it is.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  apt-get update -q
  apt-get install -y -q --no-install-recommends postgresql
fi
read -r version cluster _ < <(pg_lsclusters -h | head -1)
pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
for _ in $(seq 1 30); do
  if su postgres -c "psql -qAtc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qAtc \"SELECT 1 FROM pg_roles WHERE rolname = 'care'\"" | grep -q 1 ||
  su postgres -c "psql -qc \"CREATE ROLE care LOGIN PASSWORD 'care'\""
su postgres -c "psql -qAtc \"SELECT 1 FROM pg_database WHERE datname = 'care_test'\"" | grep -q 1 ||
  su postgres -c "psql -qc 'CREATE DATABASE care_test OWNER care'"
echo "PostgreSQL $version/$cluster is running; test database care_test ready"
