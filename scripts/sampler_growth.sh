#!/usr/bin/env bash
# How the sampler's cost grows (README, "How cost grows (sampler)"): for each
# chamber of benches/chambers/, the wall time of `whipcount simulate --trials N`
# (table building included; the median of R runs, --threads 2) and the NumPy
# peer's votes per second on one core (benches/numpy_baseline.py, 1e5 votes),
# the two taking turns. Usage: scripts/sampler_growth.sh [PYTHON] [R] [N]
# (CHAMBERS="a b" for a subset); needs a release build and numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
R=${2:-3}
N=${3:-1000000}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { sed -n "s/.*\"$1\": *\([0-9.e-]*\).*/\1/p"; }
printf "| chamber | seats | whipcount, %s votes | whipcount votes/s | NumPy votes/s (1 core) | whipcount / NumPy | P(pass), whipcount / NumPy |\n|---|---:|---:|---:|---:|---:|---|\n" "$N"
for name in ${CHAMBERS:-moved-342 moved-1000 moved-3000 moved-10000 moved-30000 moved-100000 cohesive-342 cohesive-1000 cohesive-3000 cohesive-10000}; do
  file=benches/chambers/$name.toml
  seats=$(grep -m1 '^seats' "$file" | tr -dc 0-9)
  w=(); n=(); p=""; q=""
  for _ in $(seq "$R"); do
    start=$(date +%s.%N)
    out=$(./target/release/whipcount simulate "$file" --trials "$N" --threads 2 --json -q)
    w+=("$(echo "$start $(date +%s.%N)" | awk '{print $2 - $1}')")
    p=$(echo "$out" | field p_pass)
    peer=$("$PY" benches/numpy_baseline.py "$file" --trials 100000)
    n+=("$(echo "$peer" | sed -n 's/.*votes_per_s=\([0-9]*\).*/\1/p')")
    q=$(echo "$peer" | sed -n 's/.*p_pass=\([0-9.]*\).*/\1/p')
  done
  ws=$(printf "%s\n" "${w[@]}" | median)
  ns=$(printf "%s\n" "${n[@]}" | median)
  awk -v c="$name" -v s="$seats" -v w="$ws" -v n="$ns" -v N="$N" -v p="$p" -v q="$q" \
    'BEGIN {printf "| %s | %s | %.2f s | %.2f M/s | %.3f M/s | %.0f× | %.4f / %.4f |\n", c, s, w, N / w / 1e6, n / 1e6, N / w / n, p, q}'
done
