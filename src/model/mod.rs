//! The model (docs/reference.md §1): the laws that both engines use, in one place.
//!
//! Given the chamber-wide swing z, blocs vote independently. A bloc is in one of
//! two switch states ([`state`]); in each, every member's four outcome
//! probabilities, their yes odds multiplied by e^{σz} when the swing moves the
//! bloc ([`moves`], [`scale_odds`]), fall into the rule's categories (counted
//! yes, other, neither: [`categories`]); the unnamed members' counts are
//! multinomial or Dirichlet-multinomial ([`bloc_counts`]) and each named member
//! adds one vote, so a bloc's (yes, other) law at a swing lift is
//! [`bloc_joint`]. The exact engine ([`crate::exact`]) convolves these laws and
//! integrates over z; the sampler ([`crate::sampler`]) draws from them. Neither
//! engine depends on the other, and this module depends on neither.

mod compound;
mod convolve;
mod joint;
mod odds;
mod ratio;
pub mod state;

pub use compound::{MAX_CONCENTRATION, bloc_counts, concentration};
pub(crate) use compound::{log_factorials, log_weights};
pub use convolve::convolve;
pub use joint::Joint;
pub use odds::{Lift, Scaled, scale_odds, swing_odds};
pub use ratio::bloc_yes_law;
pub use state::{State, mixed, possible, states};

use crate::outcome::{Outcome, Whip};
use crate::rules::{Category, Rule};
use crate::scenario::{Bloc, Probs, Scenario};

/// Whether the chamber-wide swing moves `bloc`: the scenario has a swing
/// (σ > 0), the bloc takes part in it (`swing = true`) and it has seats. The
/// one decision every engine and path uses.
pub fn moves(scenario: &Scenario, bloc: &Bloc) -> bool {
    scenario.swing_sd > 0.0 && bloc.swing && bloc.seats > 0
}

/// The lift σz (odds factor e^{σz}) at swing draw `z` for `bloc`, or `None`
/// when the swing does not move it ([`moves`]).
pub fn factor(scenario: &Scenario, bloc: &Bloc, z: f64) -> Option<Lift> {
    moves(scenario, bloc).then(|| Lift::at(scenario.swing_sd, z))
}

/// Where each outcome's probability goes under `rule` and effective `whip`:
/// (counted yes, other, neither); `with_other` false folds other into neither
/// (for rules decided by yes votes alone).
pub fn categories(probs: &Probs, whip: Whip, rule: &Rule, with_other: bool) -> [f64; 3] {
    let mut q = [0.0; 3];
    for outcome in Outcome::ALL {
        let mut c = rule.category(outcome, whip);
        if !with_other && c == Category::Other {
            c = Category::Neither;
        }
        q[c as usize] += probs.of(outcome);
    }
    q
}

/// The joint law of (counted yes, other) of one bloc at swing lift `factor`
/// (`None`: unmoved), mixed over its switch states (`with_other` false: a table
/// over yes alone).
pub fn bloc_joint(bloc: &Bloc, rule: &Rule, with_other: bool, factor: Option<Lift>) -> Joint {
    bloc_law(bloc, rule, with_other, factor, |k, q, rho| bloc_counts(k, q, rho, with_other))
}

/// A bloc's law as [`bloc_joint`] builds it, with the unnamed members' law of
/// (k, categories, cohesion) from `unnamed`: named members added one by one,
/// switch states mixed.
fn bloc_law(
    bloc: &Bloc,
    rule: &Rule,
    with_other: bool,
    factor: Option<Lift>,
    unnamed: impl Fn(u32, [f64; 3], f64) -> Joint,
) -> Joint {
    let law = |state: State| {
        let q = |p: &Probs| state.categories(p, rule, with_other, factor);
        let unnamed = unnamed(bloc.unnamed(), q(&bloc.probs), bloc.cohesion);
        bloc.members.iter().fold(unnamed, |joint, m| joint.with_member(q(&m.probs), with_other))
    };
    mixed(bloc, law, |a, w, b| a.mix(w, &b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn the_swing_moves_only_blocs_with_seats_that_take_part_in_a_swing() {
        let mut s = load(None).unwrap();
        s.swing_sd = 0.3;
        let mut bloc = s.blocs[0].clone();
        bloc.swing = true;
        assert!(moves(&s, &bloc));
        assert_eq!(factor(&s, &bloc, 1.0), Some(Lift::new(0.3)));
        bloc.swing = false;
        assert!(!moves(&s, &bloc) && factor(&s, &bloc, 1.0).is_none());
        bloc.swing = true;
        bloc.seats = 0;
        bloc.members.clear();
        assert!(!moves(&s, &bloc));
        s.swing_sd = 0.0;
        assert!(!moves(&s, &s.blocs[0]));
    }

    #[test]
    fn a_bloc_joint_law_mixes_its_switch_states() {
        let s = load(None).unwrap();
        let mut bloc = s.blocs[0].clone();
        bloc.switch = 0.3;
        let mixed = bloc_joint(&bloc, &s.rule, true, None);
        let [plain, switched] =
            [0.0, 1.0].map(|switch| bloc_joint(&Bloc { switch, ..bloc.clone() }, &s.rule, true, None));
        assert!((mixed.total() - 1.0).abs() < 1e-12);
        for y in 0..=mixed.max_yes() {
            let expected = 0.7 * plain.get(y, 0) + 0.3 * switched.get(y, 0);
            assert!((mixed.get(y, 0) - expected).abs() < 1e-15, "y = {y}");
        }
    }
}
