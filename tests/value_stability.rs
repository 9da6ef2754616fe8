//! Value stability (docs/reference.md §9), in the style of rand_distr's tests:
//! the tallies of a few batches are pinned for each way a bloc can be drawn, so
//! any change to a batch's votes shows here and must be deliberate; and a batch's
//! tallies are the same however long the run, however many threads, with
//! `--precision`, and when each bloc's counts are recorded.
//!
//! A tally is pinned as (Σ yes, Σ yes², passes) over the batch's 65,536 votes,
//! which the whole histogram determines and any changed vote almost surely moves.

use std::sync::atomic::AtomicBool;
use whipcount::sampler::{self, BATCH, Config, Controls, Kernel, Paths, rng::batch_rng};
use whipcount::scenario::{Scenario, load, parse};
use whipcount::stats::Estimate;

/// A chamber whose swing-moved bloc has nine named members (member tables) and
/// unnamed members with cohesion `cohesion` (0: a binomial swing table; 0.05:
/// Beta-binomial; 0.3: a large Beta-binomial bloc, drawn at each vote's swing),
/// beside a bloc the swing does not move.
fn named(cohesion: f64) -> Scenario {
    let members: String = (0..9)
        .map(|i| {
            format!("[[bloc.member]]\nname = \"M{i}\"\nyes = {}\nabsent = 0.1\nabstain = 0.05\n", 0.1 + 0.08 * i as f64)
        })
        .collect();
    let text = format!(
        "[chamber]\nseats = 60\n[swing]\nsd = 0.35\n\
         [[bloc]]\nname = \"Fixed\"\nseats = 25\nwhip = \"yes\"\ndefect = 0.1\nswing = false\n\
         [[bloc]]\nname = \"Named\"\nseats = 35\nwhip = \"no\"\ndefect = 0.4\ncohesion = {cohesion}\n{members}"
    );
    parse(&text, "named.toml", "named").unwrap()
}

/// Each path with the scenario that takes it.
fn paths() -> Vec<(&'static str, Scenario, Paths)> {
    vec![
        ("composite tables", load(Some("bench/independent-blocs")).unwrap(), Paths::Fast),
        ("swing group", load(Some("pakistan-2022-03-30")).unwrap(), Paths::Fast),
        ("binomial swing table and member tables", named(0.0), Paths::Fast),
        ("large Beta-binomial bloc (drawn at its swing) and member tables", named(0.3), Paths::Fast),
        ("Beta-binomial swing table and member tables", named(0.05), Paths::Fast),
        (
            "large binomial blocs (drawn at their swing)",
            load(Some("benches/chambers/moved-3000.toml")).unwrap(),
            Paths::Fast,
        ),
        ("every path at once", load(Some("tests/scenarios/every-path.toml")).unwrap(), Paths::Fast),
        ("literal", load(Some("pakistan-2022-03-30")).unwrap(), Paths::Direct),
        ("literal, named members", named(0.3), Paths::Direct),
        ("named members only (one member table draw a bloc)", load(Some("bench/members")).unwrap(), Paths::Fast),
    ]
}

fn config(trials: u64, threads: usize, paths: Paths) -> Config {
    Config { trials, seed: 2022, threads, precision: None, paths }
}

fn run(s: &Scenario, config: &Config, batches: std::ops::Range<u64>) -> Estimate {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    sampler::run_batches(s, config, batches, &controls).unwrap().estimate
}

/// (Σ yes, Σ yes², passes) of a tally.
fn fingerprint(e: &Estimate) -> (u64, u64, u64) {
    let counts = e.counts.as_ref().unwrap();
    let moment = |power: u32| counts.iter().enumerate().map(|(k, c)| (k as u64).pow(power) * c).sum();
    (moment(1), moment(2), e.pass.passes)
}

/// The pinned tallies of batches 0 and 7, path by path (in the order of [`paths`]).
const PINNED: [[(u64, u64, u64); 2]; 10] = [
    [(12_166_970, 2_259_853_578, 65_528), (12_167_677, 2_260_107_617, 65_532)],
    [(11_958_078, 2_186_230_868, 63_113), (11_956_608, 2_185_689_558, 63_179)],
    [(2_409_857, 89_774_885, 61_222), (2_408_877, 89_699_439, 61_258)],
    [(2_414_287, 93_115_149, 48_041), (2_407_863, 92_592_425, 47_894)],
    [(2_409_414, 90_237_628, 58_584), (2_408_839, 90_193_473, 58_541)],
    [(106_940_559, 174_631_889_873, 65_521), (106_922_520, 174_570_505_688, 65_521)],
    [(3_319_147, 172_459_989, 33_681), (3_321_634, 172_731_120, 33_573)],
    [(11_953_276, 2_184_402_872, 63_222), (11_955_120, 2_185_119_900, 63_247)],
    [(2_412_869, 92_991_485, 48_086), (2_408_139, 92_613_569, 47_936)],
    [(10_975_883, 1_844_055_875, 22_021), (10_972_476, 1_842_924_580, 21_980)],
];

#[test]
fn the_tallies_of_batches_are_pinned_for_every_path() {
    let mut found = Vec::new();
    for (what, s, paths) in paths() {
        let c = config(8 * BATCH, 2, paths);
        let tallies = [0, 7].map(|b| fingerprint(&run(&s, &c, b..b + 1)));
        found.push((what, tallies));
    }
    for ((what, tallies), pinned) in found.iter().zip(PINNED) {
        assert_eq!(*tallies, pinned, "{what}: every found tally: {found:?}");
    }
}

/// Batch b of a short run is batch b of a very long one, on one thread or two.
#[test]
fn a_batch_is_the_same_whatever_the_length_of_the_run_and_the_threads() {
    for (what, s, paths) in paths() {
        let short = run(&s, &config(2 * BATCH, 1, paths), 1..2);
        let long = run(&s, &config(1 << 40, 2, paths), 1..2);
        assert_eq!(short, long, "{what}");
    }
}

/// A `--precision` run stops between rounds of 1, 2, 4, … batches; what it
/// reports is the plain run of that many batches.
#[test]
fn a_precision_run_reports_the_votes_of_a_plain_run() {
    let s = load(Some("tests/scenarios/every-path.toml")).unwrap();
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    let precise = Config { precision: Some(0.003), ..config(1 << 30, 2, Paths::Fast) };
    let e = sampler::run(&s, &precise, &controls).unwrap().estimate;
    assert!(e.pass.trials > BATCH && e.pass.trials.is_multiple_of(BATCH), "{} votes", e.pass.trials);
    assert_eq!(e, run(&s, &config(e.pass.trials, 1, Paths::Fast), 0..e.pass.trials / BATCH));
}

/// Recording each bloc's counts leaves every vote as it was, and the blocs'
/// counts add up to the vote's.
#[test]
fn recording_each_bloc_leaves_the_votes_unchanged() {
    for (what, s, paths) in paths() {
        let kernel = Kernel::new(&s, paths);
        let (mut plain, mut recorded) = (batch_rng(2022, 3), batch_rng(2022, 3));
        for _ in 0..20_000 {
            let mut blocs = (0, 0);
            let vote = kernel.sample_blocs(&mut recorded, |_, (y, o)| blocs = (blocs.0 + y, blocs.1 + o));
            assert_eq!(kernel.sample(&mut plain), vote, "{what}");
            assert_eq!(blocs, vote, "{what}");
        }
    }
}
