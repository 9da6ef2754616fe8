//! The parallel Monte Carlo sampler.
//!
//! **Method.** Trials are cut into fixed batches of [`BATCH`] votes; batch b
//! simulates trials b·BATCH.. with its own generator seeded from (seed, b) (see
//! [`rng`]). Batches run on a rayon pool in rounds of [`ROUND`] batches (with
//! `precision`, rounds of 1, 2, 4, … batches first, so loose targets stop early);
//! each returns a
//! histogram of counted yes votes and a pass count, merged in batch order. Counts
//! are integers (u64: 10^11 trials cannot overflow), so the result is
//! byte-identical for any number of threads, and memory is one histogram per batch
//! of a round, whatever the number of trials.
//!
//! **Value stability.** The kernel ([`Kernel`]) picks every sampling path from the
//! scenario alone and is built inside the run's pool, so batch b's votes depend
//! only on (scenario, seed, b): not on the trials, the threads or what is
//! recorded. A run can therefore be cut into ranges of batches ([`run_batches`],
//! the shards of [`crate::shard`]) whose integer tallies add up to the whole run's.
//!
//! **Uncertainty.** P(pass) is a binomial proportion; its standard error is
//! √(p(1 − p)/n) and its 95% interval the Wilson interval ([`crate::stats`]).
//! With `precision = H` rounds continue until the Wilson half-width is at most H
//! (or [`PRECISION_CAP`] trials); the check runs only between rounds, so where it
//! stops does not depend on the threads either.

mod binned;
mod binomial;
mod btrs;
mod celled;
mod cohesive_table;
mod composite;
mod direct;
pub mod dirichlet;
mod grouped;
mod inverse;
mod kernel;
mod large;
mod member_blocs;
mod member_table;
pub mod path;
pub mod rng;
mod swing_cache;
mod swing_group;
mod swing_part;
mod swing_table;
mod table;
mod tilted;
mod unit;
mod zgrid;

pub use kernel::{Kernel, Parts};
pub use path::{Path, Paths};

use crate::error::{Error, Result, Setting};
use crate::margin::{self, Margin};
use crate::scenario::Scenario;
use crate::stats::{Estimate, wilson_half_width};
use rayon::prelude::*;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use swing_cache::GroupCache as TableCache;

/// Votes per batch.
pub const BATCH: u64 = 1 << 16;
/// Batches per round once warmed up: the grain of precision checks, progress and interruption.
pub const ROUND: u64 = 128;
/// The most trials a `precision` run makes unless told otherwise.
pub const PRECISION_CAP: u64 = 10_000_000_000;
/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_220_409;
/// Which votes this sampler draws for a (scenario, seed, batch): raised whenever
/// the votes of some scenario change, so that part files drawn by different
/// versions are never merged ([`crate::shard`]). 1: until 26 November 2026;
/// 2: since blocs drawn as one member-table draw take their words before the
/// other directly drawn blocs (`kernel`'s doc).
pub const DRAWS: u32 = 2;

/// How to run the sampler.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    /// Trials to run; with `precision`, the most to run.
    pub trials: u64,
    /// The seed.
    pub seed: u64,
    /// Worker threads (≥ 1).
    pub threads: usize,
    /// Stop once the 95% half-width on P(pass) is at most this.
    pub precision: Option<f64>,
    /// Fast paths or the literal simulation.
    pub paths: Paths,
}

impl Default for Config {
    fn default() -> Self {
        Config { trials: 1_000_000, seed: DEFAULT_SEED, threads: 1, precision: None, paths: Paths::Fast }
    }
}

/// Hooks the caller may use to watch and stop a run.
pub struct Controls<'a> {
    /// Called after each round with the number of trials finished so far.
    pub progress: &'a (dyn Fn(u64) + Sync),
    /// Set to stop: batches not yet started are skipped and the run is partial.
    pub stop: &'a AtomicBool,
}

/// A finished (or interrupted) run.
#[derive(Debug, Clone)]
pub struct Run {
    /// The estimate from every finished batch.
    pub estimate: Estimate,
    /// Whether the run was stopped early.
    pub partial: bool,
    /// The law of the deciding margin over the same votes, under a vote-based rule.
    pub margin: Option<Margin>,
}

/// One batch's tally.
struct Tally {
    counts: Vec<u64>,
    passes: u64,
    /// Votes per value of the rule's statistic (empty when yes alone decides).
    margin: Vec<u64>,
}

/// Runs `config.trials` simulated votes of `scenario` (or until `config.precision`).
pub fn run(scenario: &Scenario, config: &Config, controls: &Controls) -> Result<Run> {
    run_counting(scenario, config, 0..batches(config.trials), controls, false)
}

/// Like [`run`], also counting the deciding margin of the same votes under a
/// vote-based rule (for charts; [`run`] skips that work).
pub fn run_with_margin(scenario: &Scenario, config: &Config, controls: &Controls) -> Result<Run> {
    run_counting(scenario, config, 0..batches(config.trials), controls, true)
}

/// The number of batches of a run of `trials` votes.
pub fn batches(trials: u64) -> u64 {
    trials.div_ceil(BATCH)
}

/// Runs each of `scenarios` (the points of a sweep) as [`run`] would, with the
/// same votes, handing each run in order to `each` until it returns `false`.
/// One pool serves them all; each scenario's tables are built while the
/// previous one's votes are drawn, reusing the swing group's tables of blocs
/// the previous scenario had.
pub fn run_each<'a>(
    scenarios: impl IntoIterator<Item = &'a Scenario>,
    config: &Config,
    controls: &Controls,
    mut each: impl FnMut(Run) -> bool,
) -> Result<()> {
    let pool = pool(config.threads)?;
    let cache = TableCache::default();
    let build = |s: &Scenario| Kernel::reusing(s, config.paths, &cache);
    let draw = |k: &Kernel| run_rounds(k, config, 0..batches(config.trials), controls, false).0;
    let mut scenarios = scenarios.into_iter();
    let mut pending = None;
    loop {
        let next = scenarios.next();
        let (built, drawn) = pool.install(|| rayon::join(|| next.map(build), || pending.as_ref().map(draw)));
        if drawn.is_some_and(|run| !each(run)) {
            return Ok(());
        }
        pending = built;
        if pending.is_none() {
            return Ok(());
        }
    }
}

/// Runs only `batches` (within the `config.trials` votes' batches): one shard of
/// a run. Merging the tallies of ranges that cover every batch gives the whole run.
pub fn run_batches(scenario: &Scenario, config: &Config, batches: Range<u64>, controls: &Controls) -> Result<Run> {
    run_counting(scenario, config, batches, controls, false)
}

fn run_counting(
    scenario: &Scenario,
    config: &Config,
    batches: Range<u64>,
    controls: &Controls,
    count_margin: bool,
) -> Result<Run> {
    let pool = pool(config.threads)?;
    let kernel = pool.install(|| Kernel::new(scenario, config.paths));
    let (run, margin) = pool.install(|| run_rounds(&kernel, config, batches, controls, count_margin));
    let range = margin::range(kernel.test(), scenario.chamber.seats);
    let margin = range
        .filter(|_| count_margin)
        .and_then(|(lowest, _)| Margin::from_counts(&scenario.rule, scenario.chamber.seats, lowest, &margin));
    Ok(Run { margin, ..run })
}

/// The run's own pool of `threads` (≥ 1) worker threads: its tables are built
/// and its batches run there.
pub fn pool(threads: usize) -> Result<rayon::ThreadPool> {
    if threads == 0 {
        return Err(Error::Setting { setting: Setting::Threads, message: "must be at least 1".into() });
    }
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| Error::Other(format!("cannot start {threads} threads: {e}")))
}

fn run_rounds(
    kernel: &Kernel,
    config: &Config,
    range: Range<u64>,
    controls: &Controls,
    count_margin: bool,
) -> (Run, Vec<u64>) {
    let batches = range.end.min(self::batches(config.trials));
    let mut total =
        Tally { counts: vec![0; kernel.seats() + 1], passes: 0, margin: margin_slots(kernel, count_margin) };
    let mut start = range.start;
    // Precision runs start with small rounds so that loose targets stop early.
    let mut round = if config.precision.is_some() { 1 } else { ROUND };
    while start < batches {
        let end = (start + round).min(batches);
        round = (round * 2).min(ROUND);
        let tallies: Vec<Option<Tally>> =
            (start..end).into_par_iter().map(|b| run_batch(kernel, config, b, controls.stop, count_margin)).collect();
        for tally in tallies.iter().flatten() {
            total.counts.iter_mut().zip(&tally.counts).for_each(|(t, c)| *t += c);
            total.passes += tally.passes;
            total.margin.iter_mut().zip(&tally.margin).for_each(|(t, c)| *t += c);
        }
        let trials: u64 = total.counts.iter().sum();
        (controls.progress)(trials);
        if tallies.iter().any(Option::is_none) {
            let run = Run { estimate: Estimate::monte_carlo(total.counts, total.passes), partial: true, margin: None };
            return (run, total.margin);
        }
        if config.precision.is_some_and(|h| wilson_half_width(total.passes, trials) <= h) {
            break;
        }
        start = end;
    }
    (Run { estimate: Estimate::monte_carlo(total.counts, total.passes), partial: false, margin: None }, total.margin)
}

/// A zeroed histogram over the rule's statistic (empty when not asked for or
/// when yes alone decides).
fn margin_slots(kernel: &Kernel, count_margin: bool) -> Vec<u64> {
    let slots = margin::range(kernel.test(), kernel.seats() as u32).map_or(0, |(_, n)| n);
    vec![0; if count_margin { slots } else { 0 }]
}

fn run_batch(kernel: &Kernel, config: &Config, batch: u64, stop: &AtomicBool, count_margin: bool) -> Option<Tally> {
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    let n = BATCH.min(config.trials - batch * BATCH);
    let mut rng = rng::batch_rng(config.seed, batch);
    let mut tally = Tally { counts: vec![0u64; kernel.seats() + 1], passes: 0, margin: Vec::new() };
    let test = kernel.test();
    let mut margin = margin_slots(kernel, count_margin);
    if margin.is_empty() {
        votes(kernel, &mut rng, n, &mut tally, |_, _| {});
    } else {
        let lowest = margin::range(test, kernel.seats() as u32).map_or(0, |(lowest, _)| lowest);
        votes(kernel, &mut rng, n, &mut tally, |yes, other| {
            margin[(test.statistic(yes, other) - lowest) as usize] += 1
        });
    }
    Some(Tally { margin, ..tally })
}

/// Adds `n` votes to `tally`'s counts and passes, showing each to `also` (a
/// no-op closure costs nothing: the loop is compiled once per closure).
/// The loop is compiled apart for the common kinds of kernel ([`Parts`]): the
/// first of these that holds every kind the kernel has.
#[inline(always)]
fn votes<R: rand::Rng>(kernel: &Kernel, rng: &mut R, n: u64, tally: &mut Tally, also: impl FnMut(u32, u32)) {
    const TABLES_AND_GROUP: u8 = Parts::TABLES | Parts::GROUP;
    let within = |mask: u8| kernel.parts() & !mask == 0;
    if within(Parts::TABLES) {
        votes_as::<{ Parts::TABLES }, _>(kernel, rng, n, tally, also)
    } else if within(Parts::GROUP) {
        votes_as::<{ Parts::GROUP }, _>(kernel, rng, n, tally, also)
    } else if within(TABLES_AND_GROUP) {
        votes_as::<TABLES_AND_GROUP, _>(kernel, rng, n, tally, also)
    } else if within(Parts::MEMBERS) {
        votes_as::<{ Parts::MEMBERS }, _>(kernel, rng, n, tally, also)
    } else {
        votes_as::<{ Parts::ALL }, _>(kernel, rng, n, tally, also)
    }
}

#[inline(always)]
fn votes_as<const PARTS: u8, R: rand::Rng>(
    kernel: &Kernel,
    rng: &mut R,
    n: u64,
    tally: &mut Tally,
    mut also: impl FnMut(u32, u32),
) {
    let test = kernel.test();
    for _ in 0..n {
        let (yes, other) = kernel.sample_as::<PARTS, _>(rng);
        tally.counts[yes as usize] += 1;
        tally.passes += u64::from(test.passes(yes, other));
        also(yes, other);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    /// The library names the setting, not a flag: the binary maps it to `--threads`.
    #[test]
    fn zero_threads_is_a_refused_setting_that_names_no_flag() {
        let stop = AtomicBool::new(false);
        let controls = Controls { progress: &|_| {}, stop: &stop };
        let config = Config { threads: 0, ..Config::default() };
        let e = run(&load(None).unwrap(), &config, &controls).unwrap_err();
        assert!(matches!(e, Error::Setting { setting: Setting::Threads, .. }), "{e:?}");
        assert_eq!((e.to_string(), e.exit_code()), ("threads: must be at least 1".into(), 2));
    }

    /// Runs handed on by `run_each` are those of `run`, in order, across
    /// different scenarios (one without a swing group); it stops when told to.
    #[test]
    fn run_each_hands_on_the_runs_of_run_in_order_until_told_to_stop() {
        let stop = AtomicBool::new(false);
        let controls = Controls { progress: &|_| {}, stop: &stop };
        let config = Config { trials: BATCH + 1000, threads: 2, ..Config::default() };
        let names = [None, Some("spain-2018-06-01"), Some("pakistan-2022-03-28"), None];
        let scenarios: Vec<Scenario> = names.iter().map(|n| load(*n).unwrap()).collect();
        let mut runs = Vec::new();
        run_each(&scenarios, &config, &controls, |r| {
            runs.push(r.estimate);
            runs.len() < 3
        })
        .unwrap();
        assert_eq!(runs.len(), 3, "stopped after the third");
        for (s, e) in scenarios.iter().zip(&runs) {
            assert_eq!(run(s, &config, &controls).unwrap().estimate, *e, "{}", s.name);
        }
    }
}
