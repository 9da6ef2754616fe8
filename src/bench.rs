//! `whipcount bench`: the sampler's throughput at several thread counts.
//!
//! Each measurement runs the full sampler (batches, merging, histogram) on the same
//! scenario, seed and trial count, after one untimed warm-up run, so the rows are
//! comparable within one invocation: `speedup` is relative to the first row of
//! the same path. Timing is wall-clock.

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
}

/// Measures `scenario` at each thread count along each path.
pub fn run(scenario: &Scenario, trials: u64, threads: &[usize], seed: u64, paths: &[Paths]) -> Result<Vec<Row>> {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    let mut rows = Vec::new();
    for &path in paths {
        let most = threads.iter().copied().max().unwrap_or(1);
        let warm = Config { trials: (trials / 10).max(1), seed, threads: most, precision: None, paths: path };
        sampler::run(scenario, &warm, &controls)?;
        let mut base = None;
        for &t in threads {
            let config = Config { trials, seed, threads: t, precision: None, paths: path };
            let started = Instant::now();
            sampler::run(scenario, &config, &controls)?;
            let seconds = started.elapsed().as_secs_f64();
            let rate = votes_per_second(trials, seconds);
            let speedup = rate / *base.get_or_insert(rate);
            let name = if path == Paths::Fast { "fast" } else { "direct" };
            rows.push(Row { threads: t, trials, seconds, votes_per_s: rate, speedup, path: name });
        }
    }
    Ok(rows)
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
