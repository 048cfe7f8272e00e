#!/usr/bin/env bash
# Runs every test: installs/starts PostgreSQL and RabbitMQ on 127.0.0.1 (deploy/infra.sh), then one
# `dotnet test` over the solution (unit, integration and end-to-end tests against the real infrastructure).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
bash deploy/infra.sh
# The overview page is tested in real headless Chromium (Debian's package).
if ! command -v chromium >/dev/null 2>&1; then
  echo "[test] installing chromium (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
fi
# shellcheck disable=SC1091
source deploy/env.sh
log=$(mktemp)
set +e
dotnet test IntegratedCarePlatform.sln -c Release -nologo 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One summary line over all test assemblies.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
