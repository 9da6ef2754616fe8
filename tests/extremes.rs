//! Issue 15's reproducers: scenarios at the edges of what the format accepts, each
//! against an independent answer (a closed form, a symmetry, a normal
//! approximation with its error bound, or a direct numerical integral).

mod common;

use common::scenario;
use std::sync::atomic::AtomicBool;
use whipcount::exact;
use whipcount::sampler::{self, Config, Controls};
use whipcount::scenario::Scenario;

fn monte_carlo(s: &Scenario, trials: u64) -> f64 {
    let stop = AtomicBool::new(false);
    let config = Config { trials, seed: 7, threads: 1, ..Config::default() };
    sampler::run(s, &config, &Controls { progress: &|_| {}, stop: &stop }).unwrap().estimate.pass.p_pass
}

fn assert_close_to_exact(s: &Scenario, truth: f64, trials: u64) {
    let mc = monte_carlo(s, trials);
    let se = (truth * (1.0 - truth) / trials as f64).sqrt();
    assert!((mc - truth).abs() < 5.0 * se + 1e-9, "Monte Carlo {mc} vs {truth}");
}

fn assert_is_a_law(e: &exact::Exact) {
    assert!(e.yes.iter().all(|p| (0.0..=1.0).contains(p)), "an entry outside [0, 1]");
    assert!((e.yes.iter().sum::<f64>() - 1.0).abs() < 1e-12, "mass {}", e.yes.iter().sum::<f64>());
    assert!((0.0..=1.0).contains(&e.p_pass));
}

/// Three members who vote yes with the same probability p(z) and a majority of 2:
/// P(pass | p) + P(pass | 1 − p) = 1, and the swing is symmetric, so P(pass) = ½
/// exactly for every σ, cohesion and switch-free bloc.
fn symmetric(sd: f64, cohesion: f64) -> Scenario {
    scenario(&format!(
        "[chamber]\nseats = 3\n[swing]\nsd = {sd}\n[[bloc]]\nname = \"A\"\nseats = 3\nwhip = \"yes\"\ndefect = 0.5\ncohesion = {cohesion}\n"
    ))
}

#[test]
fn a_swing_that_overflows_exp_leaves_both_engines_at_the_symmetric_answer() {
    for (sd, cohesion) in [(300.0, 0.0), (300.0, 0.3), (200.0, 0.0), (1000.0, 0.6)] {
        let s = symmetric(sd, cohesion);
        let e = exact::solve(&s);
        assert_is_a_law(&e);
        assert!((e.p_pass - 0.5).abs() < 1e-9, "sd {sd}, cohesion {cohesion}: exact {}", e.p_pass);
        assert_close_to_exact(&s, 0.5, 200_000);
    }
}

/// One member with a tiny yes (no is 1 within rounding) under a huge σ: P(yes | z)
/// = 1/(1 + e^{−(σz + ln yes)}), integrated against φ here by the midpoint rule on
/// 2·10^6 points (error far below 1e-9). With yes = 5e-324 and σ = 1000 the yes
/// odds stay below even until σz ≈ 744, past the overflow of e^{σz} at 709.8:
/// the scaling must work from the log-odds there (it once gave 0.2389 for 0.2283).
/// The Monte Carlo check also covers the sampler's own log-odds path.
#[test]
fn probabilities_within_rounding_of_zero_under_a_huge_swing_stay_a_law() {
    for (yes, sd) in [(1e-300f64, 300.0), (5e-324, 1000.0)] {
        let s = scenario(&format!(
            "[chamber]\nseats = 1\n[rule]\nneeded = 1\n[swing]\nsd = {sd}\n[[bloc]]\nname = \"A\"\nseats = 1\n\
             whip = \"no\"\n[[bloc.member]]\nname = \"m\"\nyes = {yes:e}\nno = 1.0\n"
        ));
        let (n, half) = (2_000_000, 9.0);
        let h = 2.0 * half / n as f64;
        let truth: f64 = (0..n)
            .map(|i| {
                let z = -half + (i as f64 + 0.5) * h;
                let density = (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                density * h / (1.0 + (-(sd * z + yes.ln())).exp())
            })
            .sum();
        let e = exact::solve(&s);
        assert_is_a_law(&e);
        // Within 1e-8, or within the change the engine reports (and warns of) when its
        // swing integral cannot resolve a step this sharp (σ = 1000: 0.001 wide in z).
        let error = (e.p_pass - truth).abs();
        assert!(
            error < 1e-8f64.max(e.change),
            "yes {yes:e}, sd {sd}: exact {} vs {truth}, change {}",
            e.p_pass,
            e.change
        );
        assert_close_to_exact(&s, truth, 200_000);
    }
}

/// Cohesion below 5.6e-309 is independence in the limit: the binomial law.
#[test]
fn subnormal_cohesion_gives_the_binomial_answer_in_both_engines() {
    let text = |rho: &str| {
        format!(
            "[chamber]\nseats = 9\n[[bloc]]\nname = \"A\"\nseats = 9\nwhip = \"yes\"\ndefect = 0.45\ncohesion = {rho}\n"
        )
    };
    let (tiny, none) = (scenario(&text("1e-320")), scenario(&text("0.0")));
    let e = exact::solve(&tiny);
    // P(Binomial(9, 0.55) ≥ 5), summed here from the binomial coefficients.
    let choose = |k: i32| (0..k).fold(1.0, |c, j| c * f64::from(9 - j) / f64::from(j + 1));
    let truth: f64 = (5..=9).map(|k| choose(k) * 0.55f64.powi(k) * 0.45f64.powi(9 - k)).sum();
    assert!((e.p_pass - truth).abs() < 1e-14, "exact {} vs {truth}", e.p_pass);
    assert_eq!(e.yes.len(), exact::solve(&none).yes.len());
    assert_close_to_exact(&tiny, truth, 100_000);
}

/// A subnormal yes probability in a cohesive bloc under a swing once panicked the
/// sampler (a Gamma shape that underflows to 0). Its yes votes are negligible.
#[test]
fn a_subnormal_probability_in_a_cohesive_bloc_does_not_panic() {
    let s = scenario(
        "[chamber]\nseats = 5\n[rule]\nneeded = 1\n[swing]\nsd = 0.2\n[[bloc]]\nname = \"A\"\nseats = 5\nwhip = \"no\"\n\
         yes = 5e-324\nno = 1.0\ncohesion = 0.9\n",
    );
    let e = exact::solve(&s);
    assert_is_a_law(&e);
    assert!(e.p_pass < 1e-300);
    assert_eq!(monte_carlo(&s, 100_000), 0.0);
}

/// 0.5000000004 of 2 seats is more than 1 vote: both are needed, so with two
/// coin-flip members P(pass) = ¼ (read as ½ it was ¾).
#[test]
fn a_decimal_fraction_of_the_membership_is_used_as_written() {
    let s = scenario(
        "[chamber]\nseats = 2\n[rule]\nfraction = 0.5000000004\n[[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\ndefect = 0.5\n",
    );
    assert_eq!(s.rule.needed(2), Some(2));
    assert!((exact::solve(&s).p_pass - 0.25).abs() < 1e-15);
}

#[test]
fn a_decimal_fraction_of_the_votes_cast_that_is_no_small_ratio_names_the_ratio_meant() {
    let text = "[chamber]\nseats = 2\n[rule]\nmajority-of = \"cast\"\nfraction = 0.6667\n[[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\n";
    let e = whipcount::scenario::parse(text, "t.toml", "t").unwrap_err().to_string();
    assert!(e.contains("did you mean \"2/3\"") && e.contains("at most 64"), "{e}");
}

/// Named members whose explicit probabilities sum to 1 − 9e-10 are renormalised
/// once, at validation, so the exact law sums to 1.
#[test]
fn explicit_probabilities_just_under_one_are_renormalised_for_both_engines() {
    let s = scenario(
        "[chamber]\nseats = 3\n[[bloc]]\nname = \"A\"\nseats = 3\nwhip = \"yes\"\n\
         [[bloc.member]]\nname = \"a\"\nyes = 0.6\nno = 0.3\nabstain = 0.1\nabsent = 0.0\n\
         [[bloc.member]]\nname = \"b\"\nyes = 0.4999999991\nno = 0.5\nabstain = 0.0\nabsent = 0.0\n",
    );
    let b = &s.blocs[0].members[1].probs;
    assert!((b.0.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    let e = exact::solve(&s);
    assert!((e.yes.iter().sum::<f64>() - 1.0).abs() < 1e-15);
}

/// 100,000 seats in one bloc whose yes and "other" probabilities are equal: the
/// statistic D = yes − other is symmetric, so P(pass) = (1 − P(D = 0))/2, and by the
/// local limit theorem P(D = 0) = 1/√(2π·Var D)·(1 + O(1/k)), Var D = k·(p_yes + p_other):
/// a reference within 1e-9 here. Under the old k² joint table these aborted (28.8 GB)
/// in the exact engine, and in the sampler until a bloc this large under such a
/// rule was drawn literally instead of from a composite table of its joint law.
#[test]
fn a_hundred_thousand_seats_under_present_and_cast_rules_match_the_normal_reference() {
    for (base, abstain) in [("cast", "abstain = 0.1"), ("present", "abstain = 0.1\ndefect = 0.35\nabsent = 0.1")] {
        let whip_line = if base == "cast" { "yes = 0.45\nno = 0.45\nabstain = 0.1" } else { abstain };
        let text = format!(
            "[chamber]\nseats = 100000\n[rule]\nmajority-of = \"{base}\"\n[[bloc]]\nname = \"A\"\nseats = 100000\nwhip = \"yes\"\n{whip_line}\n"
        );
        let s = scenario(&text);
        let p = s.blocs[0].probs.0;
        let (yes, other) = if base == "cast" { (p[0], p[1]) } else { (p[0], p[1] + p[2]) };
        assert!((yes - other).abs() < 1e-15, "{base}: {p:?}");
        let var = 1e5 * (yes + other);
        let truth = (1.0 - 1.0 / (2.0 * std::f64::consts::PI * var).sqrt()) / 2.0;
        let e = exact::solve(&s);
        assert!((e.p_pass - truth).abs() < 1e-8, "{base}: exact {} vs {truth}", e.p_pass);
        let mean: f64 = e.yes.iter().enumerate().map(|(k, q)| k as f64 * q).sum();
        assert!((mean - 1e5 * yes).abs() < 1e-6, "{base}: mean {mean}");
        assert_close_to_exact(&s, truth, 20_000);
    }
}

#[test]
fn the_exact_engine_reports_progress_and_stops_when_asked() {
    let s = whipcount::scenario::load(Some("uk-2019-01-16")).unwrap();
    let last = std::sync::atomic::AtomicU64::new(0);
    let go = AtomicBool::new(false);
    let e = exact::solve_with(&s, &|p| last.store(p, std::sync::atomic::Ordering::Relaxed), &go);
    assert_eq!(e, Some(exact::solve(&s)));
    assert_eq!(last.into_inner(), 1000);
    let stop = AtomicBool::new(true);
    assert_eq!(exact::solve_with(&s, &|_| {}, &stop), None);
}

/// One bloc of k = 10,000 voting yes or no with probability 1/2 under a swing of
/// sd 0.3, decided by a majority of votes cast: by symmetry P(pass) = (1 − P(D = 0))/2,
/// and P(D = 0) = E C(k, k/2)·(p(1 − p))^{k/2}, p = logistic(0.3·Z), here integrated
/// independently by a fine trapezoid rule (the bump is analytic: the rule converges
/// geometrically). 100,000 seats agree to 1e-15 in the release build (10 s);
/// 10,000 keep the test fast.
#[test]
fn a_large_chamber_under_votes_cast_and_a_swing_matches_an_independent_integral() {
    let k = 10_000u32;
    let text = format!(
        "[chamber]\nseats = {k}\n[rule]\nmajority-of = \"cast\"\n[swing]\nsd = 0.3\n[[bloc]]\nname = \"A\"\nseats = {k}\nwhip = \"yes\"\nyes = 0.5\nno = 0.5\n"
    );
    let s = scenario(&text);
    let log_choose: f64 = (1..=k / 2).map(|i| f64::from(k / 2 + i).ln() - f64::from(i).ln()).sum();
    let (h, mut tie) = (1e-5, 0.0);
    for i in -200_000..=200_000 {
        let z = f64::from(i) * h;
        let sech2 = 1.0 / (0.15 * z).cosh().powi(2);
        let log_pmf = log_choose - f64::from(k) * 2f64.ln() + f64::from(k / 2) * sech2.ln();
        tie += h * log_pmf.exp() * (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    }
    let truth = (1.0 - tie) / 2.0;
    let e = exact::solve(&s);
    assert!((e.p_pass - truth).abs() < 1e-12, "exact {} vs {truth}", e.p_pass);
}
