#!/usr/bin/env bash
# How the exact engine's cost grows (README, "How cost grows (exact)"): for each
# chamber of benches/chambers/, the median wall time of R runs of `whipcount exact`
# and, where the peer supports the chamber, of the NumPy tilting peer, the two
# taking turns. Usage: scripts/exact_growth.sh [PYTHON] [R] (CHAMBERS="a b" for a
# subset); needs a release build and, for the peer, numpy.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${1:-python3}
R=${2:-3}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "| chamber | seats | whipcount exact | NumPy peer | NumPy / whipcount | P(pass) |\n|---|---:|---:|---:|---:|---|\n"
for name in ${CHAMBERS:-moved-342 moved-1000 moved-3000 moved-10000 moved-30000 moved-100000 members-2000 blocs-200 \
    cohesive-342 cohesive-1000 cohesive-3000 cohesive-10000}; do
  file=benches/chambers/$name.toml
  seats=$(grep -m1 '^seats' "$file" | tr -dc 0-9)
  w=(); n=(); p=""; q=""
  for _ in $(seq "$R"); do
    out=$(./target/release/whipcount exact "$file" --json -q)
    w+=("$(echo "$out" | sed -n 's/.*"elapsed_s": *\([0-9.e-]*\).*/\1/p')")
    p=$(echo "$out" | sed -n 's/.*"p_pass": *\([0-9.e-]*\).*/\1/p')
    if [[ $name != cohesive-* || $seats -le 1000 ]]; then
      peer=$("$PY" scripts/numpy_exact_tilt.py "$file" --panels 128)
      n+=("$(echo "$peer" | sed -n 's/.*seconds=\([0-9.]*\).*/\1/p')")
      q=$(echo "$peer" | sed -n 's/.*p_pass=\([0-9.e-]*\).*/\1/p')
    fi
  done
  tw=$(printf "%s\n" "${w[@]}" | median)
  if [[ ${#n[@]} -gt 0 ]]; then
    tn=$(printf "%s\n" "${n[@]}" | median)
    printf "| %s | %s | %.3f s | %.3f s | %.1f× | %s (peer %s) |\n" "$name" "$seats" "$tw" "$tn" "$(awk -v a="$tn" -v b="$tw" 'BEGIN {print a / b}')" "$p" "$q"
  else
    printf "| %s | %s | %.3f s | — | — | %s |\n" "$name" "$seats" "$tw" "$p"
  fi
done
