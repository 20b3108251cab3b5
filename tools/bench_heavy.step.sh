#!/usr/bin/env bash
# A step of tools/bench.sh: a visitor's survey page while one address
# floods the heavy routes (the indicators API in every format, the
# dashboard, the plan page) with 32 concurrent requests on the 1,000,000
# response database of tools/bench_indicators.sh (issue 14 item 2). Rows
# "measure|value|reference|ratio|target". Run alone:
#
#   BENCH_SECONDS=10 tools/bench_heavy.step.sh
#
# The visitor (another address, 127.0.0.2) fetches the page on a new
# connection each time, one after another, for the whole flood; the
# reference is the same visitor without the flood.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
N=${BENCH_RESPONSES:-1000000}
DUR=${BENCH_SECONDS:-10}
CONNS=${BENCH_FLOOD_CONNS:-32}
db=var/bench/indicators-$N.db
want=$(cat forms/*/survey.csv forms/*/choices.csv forms/points.csv tools/gen_responses.c | sha1sum | cut -c1-16)
if [ ! -f "$db" ] || [ "$(cat "$db.stamp" 2>/dev/null)" != "$want" ]; then
  BENCH_RUNS=1 tools/bench_indicators.sh >/dev/null      # makes the database
fi
work=$(mktemp -d /tmp/buzon-heavy-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mkfifo "$work/ready"
"$B/buzon" serve --port 0 --listen 127.0.0.1 --db "$db" --rate-limit 0 --public-indicators \
  --ready-fd 3 3>"$work/ready" 2>"$work/buzon.log" &
pid=$!
read -r port < "$work/ready"
page="http://127.0.0.1:$port/e/satisfaccion?p=mercado-municipal"

# visit SECONDS OUT: the visitor's page times (ms), one a line, for SECONDS
visit() {
  local end=$((SECONDS + $1)) args=()
  for _ in $(seq 20); do args+=(-o /dev/null "$page"); done
  : > "$2"
  while [ "$SECONDS" -lt "$end" ]; do
    curl -s --interface 127.0.0.2 -H 'Connection: close' -H 'Accept-Encoding: gzip' \
      -w '%{http_code} %{time_total}\n' "${args[@]}" |
      awk '$1 == 200 {printf "%.3f\n", $2 * 1000} $1 != 200 {print "bad " $1 > "/dev/stderr"}' >> "$2"
  done
}
# stats FILE -> "median p99 worst count" of the times in FILE
stats() { sort -g "$1" | awk '{v[NR]=$1} END {if (!NR) {print "- - - 0"; exit}
  p = int(NR * 0.99); if (p < 1) p = 1
  printf "%.2f %.1f %.1f %d\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2, v[p], v[NR], NR}'; }

visit 2 "$work/calm"
read -r calm_med calm_p99 calm_max calm_n < <(stats "$work/calm")
wrk -t2 -c"$CONNS" -d"${DUR}s" --timeout 30s -s tools/bench_flood.lua "http://127.0.0.1:$port" > "$work/wrk" &
wpid=$!
visit "$DUR" "$work/flood"
wait "$wpid"
read -r med p99 max n < <(stats "$work/flood")
total=$(awk '/requests in/ {print $1}' "$work/wrk")
refused=$(awk '/Non-2xx/ {print $NF}' "$work/wrk"); refused=${refused:-0}
ok=$(( total - refused ))
echo "heavy flood: $n visits, median $med ms, worst $max ms; calm median $calm_med ms; flood $total requests, $ok answered, $refused refused" >&2
echo "survey page while one address floods the indicators ($CONNS conns, $N responses): median ms|$med|calm $calm_med||< 10 ms"
echo "  the same, worst of $n visits, ms (p99 $p99)|$max|calm $calm_max (p99 $calm_p99)||< 100 ms"
echo "  the flood: requests answered / refused (429, 2 per address at a time)|$ok / $refused|||"
