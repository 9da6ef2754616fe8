//! The exact law of the deciding margin s = w_yes·yes − w_other·other.
//!
//! The engine already convolves the blocs' laws of s to decide P(pass); this
//! returns that law itself, integrated over the swing with the same nested
//! trapezoid rules, halving the step until the law moves by less than
//! [`DISTRIBUTION_TOLERANCE`] in total variation (at most 16,385 nodes).

use super::{Accumulator, DISTRIBUTION_TOLERANCE, Model, Watch, quadrature};
use crate::margin::Margin;
use crate::model::Lift;
use crate::scenario::{Bloc, Scenario};
use std::sync::atomic::AtomicBool;

/// The exact margin of `scenario`, or `None` when its rule counts yes votes alone.
pub fn margin(scenario: &Scenario) -> Option<Margin> {
    let model = Model::new(scenario);
    if !model.with_other {
        return None;
    }
    let moved = |b: &Bloc| crate::model::moves(scenario, b);
    let never = AtomicBool::new(false);
    let watch = Watch { stop: &never };
    let fixed =
        model.accumulate(Accumulator::unit(), scenario.blocs.iter().filter(|b| !moved(b)), Lift::NONE, &watch)?;
    if !scenario.has_swing() {
        return Margin::new(&scenario.rule, scenario.chamber.seats, -(fixed.offset as i64), fixed.statistic);
    }
    let dynamic: Vec<&Bloc> = scenario.blocs.iter().filter(|b| moved(b)).collect();
    // Every node's law of s starts at the same lowest value, −w_other·seats of the moved blocs.
    let lowest = std::cell::Cell::new(-(fixed.offset as i64));
    let node = |z: f64| {
        let factor = Lift::at(model.scenario.swing_sd, z);
        let acc = model.accumulate(fixed.clone(), dynamic.iter().copied(), factor, &watch).expect("never stopped");
        lowest.set(-(acc.offset as i64));
        acc.statistic
    };
    let total_variation = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>();
    let law = quadrature::nested(node, |a, b| total_variation(a, b) < DISTRIBUTION_TOLERANCE);
    Margin::new(&scenario.rule, scenario.chamber.seats, lowest.get(), law)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn the_uk_margin_passes_exactly_as_often_as_the_engine_says() {
        let s = load(Some("uk-2019-01-16")).unwrap();
        let m = margin(&s).unwrap();
        let passing: f64 = m.values().filter(|&(v, _)| m.passes(v)).map(|(_, p)| p).sum();
        assert!((passing - super::super::solve(&s).p_pass).abs() < 1e-9);
        assert!((m.probability.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn under_a_swing_the_margin_still_agrees_with_the_engine() {
        let mut s = load(Some("uk-2019-01-16")).unwrap();
        s.swing_sd = 0.8;
        let m = margin(&s).unwrap();
        let passing: f64 = m.values().filter(|&(v, _)| m.passes(v)).map(|(_, p)| p).sum();
        assert!((passing - super::super::solve(&s).p_pass).abs() < 1e-9);
    }

    #[test]
    fn a_membership_rule_has_no_margin() {
        assert!(margin(&load(Some("pakistan-2022-03-30")).unwrap()).is_none());
    }
}
