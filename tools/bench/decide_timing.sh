#!/usr/bin/env bash
# `pkrisk decide` timer: the flagship's uncertainty block at 10,000 draws x
# every arm x 1 replication, and 1,000 draws x 10 replications, with
# --threads 1 and 2, three wall-clock runs each; prints seconds (best and
# median) and mission-years per second. Builds nothing: pass the pkrisk binary.
#
#   tools/bench/decide_timing.sh build/tools/pkrisk [scenario.yaml]
#   STORE=1 THREADS=2 REPEATS=1 tools/bench/decide_timing.sh build/tools/pkrisk
# STORE=1 runs with --out (every draw stored: resumable, shardable).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 PKRISK [SCENARIO]" >&2
  exit 2
fi
pkrisk=$1
scenario=${2:-"$(dirname "$0")/../../scenarios/minusma-north.yaml"}
repeats=${REPEATS:-3}
thread_counts=${THREADS:-"1 2"}
store=${STORE:-0}
[[ -x $pkrisk ]] || { echo "$0: $pkrisk is not an executable" >&2; exit 2; }

arms=$({ "$pkrisk" run "$scenario" -n 1 --threads 1 -q --format json 2>/dev/null || true; } |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["arms"]))')

seconds() {  # draws reps threads: one timed run
  local t0 t1 out=()
  [[ $store == 1 ]] && out=(--out "$(mktemp -d)/decide")
  t0=$(date +%s.%N)
  "$pkrisk" decide "$scenario" --draws "$1" --reps-per-draw "$2" --threads "$3" -q \
    --format json "${out[@]}" >/dev/null
  t1=$(date +%s.%N)
  [[ $store == 1 ]] && rm -rf "$(dirname "${out[1]}")"
  echo "$t1 - $t0" | bc -l
}

printf '%-8s %-6s %-8s %10s %10s %16s\n' draws reps threads best_s median_s mission_years/s
for case in "10000 1" "1000 10"; do
  read -r draws reps <<<"$case"
  for threads in $thread_counts; do
    times=()
    for _ in $(seq "$repeats"); do times+=("$(seconds "$draws" "$reps" "$threads")"); done
    sorted=$(printf '%s\n' "${times[@]}" | sort -g)
    best=$(echo "$sorted" | head -1)
    median=$(echo "$sorted" | sed -n "$(((repeats + 1) / 2))p")
    years=$((draws * reps * arms))
    printf '%-8s %-6s %-8s %10.2f %10.2f %16.0f\n' "$draws" "$reps" "$threads" "$best" "$median" \
      "$(echo "$years / $best" | bc -l)"
  done
done
