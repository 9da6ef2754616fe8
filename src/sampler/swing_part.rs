//! One bloc of the swing group ([`super::swing_group`]): its lower bounds
//! L_bj ≤ P_b(· | z) over every bin j of the swing z, and their normalised
//! tables for the slow branch's draws.
//!
//! **The bounds.** The counted-yes probability a(z) of every member rises with z
//! (or is 0). The unnamed members' count is Binomial(k, a), Beta-binomial with
//! mean a, or all-or-none (cohesion 1): each pmf value is log-concave (or linear)
//! in a, so its minimum over the bin is at an edge. A named member's Bernoulli
//! pmf is bounded by its edges too. Convolutions and switch mixtures of
//! non-negative lower bounds are lower bounds. Entries below [`NEGLIGIBLE`] are
//! dropped from L, which only makes it smaller: still a bound, and still exact.
//!
//! A part is the mixture over the bloc's switch states of per-state bounds
//! ([`StatePart`]). Both depend on the bloc, the rule's categories, the swing
//! and the grid alone ([`Part::key`]), and the states' bounds not even on the
//! switch probability ([`StatePart::key`]), so the points of a sweep share them
//! ([`super::swing_cache`]).

use super::binned::{Binned, NEGLIGIBLE, ZGrid};
use super::inverse::kept;
use crate::model::{Lift, State, bloc_counts, convolve};
use crate::rules::{Category, Rule};
use crate::scenario::{Bloc, Outcome, Probs};
use rayon::prelude::*;
use std::sync::Arc;

/// A non-negative weight vector over counts `first, first + 1, …`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    first: usize,
    weights: Vec<f64>,
}

impl Bound {
    /// The weights of `law` (over counts from 0) without negligible ends.
    fn trimmed(mut law: Vec<f64>) -> Bound {
        let (first, last) = kept(&law, NEGLIGIBLE).into_inner();
        law.truncate(last + 1);
        law.drain(..first);
        Bound { first, weights: law }
    }

    /// The total weight.
    pub fn mass(&self) -> f64 {
        self.weights.iter().sum()
    }

    /// The weight of `count`.
    pub fn at(&self, count: usize) -> f64 {
        count.checked_sub(self.first).and_then(|i| self.weights.get(i)).copied().unwrap_or(0.0)
    }

    /// The first count and the weights from it, as a table's builder takes them
    /// (its ends are already trimmed, so a table holds what [`Self::dense`] would give it).
    pub fn weights(&self) -> (usize, &[f64]) {
        (self.first, &self.weights)
    }

    /// The weights over counts from 0.
    pub fn dense(&self) -> Vec<f64> {
        let mut law = vec![0.0; self.first];
        law.extend(&self.weights);
        law
    }

    /// The bound on the sum of two independent counts, without negligible ends.
    pub fn convolve(&self, other: &Bound) -> Bound {
        let sum = Bound::trimmed(convolve(&self.weights, &other.weights));
        Bound { first: self.first + other.first + sum.first, weights: sum.weights }
    }
}

/// One bloc of the group.
#[derive(Debug, Clone)]
pub struct Part {
    /// The bloc, for the exact law of the slow branch's residuals.
    pub bloc: Bloc,
    /// L_bj per bin (shared with the cache's convolution tree).
    pub bounds: Arc<[Bound]>,
    /// w_bj, the mass of L_bj, per bin.
    pub masses: Vec<f64>,
    /// L_bj/w_bj per bin, for draws from the fixed part in the slow branch.
    pub fixed: Binned,
}

impl Part {
    /// The part of `bloc` from its states' bounds, each with its probability
    /// (as [`states`] lists them): per bin, their mixture.
    pub fn new(bloc: &Bloc, states: &[(f64, Arc<StatePart>)]) -> Part {
        let bins = states.first().map_or(0, |(_, s)| s.0.len());
        let bounds: Arc<[Bound]> = (0..bins).into_par_iter().map(|j| mixed(states, j)).collect::<Vec<_>>().into();
        let fixed = Binned::guided(&bounds.iter().map(Bound::weights).collect::<Vec<_>>());
        let masses = bounds.iter().map(Bound::mass).collect();
        Part { bloc: bloc.clone(), bounds, masses, fixed }
    }

    /// What the part depends on, as a cache key: the bloc (but not its name), where
    /// the rule counts each outcome under either whip, the swing and the bin step.
    pub fn key(bloc: &Bloc, rule: &Rule, sd: f64, step: f64) -> String {
        let counts: Vec<Category> = [bloc.whip, bloc.whip.switched()]
            .iter()
            .flat_map(|&w| Outcome::ALL.iter().map(move |&o| rule.category(o, w)))
            .collect();
        let unnamed = Bloc { name: String::new(), party: String::new(), ..bloc.clone() };
        format!("{unnamed:?}|{counts:?}|{sd:?}|{step:?}")
    }
}

/// Bin j's bound of a bloc: its states' bounds weighted by their probabilities.
fn mixed(states: &[(f64, Arc<StatePart>)], j: usize) -> Bound {
    let mut mixed: Vec<f64> = Vec::new();
    for (w, state) in states {
        let state = &state.0[j];
        mixed.resize(state.len(), 0.0);
        mixed.iter_mut().zip(state).for_each(|(m, p)| *m += w * p);
    }
    Bound::trimmed(mixed)
}

/// One switch state of a bloc: per bin, a lower bound on its counted-yes law in
/// that state, not yet weighted by the state's probability, which it does not
/// depend on (so a sweep of the switch probability shares it).
#[derive(Debug)]
pub struct StatePart(Vec<Vec<f64>>);

impl StatePart {
    /// The bounds of `bloc` in `state` over every bin of `grid`.
    pub fn new(bloc: &Bloc, state: State, rule: &Rule, sd: f64, grid: &ZGrid) -> StatePart {
        // Bin j lies between edges j and j + 1.
        let edges: Vec<Edge> = (0..=grid.bins())
            .into_par_iter()
            .map(|i| {
                let z = if i < grid.bins() { grid.edges(i).0 } else { grid.edges(i - 1).1 };
                Edge::new(bloc, state, rule, Lift::at(sd, z))
            })
            .collect();
        StatePart((0..grid.bins()).into_par_iter().map(|j| lower_bound(&edges[j], &edges[j + 1])).collect())
    }

    /// What the state's bounds depend on, as a cache key: the [`Part::key`] of
    /// the bloc without its switch probability, and whether it switched.
    pub fn key(bloc: &Bloc, state: State, rule: &Rule, sd: f64, step: f64) -> String {
        let key = Part::key(&Bloc { switch: 0.0, ..bloc.clone() }, rule, sd, step);
        format!("{key}|switched: {}", state.switched)
    }
}

/// A bloc's law in one state at one swing factor, in the pieces its bounds are
/// made of: the unnamed members' law and each named member's counted-yes
/// probability.
#[derive(Debug, Clone)]
struct Edge(Vec<f64>, Vec<f64>);

impl Edge {
    fn new(bloc: &Bloc, state: State, rule: &Rule, e: Lift) -> Edge {
        let yes = |p: &Probs| state.categories(p, rule, false, Some(e))[0];
        let a = yes(&bloc.probs);
        let unnamed = bloc_counts(bloc.unnamed(), [a, 0.0, 1.0 - a], bloc.cohesion, false).yes_marginal();
        Edge(unnamed, bloc.members.iter().map(|m| yes(&m.probs)).collect())
    }
}

/// A lower bound on a bloc's counted-yes law in one state for every swing
/// factor between two edges: the smaller unnamed pmf of the two, convolved with
/// each named member's smaller pmf.
fn lower_bound(lo: &Edge, hi: &Edge) -> Vec<f64> {
    let unnamed: Vec<f64> = lo.0.iter().zip(&hi.0).map(|(a, b)| a.min(*b)).collect();
    lo.1.iter().zip(&hi.1).fold(unnamed, |low, (a, b)| convolve(&low, &[1.0 - a.max(*b), a.min(*b)]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{bloc_joint, states};
    use crate::sampler::swing_group::MAX_BINS;
    use crate::sampler::swing_group::tests::features;

    /// L_bj ≤ P_b(· | z) at the edges of bins and anywhere between, on equal
    /// and on graded bins (whose outer bins are 20 times wider).
    #[test]
    fn lower_bounds_hold_anywhere_in_their_bin() {
        let s = features();
        for grid in [ZGrid::new(s.swing_sd, 0.3, MAX_BINS), ZGrid::graded(s.swing_sd, 0.1, MAX_BINS)] {
            for bloc in &s.blocs {
                let state = |(w, state)| (w, Arc::new(StatePart::new(bloc, state, &s.rule, s.swing_sd, &grid)));
                let part = Part::new(bloc, &states(bloc).into_iter().map(state).collect::<Vec<_>>());
                for j in (0..grid.bins()).step_by(3) {
                    assert_bound_holds(&part.bounds[j], bloc, &s.rule, s.swing_sd, grid.edges(j));
                }
            }
        }
    }

    /// Asserts that `bound` is below `bloc`'s law at six points of [lo, hi] and
    /// keeps more than half its mass.
    fn assert_bound_holds(bound: &Bound, bloc: &Bloc, rule: &Rule, sd: f64, (lo, hi): (f64, f64)) {
        for t in [0.0, 0.1, 0.37, 0.5, 0.93, 1.0] {
            let exact = bloc_joint(bloc, rule, false, Some(Lift::at(sd, lo + t * (hi - lo)))).yes_marginal();
            for (y, p) in exact.iter().enumerate() {
                assert!(bound.at(y) <= p * (1.0 + 1e-12), "{}: [{lo}, {hi}), y = {y}", bloc.name);
            }
        }
        assert!(bound.mass() > 0.5, "{}: [{lo}, {hi}) keeps only {}", bloc.name, bound.mass());
    }
}
