#!/usr/bin/env bash
# Installs (when missing) and starts PostgreSQL and RabbitMQ bound to 127.0.0.1, creates the
# platform's login role and broker user, and writes their generated passwords to .data/secrets.env.
# Idempotent: run it as often as you like. Source deploy/env.sh afterwards for the variables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA="$ROOT/.data"
mkdir -p "$DATA"

log() { printf '[infra] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- secrets: generated once per checkout, never committed ---------------------------------
touch "$DATA/secrets.env"
chmod 600 "$DATA/secrets.env"
for name in ICP_DB_PASSWORD ICP_MQ_PASSWORD ICP_ADMIN_API_KEY ICP_INTERNAL_SECRET ICP_IDENTITY_KEY_SECRET; do
  if ! grep -q "^$name=" "$DATA/secrets.env"; then
    echo "$name=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" >> "$DATA/secrets.env"
    log "generated $name in .data/secrets.env"
  fi
done
# shellcheck disable=SC1091
source "$DATA/secrets.env"

# --- packages ------------------------------------------------------------------------------
missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v rabbitmq-server >/dev/null 2>&1 || missing+=(rabbitmq-server)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} (apt-get)"
  as_root apt-get update -qq
  # The packages try to start their services; in a container policy-rc.d refuses, which is fine: we start them below.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- PostgreSQL ----------------------------------------------------------------------------
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2}')
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  log "creating PostgreSQL cluster $version main"
  as_root pg_createcluster "$version" main >/dev/null
  cluster="$version main"
fi
read -r pg_version pg_name <<<"$cluster"
pg_conf_dir="/etc/postgresql/$pg_version/$pg_name/conf.d"
pg_conf="$pg_conf_dir/icp.conf"
# wal_buffers: a 50,000-row feed writes tens of MB of WAL in one transaction; the default (shared_buffers/32) made
# its COPY wait on WAL writes (docs/benchmarks.md).
desired_conf=$'listen_addresses = \'127.0.0.1\'\nport = 5432\nmax_connections = 400\nshared_buffers = 256MB\nwal_buffers = 64MB'
restart_pg=false
if [ ! -f "$pg_conf" ] || [ "$(cat "$pg_conf")" != "$desired_conf" ]; then
  as_root mkdir -p "$pg_conf_dir"
  printf '%s\n' "$desired_conf" | as_root tee "$pg_conf" >/dev/null
  restart_pg=true
fi
status=$(pg_lsclusters -h | awk -v v="$pg_version" -v n="$pg_name" '$1==v && $2==n {print $4}')
if [ "$status" != "online" ]; then
  log "starting PostgreSQL $pg_version/$pg_name on 127.0.0.1:5432"
  as_root pg_ctlcluster "$pg_version" "$pg_name" start
elif $restart_pg; then
  log "restarting PostgreSQL to apply settings"
  as_root pg_ctlcluster "$pg_version" "$pg_name" restart
fi
for _ in $(seq 1 30); do
  as_root su postgres -c "pg_isready -q -h 127.0.0.1 -p 5432" && break
  sleep 1
done
psql_admin() { as_root su postgres -c "psql -v ON_ERROR_STOP=1 -qtA -h /var/run/postgresql -p 5432 -c \"$1\""; }
if [ "$(psql_admin "select 1 from pg_roles where rolname = 'icp'")" = "1" ]; then
  psql_admin "alter role icp with login createdb password '$ICP_DB_PASSWORD'" >/dev/null
else
  psql_admin "create role icp with login createdb password '$ICP_DB_PASSWORD'" >/dev/null
  log "created PostgreSQL role icp"
fi

# --- RabbitMQ ------------------------------------------------------------------------------
as_root mkdir -p /etc/rabbitmq
desired_env=$'NODENAME=rabbit@localhost\nNODE_IP_ADDRESS=127.0.0.1\nNODE_PORT=5672\nSERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"'
if [ ! -f /etc/rabbitmq/rabbitmq-env.conf ] || [ "$(cat /etc/rabbitmq/rabbitmq-env.conf)" != "$desired_env" ]; then
  # A running node keeps its old settings: stop it so that it starts again with these.
  as_root rabbitmqctl -q stop >/dev/null 2>&1 || true
  printf '%s\n' "$desired_env" | as_root tee /etc/rabbitmq/rabbitmq-env.conf >/dev/null
fi
export ERL_EPMD_ADDRESS=127.0.0.1
if ! as_root rabbitmqctl -q status >/dev/null 2>&1; then
  log "starting RabbitMQ on 127.0.0.1:5672"
  as_root env ERL_EPMD_ADDRESS=127.0.0.1 rabbitmq-server -detached >/dev/null 2>&1 || true
fi
# The node registers with epmd a few seconds after launch; await_startup fails until then.
for attempt in $(seq 1 60); do
  as_root rabbitmqctl -q await_startup --timeout 60 >/dev/null 2>&1 && break
  [ "$attempt" -eq 60 ] && { log "RabbitMQ did not start; see /var/log/rabbitmq"; exit 1; }
  sleep 2
done
if as_root rabbitmqctl -q list_users | awk '{print $1}' | grep -qx icp; then
  as_root rabbitmqctl -q change_password icp "$ICP_MQ_PASSWORD" >/dev/null
else
  as_root rabbitmqctl -q add_user icp "$ICP_MQ_PASSWORD" >/dev/null
  log "created RabbitMQ user icp"
fi
as_root rabbitmqctl -q set_user_tags icp administrator >/dev/null
as_root rabbitmqctl -q set_permissions -p / icp '.*' '.*' '.*' >/dev/null
log "PostgreSQL and RabbitMQ are running on 127.0.0.1"
