#!/usr/bin/env bash
# Stops the services and gateway started by deploy/run.sh (PostgreSQL and RabbitMQ keep running).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for pid_file in "$ROOT"/.data/run/*.pid; do
  [ -f "$pid_file" ] || continue
  kill "$(cat "$pid_file")" 2>/dev/null && echo "[stop] $(basename "$pid_file" .pid)"
  rm -f "$pid_file"
done
# Also any instance started by an older run.sh whose pid file is gone (run.sh starts them as "dotnet Icp.<Name>.dll").
pkill -f '^dotnet Icp\.(Projections|Indicators|Referrals|Surveys|CaseStudies|Identity|Gateway)\.dll$' 2>/dev/null || true
for _ in $(seq 1 50); do
  pgrep -f '^dotnet Icp\.(Projections|Indicators|Referrals|Surveys|CaseStudies|Identity|Gateway)\.dll$' >/dev/null || exit 0
  sleep 0.2
done
