#!/usr/bin/env bash
# A step of tools/bench.sh: the downloads over 1,000,000 synthetic responses
# (the database of tools/bench_indicators.sh, made there if missing), as
# "measure|value|reference|ratio|target" rows: the time of the raw-answers
# CSV and XLSX of satisfaccion (600,000 responses), how much each download
# raises the server's peak memory (VmHWM), and a survey page's median time
# while the XLSX is being made.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
N=${BENCH_RESPONSES:-1000000}
db=var/bench/indicators-$N.db
[ -f "$db" ] || tools/bench_indicators.sh >/dev/null
work=$(mktemp -d /tmp/buzon-bench-exp-XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
pw=bench-exports-password
echo "$pw" | "$B/buzon" user add bench-exports --role admin --db "$db" >/dev/null 2>&1 ||
  echo "$pw" | "$B/buzon" user passwd bench-exports --db "$db" >/dev/null 2>&1 || true
mkfifo "$work/ready"
TMPDIR=$work "$B/buzon" serve --port 0 --listen 127.0.0.1 --db "$db" --rate-limit 0 --ready-fd 3 \
  3>"$work/ready" 2>"$work/buzon.log" &
pid=$!
read -r port < "$work/ready"
base="http://127.0.0.1:$port"
ck=$(curl -s -i -d "usuario=bench-exports&clave=$pw" "$base/login" | awk -F'[ ;]' '/^Set-Cookie: buzon_s=/ {print $2}')
[ -n "$ck" ] || { echo "bench_exports: could not log in to the bench server" >&2; exit 1; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$pid/status"; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$pid/status"; }
# get PATH -> SECS, GROW (MB the memory grew by: the larger of the peak's
# growth and the most resident memory seen every 20 ms over the resident
# memory before; the peak alone hides growth below the start-up's), BYTES
get() {
  local h0 r0 t0 t1 c m=0 r
  h0=$(hwm); r0=$(rss); t0=$(date +%s.%N)
  curl -s -o "$work/out" -H "Cookie: $ck" -w '%{size_download}' "$base$1" > "$work/bytes" &
  c=$!
  while kill -0 "$c" 2>/dev/null; do r=$(rss); ((r > m)) && m=$r; sleep 0.02; done
  wait "$c"
  t1=$(date +%s.%N)
  BYTES=$(cat "$work/bytes")
  ((BYTES > 0)) || { echo "bench_exports: $1 gave nothing" >&2; exit 1; }
  SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.2f", b - a}')
  GROW=$(awk -v a="$h0" -v b="$(hwm)" -v r0="$r0" -v m="$m" \
         'BEGIN {g = b - a; if (m - r0 > g) g = m - r0; printf "%.1f", g / 1024}')
  rm -f "$work/out"
}
n=$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE form_id = 'satisfaccion'")
start=$(awk '/^VmHWM:/ {printf "%.0f", $2/1024}' "/proc/$pid/status")
get /api/v1/forms/satisfaccion/responses.csv
echo "export: raw answers CSV ($n responses, $((BYTES / 1048576)) MB), s|$SECS|||< 3 s"
echo "  its peak memory growth, MB (from $start MB)|$GROW|||< 32 MB"
# The survey page while the XLSX is made: wrk runs meanwhile, stopped when
# the download ends.
wrk --latency -t1 -c4 -d120s "$base/e/satisfaccion?p=mercado-municipal" > "$work/wrk" &
wpid=$!
sleep 0.5
get /api/v1/forms/satisfaccion/responses.xlsx
kill -INT "$wpid" 2>/dev/null; wait "$wpid" 2>/dev/null || true
echo "export: raw answers XLSX ($((BYTES / 1048576)) MB), s|$SECS|||< 20 s"
echo "  its peak memory growth, MB|$GROW|||< 32 MB"
p50=$(awk '$1 == "50%" { v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
            if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v }' "$work/wrk")
echo "  survey page while it is made, median ms|${p50:--}|||< 10 ms"
get /api/v1/indicators.csv
echo "export: indicators CSV, peak memory growth, MB|$GROW|||< 32 MB"
get /api/v1/indicators.xlsx
echo "export: indicators XLSX, peak memory growth, MB|$GROW|||< 32 MB"
get /api/v1/forms/quejas/responses.csv
q=$(sqlite3 "$db" "SELECT count(*) FROM responses WHERE form_id = 'quejas'")
echo "export: case register (quejas responses, $q), peak memory growth, MB|$GROW|||< 32 MB"
