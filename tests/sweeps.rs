//! Sweeps: exact and Monte Carlo agree point by point, and with common random
//! numbers a rebel sweep is monotone where the model says it must be.

use std::sync::atomic::AtomicBool;
use whipcount::sampler::{Config, Controls, Paths};
use whipcount::scenario::Source;
use whipcount::stats::Estimate;
use whipcount::sweep::{self, Method, Plan};

fn sweep(name: &str, vary: &[&str], balance: Option<&str>, method: &Method) -> (Plan, Vec<Estimate>) {
    let vary: Vec<String> = vary.iter().map(|v| v.to_string()).collect();
    let plan = Plan::new(&Source::resolve(name).unwrap(), &vary, balance).unwrap();
    let stop = AtomicBool::new(false);
    let results = sweep::run(&plan, method, &Controls { progress: &|_| {}, stop: &stop }).unwrap();
    (plan, results)
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
        let se = (e.p_pass * (1.0 - e.p_pass) / m.trials as f64).sqrt();
        assert!((e.p_pass - m.p_pass).abs() < 4.0 * se, "exact {} vs Monte Carlo {}", e.p_pass, m.p_pass);
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
                pair[1].p_pass >= pair[0].p_pass,
                "{paths:?}: P(pass) fell from {} to {}",
                pair[0].p_pass,
                pair[1].p_pass
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
    let vary = vec!["PTI rebels.yes=0.2,0.9".to_string()];
    let err = Plan::new(&source, &vary, None).unwrap_err().to_string();
    assert!(err.contains("PTI rebels.yes=0.9") && err.contains("more than 1"), "{err}");
}

#[test]
fn a_member_field_can_be_swept() {
    // G001 states yes, abstain and absent; `no` takes the remainder.
    let (plan, exact) = sweep("bench/members", &["Government/G001.yes=0.0..=0.6:0.3"], None, &Method::Exact);
    assert_eq!(plan.len(), 3);
    assert!(exact[0].moments().mean < exact[2].moments().mean);
}
