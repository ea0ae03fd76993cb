#!/usr/bin/env bash
# `pkrisk select` timer: the flagship's select block (seven mitigations, 128
# packages, those within the budget compared) with --threads 1 and 2, three
# wall-clock runs each; prints seconds (best and median), the packages
# compared and the replications run (selection stages and fresh re-estimate).
# Builds nothing: pass the pkrisk binary.
#
#   tools/bench/select_timing.sh build/tools/pkrisk [scenario.yaml]
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 PKRISK [SCENARIO]" >&2
  exit 2
fi
pkrisk=$1
scenario=${2:-"$(dirname "$0")/../../scenarios/minusma-north.yaml"}
repeats=${REPEATS:-3}
[[ -x $pkrisk ]] || { echo "$0: $pkrisk is not an executable" >&2; exit 2; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

seconds() {  # threads: one timed run, its JSON left in $out
  local t0 t1
  t0=$(date +%s.%N)
  "$pkrisk" select "$scenario" --threads "$1" -q --format json >"$out"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

printf '%-8s %8s %10s %9s %12s %12s\n' threads best_s median_s packages selection reestimate
for threads in 1 2; do
  times=()
  for _ in $(seq "$repeats"); do times+=("$(seconds "$threads")"); done
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  read -r packages selection reestimate < <(/usr/bin/python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["select"]
st = s["replications_by_stage"]
print(len(s["packages"]), st["first_stage"] + st["sequential"], st["reestimate"])' "$out")
  printf '%-8s %8.2f %10.2f %9s %12s %12s\n' "$threads" "$(echo "$sorted" | head -1)" \
    "$(echo "$sorted" | sed -n "$(((repeats + 1) / 2))p")" "$packages" "$selection" "$reestimate"
done
