#!/usr/bin/env bash
# Run every test binary of each build directory given (plain build, then the
# sanitizer build), show each binary's own output in the log, and close with
# one line "N passed, N failed" over all of them. Exit 1 if anything failed.
#
# Integration tests find the program under test through $BUZON_BIN, and the
# repository through $BUZON_ROOT. $TESTS, when set, names the only test
# binaries to run (e.g. TESTS="test_http test_limits").
#
# A build directory with fuzz harnesses (<dir>/fz/fuzz_*) gets one round of
# each (tests/fuzz/round.sh: replay of the kept crashers, then
# $FUZZ_SECONDS of fuzzing); each round counts as one test.
#
# $E2E, when set, names the build directory whose buzon the end-to-end
# suite (tests/e2e, node --test) runs against, once, after the rest; its
# "# pass N" / "# fail N" / "# cancelled N" summary lines are counted.
set -u
cd "$(dirname "$0")/.."
root=$(pwd)
passed=0 failed=0
for dir in "$@"; do
  for t in "$dir"/t/test_*; do
    [ -x "$t" ] || continue
    if [ -n "${TESTS:-}" ] && [[ " $TESTS " != *" $(basename "$t") "* ]]; then continue; fi
    echo "=== $t"
    out=$(BUZON_BIN="$root/$dir/buzon" BUZON_ROOT="$root" "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0} f=${f:-0}
    # A failed group setup or teardown (e.g. the server did not stop
    # cleanly) is a failure of its own, whatever the tests said.
    g=$(printf '%s\n' "$out" | grep -c '^\[  FAILED  \] GROUP \(SETUP\|TEARDOWN\)')
    f=$((f + g))
    # A binary that crashed or exited non-zero without a cmocka failure line
    # still counts as one failure.
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      echo "!!! $t exited with status $rc"
      f=1
    fi
    passed=$((passed + p)) failed=$((failed + f))
  done
  for h in "$dir"/fz/fuzz_*; do
    [ -x "$h" ] || continue
    echo "=== $h"
    if BUZON_ROOT="$root" tests/fuzz/round.sh "$h" "${FUZZ_SECONDS:-5}"; then
      passed=$((passed + 1))
    else
      failed=$((failed + 1))
    fi
  done
done
# $LAYERS, when set, names the build directory whose objects `make layers`
# (tools/layers.sh) checks along with the includes: one test.
if [ -n "${LAYERS:-}" ]; then
  echo "=== tools/layers.sh $LAYERS"
  if tools/layers.sh "$LAYERS"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi
if [ -n "${E2E:-}" ]; then
  echo "=== tests/e2e against $E2E/buzon"
  out=$(cd tests/e2e && BUZON_BIN="$root/$E2E/buzon" BUZON_ROOT="$root" \
        node --test --test-reporter=tap ./*.test.mjs 2>&1)
  rc=$?
  printf '%s\n' "$out"
  count() { printf '%s\n' "$out" | sed -n "s/^# $1 \([0-9]*\)\$/\1/p" | tail -1; }
  p=$(count pass) f=$(count fail) c=$(count cancelled)
  p=${p:-0} f=$((${f:-0} + ${c:-0}))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "!!! tests/e2e exited with status $rc"
    f=1
  fi
  passed=$((passed + p)) failed=$((failed + f))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
