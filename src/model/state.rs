//! A bloc's two switch states (docs/reference.md §1, "Switch"): with probability
//! `switch` the bloc reverses its direction, so that yes and no trade places in
//! its whip and in every member's probabilities. Every law of a bloc is the
//! mixture of its laws in the states that can happen, weighted by their
//! probabilities; a state of probability 0 is never built.

use crate::outcome::Whip;
use crate::rules::Rule;
use crate::scenario::{Bloc, Probs};

use super::{Lift, categories};

/// One switch state of a bloc: whether it switched, and the whip then in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// Whether yes and no trade places.
    pub switched: bool,
    /// The whip in force.
    pub whip: Whip,
}

impl State {
    /// `bloc` in the unswitched (`switched` false) or switched state.
    pub fn of(bloc: &Bloc, switched: bool) -> State {
        State { switched, whip: if switched { bloc.whip.switched() } else { bloc.whip } }
    }

    /// A member's probabilities in this state, swung by `factor` when the swing
    /// moves the bloc (`None`: it does not).
    pub fn probs(&self, p: &Probs, factor: Option<Lift>) -> Probs {
        let p = if self.switched { p.switched() } else { *p };
        factor.map_or(p, |f| p.swung(f))
    }

    /// Where a member's probability goes in this state: (counted yes, other,
    /// neither) under `rule` (see [`categories`]).
    pub fn categories(&self, p: &Probs, rule: &Rule, with_other: bool, factor: Option<Lift>) -> [f64; 3] {
        categories(&self.probs(p, factor), self.whip, rule, with_other)
    }
}

/// The states `bloc` can be in, each with its probability: the unswitched state
/// with 1 − switch and the switched one with switch, leaving out a state that
/// cannot happen (so one state of probability 1 when the switch is 0 or 1).
pub fn states(bloc: &Bloc) -> Vec<(f64, State)> {
    match bloc.switch {
        s if s <= 0.0 => vec![(1.0, State::of(bloc, false))],
        s if s >= 1.0 => vec![(1.0, State::of(bloc, true))],
        s => vec![(1.0 - s, State::of(bloc, false)), (s, State::of(bloc, true))],
    }
}

/// Whether the state `switched` of `bloc` can happen.
pub fn possible(bloc: &Bloc, switched: bool) -> bool {
    if switched { bloc.switch > 0.0 } else { bloc.switch < 1.0 }
}

/// A bloc's law mixed over its states: `law(state)` for each state that can
/// happen, and `mix(unswitched, w, switched)` = unswitched·w + switched·(1 − w)
/// with w = 1 − switch when both can.
pub fn mixed<T>(bloc: &Bloc, law: impl Fn(State) -> T, mix: impl FnOnce(T, f64, T) -> T) -> T {
    match bloc.switch {
        s if s <= 0.0 => law(State::of(bloc, false)),
        s if s >= 1.0 => law(State::of(bloc, true)),
        s => mix(law(State::of(bloc, false)), 1.0 - s, law(State::of(bloc, true))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn a_switch_exchanges_yes_and_no_in_the_whip_and_the_probabilities() {
        let s = load(None).unwrap();
        let bloc = &s.blocs[0];
        let (plain, switched) = (State::of(bloc, false), State::of(bloc, true));
        assert_eq!((plain.whip, switched.whip), (bloc.whip, bloc.whip.switched()));
        let p = Probs([0.1, 0.6, 0.2, 0.1]);
        assert_eq!(switched.probs(&p, None).0, [0.6, 0.1, 0.2, 0.1]);
        assert_eq!(plain.probs(&p, None), p);
        assert_eq!(plain.probs(&p, Some(Lift::new(1.1))), p.swung(Lift::new(1.1)));
    }

    #[test]
    fn only_the_states_that_can_happen_are_built() {
        let mut bloc = load(None).unwrap().blocs[0].clone();
        for (switch, expected) in
            [(0.0, vec![(1.0, false)]), (1.0, vec![(1.0, true)]), (0.25, vec![(0.75, false), (0.25, true)])]
        {
            bloc.switch = switch;
            let found: Vec<(f64, bool)> = states(&bloc).into_iter().map(|(w, s)| (w, s.switched)).collect();
            assert_eq!(found, expected, "switch {switch}");
            assert_eq!([possible(&bloc, false), possible(&bloc, true)], [switch < 1.0, switch > 0.0]);
            let built = std::cell::Cell::new(0);
            let mix = mixed(
                &bloc,
                |s| {
                    built.set(built.get() + 1);
                    f64::from(u8::from(s.switched))
                },
                |a, w, b| a * w + b * (1.0 - w),
            );
            assert_eq!((mix, built.get()), (switch, expected.len()));
        }
    }
}
