#!/usr/bin/env bash
# A step of tools/bench.sh (issue 14 item 4): how long `buzon serve` takes
# to check a database before serving it (PRAGMA quick_check, which reads
# every page), on the 1,000,000 synthetic responses of the indicators step
# (tools/bench_indicators.sh makes or reuses var/bench/indicators-N.db),
# as "measure|value|reference|ratio|target" rows. The reference is the
# same start on an empty database; the difference is the check. Measured
# twice: the first start may read the file from disk (cold), the second
# finds it in the page cache (warm), as after a restart.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
N=${BENCH_RESPONSES:-1000000}
db=var/bench/indicators-$N.db
[ -f "$db" ] || tools/bench_indicators.sh >/dev/null
work=$(mktemp -d /tmp/buzon-startcheck-XXXXXX)
trap 'rm -rf "$work"' EXIT

# start_secs DB: seconds from exec to listening (--ready-fd), then stopped;
# CHECK: the seconds of the check alone, as serve reports it ("-" if it
# took under half a second and serve said nothing).
start_secs() {
  mkfifo "$work/ready"
  local t0 t1 pid
  t0=$(date +%s.%N)
  "$B/buzon" serve --port 0 --listen 127.0.0.1 --db "$1" --ready-fd 3 3>"$work/ready" 2>>"$work/log" &
  pid=$!
  read -r _ < "$work/ready" || true
  t1=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  rm -f "$work/ready"
  CHECK=$(awk '/checked the database in/ {v = $(NF-1)} END {print v == "" ? "-" : v}' "$work/log")
  : > "$work/log"
  awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}'
}
# Not in $(...): CHECK must survive.
start_secs "$work/empty.db" > "$work/t"; empty=$(cat "$work/t")
start_secs "$db" > "$work/t"; first=$(cat "$work/t"); check1=$CHECK
start_secs "$db" > "$work/t"; second=$(cat "$work/t"); check2=$CHECK
mb=$(( $(stat -c %s "$db") / 1048576 ))
echo "serve: database check (quick_check), $N responses ($mb MB), first / again, s|$check1 / $check2||| a few s"
echo "serve: start-up to listening, the same database, first / again, s|$first / $second|empty database $empty s||"
