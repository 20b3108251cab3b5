#!/bin/sh
# realforms.sh: try XLSForm workbooks written by others in buzon, one at a
# time, and print one tab-separated line per workbook.
#
#     tools/realforms.sh [-p PORT] [-o OUTDIR] BOOK.xlsx...
#
# For each workbook: a folder OUTDIR/<name>/ holding only it and forms'
# points.csv and services.csv; `buzon forms check` on it (its output kept in
# OUTDIR/<name>.check); if it loads, `buzon serve` on a fresh database,
# GET /e/<id>, then a POST without JavaScript that answers as little as
# possible, encoded as the page's form says: nothing at first, then, while the server answers 422, each
# question its error list names (#q-NAME) gets the first choice offered, or
# 1 for a number, 2024-01-01 for a date, 12:00 for a time, a point, or "a"
# (up to 4 rounds). The page and the last POST's answer stay in OUTDIR.
#
# Columns: name, form id, loads (rc of forms check), GET status, POST status
# (303 = accepted), rounds, first problem (the first line of forms check that
# is not ok/note, or the last 422's first error).
#
# Needs build/buzon (make), curl and python3. Output goes to OUTDIR
# (default /tmp/realforms-out). Each server runs on PORT (default 18431)
# and is stopped by its own pid before the next one.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
buzon=$here/build/buzon
port=18431
out=/tmp/realforms-out
while getopts p:o: opt; do
    case $opt in
    p) port=$OPTARG ;;
    o) out=$OPTARG ;;
    *) echo "usage: $0 [-p PORT] [-o OUTDIR] BOOK.xlsx..." >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { echo "usage: $0 [-p PORT] [-o OUTDIR] BOOK.xlsx..." >&2; exit 2; }
mkdir -p "$out"

# fill.py PAGE ERRPAGE VALUES: add to the urlencoded VALUES file an answer
# for each question ERRPAGE's error list names, from PAGE's inputs.
fill=$out/fill.py
cat >"$fill" <<'EOF'
import re, sys, html, urllib.parse
page = open(sys.argv[1], encoding="utf-8", errors="replace").read()
err = open(sys.argv[2], encoding="utf-8", errors="replace").read()
have = dict(urllib.parse.parse_qsl(open(sys.argv[3]).read(), keep_blank_values=True))
box = re.search(r'id=errores.*?</div>', err, re.S)
names = re.findall(r'href="#q-([^"]+)"', box.group(0)) if box else []
if not have.get("_first") and not names:
    names = re.findall(r'class=q id=q-([^ >]+)', page)[:1]
have["_first"] = "1"
for n in names:
    # the question's block: from its id to the next question
    m = re.search(r'id=q-' + re.escape(n) + r'[ >].*?(?=class=q id=q-|</form>)', page, re.S)
    blk = m.group(0) if m else ""
    r = re.search(r'type=(?:radio|checkbox) name=(\S+?) value=("[^"]*"|\S+?)>', blk)
    o = re.search(r'<select[^>]*name=(\S+?)[ >].*?<option value=("[^"]+"|[^" >]+)>', blk, re.S)
    if r:
        have[html.unescape(r.group(1))] = html.unescape(r.group(2).strip('"'))
        continue
    if o and o.group(2).strip('"'):
        have[html.unescape(o.group(1))] = html.unescape(o.group(2).strip('"'))
        continue
    for i in re.finditer(r'<(input|textarea)([^>]*)>', blk):
        a = i.group(2)
        nm = re.search(r'name=("[^"]*"|\S+?)[ >]', a + ">")
        if not nm or "type=hidden" in a or "type=file" in a:
            continue
        nm = html.unescape(nm.group(1).strip('"'))
        if nm.endswith(":lat"): v = "18.8"
        elif nm.endswith(":lon"): v = "-71.7"
        elif "type=date" in a: v = "2024-01-01"
        elif "type=time" in a: v = "12:00"
        elif "type=datetime-local" in a: v = "2024-01-01T12:00"
        elif "inputmode=numeric" in a or "inputmode=decimal" in a or "type=number" in a: v = "1"
        else: v = "a"
        have[nm] = v
open(sys.argv[3], "w").write(urllib.parse.urlencode(have))
EOF

printf 'name\tid\tloads\tget\tpost\trounds\tfirst_problem\n'
for book in "$@"; do
    name=$(basename "$book" .xlsx)
    d=$out/$name
    rm -rf "$d" "$d".*
    mkdir -p "$d"
    cp "$book" "$d/"
    cp "$here/forms/points.csv" "$here/forms/services.csv" "$d/"
    timeout 30 "$buzon" forms check "$d" >"$d.check" 2>&1
    rc=$?
    id=$(sed -n 's/^ok \([^ ]*\).*/\1/p' "$d.check" | head -1)
    first=$(grep -v '^ok \|^  note\|has no interface table' "$d.check" | head -1 |
            sed "s#^$d/##")
    get=- post=- rounds=0
    if [ "$rc" = 0 ] && [ -n "$id" ]; then
        rm -f "$d.db" "$d.db-wal" "$d.db-shm"
        "$buzon" serve --port "$port" --db "$d.db" --www "$here/www" \
            --forms "$d" >"$d.serve" 2>&1 &
        pid=$!
        i=0
        while [ $i -lt 50 ] && ! curl -s -o /dev/null "http://localhost:$port/"; do
            sleep 0.1; i=$((i + 1))
        done
        get=$(curl -s -m 20 -o "$d.page.html" -w '%{http_code}' \
              "http://localhost:$port/e/$id?lang=es")
        if [ "$get" = 200 ]; then
            sid=$(grep -oE 'name=_sid value="[^"]+"' "$d.page.html" | cut -d'"' -f2)
            t=$(grep -oE 'name=_t value=[0-9]+' "$d.page.html" | cut -d= -f3)
            # the page's own encoding: multipart only when it asks for a file
            multi=$(grep -o 'enctype=multipart/form-data' "$d.page.html" | head -1)
            : >"$d.values"
            : >"$d.post.html"
            while [ $rounds -lt 5 ]; do
                rounds=$((rounds + 1))
                [ $rounds -gt 1 ] && python3 "$fill" "$d.page.html" "$d.post.html" "$d.values"
                post=$(python3 -c 'import sys,urllib.parse
for k,v in urllib.parse.parse_qsl(open(sys.argv[1]).read(), keep_blank_values=True):
    if k != "_first": print(k); print(v)' "$d.values" |
                    { if [ -n "$multi" ]; then f=--form-string; else f=--data-urlencode; fi
                      set -- $f "_sid=$sid" $f "_t=$t" $f "_web="
                      while IFS= read -r k && IFS= read -r v; do
                          set -- "$@" $f "$k=$v"
                      done
                      curl -s -m 20 -o "$d.post.html" -w '%{http_code}' "$@" \
                          "http://localhost:$port/e/$id?lang=es"; })
                [ "$post" = 422 ] || break
            done
            if [ "$post" = 422 ]; then
                first=$(python3 -c 'import re,sys,html
s=open(sys.argv[1],encoding="utf-8").read()
m=re.search(r"id=errores.*?<a [^>]*>(.*?)</a>",s,re.S)
print("422: "+html.unescape(re.sub("<[^>]*>","",m.group(1))) if m else "422")' "$d.post.html")
            fi
        fi
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "${id:--}" "$rc" "$get" "$post" \
        "$rounds" "$first"
done
