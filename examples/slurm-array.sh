#!/usr/bin/env bash
# One whipcount run split over a Slurm cluster: a job array of N shards, then a
# merge job that starts once every shard has succeeded.
#
#   examples/slurm-array.sh SCENARIO SHARDS TRIALS [SEED]
#   examples/slurm-array.sh configs/pakistan-2022-03-30.toml 32 1e11
#
# Everything lands in $OUT (default runs/NAME-SEED): part-K.json for shard K,
# shard-T.log for array task T = K - 1, and after the merge distribution.csv,
# distribution.svg, summary.json and merge.log. distribution.csv and summary.json (apart from
# threads, elapsed_s and votes_per_s) are byte for byte what one machine would
# give for `whipcount simulate SCENARIO --trials TRIALS --seed SEED`.
#
# Needs: whipcount on every node's PATH (or WHIPCOUNT=/path/to/whipcount), the
# scenario file and $OUT on a filesystem the nodes share (a built-in scenario name
# needs no file). Set CPUS (default 4) for the cores per shard and SBATCH_ARGS
# for anything else your site wants (partition, account, time limit).
set -euo pipefail

if [[ $# -lt 3 ]]; then
    sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
scenario=$1
shards=$2
trials=$3
seed=${4:-20220409}
whipcount=${WHIPCOUNT:-whipcount}
cpus=${CPUS:-4}
out=${OUT:-runs/$(basename "$scenario" .toml)-$seed}
read -r -a site <<< "${SBATCH_ARGS:-}"

# Fail here, not on the cluster: the scenario must validate, the shard count be sane.
"$whipcount" check "$scenario" > /dev/null
[[ $shards =~ ^[1-9][0-9]*$ ]] || { echo "SHARDS must be a whole number ≥ 1, not '$shards'" >&2; exit 2; }
mkdir -p "$out"

# Slurm numbers array tasks from 0; whipcount numbers shards from 1.
array=$(sbatch --parsable "${site[@]}" --job-name=whipcount-shard --array="0-$((shards - 1))" \
    --cpus-per-task="$cpus" --output="$out/shard-%a.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
k=\$((SLURM_ARRAY_TASK_ID + 1))
exec "$whipcount" simulate "$scenario" --trials "$trials" --seed "$seed" \\
    --threads "\$SLURM_CPUS_PER_TASK" --shard "\$k/$shards" --out "$out/part-\$k.json" --quiet
EOF
)
array=${array%%;*}   # --parsable may append ";cluster"

merge=$(sbatch --parsable "${site[@]}" --job-name=whipcount-merge --dependency="afterok:$array" \
    --output="$out/merge.log" <<EOF
#!/usr/bin/env bash
set -euo pipefail
parts=()
for k in \$(seq 1 $shards); do parts+=("$out/part-\$k.json"); done
"$whipcount" merge "\${parts[@]}" --out "$out/distribution.csv" --plot "$out/distribution.svg"
"$whipcount" merge "\${parts[@]}" --json > "$out/summary.json.tmp"
mv "$out/summary.json.tmp" "$out/summary.json"
EOF
)

echo "shards: job array $array (tasks 0-$((shards - 1))); merge: job ${merge%%;*}, after all succeed"
echo "results in $out/"
