# Source me (". deploy/env.sh") after deploy/infra.sh: exports what services and tests read.
_icp_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck disable=SC1091
source "$_icp_root/.data/secrets.env"
export ICP_ADMIN_API_KEY
export Postgres__Host=127.0.0.1 Postgres__Port=5432 Postgres__Username=icp Postgres__Password="$ICP_DB_PASSWORD"
export RabbitMq__Host=127.0.0.1 RabbitMq__Port=5672 RabbitMq__Username=icp RabbitMq__Password="$ICP_MQ_PASSWORD"
# Service-to-service secret: the case studies service hands narrative keys only to callers that present it.
export NarrativeKeys__SharedSecret="$ICP_INTERNAL_SECRET" CaseStudies__KeyServiceSecret="$ICP_INTERNAL_SECRET" \
  Surveys__KeyServiceSecret="$ICP_INTERNAL_SECRET"
# Protects the identity service's private signing keys at rest (services/Identity/Keys/KeyProtector.cs).
export Identity__KeyEncryptionSecret="${ICP_IDENTITY_KEY_SECRET:-}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
unset _icp_root
