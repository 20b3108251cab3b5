#!/usr/bin/env bash
# One round of one libFuzzer harness: replay every input kept in
# tests/fuzz/regress/<name>/ (crashers found before, which must stay
# fixed), then fuzz for the given seconds from the seed corpus
# tests/fuzz/corpus/<name>/ plus what earlier rounds found (kept under the
# build folder, never in the source tree). A new crasher is saved under
# <build>/fz/crashes/<name>/; move it into tests/fuzz/regress/<name>/ with
# the fix.
#
#   tests/fuzz/round.sh <build>/fz/fuzz_<name> SECONDS
#
# Prints one summary line (executions, corpus size) and, on failure, the
# end of libFuzzer's report. Exit 0 when replay and round found nothing.
set -u
bin=$1 secs=$2
name=$(basename "$bin"); name=${name#fuzz_}
src=tests/fuzz
work=$(dirname "$bin")
mkdir -p "$work/corpus/$name" "$work/crashes/$name" "$work/logs"
log="$work/logs/$name.log"
: >"$log"

regress=("$src/regress/$name"/*)
nreg=0
if [ -e "${regress[0]}" ]; then
  nreg=${#regress[@]}
  if ! "$bin" -runs=1 "${regress[@]}" >>"$log" 2>&1; then
    echo "fuzz_$name: a regression input crashes again"
    tail -40 "$log"
    exit 1
  fi
fi

"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/crashes/$name/" "$work/corpus/$name" "$src/corpus/$name" >>"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
units=$(ls "$work/corpus/$name" | wc -l)
if [ $rc -ne 0 ]; then
  echo "fuzz_$name: CRASH after ${execs:-?} executions; input saved in $work/crashes/$name/"
  tail -60 "$log"
  exit 1
fi
echo "fuzz_$name: $nreg regression inputs replayed; ${execs:-?} executions in ${secs} s, no crash ($units inputs found so far)"
