#!/usr/bin/env bash
# Runs the whole platform on this machine with demo data:
# installs/starts PostgreSQL and RabbitMQ on 127.0.0.1, builds, starts every service and the gateway
# in the background (logs in .data/logs), loads the demo and prints where to look. Stop with deploy/stop.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash deploy/infra.sh
# shellcheck disable=SC1091
source deploy/env.sh

echo "[run] building (Release)"
dotnet build IntegratedCarePlatform.sln -c Release -v quiet -nologo >/dev/null

bash deploy/stop.sh >/dev/null 2>&1 || true
mkdir -p .data/logs .data/run

# Stores written before the write services moved to Marten (2026-12) are not migrated (nothing was deployed): such a
# service database, and the projection store built from it, are dropped and the demo loaded afresh.
sql() { PGPASSWORD="$ICP_DB_PASSWORD" psql -h 127.0.0.1 -U icp -d "$1" -qtAX -v ON_ERROR_STOP=1 -c "$2"; }
dropped=0
for db in icp_indicators icp_referrals icp_surveys icp_casestudies; do
  [ "$(sql postgres "select 1 from pg_database where datname = '$db'")" = "1" ] || continue
  if [ "$(sql "$db" "select to_regclass('public.streams') is not null and to_regclass('public.mt_events') is null")" = "t" ]; then
    echo "[run] $db holds a store of the earlier format; starting it afresh"
    sql postgres "drop database $db with (force)"
    dropped=1
  fi
done
# The projection store moved to Marten too (2026-12): one of the earlier format (its own events table) is rebuilt the same way.
if [ "$(sql postgres "select 1 from pg_database where datname = 'icp_projections'")" = "1" ] \
   && [ "$(sql icp_projections "select to_regclass('public.checkpoints') is not null")" = "t" ]; then
  echo "[run] icp_projections holds a store of the earlier format; starting it afresh"
  dropped=1
fi
[ "$dropped" = 1 ] && sql postgres "drop database if exists icp_projections with (force)"
GATEWAY_URL=${ICP_GATEWAY_URL:-http://127.0.0.1:8080}
gateway_port=$(echo "$GATEWAY_URL" | sed -E 's#.*:([0-9]+)/?$#\1#')
for port in 5101 5102 5103 5104 5105 5106 "$gateway_port"; do
  if ss -ltnH "sport = :$port" | grep -q .; then
    echo "[run] port $port is already in use; stop what listens there (ss -ltnp 'sport = :$port')" >&2
    exit 1
  fi
done
start() { # name project-dir assembly url
  local name=$1 dir=$2 assembly=$3 url=$4
  local out="$ROOT/$dir/bin/Release/net10.0"
  # exec: the recorded pid is the service's own; its output goes to the log, not to this script's terminal.
  (cd "$out" && Urls="$url" exec nohup dotnet "$assembly.dll") >"$ROOT/.data/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$ROOT/.data/run/$name.pid"
}
wait_ready() { # name url
  for _ in $(seq 1 120); do
    curl -fsS "$2" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "[run] $1 did not become ready; see .data/logs/$1.log" >&2
  tail -n 30 ".data/logs/$1.log" >&2
  exit 1
}

# The projection service starts first so that its queue is bound before anything is published.
start projections services/Projections Icp.Projections http://127.0.0.1:5105
wait_ready projections http://127.0.0.1:5105/health/ready
start indicators services/Indicators Icp.Indicators http://127.0.0.1:5101
start referrals services/Referrals Icp.Referrals http://127.0.0.1:5102
start surveys services/Surveys Icp.Surveys http://127.0.0.1:5103
start casestudies services/CaseStudies Icp.CaseStudies http://127.0.0.1:5104
# Tokens name the gateway as their issuer, wherever it was moved to.
export Identity__Issuer="${GATEWAY_URL%/}/"
start identity services/Identity Icp.Identity http://127.0.0.1:5106
for s in indicators:5101 referrals:5102 surveys:5103 casestudies:5104 identity:5106; do
  wait_ready "${s%%:*}" "http://127.0.0.1:${s##*:}/health/ready"
done
start gateway gateway/Gateway Icp.Gateway "$GATEWAY_URL"
wait_ready gateway "$GATEWAY_URL/health/ready"

echo "[run] demo clients and people (credentials in .data/secrets.env)"
bash deploy/demo-identity.sh "$GATEWAY_URL"

echo "[run] loading demo data (each source with its own client's token; reference data as the operator)"
# The demo clients' secrets, just written: exported to the loader only.
(set -a && source .data/secrets.env && set +a && exec dotnet deploy/DemoData/bin/Release/net10.0/Icp.DemoData.dll "$GATEWAY_URL")

cat <<MSG

Integrated Care Platform is running.
  Gateway (everything goes through here):  $GATEWAY_URL
  Example chart:   $GATEWAY_URL/api/v1/spc/reablement/east
  Units:           $GATEWAY_URL/api/v1/units
  OpenAPI:         $GATEWAY_URL/openapi/indicators.json (also referrals, surveys, casestudies, projections, identity)
  Sign-in:         $GATEWAY_URL/.well-known/openid-configuration (demo credentials: .data/secrets.env)
  Logs:            .data/logs/        Stop: bash deploy/stop.sh

A token for the community health system (client credentials):
  source .data/secrets.env && curl -s -u "community-health-epr:\$ICP_CLIENT_COMMUNITY_HEALTH_EPR_SECRET" \\
    -d grant_type=client_credentials -d scope=feeds:write $GATEWAY_URL/connect/token
MSG
