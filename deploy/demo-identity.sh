#!/usr/bin/env bash
# Creates the demo's clients (one per demo source system) and people (one per role, across two systems) through the
# identity service's admin endpoints, and writes their secrets and passwords into .data/secrets.env beside the
# platform's own (mode 600, never committed), replacing the demo lines of an earlier run. Run again, it resets the
# secrets and passwords of those that exist.
# Usage: bash deploy/demo-identity.sh [gateway-url]   (needs ICP_ADMIN_API_KEY: source deploy/env.sh)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GATEWAY_URL=${1:-http://127.0.0.1:8080}
OUT="$ROOT/.data/secrets.env"
: "${ICP_ADMIN_API_KEY:?source deploy/env.sh first}"
umask 077
tmp=$(mktemp "$ROOT/.data/secrets.XXXXXX")
trap 'rm -f "$tmp"' EXIT
# The platform's own secrets (deploy/infra.sh) stay; the demo's lines of an earlier run are replaced.
grep -v -e '^ICP_CLIENT_' -e '^ICP_PERSON_' -e '^# Demo credentials' "$OUT" >"$tmp" || true
echo "# Demo credentials written by deploy/demo-identity.sh on $(date -u +%FT%TZ). Never commit." >>"$tmp"

admin() { # method path [json] -> prints the body, returns non-zero on a status other than 2xx or 409
  local method=$1 path=$2 body=${3:-} status
  status=$(curl -sS -o "$tmp.body" -w '%{http_code}' -X "$method" -H "X-Api-Key: $ICP_ADMIN_API_KEY" \
    -H 'Content-Type: application/json' ${body:+--data "$body"} "$GATEWAY_URL$path")
  cat "$tmp.body"; rm -f "$tmp.body"
  case $status in 2??) return 0 ;; 409) return 2 ;; *) echo "[demo] $method $path answered $status" >&2; return 1 ;; esac
}
env_name() { echo "$1" | tr 'a-z.-' 'A-Z__'; }
secret_of() { sed -n 's/.*"clientSecret":"\([^"]*\)".*/\1/p'; }

client() { # client-id source scopes-json
  local id=$1 source=$2 scopes=$3 answer rc=0
  answer=$(admin POST /api/v1/admin/clients \
    "{\"clientId\":\"$id\",\"displayName\":\"Demo $id\",\"source\":\"$source\",\"systems\":[\"camden\",\"islington\"],\"scopes\":$scopes}") || rc=$?
  if [ "$rc" -eq 2 ]; then answer=$(admin POST "/api/v1/admin/clients/$id/secret"); elif [ "$rc" -ne 0 ]; then exit 1; fi
  echo "ICP_CLIENT_$(env_name "$id")_SECRET=$(echo "$answer" | secret_of)" >>"$tmp"
}
person() { # username role systems-json
  local username=$1 role=$2 systems=$3 password rc=0
  password=$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  admin POST /api/v1/admin/users \
    "{\"username\":\"$username\",\"password\":\"$password\",\"roles\":[\"$role\"],\"systems\":$systems}" >/dev/null || rc=$?
  if [ "$rc" -eq 2 ]; then
    admin POST "/api/v1/admin/users/$username/password" "{\"password\":\"$password\"}" >/dev/null
  elif [ "$rc" -ne 0 ]; then exit 1; fi
  echo "ICP_PERSON_$(env_name "$username")_PASSWORD=$password" >>"$tmp"
}

# The demo's source systems (deploy/DemoData: IndicatorsDemo, ReferralsDemo, SurveysDemo, CaseStudiesDemo); the loader
# submits each one's data with that client's token.
client community-health-epr community-health-epr '["feeds:write"]'
client referral-system referral-system '["feeds:write","referrals:write"]'
client social-care-system social-care-system '["feeds:write"]'
client workforce-system workforce-system '["feeds:write"]'
client incident-system incident-system '["feeds:write"]'
client patient-experience patient-experience '["feeds:write"]'
client demo-surveys demo '["surveys:write"]'
client demo-casestudies demo-casestudies '["casestudies:write"]'
# The data steward's work in the demo (validating and publishing records, coding survey comments), done by a client.
client demo-steward demo-steward '["consent:manage","read:sensitive"]'

# One person per role; two systems (the demo's Camden and a second borough) so organisation scoping shows.
person demo.viewer viewer '["camden"]'
person demo.analyst analyst '["camden"]'
person demo.storyteller storyteller '["islington"]'
person demo.steward data-steward '["islington"]'
person demo.admin administrator '["camden","islington"]'

mv "$tmp" "$OUT"
trap - EXIT
echo "[demo] clients and people ready; credentials in .data/secrets.env"
