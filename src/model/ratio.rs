//! A bloc's law of counted yes votes by ratios of consecutive probabilities:
//! the law of [`super::bloc_joint`] without the other count, for the sampler's
//! slow branch, which rebuilds one bloc's law at a vote's own swing.
//!
//! **Method.** The unnamed members' count is binomial or Beta-binomial
//! (Dirichlet-multinomial with the other count folded into "neither"), whose
//! consecutive probabilities have the ratio
//!
//! P(y + 1)/P(y) = (k − y)/(y + 1) · (a + y/c)/(b + (k − y − 1)/c),
//!
//! a and b the probabilities of a counted yes and of anything else, c the
//! concentration (c = ∞ for the binomial: a/b). From P(0) = 1 the products run
//! up to k, scaled down by 2^-800 whenever they pass 2^800, and are normalised
//! at the end; named members are then added and the switch states mixed as
//! [`super::bloc_joint`] adds and mixes them. One division per count instead of the three logarithms
//! and one exponential of [`super::bloc_counts`]: about 5 times fewer
//! instructions for a cohesive bloc.
//!
//! **Error.** Each ratio carries at most 4 roundings, so an entry within
//! 2^800 of the largest has a relative error of at most about 5k·ε (1e-13 for
//! k = 100); smaller entries, which lie below 1e-240 of the largest, may be
//! flushed to zero. A Beta-binomial law is unimodal or falls to a single
//! interior minimum within 1e-240 of its ends only when its parameters are
//! far below 1, so the products never have to climb out of a flushed valley in
//! the laws the sampler meets; the tests compare every entry above 1e-200
//! against [`super::bloc_joint`] (whose own error grows with |ln P|).

use super::compound::concentration;
use super::{Joint, Lift, bloc_law};
use crate::rules::Rule;
use crate::scenario::Bloc;

/// Products above this are scaled down by its inverse.
const HUGE: f64 = 6.668_014_432_879_854e240; // 2^800

/// The law of `bloc`'s counted yes votes under `rule` at swing lift `factor`
/// (`None`: unmoved), mixed over its switch states: over counts 0..=seats.
/// Built as [`super::bloc_joint`] builds it, with the unnamed members' law by ratios.
pub fn bloc_yes_law(bloc: &Bloc, rule: &Rule, factor: Option<Lift>) -> Vec<f64> {
    bloc_law(bloc, rule, false, factor, |k, q, rho| Joint::of_yes(yes_counts(k, q, rho))).into_yes()
}

/// The law of the counted yes votes of `k` exchangeable members with category
/// probabilities `q` (yes, other, neither) and cohesion `rho`.
pub fn yes_counts(k: u32, q: [f64; 3], rho: f64) -> Vec<f64> {
    let (k, yes, rest) = (k as usize, q[0], q[1] + q[2]);
    let mut law = vec![0.0; k + 1];
    if k == 0 || yes == 0.0 {
        law[0] = 1.0;
    } else if rest == 0.0 {
        law[k] = 1.0;
    } else if rho >= 1.0 {
        (law[0], law[k]) = (rest, yes);
    } else {
        let spread = concentration(rho).map_or(0.0, |c| 1.0 / c);
        fill_by_ratios(&mut law, yes, rest, spread);
    }
    law
}

/// Fills `law` (k + 1 counts) with the binomial (`spread` 0) or Beta-binomial
/// (`spread` = 1/c) law of yes probability `yes` against `rest`, normalised.
fn fill_by_ratios(law: &mut [f64], yes: f64, rest: f64, spread: f64) {
    let k = law.len() - 1;
    law[0] = 1.0;
    for y in 0..k {
        let ratio = (k - y) as f64 / (y + 1) as f64 * (yes + y as f64 * spread) / (rest + (k - y - 1) as f64 * spread);
        law[y + 1] = law[y] * ratio;
        if law[y + 1] > HUGE {
            law[..=y + 1].iter_mut().for_each(|p| *p /= HUGE);
        }
    }
    let total: f64 = law.iter().sum();
    law.iter_mut().for_each(|p| *p /= total);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bloc_joint;
    use crate::scenario::load;

    /// Whether `fast` agrees with the log-space `exact` for a bloc of `k`:
    /// relatively to the products' 5k·ε, plus 1e-12 and 2e-13·|ln P| for the
    /// reference's own error, which grows with |ln P| (an error in the summed
    /// logarithm becomes a relative error of the entry).
    fn agree(fast: f64, exact: f64, k: u32) -> bool {
        let bound = 5.0 * f64::from(k) * f64::EPSILON + 1e-12 + 2e-13 * exact.ln().abs();
        (fast - exact).abs() <= bound * exact
    }

    /// Every entry above 1e-200 agrees with the log-space law ([`agree`]), for
    /// every bloc of the shipped scenarios, the every-path chamber and a
    /// cohesive benchmark chamber, at lifts from −3 to 3, with cohesion
    /// (including all-or-none), switches and named members.
    #[test]
    fn the_law_by_ratios_is_the_law_by_logarithms() {
        let files = ["tests/scenarios/every-path.toml", "benches/chambers/cohesive-342.toml"];
        let names = crate::scenario::builtin_names().into_iter().chain(files);
        let scenarios: Vec<_> = names.map(|n| load(Some(n)).unwrap()).collect();
        let mut checked = 0;
        for s in &scenarios {
            for bloc in &s.blocs {
                for lift in [-3.0, -0.4, 0.0, 1.1, 3.0] {
                    let factor = Some(Lift::new(lift));
                    let exact = bloc_joint(bloc, &s.rule, false, factor).yes_marginal();
                    let fast = bloc_yes_law(bloc, &s.rule, factor);
                    assert_eq!(fast.len(), exact.len());
                    for (y, (f, e)) in fast.iter().zip(&exact).enumerate() {
                        let close = agree(*f, *e, bloc.seats) || *e < 1e-200 && *f < 1e-190;
                        assert!(close, "{} {}: y = {y}: {f:e} against {e:e}", s.name, bloc.name);
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 300, "{checked} laws");
    }

    /// Large binomial and Beta-binomial blocs whose products pass 2^800 keep
    /// their peaks, and the edge cases are point masses.
    #[test]
    fn long_products_are_scaled_and_edge_cases_are_point_masses() {
        for (k, q, rho) in [(500, [0.999, 0.0, 0.001], 0.0), (500, [0.6, 0.1, 0.3], 0.01), (300, [0.2, 0.3, 0.5], 0.8)]
        {
            let law = yes_counts(k, q, rho);
            let exact = crate::model::bloc_counts(k, q, rho, false).yes_marginal();
            let peak = exact.iter().cloned().fold(0.0, f64::max);
            for (f, e) in law.iter().zip(&exact).filter(|(_, e)| **e > 1e-200 * peak) {
                assert!(agree(*f, *e, k), "k = {k}: {f:e} against {e:e}");
            }
        }
        assert_eq!(yes_counts(3, [0.0, 0.5, 0.5], 0.2), [1.0, 0.0, 0.0, 0.0]);
        assert_eq!(yes_counts(3, [1.0, 0.0, 0.0], 0.2), [0.0, 0.0, 0.0, 1.0]);
        assert_eq!(yes_counts(2, [0.25, 0.5, 0.25], 1.0), [0.75, 0.0, 0.25]);
        assert_eq!(yes_counts(0, [0.25, 0.5, 0.25], 0.0), [1.0]);
    }
}
