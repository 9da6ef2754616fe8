//! Sweeps: exact and Monte Carlo agree point by point, and with common random
//! numbers a rebel sweep is monotone where the model says it must be.

use std::sync::atomic::AtomicBool;
use whipcount::sampler::{Config, Controls, Paths};
use whipcount::scenario::Source;
use whipcount::stats::Estimate;
use whipcount::sweep::{self, Method, Plan};

fn sweep(name: &str, vary: &[&str], balance: Option<&str>, method: &Method) -> (Plan, Vec<Estimate>) {
    let plan = Plan::new(&Source::resolve(name).unwrap(), axes(vary), balance).unwrap();
    let stop = AtomicBool::new(false);
    let results = sweep::run(&plan, method, &Controls { progress: &|_| {}, stop: &stop }).unwrap();
    (plan, results)
}

fn axes(vary: &[&str]) -> Vec<sweep::Axis> {
    vary.iter().map(|v| v.parse().unwrap()).collect()
}

fn summaries(results: &[Estimate]) -> Vec<sweep::Point> {
    results.iter().map(sweep::Point::of).collect()
}

fn monte_carlo(trials: u64, paths: Paths) -> Method {
    Method::MonteCarlo(Config { trials, seed: 99, threads: 2, precision: None, paths })
}

#[test]
fn exact_and_monte_carlo_sweeps_agree_point_by_point() {
    let vary = ["PTI rebels.seats=3..=43:8"];
    let (_, exact) = sweep("pakistan-2022-03-28", &vary, Some("PTI loyal"), &Method::Exact);
    let (_, mc) = sweep("pakistan-2022-03-28", &vary, Some("PTI loyal"), &monte_carlo(60_000, Paths::Fast));
    assert_eq!(exact.len(), mc.len());
    for (e, m) in exact.iter().zip(&mc) {
        let se = (e.pass.p_pass * (1.0 - e.pass.p_pass) / m.pass.trials as f64).sqrt();
        assert!(
            (e.pass.p_pass - m.pass.p_pass).abs() < 4.0 * se,
            "exact {} vs Monte Carlo {}",
            e.pass.p_pass,
            m.pass.p_pass
        );
    }
}

/// More rebels (who vote yes more often than the loyal members they replace) can
/// only raise P(pass) and the mean yes count. With common random numbers the
/// Monte Carlo curve keeps that order even at a modest sample size, where
/// independent streams would wobble by more than the step between points.
#[test]
fn a_rebel_sweep_with_common_random_numbers_is_monotone() {
    for paths in [Paths::Fast, Paths::Direct] {
        let (_, mc) =
            sweep("pakistan-2022-03-28", &["PTI rebels.seats=3..=43"], Some("PTI loyal"), &monte_carlo(20_000, paths));
        for pair in mc.windows(2) {
            assert!(
                pair[1].pass.p_pass >= pair[0].pass.p_pass,
                "{paths:?}: P(pass) fell from {} to {}",
                pair[0].pass.p_pass,
                pair[1].pass.p_pass
            );
            assert!(pair[1].moments().mean >= pair[0].moments().mean, "{paths:?}: the mean yes count fell");
        }
    }
}

#[test]
fn seat_balancing_keeps_the_chamber_whole() {
    let (plan, _) = sweep("pakistan-2022-03-30", &["PTI rebels.seats=10,30"], Some("PTI loyal"), &Method::Exact);
    for (values, s) in &plan.points {
        let rebels = s.blocs.iter().find(|b| b.name == "PTI rebels").unwrap().seats;
        let loyal = s.blocs.iter().find(|b| b.name == "PTI loyal").unwrap().seats;
        assert_eq!(rebels as f64, values[0].number);
        assert_eq!(rebels + loyal, 155);
    }
}

#[test]
fn a_sweep_point_that_is_invalid_names_its_values() {
    let source = Source::resolve("pakistan-2022-03-30").unwrap();
    let err = Plan::new(&source, axes(&["PTI rebels.yes=0.2,0.9"]), None).unwrap_err().to_string();
    assert!(err.contains("PTI rebels.yes=0.9") && err.contains("more than 1"), "{err}");
}

#[test]
fn a_member_field_can_be_swept() {
    // G001 states yes, abstain and absent; `no` takes the remainder.
    let (plan, exact) = sweep("bench/members", &["Government/G001.yes=0.0..=0.6:0.3"], None, &Method::Exact);
    assert_eq!(plan.len(), 3);
    assert!(exact[0].moments().mean < exact[2].moments().mean);
}

fn usage_error(vary: &[&str], balance: Option<&str>) -> String {
    let err = Plan::new(&Source::resolve("pakistan-2022-03-28").unwrap(), axes(vary), balance).unwrap_err();
    assert_eq!(err.exit_code(), 2, "{err}");
    err.to_string()
}

#[test]
fn the_same_parameter_twice_is_a_usage_error() {
    let err = usage_error(&["MQM-P.switch=0,1", "MQM-P.switch=0.5"], None);
    assert!(err.contains("same parameter"), "{err}");
}

#[test]
fn a_balance_bloc_that_cannot_take_up_the_seats_is_a_usage_error() {
    let err = usage_error(&["PTI rebels.seats=10,20"], Some("PTI rebels"));
    assert!(err.contains("cannot also take"), "{err}");
    let err = usage_error(&["PTI loyal.seats=100,120"], Some("PTI loyal"));
    assert!(err.contains("cannot also take"), "{err}");
    let err = usage_error(&["MQM-P.switch=0,1"], Some("PTI loyal"));
    assert!(err.contains("nothing changes"), "{err}");
}

#[test]
fn a_needed_or_fraction_sweep_replaces_a_majority_rule() {
    let (plan, exact) = sweep("pakistan-2022-03-30", &["rule.needed=160,172,200"], None, &Method::Exact);
    assert_eq!(plan.points[1].1.rule.needed(342), Some(172));
    assert!(exact[0].pass.p_pass > exact[1].pass.p_pass && exact[1].pass.p_pass > exact[2].pass.p_pass);
    let majority = Source::resolve("pakistan-2022-03-30").unwrap().parse().unwrap();
    assert!((exact[1].pass.p_pass - whipcount::exact::solve(&majority).p_pass).abs() < 1e-12);
    let (plan, _) = sweep("pakistan-2022-03-30", &["rule.fraction=0.5,0.6"], None, &Method::Exact);
    assert_eq!(plan.points[1].1.rule.needed(342), Some(206));
}

#[test]
fn crossings_are_reported_only_where_the_curve_crosses() {
    // Starts above 50% (0.556 at 3 rebels): no "50% at 3" any more.
    let (plan, exact) = sweep("pakistan-2022-03-28", &["PTI rebels.seats=3..=43:4"], Some("PTI loyal"), &Method::Exact);
    let levels = sweep::crossings(&plan, &summaries(&exact)).unwrap();
    assert!(levels[0].crossings.is_empty() && levels[0].throughout == Some(sweep::Side::Above));
    // Falls through 50% between two points, interpolated.
    let (plan, exact) = sweep("spain-2018-06-01", &["PNV.switch=0.0..=1.0:0.25"], None, &Method::Exact);
    let c = &sweep::crossings(&plan, &summaries(&exact)).unwrap()[0].crossings[0];
    assert_eq!(c.direction, sweep::Direction::Down);
    let (a, b) = (exact[2].pass.p_pass, exact[3].pass.p_pass);
    assert!(a >= 0.5 && b < 0.5 && (c.at - (0.5 + 0.25 * (a - 0.5) / (a - b))).abs() < 1e-12);
}

#[test]
fn a_sweep_with_a_set_carries_the_edit_at_every_point() {
    let source = Source::resolve("pakistan-2022-03-30").unwrap();
    let set = |text: &str| vec![text.parse().unwrap()];
    let plan = Plan::with_sets(&source, &set("MQM-P.switch=0.5"), axes(&["JI.absent=0,1"]), None).unwrap();
    assert_eq!(plan.scenario, "pakistan-2022-03-30 [MQM-P.switch=0.5]");
    assert!(plan.points.iter().all(|(_, s)| s.blocs.iter().any(|b| b.name == "MQM-P" && b.switch == 0.5)));
    let err = Plan::with_sets(&source, &set("JI.absent=0.5"), axes(&["JI.absent=0,1"]), None).unwrap_err();
    assert!(err.to_string().contains("same parameter"), "{err}");
}

/// A Monte Carlo sweep reuses the swing group's tables of the blocs its
/// parameter leaves alone; every point still gets exactly the votes of a
/// standalone run of its scenario with the same seed (1-D and 2-D grids, a
/// varied grouped bloc and a varied swing).
#[test]
fn each_point_of_a_sweep_has_the_votes_of_a_standalone_run() {
    // 196,608 votes, enough that a stale table would show in some of them.
    let method = monte_carlo(192 * whipcount::sampler::BATCH, Paths::Fast);
    let Method::MonteCarlo(config) = method.clone() else { unreachable!() };
    for vary in [&["MQM-P.switch=0,0.5,1"][..], &["GDA.cohesion=0.2,0.7", "swing.sd=0.1,0.25"]] {
        let (plan, results) = sweep("pakistan-2022-03-30", vary, None, &method);
        for ((values, s), e) in plan.points.iter().zip(&results) {
            let stop = AtomicBool::new(false);
            let alone = whipcount::sampler::run(s, &config, &Controls { progress: &|_| {}, stop: &stop }).unwrap();
            assert_eq!(alone.estimate, *e, "{vary:?} at {values:?}");
        }
    }
}

/// The sweep's outputs keep one fixed-size summary per point (every
/// point's distribution was kept, memory growing with points × seats), with the
/// numbers of the full estimates.
#[test]
fn a_sweep_keeps_a_summary_per_point_not_its_distribution() {
    let vary = ["PTI rebels.seats=3..=43:20"];
    let (plan, full) = sweep("pakistan-2022-03-28", &vary, Some("PTI loyal"), &Method::Exact);
    let stop = AtomicBool::new(false);
    let points = sweep::run_points(&plan, &Method::Exact, &Controls { progress: &|_| {}, stop: &stop }).unwrap();
    assert_eq!(points, summaries(&full));
    let retained = |p: &sweep::Point| std::mem::size_of_val(p);
    let held: usize = full.iter().map(|e| std::mem::size_of_val(e) + 8 * e.probability.len()).sum();
    assert!(points.iter().map(retained).sum::<usize>() * 20 < held, "summaries are not much smaller than estimates");
}

/// A library caller that runs an exact sweep beyond the exact engine's cost limit
/// gets a usage error naming the scenario, the point, the bloc and the key, before
/// any point is computed (a second point is fine, the first is not).
#[test]
fn an_exact_sweep_past_the_cost_limit_is_refused_before_any_point() {
    let text = "[chamber]\nseats = 60000\n\n[rule]\nmajority-of = \"cast\"\n\n[swing]\nsd = 0.3\n\n\
                [[bloc]]\nname = \"Big\"\nseats = 60000\nwhip = \"yes\"\ndefect = 0.3\ncohesion = 0.3\n";
    let source = Source { origin: "big.toml".into(), stem: "big".into(), text: text.into() };
    let plan = Plan::new(&source, axes(&["Big.cohesion=0.3,0"]), None).unwrap();
    let stop = AtomicBool::new(false);
    let started = std::time::Instant::now();
    let error = sweep::run(&plan, &Method::Exact, &Controls { progress: &|_| {}, stop: &stop }).unwrap_err();
    assert_eq!(error.exit_code(), 2);
    let message = error.to_string();
    for needle in ["scenario \"big\" at Big.cohesion = 0.3", "bloc \"Big\"", "`cohesion`", "simulate"] {
        assert!(message.contains(needle), "`{needle}` not in {message}");
    }
    assert!(started.elapsed().as_secs() < 10, "it computed before refusing");
}
