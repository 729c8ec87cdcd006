#!/usr/bin/env bash
# Validates, then creates or updates, every connector in this folder on a Connect cluster, through its REST API.
#   CONNECT_URL=http://connect:8083 ./deploy.sh [file.json ...]
# Each file is the connector's config map; its "name" is the connector name (PUT is idempotent). Every file is
# validated first (PUT /connector-plugins/<class>/config/validate); if any has errors, they are printed per option
# and nothing is deployed.
set -euo pipefail
url=${CONNECT_URL:-http://localhost:8083}
here=$(cd "$(dirname "$0")" && pwd)
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  files=("$here"/*.json)
fi

field() { # field <name> <file>: the value of a top-level string field of a connector JSON file
  sed -n 's/^[[:space:]]*"'"$1"'"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' "$2" | head -n 1
}

failed=0
for file in "${files[@]}"; do
  name=$(field name "$file")
  class=$(field connector.class "$file")
  [ -n "$name" ] || { echo "$file: no \"name\" field" >&2; exit 1; }
  [ -n "$class" ] || { echo "$file: no \"connector.class\" field" >&2; exit 1; }
  result=$(curl -sS -X PUT -H 'Content-Type: application/json' --data @"$file" \
    "$url/connector-plugins/${class##*.}/config/validate")
  count=$(printf '%s' "$result" | sed -n 's/.*"error_count":\([0-9]*\).*/\1/p')
  if [ -z "$count" ]; then
    echo "$name: validation request failed: $result" >&2
    failed=1
  elif [ "$count" != 0 ]; then
    echo "$name ($file): $count error(s)" >&2
    # One line per option with errors: "  <option>: <message>".
    printf '%s' "$result" | sed 's/{"definition"/\n&/g' \
      | sed -n 's/.*"value":{"name":"\([^"]*\)".*"errors":\["\(.*\)"\],"visible".*/  \1: \2/p' >&2
    failed=1
  else
    echo "$name: valid"
  fi
done
[ "$failed" = 0 ] || { echo "not deployed: fix the errors above" >&2; exit 1; }

for file in "${files[@]}"; do
  name=$(field name "$file")
  echo "PUT $url/connectors/$name/config  <- $file"
  curl -sS --fail-with-body -X PUT -H 'Content-Type: application/json' --data @"$file" "$url/connectors/$name/config" >/dev/null
done
