//! Writing results: the distribution CSV, the JSON summary, and atomic files.
//!
//! Every file is written whole or not at all: the bytes go to a temporary file
//! beside the target, which is then renamed over it, so an interrupted or failed
//! run never leaves a truncated output behind.

use crate::error::{Error, Result};
use crate::stats::Estimate;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Facts about a run that are not part of the distribution.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunInfo {
    /// The scenario's name.
    pub scenario: String,
    /// The seed (Monte Carlo only).
    pub seed: Option<u64>,
    /// Worker threads used.
    pub threads: usize,
    /// Wall-clock seconds.
    pub elapsed_s: f64,
    /// The fixed count of yes votes needed, when the rule has one.
    pub needed: Option<u32>,
    /// Whether the run was interrupted and reports only what was finished.
    pub partial: bool,
}

/// The JSON summary of docs/reference.md §3.
#[derive(Debug, Clone, Serialize)]
pub struct Summary<'a> {
    scenario: &'a str,
    method: &'static str,
    p_pass: f64,
    ci_low: f64,
    ci_high: f64,
    std_error: f64,
    trials: u64,
    seed: Option<u64>,
    threads: usize,
    needed: Option<u32>,
    yes_mean: f64,
    yes_sd: f64,
    yes_p05: u32,
    yes_median: u32,
    yes_p95: u32,
    elapsed_s: f64,
    votes_per_s: f64,
    partial: bool,
}

impl<'a> Summary<'a> {
    /// The summary of `estimate` from the run described by `info`.
    pub fn new(estimate: &Estimate, info: &'a RunInfo) -> Summary<'a> {
        let m = estimate.moments();
        Summary {
            scenario: &info.scenario,
            method: estimate.method.as_str(),
            p_pass: estimate.p_pass,
            ci_low: estimate.ci_low,
            ci_high: estimate.ci_high,
            std_error: estimate.std_error,
            trials: estimate.trials,
            seed: info.seed,
            threads: info.threads,
            needed: info.needed,
            yes_mean: m.mean,
            yes_sd: m.sd,
            yes_p05: m.p05,
            yes_median: m.median,
            yes_p95: m.p95,
            elapsed_s: info.elapsed_s,
            votes_per_s: votes_per_second(estimate.trials, info.elapsed_s),
            partial: info.partial,
        }
    }
}

/// Simulated votes per second (0 when nothing was timed).
pub fn votes_per_second(trials: u64, seconds: f64) -> f64 {
    if seconds > 0.0 { trials as f64 / seconds } else { 0.0 }
}

/// The summary as pretty-printed JSON.
pub fn summary_json(estimate: &Estimate, info: &RunInfo) -> String {
    serde_json::to_string_pretty(&Summary::new(estimate, info)).expect("a summary always serialises")
}

/// Any serialisable value as pretty-printed JSON.
pub fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("plain data always serialises")
}

/// The distribution CSV: `yes,count,probability,cdf,sf`, one row per count 0..=seats.
pub fn distribution_csv(estimate: &Estimate) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let (cdf, sf) = (estimate.cdf(), estimate.sf());
    w.write_record(["yes", "count", "probability", "cdf", "sf"]).expect("writing to memory");
    for k in 0..estimate.probability.len() {
        let count = estimate.counts.as_ref().map_or(String::new(), |c| c[k].to_string());
        let row = [k.to_string(), count, estimate.probability[k].to_string(), cdf[k].to_string(), sf[k].to_string()];
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let name = path.file_name().ok_or_else(|| Error::Usage(format!("{}: not a file name", path.display())))?;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|mut f| {
        f.write_all(bytes)?;
        f.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(io(e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_one_row_per_count_and_an_empty_count_for_exact() {
        let e = Estimate::exact(vec![0.5, 0.5], 0.5);
        let text = String::from_utf8(distribution_csv(&e)).unwrap();
        assert_eq!(text, "yes,count,probability,cdf,sf\n0,,0.5,0.5,1\n1,,0.5,1,0.5\n");
    }

    #[test]
    fn atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_into_a_missing_directory_fails_without_a_trace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("out.csv");
        assert!(write_atomic(&path, b"x").is_err());
        assert!(!path.exists());
    }
}
