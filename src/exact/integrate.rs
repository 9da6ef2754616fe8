//! The swing integral at a given number of panels, and its refinement: the
//! nodes of [`super::quadrature::normal_rule`], at each the moved blocs' laws
//! (the tilted group's from its anchor, the others rebuilt) mixed with the
//! node's weight, and the panels doubled until P(pass) and the distribution stop
//! moving ([`super::PASS_TOLERANCE`], [`super::DISTRIBUTION_TOLERANCE`], at most
//! [`super::MAX_PANELS`]). Nodes go in fixed chunks whose laws are built in
//! parallel and added in node order, so the sums are the same on any number of
//! threads. The error bound is the parent module's.

use super::span::Span;
use super::tilt::Tilt;
use super::{
    Accumulator, DISTRIBUTION_TOLERANCE, Exact, MAX_PANELS, Model, PARALLEL_NODES, PASS_TOLERANCE, Watch, quadrature,
};
use crate::model::Lift;
use crate::scenario::Bloc;
use rayon::prelude::*;

/// A swing integral with a given number of panels, reporting nodes done.
pub(super) type SwingIntegral<'a> = dyn FnMut(usize, &dyn Fn(usize)) -> Option<Exact> + 'a;

/// Runs the swing integral `run` with 4 panels, then doubles the panels until
/// P(pass) and the distribution stop moving (module doc), or until the next round
/// would take the nodes past `max_nodes` (after two rounds at least: the last
/// change is then reported as it stands), reporting progress.
pub(super) fn refine(run: &mut SwingIntegral, max_nodes: usize, progress: &dyn Fn(u64)) -> Option<Exact> {
    let shown = std::cell::Cell::new(0);
    let report = |done: usize, expected: usize| {
        shown.set(shown.get().max(999 * done as u64 / expected as u64));
        progress(shown.get());
    };
    let (mut panels, mut done) = (4, 0);
    let mut last = run(panels, &|i| report(i, 3 * panels * quadrature::POINTS))?;
    loop {
        done += panels * quadrature::POINTS;
        panels *= 2;
        let expected = done + 3 * panels * quadrature::POINTS;
        let next = run(panels, &|i| report(done + i, expected))?;
        let change = (next.p_pass - last.p_pass).abs();
        let moved: f64 = next.yes.iter().zip(&last.yes).map(|(a, b)| (a - b).abs()).sum();
        last = Exact { change, ..next };
        let settled = change < PASS_TOLERANCE && moved < DISTRIBUTION_TOLERANCE;
        let over_budget = done + 3 * panels * quadrature::POINTS > max_nodes;
        if settled || panels >= MAX_PANELS || over_budget {
            progress(1000);
            return Some(last);
        }
    }
}

impl Model<'_> {
    /// The swing integral with `panels` panels: at each node the moved blocs'
    /// laws (the tilted group's from its anchor, the others rebuilt), mixed with
    /// the node's weight; the fixed blocs convolved once with the mixture.
    pub(super) fn integrate(
        &self,
        fixed: &Accumulator,
        tilt: &mut Tilt,
        panels: usize,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<Exact> {
        let nodes = quadrature::normal_rule(panels);
        let mut mixture = Accumulator { yes: Vec::new(), statistic: Vec::new(), offset: 0, empty: 0.0 };
        if !self.with_other {
            mixture = Accumulator { yes: vec![0.0; tilt.seats() + 1], statistic: vec![1.0], offset: 0, empty: 1.0 };
        }
        if self.with_other {
            self.mix_statistic_nodes(&nodes, &tilt.per_node, &mut mixture, watch, report)?;
        } else {
            self.mix_tilted_nodes(&nodes, tilt, &mut mixture.yes, watch, report)?;
        }
        let (yes, p_pass) = self.finish(&fixed.clone().add(mixture, self.with_other));
        Some(Exact { yes, p_pass, nodes: nodes.len(), change: 0.0 })
    }

    /// Adds the moved blocs' law of yes at every node, weighted, into `mixture`:
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
        mixture: &mut [f64],
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<()> {
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
        in_chunks(nodes, watch, report, chunk_laws, |law: Span, w| law.add_into(w, mixture))
    }

    /// Adds the moved blocs' laws at every node, weighted, into `mixture` (rules
    /// with a statistic, where nothing tilts). The nodes go in fixed chunks of
    /// [`PARALLEL_NODES`]; a chunk's laws are built in parallel and added in node
    /// order, so the sums are the same, in the same order, on any thread count.
    pub(super) fn mix_statistic_nodes(
        &self,
        nodes: &[(f64, f64)],
        moved: &[&Bloc],
        mixture: &mut Accumulator,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<()> {
        let chunk_laws = |chunk: &[(f64, f64)]| {
            chunk
                .par_iter()
                .map(|&(z, _)| {
                    let factor = Lift::at(self.scenario.swing_sd, z);
                    self.accumulate(Accumulator::unit(), moved.iter().copied(), factor, watch)
                })
                .collect()
        };
        in_chunks(nodes, watch, report, chunk_laws, |law: Accumulator, w| mixture.add_scaled(w, &law))
    }

    /// The swing integral the reference way: the whole chamber at every node.
    pub(super) fn integrate_per_node(
        &self,
        fixed: &Accumulator,
        dynamic: &[&Bloc],
        panels: usize,
        watch: &Watch,
        report: &dyn Fn(usize),
    ) -> Option<Exact> {
        let seats = self.scenario.chamber.seats as usize;
        let nodes = quadrature::normal_rule(panels);
        let mut yes = vec![0.0; seats + 1];
        let mut p_pass = 0.0;
        for (i, &(z, w)) in nodes.iter().enumerate() {
            let factor = Lift::at(self.scenario.swing_sd, z);
            let acc = self.accumulate(fixed.clone(), dynamic.iter().copied(), factor, watch)?;
            let (y, p) = self.finish(&acc);
            yes.iter_mut().zip(&y).for_each(|(a, b)| *a += w * b);
            p_pass += w * p;
            report(i + 1);
        }
        Some(Exact { yes, p_pass: p_pass.clamp(0.0, 1.0), nodes: nodes.len(), change: 0.0 })
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

    /// Refines an integral whose P(pass) never settles (it moves by 1/panels),
    /// recording the panels of each round.
    fn rounds(max_nodes: usize) -> (Vec<usize>, Exact) {
        let mut seen = Vec::new();
        let mut run = |panels: usize, _: &dyn Fn(usize)| {
            seen.push(panels);
            Some(Exact { yes: vec![1.0], p_pass: 1.0 / panels as f64, nodes: panels * quadrature::POINTS, change: 0.0 })
        };
        let last = refine(&mut run, max_nodes, &|_| {}).unwrap();
        (seen, last)
    }

    #[test]
    fn refinement_stops_before_a_round_past_the_node_budget_and_reports_its_change() {
        let (seen, last) = rounds(224);
        assert_eq!(seen, [4, 8, 16], "32 + 64 + 128 = 224 nodes");
        assert_eq!(last.change, 1.0 / 8.0 - 1.0 / 16.0);
        assert_eq!(rounds(223).0, [4, 8]);
        assert_eq!(rounds(0).0, [4, 8], "two rounds at least, to measure a change");
        assert_eq!(*rounds(usize::MAX).0.last().unwrap(), MAX_PANELS);
    }
}
