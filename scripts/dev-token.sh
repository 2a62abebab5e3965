#!/usr/bin/env bash
# Mints an HS256 bearer token for local work (never for production: real tokens come from your identity provider).
#   DEV_SIGNING_KEY=<32+ chars> scripts/dev-token.sh <subject> [roles, comma-separated] [tier]
# Start the service with the same key: SECRET_JWT_SIGNING_KEY=$DEV_SIGNING_KEY java -jar ...
set -euo pipefail
key=${DEV_SIGNING_KEY:?set DEV_SIGNING_KEY (at least 32 characters) and start the service with SECRET_JWT_SIGNING_KEY set to it}
subject=${1:?usage: scripts/dev-token.sh <subject> [roles] [tier]}
roles=${2:-}
tier=${3:-free}
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
now=$(date +%s)
roles_json=$(printf '%s' "$roles" | awk -F, '{ for (i = 1; i <= NF; i++) printf "%s\"%s\"", (i > 1 ? "," : ""), $i }')
header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
payload=$(printf '{"sub":"%s","roles":[%s],"tier":"%s","iat":%d,"exp":%d}' \
    "$subject" "$roles_json" "$tier" "$now" $((now + 3600)) | b64url)
signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -hmac "$key" -binary | b64url)
echo "$header.$payload.$signature"
