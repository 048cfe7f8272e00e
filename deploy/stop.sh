#!/usr/bin/env bash
# Stops the services and gateway started by deploy/run.sh (PostgreSQL and RabbitMQ keep running).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for pid_file in "$ROOT"/.data/run/*.pid; do
  [ -f "$pid_file" ] || continue
  pid=$(cat "$pid_file")
  kill "$pid" 2>/dev/null && echo "[stop] $(basename "$pid_file" .pid)"
  rm -f "$pid_file"
done
