#!/usr/bin/env bash
# Run every test binary of each build directory given (plain build, then the
# sanitizer build), show each binary's own output in the log, and close with
# one line "N passed, N failed" over all of them. Exit 1 if anything failed.
#
# Integration tests find the program under test through $BUZON_BIN, and the
# repository through $BUZON_ROOT.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
passed=0 failed=0
for dir in "$@"; do
  for t in "$dir"/t/test_*; do
    [ -x "$t" ] || continue
    echo "=== $t"
    out=$(BUZON_BIN="$root/$dir/buzon" BUZON_ROOT="$root" "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0} f=${f:-0}
    # A binary that crashed or exited non-zero without a cmocka failure line
    # still counts as one failure.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "!!! $t exited with status $rc"
      f=1
    fi
    passed=$((passed + p)) failed=$((failed + f))
  done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
