#!/bin/bash
# One sitting of the sampler, table-building, sweep and exact timings of two
# release builds, interleaved (README, "The sampler on a machine with less cache").
# usage: scripts/before_after.sh BEFORE_BINARY AFTER_BINARY > sitting.txt
B0=$1; B1=$2; cd "$(dirname "$0")/.."
echo "# $(date -u) load: $(cut -d' ' -f1-3 /proc/loadavg)"
for rep in 1 2 3; do
  for b in $B0 $B1; do
    for s in "bench/independent-blocs 4e7" "bench/members 2e7" "pakistan-2022-03-30 4e7"; do
      set -- $s
      $b bench $1 --trials $2 --threads 1,2 --runs 3 | tail -2 | sed "s|^|bench $b $1 |"
    done
  done
done
for rep in 1 2 3; do
  for b in $B0 $B1; do
    for t in 1 2; do
      /usr/bin/time -f "time $b t$t cohesive10k-1e4 %e %U %MKB" $b simulate benches/chambers/table-cohesive-10000.toml --trials 1e4 --threads $t -q >/dev/null
      /usr/bin/time -f "time $b t$t members2000-1e6 %e %U %MKB" $b simulate benches/chambers/table-members-2000.toml --trials 1e6 --threads $t -q >/dev/null
      /usr/bin/time -f "time $b t$t sweep %e %U %MKB" $b sweep --vary 'MQM-P.switch=0.0..=1.0:0.025' --trials 1e5 --threads $t >/dev/null
    done
    /usr/bin/time -f "time $b exact-cohesive10k %e %U %MKB" $b exact benches/chambers/cohesive-10000.toml -q >/dev/null
    /usr/bin/time -f "time $b exact-default %e %U %MKB" $b exact -q >/dev/null
  done
done 2>&1
echo "# end $(date -u) load: $(cut -d' ' -f1-3 /proc/loadavg)"
