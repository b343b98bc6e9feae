#!/usr/bin/env bash
# Regenerates crates/decarb-store/tests/fixtures/store-v4.sqlite.sql: a SQLite store as decarb wrote
# it before migration 0005 (commit 08d47b6, the last with four migrations), for the migration test
# (crates/decarb-store/tests/migration.rs). It builds that commit in a temporary worktree, so it
# takes a few minutes. The token it prints is written into the test.
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$repo" worktree remove --force "$work/src" 2>/dev/null || true; rm -rf "$work"' EXIT
git -C "$repo" worktree add -q "$work/src" 08d47b6
CARGO_TARGET_DIR="$work/target" cargo build -q --manifest-path "$work/src/Cargo.toml" -p decarb-cli
decarb="$work/target/debug/decarb"
db="$work/old.db"
"$decarb" db init --db "$db"
"$decarb" db import --db "$db" --as-of 2024-01-31 "$repo/crates/decarb-store/tests/fixtures/store-v4-plants.csv"
"$decarb" projects update --db "$db" seed-hybrit-demonstration-plant-gallivare --stage construction \
  --as-of 2025-06-01 --source "Test fixture: HYBRIT construction start"
"$decarb" token create --db "$db" fixture-writer
sqlite3 "$db" .dump > "$repo/crates/decarb-store/tests/fixtures/store-v4.sqlite.sql"
