#!/usr/bin/env bash
# Whole-run timer: the reference scenario's baseline and three arms at 10,000
# replications each (40,000 simulated mission-years) with --threads 1 and 2,
# best of 3 wall-clock runs each, as mission-years per second and speed-up.
# Builds nothing: pass the pkrisk binary.
#
#   tools/bench/run_timing.sh build/tools/pkrisk [scenario.yaml]
#
# Wall-clock figures depend on the machine's load: read them as indications
# (callgrind instruction counts are the stable measure).
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 PKRISK [SCENARIO]" >&2
  exit 2
fi
pkrisk=$1
scenario=${2:-/work/shared/scenario-reference.yaml}
reps=10000
repeats=3

[[ -x $pkrisk ]] || { echo "$0: $pkrisk is not an executable" >&2; exit 2; }
[[ -r $scenario ]] || { echo "$0: cannot read $scenario" >&2; exit 2; }

# The number of arms (baseline included) times the replications is the number
# of mission-years; count the arms from the run's own JSON. (One replication
# may fail the scenario's acceptance gate; its JSON is still complete.)
arms=$({ "$pkrisk" run "$scenario" -n 1 --threads 1 -q --format json || true; } |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["arms"]))')
years=$((arms * reps))

best_seconds() {  # threads
  local best=""
  for _ in $(seq "$repeats"); do
    local t0 t1 s
    t0=$(date +%s.%N)
    "$pkrisk" run "$scenario" -n "$reps" --threads "$1" -q --format json >/dev/null
    t1=$(date +%s.%N)
    s=$(echo "$t1 - $t0" | bc -l)
    if [[ -z $best ]] || (($(echo "$s < $best" | bc -l))); then best=$s; fi
  done
  echo "$best"
}

t1=$(best_seconds 1)
t2=$(best_seconds 2)
printf 'scenario: %s (%d arms x %d replications = %d mission-years), best of %d\n' \
  "$scenario" "$arms" "$reps" "$years" "$repeats"
printf 'threads 1: %6.3f s  %8.0f mission-years/s\n' "$t1" "$(echo "$years / $t1" | bc -l)"
printf 'threads 2: %6.3f s  %8.0f mission-years/s\n' "$t2" "$(echo "$years / $t2" | bc -l)"
printf 'speed-up (2 vs 1 thread): %.2fx\n' "$(echo "$t1 / $t2" | bc -l)"
