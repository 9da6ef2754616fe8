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
use crate::sampler::{self, Config, Controls, Paths};
use crate::scenario::Scenario;
use crate::stats::votes_per_second;
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// One measurement: the fields in the order of the CSV columns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Worker threads.
    pub threads: usize,
    /// Simulated votes.
    pub trials: u64,
    /// Timed runs; `seconds` is their median.
    pub runs: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Simulated votes per second.
    pub votes_per_s: f64,
    /// Throughput relative to the first row of the same path.
    pub speedup: f64,
    /// `fast` or `direct`.
    pub path: &'static str,
}

/// What a bench measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// One row per path and thread count with at least one timed run.
    pub rows: Vec<Row>,
    /// Whether it was interrupted: rows then count the runs finished.
    pub partial: bool,
}

/// What to measure.
#[derive(Debug, Clone)]
pub struct Plan<'a> {
    /// Simulated votes per run.
    pub trials: u64,
    /// Thread counts, in order.
    pub threads: &'a [usize],
    /// The seed.
    pub seed: u64,
    /// The paths to measure.
    pub paths: &'a [Paths],
    /// Timed runs per thread count (at least 1).
    pub runs: usize,
}

/// Measures `scenario` at each thread count along each path, `runs` times each.
/// Once `stop` is set, the run under way is dropped and the report holds the
/// runs finished.
pub fn run(scenario: &Scenario, plan: &Plan, stop: &AtomicBool) -> Result<Report> {
    let mut rows = Vec::new();
    for &path in plan.paths {
        let config =
            |threads: usize, trials: u64| Config { trials, seed: plan.seed, threads, precision: None, paths: path };
        let most = plan.threads.iter().copied().max().unwrap_or(1);
        if timed(scenario, &config(most, (plan.trials / 10).max(1)), stop)?.is_none() {
            break;
        }
        let mut times = vec![Vec::new(); plan.threads.len()];
        'runs: for _ in 0..plan.runs.max(1) {
            for (t, &n) in plan.threads.iter().enumerate() {
                match timed(scenario, &config(n, plan.trials), stop)? {
                    Some(seconds) => times[t].push(seconds),
                    None => break 'runs,
                }
            }
        }
        rows.extend(path_rows(plan, path, times));
    }
    Ok(Report { rows, partial: stop.load(Ordering::Relaxed) })
}

/// The rows of one path: the median of each thread count's times, speed-up
/// relative to the first.
fn path_rows(plan: &Plan, path: Paths, times: Vec<Vec<f64>>) -> Vec<Row> {
    let name = if path == Paths::Fast { "fast" } else { "direct" };
    let mut base = None;
    let mut rows = Vec::new();
    for (&threads, seconds) in plan.threads.iter().zip(times).filter(|(_, t)| !t.is_empty()) {
        let runs = seconds.len();
        let seconds = median(seconds);
        let votes_per_s = votes_per_second(plan.trials, seconds);
        let speedup = votes_per_s / *base.get_or_insert(votes_per_s);
        rows.push(Row { threads, trials: plan.trials, runs, seconds, votes_per_s, speedup, path: name });
    }
    rows
}

/// Wall-clock seconds of one run, or `None` if it was stopped.
fn timed(scenario: &Scenario, config: &Config, stop: &AtomicBool) -> Result<Option<f64>> {
    let controls = Controls { progress: &|_| {}, stop };
    let started = Instant::now();
    let run = sampler::run(scenario, config, &controls)?;
    Ok((!run.partial).then(|| started.elapsed().as_secs_f64()))
}

/// The median (the mean of the middle two for an even count).
fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 { xs[n / 2] } else { (xs[n / 2 - 1] + xs[n / 2]) / 2.0 }
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
