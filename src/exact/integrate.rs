//! The swing integral round by round, and its refinement: the nodes each round
//! of [`super::quadrature::round_nodes`] adds, at each the moved blocs' laws (the
//! tilted group's from its anchor, the others rebuilt) summed with the node's
//! weight into the sums of the rounds before, and rounds added until P(pass) and
//! the distribution stop moving ([`super::PASS_TOLERANCE`],
//! [`super::DISTRIBUTION_TOLERANCE`], at most [`quadrature::LAST_ROUND`]). Nodes
//! go in fixed chunks whose laws are built in parallel and added in node order,
//! so the sums are the same on any number of threads. The error bound is the
//! parent module's.

use super::span::Span;
use super::tilt::Tilt;
use super::{Accumulator, DISTRIBUTION_TOLERANCE, Exact, Model, PARALLEL_NODES, PASS_TOLERANCE, Watch, quadrature};
use crate::model::Lift;
use crate::scenario::Bloc;
use quadrature::{LAST_ROUND, Sums, nodes_through, round_nodes};
use rayon::prelude::*;

/// A swing integral that adds a round's nodes to its sums and returns the
/// estimate through that round, reporting the round's nodes done.
pub(super) type SwingIntegral<'a> = dyn FnMut(u32, &dyn Fn(usize)) -> Option<Exact> + 'a;

/// Runs the swing integral `run` round after round until P(pass) and the
/// distribution stop moving (module doc), or until the next round would take the
/// nodes past `max_nodes` (after two rounds at least: the last change is then
/// reported as it stands), reporting progress.
pub(super) fn refine(run: &mut SwingIntegral, max_nodes: usize, progress: &dyn Fn(u64)) -> Option<Exact> {
    let shown = std::cell::Cell::new(0);
    let report = |done: usize, expected: usize| {
        shown.set(shown.get().max(999 * done as u64 / expected as u64));
        progress(shown.get());
    };
    let mut last = run(0, &|i| report(i, nodes_through(1)))?;
    for round in 1..=LAST_ROUND {
        let done = nodes_through(round - 1);
        let next = run(round, &|i| report(done + i, nodes_through(round)))?;
        let change = (next.p_pass - last.p_pass).abs();
        let moved: f64 = next.yes.iter().zip(&last.yes).map(|(a, b)| (a - b).abs()).sum();
        last = Exact { change, ..next };
        let settled = change < PASS_TOLERANCE && moved < DISTRIBUTION_TOLERANCE;
        if settled || nodes_through(round + 1) > max_nodes {
            break;
        }
    }
    progress(1000);
    Some(last)
}

impl Model<'_> {
    /// Adds round `round`'s nodes to `sums`, the moved blocs' law of yes summed
    /// over the nodes so far (the tilted group's from its anchor, the others
    /// rebuilt), and returns the estimate through that round: the fixed blocs
    /// convolved with the sums' mean.
    pub(super) fn integrate(
        &self,
        fixed: &Accumulator,
        tilt: &mut Tilt,
        sums: &mut Sums,
        round: u32,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<Exact> {
        self.mix_tilted_nodes(&round_nodes(round), tilt, sums, watch, report)?;
        let moved = Accumulator { yes: sums.mean(), statistic: vec![1.0], offset: 0, empty: 1.0 };
        let (yes, p_pass) = self.finish(&fixed.clone().add(moved, false));
        Some(Exact { yes, p_pass, nodes: nodes_through(round), change: 0.0 })
    }

    /// Adds the moved blocs' law of yes at each of `nodes`, weighted, into `sums`:
    /// the tilted group's law from its anchor, then each per-node bloc's law
    /// convolved in. The nodes go in fixed chunks of [`PARALLEL_NODES`]: a chunk's
    /// tilted laws are taken in node order (anchors are built as they are first
    /// needed), its per-node convolutions run in parallel, and the laws are added
    /// in node order, so the sums are the same, in the same order, on any thread
    /// count.
    fn mix_tilted_nodes(
        &self,
        nodes: &[(f64, f64)],
        tilt: &mut Tilt,
        sums: &mut Sums,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<()> {
        if sums.values.is_empty() {
            sums.values = vec![0.0; tilt.seats() + 1];
        }
        let chunk_laws = |chunk: &[(f64, f64)]| {
            let tilted: Vec<Span> = chunk.iter().map(|&(z, _)| tilt.law_at(self, z)).collect();
            let per_node = &tilt.per_node;
            chunk
                .par_iter()
                .zip(tilted)
                .map(|(&(z, _), mut law)| {
                    let factor = Lift::at(self.scenario.swing_sd, z);
                    for b in per_node {
                        if watch.stopped() {
                            return None;
                        }
                        law = law.add(self.bloc_law(b, Some(factor)).yes);
                    }
                    Some(law)
                })
                .collect()
        };
        in_chunks(nodes, watch, report, chunk_laws, |law: Span, w| {
            law.add_into(w, &mut sums.values);
            sums.weight += w;
        })
    }

    /// The swing integral the reference way, round `round` added to `sums`: the
    /// whole chamber at every node, its distribution and P(pass) (the sums' last
    /// entry) summed.
    pub(super) fn integrate_per_node(
        &self,
        fixed: &Accumulator,
        dynamic: &[&Bloc],
        sums: &mut Sums,
        round: u32,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<Exact> {
        for (i, (z, w)) in round_nodes(round).into_iter().enumerate() {
            let factor = Lift::at(self.scenario.swing_sd, z);
            let acc = self.accumulate(fixed.clone(), dynamic.iter().copied(), factor, watch)?;
            let (mut values, p) = self.finish(&acc);
            values.push(p);
            sums.add(w, &values);
            report(i + 1);
        }
        let mut yes = sums.mean();
        let p_pass = yes.pop().expect("P(pass) is the last entry").clamp(0.0, 1.0);
        Some(Exact { yes, p_pass, nodes: nodes_through(round), change: 0.0 })
    }
}

/// The nodes in fixed chunks of [`PARALLEL_NODES`]: `laws` builds a chunk's laws
/// (in parallel), then `add` takes each with its node's weight, in node order, so
/// the sums are the same, in the same order, on any thread count. `None` once
/// the run is stopped.
fn in_chunks<T>(
    nodes: &[(f64, f64)],
    watch: &Watch,
    report: &dyn Fn(usize),
    mut laws: impl FnMut(&[(f64, f64)]) -> Vec<Option<T>>,
    mut add: impl FnMut(T, f64),
) -> Option<()> {
    for (c, chunk) in nodes.chunks(PARALLEL_NODES).enumerate() {
        if watch.stopped() {
            return None;
        }
        for (law, &(_, w)) in laws(chunk).into_iter().zip(chunk) {
            add(law?, w);
        }
        report(c * PARALLEL_NODES + chunk.len());
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Refines an integral whose P(pass) never settles (it moves by 1/(round + 1)),
    /// recording the rounds run.
    fn rounds(max_nodes: usize) -> (Vec<u32>, Exact) {
        let mut seen = Vec::new();
        let mut run = |round: u32, _: &dyn Fn(usize)| {
            seen.push(round);
            let p_pass = 1.0 / (round + 1) as f64;
            Some(Exact { yes: vec![1.0], p_pass, nodes: nodes_through(round), change: 0.0 })
        };
        let last = refine(&mut run, max_nodes, &|_| {}).unwrap();
        (seen, last)
    }

    #[test]
    fn refinement_stops_before_a_round_past_the_node_budget_and_reports_its_change() {
        let (seen, last) = rounds(129);
        assert_eq!(seen, [0, 1, 2], "33, then 32 and 64 new nodes: 129");
        assert_eq!(last.change, 1.0 / 2.0 - 1.0 / 3.0);
        assert_eq!(last.nodes, 129);
        assert_eq!(rounds(128).0, [0, 1]);
        assert_eq!(rounds(0).0, [0, 1], "two rounds at least, to measure a change");
        assert_eq!(*rounds(usize::MAX).0.last().unwrap(), LAST_ROUND);
    }
}
