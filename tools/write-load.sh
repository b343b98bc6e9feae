#!/bin/bash
# Write API load (issue 16, BENCHMARKS.md): an editor PATCHes one record (member Sweden,
# `If-Match: *`, a new note and value each time) at a fixed 100 writes/s for 60 s on 8
# connections, against a fresh store: a SQLite file by default, or the PostgreSQL URL given
# (an empty database). Prints the latencies (tools/load.py), the record's version after (writes
# + 1 when none was lost) and the load average.
#
#   cargo build --release -p decarb-cli && tools/write-load.sh [postgres://…/empty_db]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
decarb="${DECARB:-${CARGO_TARGET_DIR:-$repo/target}/release/decarb}"
port="${DECARB_LOAD_PORT:-18731}"
work="$(mktemp -d)"
trap 'kill "${server:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
db="${1:-$work/load.db}"
"$decarb" db init --db "$db" >/dev/null
token="$("$decarb" token create "load-$$" --db "$db" --role editor 2>/dev/null | grep -oE '[A-Za-z0-9_-]{24,}' | tail -1)"
"$decarb" serve --db "$db" --addr "127.0.0.1:$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/api/v1/members/Sweden" && break; sleep 0.2; done
url="http://127.0.0.1:$port/api/v1/members/Sweden"
python3 "$repo/tools/load.py" rate "$url" --rate 100 --duration 60 --connections 8 --method PATCH \
  --header "Authorization: Bearer $token" --header 'If-Match: *' --header 'Content-Type: application/json' \
  --body '{"note": "load test {i}", "source_url": "https://example.org/load", "changes": {"notes": "load {i}"}}'
curl -fs "$url" | python3 -c 'import json, sys; print("version after:", json.load(sys.stdin).get("version"))'
uptime
