#!/usr/bin/env bash
# A step of tools/bench.sh: the indicators over 1,000,000 synthetic
# responses (tools/bench_indicators.sh makes or reuses the database), as
# "measure|value|reference|ratio|target" rows.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(tools/bench_indicators.sh)
printf '%s\n' "$out" >&2
n=$(awk '/^bench_indicators:/ {print $3}' <<<"$out")
row() { awk -v k="$1" '$1 == k {printf "%s ms (max %s, %s)", $2, $5, substr($0, index($0, "("))}' <<<"$out"; }
echo "indicators: whole dashboard over $n responses|$(row dashboard)||| < 50 ms"
echo "indicators: plan page (the period's report and one per action window)|$(row plan)|||"
echo "indicators: every figure and breakdown (the API)|$(row api-all)|||"
echo "indicators: filtered (period, service) and disaggregated|$(row filtered)|||"
