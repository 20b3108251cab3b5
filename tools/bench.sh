#!/usr/bin/env bash
# make bench: every speed goal of buzon measured beside its reference in
# the same run, on this machine, printed as one table. Not a test: it
# asserts nothing, but it does check that every acknowledged submission
# reached the database (a benchmark that loses data measures nothing).
#
#   BENCH_SECONDS=10 BENCH_ROUNDS=5 tools/bench.sh
#
# Needs build/buzon and the tools in build/tools (make bench builds them),
# wrk and nginx (tools/install-deps.sh bench). Everything listens on
# 127.0.0.1 only, on free ports, and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BUILD:-build}
DUR=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}                 # survey page: runs per server
[[ $DUR =~ ^[1-9][0-9]*$ && $ROUNDS =~ ^[1-9][0-9]*$ ]] ||
  { echo "bench: BENCH_SECONDS and BENCH_ROUNDS must be whole numbers from 1" >&2; exit 2; }
PAGE_SECS=$(( DUR * 3 / 10 > 2 ? DUR * 3 / 10 : 2 ))
work=$(mktemp -d /tmp/buzon-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && nginx -c "$work/nginx.conf" -p "$work" -s stop 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

rows=()
row() { rows+=("$1|$2|$3|$4|$5"); }
note() { printf '  %s\n' "$*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_buzon DB -> sets BPID, BPORT. The port comes through --ready-fd.
start_buzon() {
  rm -f "$1" "$1-wal" "$1-shm"
  mkfifo "$work/ready.$$" 2>/dev/null || true
  "$B/buzon" serve --port 0 --listen 127.0.0.1 --db "$1" --rate-limit 0 --ready-fd 3 \
    3>"$work/ready.$$" 2>"$work/buzon.log" &
  BPID=$!
  pids+=("$BPID")
  read -r BPORT < "$work/ready.$$"
  rm -f "$work/ready.$$"
}
stop_buzon() { kill -TERM "$BPID"; wait "$BPID" || true; }
rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

# wrk_run ARGS... -> sets RPS and P99 (ms) from wrk --latency output
wrk_run() {
  local out
  out=$(wrk --latency "$@")
  RPS=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
  P99=$(awk '$1 == "99%" { v=$2; u=v; gsub(/[0-9.]/,"",u); gsub(/[a-z]/,"",v);
              if (u=="us") v/=1000; else if (u=="s") v*=1000; printf "%.2f", v }' <<<"$out")
  WRK_OUT=$out
}
# median FORMAT VALUES...: the median, printed with FORMAT ("%.0f"); "-" if none
median() {
  local fmt=$1; shift
  printf '%s\n' "$@" | awk 'NF' | sort -g |
    awk -v f="$fmt" '{ v[NR] = $1 } END { if (!NR) { print "-"; exit }
                     printf f "\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

echo "buzon bench: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), ${DUR}s per run" >&2

# ---- 1. survey page: buzon vs nginx serving the same bytes ----------------
# Plain, as wrk asks, and gzipped, as every phone asks: nginx serves the
# bytes buzon sent, from a file (gzip_static for the gzipped ones). On two
# shared cores one run of a few seconds varies by 20% or more, so the two
# servers take turns, ROUNDS times (the first of each pair alternating),
# and each figure is the median of its runs.
note "survey page: buzon vs nginx, $ROUNDS rounds of ${PAGE_SECS}s each"
start_buzon "$work/page.db"
url="/e/satisfaccion?p=mercado-municipal"
mkdir -p "$work/html" "$work/tmp"
curl -s "http://127.0.0.1:$BPORT$url" > "$work/html/page.html"
curl -s -H 'Accept-Encoding: gzip' "http://127.0.0.1:$BPORT$url" > "$work/html/page.html.gz"
gzip -t "$work/html/page.html.gz"
NPORT=$(free_port)
cat > "$work/nginx.conf" <<NGX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 4096; }
http {
  access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000; gzip_static on;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$NPORT; root $work/html; location / { default_type text/html; } }
}
NGX
nginx -c "$work/nginx.conf" -p "$work"
declare -A runs=()
# page_run NAME URL [wrk args...]: one run, appended to runs[NAME.rps|p99]
page_run() {
  local name=$1 u=$2; shift 2
  wrk_run -t2 -c100 -d"${PAGE_SECS}s" "$@" "$u"
  runs[$name.rps]+="$RPS "; runs[$name.p99]+="$P99 "
}
gzh=(-H 'Accept-Encoding: gzip')
for ((i = 0; i < ROUNDS; i++)); do
  if ((i % 2 == 0)); then
    page_run b "http://127.0.0.1:$BPORT$url"; page_run n "http://127.0.0.1:$NPORT/page.html"
    page_run bz "http://127.0.0.1:$BPORT$url" "${gzh[@]}"; page_run nz "http://127.0.0.1:$NPORT/page.html" "${gzh[@]}"
  else
    page_run n "http://127.0.0.1:$NPORT/page.html"; page_run b "http://127.0.0.1:$BPORT$url"
    page_run nz "http://127.0.0.1:$NPORT/page.html" "${gzh[@]}"; page_run bz "http://127.0.0.1:$BPORT$url" "${gzh[@]}"
  fi
done
nginx -c "$work/nginx.conf" -p "$work" -s stop; rm -f "$work/nginx.pid"
for k in b n bz nz; do
  note "  $k req/s: ${runs[$k.rps]}"
  printf -v "${k}_rps" '%s' "$(median %.0f ${runs[$k.rps]})"
  printf -v "${k}_p99" '%s' "$(median %.2f ${runs[$k.p99]})"
done
# The ratio is the median of each round's ratio: the two runs of a round
# share the machine's mood of the moment, which medians apart do not.
pair_ratio() {
  paste -d' ' <(tr ' ' '\n' <<<"${runs[$1.rps]}") <(tr ' ' '\n' <<<"${runs[$2.rps]}") |
    awk 'NF == 2 && $2 > 0 { print $1 / $2 }' | sort -g |
    awk '{ v[NR] = $1 } END { printf "%.2fx", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
plain_b=$(wc -c < "$work/html/page.html"); gz_b=$(wc -c < "$work/html/page.html.gz")
row "survey page GET, req/s (wrk 2 threads, 100 conns; medians of $ROUNDS rounds)" "$b_rps" "nginx $n_rps" "$(pair_ratio b n)" ">= 1.0x"
row "survey page GET, p99 ms" "$b_p99" "nginx $n_p99" "" ""
row "  the same gzipped, as phones ask ($plain_b -> $gz_b bytes), req/s" "$bz_rps" "nginx gzip_static $nz_rps" "$(pair_ratio bz nz)" ""
row "  the same gzipped, p99 ms" "$bz_p99" "nginx $nz_p99" "" ""
peak=$(rss_kb "$BPID" VmHWM)
stop_buzon

# ---- 2. durable submissions: buzon vs plain one-transaction-per-response --
note "submissions: buzon vs a plain SQLite loop"
start_buzon "$work/post.db"
wrk_run -t2 -c100 -d"${DUR}s" -s tools/bench_post.lua "http://127.0.0.1:$BPORT"; s_rps=$RPS s_p99=$P99
acked=$(awk '/^acked/ {print $2}' <<<"$WRK_OUT")
other=$(awk '/^other/ {print $2}' <<<"$WRK_OUT")
peak=$(( $(rss_kb "$BPID" VmHWM) > peak ? $(rss_kb "$BPID" VmHWM) : peak ))
stop_buzon
stored=$(sqlite3 "$work/post.db" "SELECT count(*) FROM responses WHERE submission_id LIKE 'bench%'")
[ "$stored" -ge "$acked" ] && lost=0 || lost=$((acked - stored))
rm -f "$work/plain.db"*
plain=$("$B/tools/bench_sqlite_plain" "$work/plain.db" "$DUR" | awk '/^per_second/ {print $2}')
row "durable submissions, req/s (synchronous=FULL)" "$s_rps" "plain loop $plain" "$(ratio "$s_rps" "$plain")" ">= 1.0x"
row "  acknowledged / stored / lost / non-303" "$acked / $stored / $lost / $other" "" "" "0 lost"
row "durable submissions, p99 ms at saturation" "$s_p99" "" "" ""

# ---- 3. latency at a fixed 1,000 submissions per second ------------------
note "submissions at a constant 1,000/s"
start_buzon "$work/rate.db"
lg=$("$B/tools/loadgen" "$BPORT" 1000 $((DUR * 2)) 50 "$work/ids.txt")
peak=$(( $(rss_kb "$BPID" VmHWM) > peak ? $(rss_kb "$BPID" VmHWM) : peak ))
stop_buzon
sqlite3 "$work/rate.db" > "$work/missing" <<SQL
CREATE TEMP TABLE ids(id TEXT);
.import $work/ids.txt ids
SELECT count(*) FROM ids WHERE id NOT IN (SELECT submission_id FROM responses);
SQL
row "submissions at 1,000/s: p50 / p99 ms" "$(awk '/^p50_ms/ {print $2}' <<<"$lg") / $(awk '/^p99_ms/ {print $2}' <<<"$lg")" \
    "$(awk '/^acked/ {print $2}' <<<"$lg") acked, $(cat "$work/missing") missing" "" "p99 < 10 ms"

# ---- 4. memory -----------------------------------------------------------------
note "memory after 10,000 and 1,000,000 requests"
start_buzon "$work/mem.db"
"$B/tools/loadgen" "$BPORT" --get 10000 50 >/dev/null
rss10k=$(rss_kb "$BPID" VmRSS)
"$B/tools/loadgen" "$BPORT" --get 990000 50 >/dev/null
rss1m=$(rss_kb "$BPID" VmRSS)
peak=$(( $(rss_kb "$BPID" VmHWM) > peak ? $(rss_kb "$BPID" VmHWM) : peak ))
stop_buzon
row "peak RSS under all the load above, MB" "$(awk -v k="$peak" 'BEGIN {printf "%.1f", k/1024}')" "" "" "< 32 MB"
row "RSS after 10k / after 1M requests, MB" "$(awk -v a="$rss10k" -v b="$rss1m" 'BEGIN {printf "%.1f / %.1f", a/1024, b/1024}')" "" "" "flat"

# ---- 5. further steps contributed by other parts of buzon ---------------------
for step in tools/bench_*.step.sh; do
  [ -x "$step" ] || continue
  note "$(basename "$step" .step.sh)"
  while IFS='|' read -r a b c d e; do row "$a" "$b" "$c" "$d" "$e"; done < <("$step")
done

# ---- the table ---------------------------------------------------------------
{
  printf '| measure | buzon | reference (same run) | ratio | target |\n|---|---|---|---|---|\n'
  for r in "${rows[@]}"; do printf '| %s |\n' "${r//|/ | }"; done
}
