//! The parallel Monte Carlo sampler.
//!
//! **Method.** Trials are cut into fixed batches of [`BATCH`] votes; batch b
//! simulates trials b·BATCH.. with its own generator seeded from (seed, b) (see
//! [`rng`]). Batches are small (1,024 votes) so that even a short run of an
//! expensive chamber is shared among the threads. They run on a rayon pool in
//! rounds of [`ROUND`] batches (with `precision`, rounds of 64, 128, 256, …
//! batches first, so loose targets stop early); each thread adds the batches it
//! takes to a histogram of counted yes votes and a pass count of its own, and
//! these are added. Counts are integers (u64: 10^11 trials cannot overflow), so
//! the result is byte-identical for any number of threads, and memory is a few
//! histograms per thread, whatever the number of trials.
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

/// Drops `items` on the current pool's threads, each on its own, so that
/// freeing a large kernel's tables is shared among the threads as building them
/// was (dropping a kernel frees them on one thread, after the votes).
fn free<T: Send>(items: Vec<T>) {
    items.into_par_iter().with_max_len(1).for_each(drop);
}

/// Votes per batch: each batch draws from its own generator, so this is the
/// grain at which a run's votes can be shared among threads (a run of 10^4 votes
/// is ten batches).
pub const BATCH: u64 = 1 << 10;
/// Batches per round once warmed up (2^23 votes): the grain of precision checks,
/// progress and interruption.
pub const ROUND: u64 = 1 << 13;
/// A precision run's first round (2^16 votes), doubled each round up to [`ROUND`].
const FIRST_ROUND: u64 = 1 << 6;
/// The most trials a `precision` run makes unless told otherwise.
pub const PRECISION_CAP: u64 = 10_000_000_000;
/// The seed used when none is given.
pub const DEFAULT_SEED: u64 = 20_220_409;
/// Which votes this sampler draws for a (scenario, seed, batch): raised whenever
/// the votes of some scenario change, so that part files drawn by different
/// versions are never merged ([`crate::shard`]). 1: until 26 November 2026;
/// 2: since blocs drawn as one member-table draw take their words before the
/// other directly drawn blocs (`kernel`'s doc); 3: since batches hold 1,024
/// votes instead of 65,536; 4: since blocs that do not fit in one swing group
/// make more groups instead of being drawn directly (the votes of scenarios
/// whose group blocs fit in one did not change).
pub const DRAWS: u32 = 4;

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

/// The tally of some batches.
struct Tally {
    counts: Vec<u64>,
    passes: u64,
    /// Votes per value of the rule's statistic (empty when yes alone decides or
    /// when not asked for).
    margin: Vec<u64>,
    /// Whether a batch was skipped because the run was stopped.
    stopped: bool,
}

impl Tally {
    /// No votes yet, with a margin histogram when `count_margin` (and the rule
    /// has a statistic other than yes).
    fn zeroed(kernel: &Kernel, count_margin: bool) -> Tally {
        let slots = margin::range(kernel.test(), kernel.seats() as u32).map_or(0, |(_, n)| n);
        let margin = vec![0; if count_margin { slots } else { 0 }];
        Tally { counts: vec![0; kernel.seats() + 1], passes: 0, margin, stopped: false }
    }

    /// Both tallies' votes (integer sums: the same in any order).
    fn add(mut self, other: Tally) -> Tally {
        self.counts.iter_mut().zip(&other.counts).for_each(|(t, c)| *t += c);
        self.margin.iter_mut().zip(&other.margin).for_each(|(t, c)| *t += c);
        self.passes += other.passes;
        self.stopped |= other.stopped;
        self
    }
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
    let draw = |k: Kernel| {
        let run = run_rounds(&k, config, 0..batches(config.trials), controls, false).0;
        k.free();
        run
    };
    let mut scenarios = scenarios.into_iter();
    let mut pending = None;
    loop {
        let next = scenarios.next();
        let (built, drawn) = pool.install(|| rayon::join(|| next.map(build), || pending.map(draw)));
        if drawn.is_some_and(|run| !each(run)) {
            pool.install(|| built.map(Kernel::free));
            break;
        }
        pending = built;
        if pending.is_none() {
            break;
        }
    }
    pool.install(|| cache.free());
    Ok(())
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
    pool.install(|| kernel.free());
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
    let mut total = Tally::zeroed(kernel, count_margin);
    let mut start = range.start;
    // Precision runs start with small rounds so that loose targets stop early.
    let mut round = if config.precision.is_some() { FIRST_ROUND } else { ROUND };
    while start < batches {
        let end = (start + round).min(batches);
        round = (round * 2).min(ROUND);
        // Each thread adds the batches it takes to a tally of its own.
        let tallies = (start..end).into_par_iter().fold(
            || Tally::zeroed(kernel, count_margin),
            |tally, b| run_batch(kernel, config, b, controls.stop, tally),
        );
        if let Some(round) = tallies.reduce_with(Tally::add) {
            total = total.add(round);
        }
        let trials: u64 = total.counts.iter().sum();
        (controls.progress)(trials);
        if total.stopped {
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

/// Adds batch `batch`'s votes to `tally` (or marks it stopped).
fn run_batch(kernel: &Kernel, config: &Config, batch: u64, stop: &AtomicBool, mut tally: Tally) -> Tally {
    if stop.load(Ordering::Relaxed) {
        tally.stopped = true;
        return tally;
    }
    let n = BATCH.min(config.trials - batch * BATCH);
    let mut rng = rng::batch_rng(config.seed, batch);
    let test = kernel.test();
    let Tally { counts, passes, margin, .. } = &mut tally;
    if margin.is_empty() {
        votes(kernel, &mut rng, n, counts, passes, |_, _| {});
    } else {
        let lowest = margin::range(test, kernel.seats() as u32).map_or(0, |(lowest, _)| lowest);
        votes(kernel, &mut rng, n, counts, passes, |yes, other| {
            margin[(test.statistic(yes, other) - lowest) as usize] += 1
        });
    }
    tally
}

/// Adds `n` votes to `counts` (by counted yes) and `passes`, showing each to `also` (a
/// no-op closure costs nothing: the loop is compiled once per closure).
/// The loop is compiled apart for the common kinds of kernel ([`Parts`]): the
/// first of these that holds every kind the kernel has.
#[inline(always)]
fn votes<R: rand::Rng>(
    kernel: &Kernel,
    rng: &mut R,
    n: u64,
    counts: &mut [u64],
    passes: &mut u64,
    also: impl FnMut(u32, u32),
) {
    const TABLES_AND_GROUP: u8 = Parts::TABLES | Parts::GROUP;
    let within = |mask: u8| kernel.parts() & !mask == 0;
    if within(Parts::TABLES) {
        votes_as::<{ Parts::TABLES }, _>(kernel, rng, n, counts, passes, also)
    } else if within(Parts::GROUP) {
        votes_as::<{ Parts::GROUP }, _>(kernel, rng, n, counts, passes, also)
    } else if within(TABLES_AND_GROUP) {
        votes_as::<TABLES_AND_GROUP, _>(kernel, rng, n, counts, passes, also)
    } else if within(Parts::MEMBERS) {
        votes_as::<{ Parts::MEMBERS }, _>(kernel, rng, n, counts, passes, also)
    } else {
        votes_as::<{ Parts::ALL }, _>(kernel, rng, n, counts, passes, also)
    }
}

#[inline(always)]
fn votes_as<const PARTS: u8, R: rand::Rng>(
    kernel: &Kernel,
    rng: &mut R,
    n: u64,
    counts: &mut [u64],
    passes: &mut u64,
    mut also: impl FnMut(u32, u32),
) {
    let test = kernel.test();
    for _ in 0..n {
        let (yes, other) = kernel.sample_as::<PARTS, _>(rng);
        counts[yes as usize] += 1;
        *passes += u64::from(test.passes(yes, other));
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
        let config = Config { trials: 64 * BATCH + 1000, threads: 2, ..Config::default() };
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
