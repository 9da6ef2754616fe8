//! `whipcount bench`: the sampler's throughput at several thread counts.
//!
//! Each measurement runs the full sampler (batches, merging, histogram) on the same
//! scenario, seed and trial count, after one untimed warm-up run, so the rows are
//! comparable within one invocation: `speedup` is relative to the first row of
//! the same path. Timing is wall-clock. A shared VM's speed drifts from second to
//! second, so each thread count is timed `runs` times, the thread counts taking
//! turns (1, 2, 1, 2, …), and a row reports the median: drift then affects every
//! thread count alike instead of whichever happened to run during it.

use crate::error::Result;
use crate::export::votes_per_second;
use crate::sampler::{self, Config, Controls, Paths};
use crate::scenario::Scenario;
use serde::Serialize;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// One measurement.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Worker threads.
    pub threads: usize,
    /// Simulated votes.
    pub trials: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Simulated votes per second.
    pub votes_per_s: f64,
    /// Throughput relative to the first row of the same path.
    pub speedup: f64,
    /// `fast` or `direct`.
    pub path: &'static str,
    /// Timed runs; `seconds` is their median.
    pub runs: usize,
}

/// Measures `scenario` at each thread count along each path, `runs` times each.
pub fn run(
    scenario: &Scenario,
    trials: u64,
    threads: &[usize],
    seed: u64,
    paths: &[Paths],
    runs: usize,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for &path in paths {
        let config = |threads: usize, trials: u64| Config { trials, seed, threads, precision: None, paths: path };
        let most = threads.iter().copied().max().unwrap_or(1);
        timed(scenario, &config(most, (trials / 10).max(1)))?;
        let mut times = vec![Vec::new(); threads.len()];
        for _ in 0..runs.max(1) {
            for (t, &n) in threads.iter().enumerate() {
                times[t].push(timed(scenario, &config(n, trials))?);
            }
        }
        let mut base = None;
        for (&t, seconds) in threads.iter().zip(times) {
            let seconds = median(seconds);
            let rate = votes_per_second(trials, seconds);
            let speedup = rate / *base.get_or_insert(rate);
            let name = if path == Paths::Fast { "fast" } else { "direct" };
            rows.push(Row { threads: t, trials, seconds, votes_per_s: rate, speedup, path: name, runs: runs.max(1) });
        }
    }
    Ok(rows)
}

/// Wall-clock seconds of one run.
fn timed(scenario: &Scenario, config: &Config) -> Result<f64> {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    let started = Instant::now();
    sampler::run(scenario, config, &controls)?;
    Ok(started.elapsed().as_secs_f64())
}

/// The median (the mean of the middle two for an even count).
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
}

/// The rows as CSV: `threads,trials,seconds,votes_per_s,speedup,path`.
pub fn csv(rows: &[Row]) -> String {
    let mut out = String::from("threads,trials,seconds,votes_per_s,speedup,path\n");
    for r in rows {
        out.push_str(&format!(
            "{},{},{:.4},{:.0},{:.3},{}\n",
            r.threads, r.trials, r.seconds, r.votes_per_s, r.speedup, r.path
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(vec![7.0]), 7.0);
    }
}
