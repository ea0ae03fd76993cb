#!/usr/bin/env bash
# Whole-run timer: the reference scenario's baseline and three arms at 10,000
# replications each (40,000 simulated mission-years) with --threads 1 and 2,
# five wall-clock runs each (alternating), as mission-years per second and
# speed-up, best and median.
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
scenario=${2:-"$(dirname "$0")/../../scenarios/reference.yaml"}
reps=10000
repeats=5

[[ -x $pkrisk ]] || { echo "$0: $pkrisk is not an executable" >&2; exit 2; }
[[ -r $scenario ]] || { echo "$0: cannot read $scenario" >&2; exit 2; }

# The number of arms (baseline included) times the replications is the number
# of mission-years; count the arms from the run's own JSON. (One replication
# may fail the scenario's acceptance gate; its JSON is still complete.)
arms=$({ "$pkrisk" run "$scenario" -n 1 --threads 1 -q --format json 2>/dev/null || true; } |
  python3 -c 'import json, sys; print(len(json.load(sys.stdin)["arms"]))')
years=$((arms * reps))

seconds() {  # threads: one timed run
  local t0 t1
  t0=$(date +%s.%N)
  "$pkrisk" run "$scenario" -n "$reps" --threads "$1" -q --format json >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc -l
}

# 1- and 2-thread runs alternate, so that both see the same moments of a
# shared machine; best and median of each are reported.
runs1=() runs2=()
for _ in $(seq "$repeats"); do
  runs1+=("$(seconds 1)")
  runs2+=("$(seconds 2)")
done
printf 'scenario: %s (%d arms x %d replications = %d mission-years), %d runs each\n' \
  "$scenario" "$arms" "$reps" "$years" "$repeats"
python3 - "$years" "${runs1[*]}" "${runs2[*]}" <<'PY'
import statistics, sys
years = int(sys.argv[1])
r1 = sorted(map(float, sys.argv[2].split()))
r2 = sorted(map(float, sys.argv[3].split()))
for name, r in (("threads 1", r1), ("threads 2", r2)):
    best, med = r[0], statistics.median(r)
    print(f"{name}: best {best:6.3f} s ({years / best:6.0f} mission-years/s), "
          f"median {med:6.3f} s, all {' '.join(f'{x:.2f}' for x in r)}")
print(f"speed-up (2 vs 1 thread): {r1[0] / r2[0]:.2f}x on the bests, "
      f"{statistics.median(r1) / statistics.median(r2):.2f}x on the medians")
PY
