#!/usr/bin/env bash
# make bench, indicators step: how long the figures of the dashboard take
# on a million synthetic responses (tools/gen_responses.c), measured by
# tools/bench_indicators.c. Not a test: it prints times. The goal is under
# 100 ms for all the dashboard's figures.
#
#   BENCH_RESPONSES=1000000 BENCH_RUNS=20 tools/bench_indicators.sh
#
# The generated database takes a few minutes to make, so it is kept in
# var/bench/ and remade only when the forms or the generator change. Its
# first measurement includes folding every response into the aggregates
# (printed as "catch-up"); later runs find them up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
N=${BENCH_RESPONSES:-1000000}
db=var/bench/indicators-$N.db
mkdir -p var/bench
want=$(cat forms/*/survey.csv forms/*/choices.csv forms/points.csv tools/gen_responses.c | sha1sum | cut -c1-16)
if [ ! -f "$db" ] || [ "$(cat "$db.stamp" 2>/dev/null)" != "$want" ]; then
  rm -f "$db" "$db-wal" "$db-shm" "$db.stamp"
  echo "indicators: generating $N responses into $db (a few minutes, once)" >&2
  "$B/tools/gen_responses" --db "$db" -n "$N"
  echo "$want" > "$db.stamp"
fi
echo "== indicators: $(nproc) cores"
"$B/tools/bench_indicators" --db "$db" --runs "${BENCH_RUNS:-20}"
