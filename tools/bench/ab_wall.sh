#!/usr/bin/env bash
# Two pkrisk binaries against each other in wall time: N alternating 1-thread
# runs of one scenario each (old, new, old, new, ...), so that the drift of a
# shared machine falls on both alike; prints every run's user seconds and the
# median and best of each. A change of a few per cent shows only this way:
# instruction counts do not predict this engine's time (docs/performance.md).
# Builds nothing: pass the binaries.
#
#   tools/bench/ab_wall.sh OLD_PKRISK NEW_PKRISK [scenario.yaml] [replications] [pairs]
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 OLD_PKRISK NEW_PKRISK [SCENARIO] [REPLICATIONS] [PAIRS]" >&2
  exit 2
fi
old=$1
new=$2
here=$(dirname "$0")
scenario=${3:-"$here/../../scenarios/reference.yaml"}
reps=${4:-10000}
pairs=${5:-6}

seconds() {  # binary: user seconds of one run (an acceptance failure, exit 1, is a result)
  local out rc=0
  out=$({ /usr/bin/time -f "%U" "$1" run "$scenario" -n "$reps" --threads 1 -q --format json \
    > /dev/null; } 2>&1) || rc=$?
  if [[ $rc -gt 1 ]]; then
    echo "$1 failed ($rc): $out" >&2
    exit 1
  fi
  tail -n 1 <<< "$out"
}

declare -a a b
for ((i = 0; i < pairs; i++)); do
  a+=("$(seconds "$old")")
  b+=("$(seconds "$new")")
done

summary() {  # label, times...: the runs, median and best
  local label=$1
  shift
  printf '%s\n' "$@" | sort -n | awk -v label="$label" -v runs="$*" '
    { t[NR] = $1 }
    END {
      med = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
      printf "%-4s runs %s  median %.2f s  best %.2f s\n", label, runs, med, t[1]
    }'
}
echo "scenario $(basename "$scenario"), $reps replications, 1 thread, $pairs alternating pairs"
summary old "${a[@]}"
summary new "${b[@]}"
