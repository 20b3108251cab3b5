#!/usr/bin/env bash
# make layers: hold the architecture of src/ (README "Layout").
#
# src/ is layered one way down; a file may include the headers of its own
# folder and of the folders its layer may see, and nothing else:
#
#   base     base                                (buffers, CSV, gzip, text, calendar, i18n)
#   model    base model                          (forms, answers, points, cases, indicators...)
#   store    base model store                    (the only code that speaks SQL)
#   view     base model view                     (HTML, SVG, JSON, CSV, XLSX from model values)
#   service  base model store service            (what a request or a command does)
#   http     base model view service http        (the only code that includes microhttpd.h)
#   cli      base model view service http cli    (parses argv; main.c)
#
# http/ and cli/ reach the store only through service/: a handler or a
# command parses, calls a service, renders.
#
# Also: <sqlite3.h> only in src/store/, <microhttpd.h> only in src/http/,
# <xlsxwriter.h> only in src/view/ (workbooks are views), a
# private header (*_int.h) only from its own folder, and every quoted
# include names its folder ("base/buf.h"), so a reader sees the layer at
# the include. Prints one `file:line: message` per breach and exits 1 if
# there is any; prints "layers: ok (N files)" otherwise.
#
# With a build folder (tools/layers.sh build), the same rules are checked
# on the calls too: every function or variable an object file of
# src/<layer>/ uses from another object of the library must be defined in
# a layer it may see (nm), so a declaration written by hand cannot get
# around the include rule.
#
# LAYERS_ROOT=DIR checks the tree in DIR instead of this repository (the
# test of this script gives it small trees with known breaches).
set -u
cd "${LAYERS_ROOT:-$(dirname "$0")/..}"

declare -A may=(
  [base]="base"
  [model]="base model"
  [store]="base model store"
  [view]="base model view"
  [service]="base model store service"
  [http]="base model view service http"
  [cli]="base model view service http cli"
)

bad=0 files=0
breach() { echo "$1:$2: $3"; bad=$((bad + 1)); }

for f in src/*/*.[ch] src/*.[ch]; do
  [ -e "$f" ] || continue
  files=$((files + 1))
  dir=${f#src/}; dir=${dir%%/*}
  if [ -z "${may[$dir]+x}" ]; then
    breach "$f" 1 "not in a layer folder (src/<layer>/)"
    continue
  fi
  while IFS=: read -r line text; do
    if [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\<([^>]+)\> ]]; then
      sys=${BASH_REMATCH[1]}
      [ "$sys" = sqlite3.h ] && [ "$dir" != store ] &&
        breach "$f" "$line" "<sqlite3.h> outside src/store/: SQL belongs to the store"
      [ "$sys" = microhttpd.h ] && [ "$dir" != http ] &&
        breach "$f" "$line" "<microhttpd.h> outside src/http/"
      [ "$sys" = xlsxwriter.h ] && [ "$dir" != view ] &&
        breach "$f" "$line" "<xlsxwriter.h> outside src/view/: a workbook is a view"
    elif [[ $text =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
      inc=${BASH_REMATCH[1]}
      if [[ $inc != */* ]]; then
        breach "$f" "$line" "\"$inc\": name the header's layer (\"<layer>/$inc\")"
        continue
      fi
      to=${inc%%/*}
      if [ ! -e "src/$inc" ]; then
        breach "$f" "$line" "\"$inc\" does not exist in src/"
      elif [[ " ${may[$dir]} " != *" $to "* ]]; then
        breach "$f" "$line" "$dir/ may not include $to/ (\"$inc\"); $dir/ sees: ${may[$dir]}"
      elif [[ $inc == *_int.h && $to != "$dir" ]]; then
        breach "$f" "$line" "\"$inc\" is private to src/$to/"
      fi
    fi
  done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$f")
done

# The calls, from the objects of a build (nm -u: used, nm -g: defined).
B=${1:-}
if [ -n "$B" ]; then
  declare -A home
  for o in "$B"/src/*/*.o; do
    [ -e "$o" ] || { echo "layers: no objects in $B/src (build first)" >&2; exit 2; }
    l=${o#"$B"/src/}; l=${l%%/*}
    while read -r s; do home[$s]=$l; done < <(nm --defined-only -g "$o" | awk '{print $3}')
  done
  for o in "$B"/src/*/*.o; do
    l=${o#"$B"/src/}; l=${l%%/*}
    src=src/$l/$(basename "${o%.o}").c
    while read -r s; do
      to=${home[$s]:-}
      [ -z "$to" ] && continue
      [[ " ${may[$l]} " == *" $to "* ]] && continue
      breach "$src" 0 "calls $s of $to/; $l/ sees: ${may[$l]}"
    done < <(nm -u "$o" | awk '{print $2}')
  done
fi

if [ "$bad" -gt 0 ]; then
  echo "layers: $bad breach(es) in $files files (rules: tools/layers.sh)" >&2
  exit 1
fi
echo "layers: ok ($files files)"
