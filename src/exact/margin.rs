//! The exact law of the deciding margin s = w_yes·yes − w_other·other.
//!
//! The engine already convolves the blocs' laws of s to decide P(pass); this
//! returns that law itself, integrated over the swing with the same composite
//! Gauss–Legendre rule, doubling the panels until the law moves by less than
//! [`DISTRIBUTION_TOLERANCE`] in total variation (at most [`MAX_PANELS`]).

use super::{Accumulator, DISTRIBUTION_TOLERANCE, MAX_PANELS, Model, Watch, quadrature};
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
    let mut panels = 4;
    let mut law = integrate(&model, &fixed, &dynamic, panels).1;
    loop {
        panels *= 2;
        let (lowest, next) = integrate(&model, &fixed, &dynamic, panels);
        let change: f64 = next.iter().zip(&law).map(|(a, b)| (a - b).abs()).sum();
        law = next;
        if change < DISTRIBUTION_TOLERANCE || panels >= MAX_PANELS {
            return Margin::new(&scenario.rule, scenario.chamber.seats, lowest, law);
        }
    }
}

/// The law of s mixed over the swing nodes of `panels` panels, and its lowest value.
fn integrate(model: &Model, fixed: &Accumulator, dynamic: &[&Bloc], panels: usize) -> (i64, Vec<f64>) {
    let mut law: Vec<f64> = Vec::new();
    let mut lowest = 0;
    for (z, w) in quadrature::normal_rule(panels) {
        let factor = Lift::at(model.scenario.swing_sd, z);
        let never = AtomicBool::new(false);
        let watch = Watch { stop: &never };
        let acc = model.accumulate(fixed.clone(), dynamic.iter().copied(), factor, &watch).expect("never stopped");
        law.resize(acc.statistic.len(), 0.0);
        law.iter_mut().zip(&acc.statistic).for_each(|(a, b)| *a += w * b);
        lowest = -(acc.offset as i64);
    }
    (lowest, law)
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
