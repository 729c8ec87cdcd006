#!/usr/bin/env bash
# Creates or updates every connector in this folder on a Connect cluster, through its REST API.
#   CONNECT_URL=http://connect:8083 ./deploy.sh [file.json ...]
# Each file is the connector's config map; its "name" is the connector name (PUT is idempotent).
set -euo pipefail
url=${CONNECT_URL:-http://localhost:8083}
cd "$(dirname "$0")"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.json)
for file in "${files[@]}"; do
  name=$(sed -n 's/^[[:space:]]*"name"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$file" | head -n 1)
  [ -n "$name" ] || { echo "$file: no \"name\" field" >&2; exit 1; }
  echo "PUT $url/connectors/$name/config  <- $file"
  curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' --data @"$file" "$url/connectors/$name/config"
  echo
done
