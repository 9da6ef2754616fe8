//! Blocs the swing moves, drawn together: one table lookup for all of them in
//! nearly every vote, exactly.
//!
//! Given the swing z the blocs are independent, and bloc b's count has the law
//! P_b(· | z) of the model ([`crate::model::bloc_joint`]). Cut z into narrow
//! bins, graded so that they are narrowest where z is common (σ·width ≤ [`STEP`]
//! for |z| < 1.5, wider beyond: [`ZGrid::graded`]). Over bin j every bloc has a lower bound
//! L_bj(y) ≤ P_b(y | z) for all z in the bin, of mass w_bj ≤ 1, so
//!
//! P_b(· | z) = L_bj + R_bj(· | z),  R_bj = P_b(· | z) − L_bj ≥ 0, of mass 1 − w_bj:
//!
//! each bloc draws from its fixed part L_bj/w_bj with probability w_bj and from its
//! residual otherwise, a mixture whose law is exactly P_b(· | z). All blocs draw
//! from their fixed parts with probability W_j = Π_b w_bj, and then their total
//! has the fixed law ⊛_b L_bj / W_j, tabulated per bin: one 32-bit uniform and an
//! inversion from cells that hold the draw ([`Celled`]). Otherwise (probability
//! 1 − W_j: in about 0.9% of the default scenario's votes) the first bloc to use
//! its residual is found by inversion, later blocs choose for themselves, and a
//! residual is drawn by inversion of P_b(· | z) − L_bj computed at the exact z.
//! Both branches are exact, so the draw is exact in law, whatever the bin width;
//! the width only sets how often the slow branch runs.
//!
//! The bounds are per bloc ([`super::swing_part`]); the group's total
//! ⊛_b L_bj is a balanced tree of convolutions over the blocs in group order,
//! whose nodes a sweep's points share ([`super::swing_cache`]).

use super::binned::{ZGrid, two_uniforms};
use super::celled::Celled;
use super::rng::uniform;
use super::swing_cache::{GroupCache, Tables};
use super::swing_part::Part;
use super::unit::Visitor;
use crate::model::{Lift, bloc_yes_law, convolve};
use crate::rules::Rule;
use crate::scenario::Bloc;
use rand::Rng;
use rayon::prelude::*;
use std::sync::Arc;

/// σ·width of a central bin: the slow branch runs with probability roughly
/// proportional to it. Graded bins at 0.0025 (348 bins in the default scenario,
/// slow in 0.9% of votes) measured faster than 0.0015 or 0.001 (574 and 860
/// bins, 0.54% and 0.36%) and than 0.0035 or 0.005: a vote's table lookups,
/// which fewer bins keep in cache, cost more than the slow branch saved.
const STEP: f64 = 0.0025;
/// The largest number of bins.
pub(super) const MAX_BINS: usize = 4800;
/// Rejection draws of each bloc's count given the group's total before the exact
/// backward draw (recorded runs only).
const SPLIT_ATTEMPTS: usize = 32;

/// Swing-moved blocs whose counted yes votes are drawn together.
#[derive(Debug, Clone)]
pub struct SwingGroup {
    rule: Rule,
    sd: f64,
    grid: ZGrid,
    parts: Vec<Arc<Part>>,
    /// W_j per bin.
    together: Vec<f64>,
    /// The law of the total when every bloc draws from its fixed part, in cells
    /// that hold the draw ([`Celled`]: the same count as thresholds with a guide
    /// for every uniform, from one read instead of three dependent ones).
    total: Celled,
}

impl SwingGroup {
    /// The one group of `blocs`, as [`SwingGroup::all`] builds it.
    #[cfg(test)]
    pub fn new(blocs: &[&Bloc], rule: &Rule, sd: f64, cache: &GroupCache) -> Option<SwingGroup> {
        SwingGroup::all(&[blocs.to_vec()], rule, sd, cache).and_then(|mut groups| groups.pop())
    }

    /// The swing group of each list of `groups` (each bloc moved by the swing)
    /// under `rule`, which needs only counted yes votes, for a swing of `sd` > 0,
    /// all built at once (their parts and trees in parallel, from and into one
    /// `cache`); `None` without groups, with an empty one, without a swing
    /// (σ > 0, finite) or under a rule that needs the other count.
    pub fn all(groups: &[Vec<&Bloc>], rule: &Rule, sd: f64, cache: &GroupCache) -> Option<Vec<SwingGroup>> {
        // Whether the rule needs the other count does not depend on the seats.
        let yes_only = !groups.is_empty() && groups.iter().all(|g| !g.is_empty()) && !rule.test(0).needs_other();
        (yes_only && sd > 0.0 && sd.is_finite()).then(|| SwingGroup::with_step(groups, rule, sd, STEP, cache))
    }

    /// The groups with bins of σ·width ≤ `step` (tests use wide bins, so that
    /// the slow branch runs often).
    fn with_step(groups: &[Vec<&Bloc>], rule: &Rule, sd: f64, step: f64, cache: &GroupCache) -> Vec<SwingGroup> {
        let grid = ZGrid::graded(sd, step, MAX_BINS);
        let tables = cache.tables(groups, rule, sd, step, &grid);
        let group = |Tables { parts, total: sum }: Tables| {
            let together = (0..grid.bins()).map(|j| parts.iter().map(|p| p.masses[j]).product()).collect();
            let total = Celled::new(sum.iter().map(|bound| bound.weights()));
            SwingGroup { rule: *rule, sd, grid, parts, together, total }
        };
        tables.into_par_iter().with_max_len(1).map(group).collect()
    }

    /// Drops the parts (those no sweep's cache holds) on the current pool's threads.
    pub fn free(self) {
        super::free(self.parts);
    }

    /// The group's counted yes votes for swing z, from one 64-bit uniform `r` and,
    /// in the slow branch, further draws from `rng`; `None` outside the bins.
    /// An active `visitor` sees each bloc's count (by its place in the group):
    /// in the fast branch they are drawn from `rng` given the total, which the
    /// visitor does not change.
    #[inline]
    pub fn sample<R: Rng + ?Sized, V: Visitor>(&self, z: f64, r: u64, rng: &mut R, visitor: &mut V) -> Option<u32> {
        let j = self.grid.bin(z)?;
        let (u1, u2) = two_uniforms(r);
        let w = self.together[j];
        if u2 < w {
            let total = self.total.draw(j, u1);
            if V::ACTIVE {
                self.split(j, total as usize, rng, visitor, SPLIT_ATTEMPTS);
            }
            return Some(total);
        }
        Some(self.slow(j, z, (u2 - w) / (1.0 - w), rng, visitor))
    }

    /// The slow branch, given that some bloc draws from its residual: `v` uniform
    /// on [0, 1) picks the first such bloc. The lift e^{σz} is computed here, not
    /// by the caller: computed before the branch, its exp cost every vote about
    /// 50 instructions (measured under callgrind).
    #[cold]
    #[inline(never)]
    fn slow<R: Rng + ?Sized, V: Visitor>(&self, j: usize, z: f64, v: f64, rng: &mut R, visitor: &mut V) -> u32 {
        let e = Lift::at(self.sd, z);
        let target = v * (1.0 - self.together[j]);
        let (mut acc, mut before) = (0.0, 1.0);
        let mut first = self.parts.len() - 1;
        for (i, part) in self.parts.iter().enumerate() {
            let w = part.masses[j];
            acc += before * (1.0 - w);
            before *= w;
            if target < acc {
                first = i;
                break;
            }
        }
        let mut count = 0;
        for (i, part) in self.parts.iter().enumerate() {
            let residual = i == first || (i > first && uniform(rng) >= part.masses[j]);
            let n = if residual { self.residual(part, j, e, uniform(rng)) } else { part.fixed.draw(j, rng.next_u32()) };
            visitor.visit(i, (n as u32, 0));
            count += n;
        }
        count as u32
    }

    /// Each bloc's count given that all drew from their fixed parts and their
    /// total is `total`: the law of independent draws conditioned on their sum.
    /// First by rejection (draw every bloc, keep the draw if the sum is right),
    /// then, should that keep failing, by drawing the blocs from the last
    /// backwards, each given the prefix convolution of those before it.
    #[cold]
    fn split<R: Rng + ?Sized, V: Visitor>(
        &self,
        j: usize,
        total: usize,
        rng: &mut R,
        visitor: &mut V,
        attempts: usize,
    ) {
        let mut counts = vec![0; self.parts.len()];
        for _ in 0..attempts {
            counts.iter_mut().zip(&self.parts).for_each(|(c, part)| *c = part.fixed.draw(j, rng.next_u32()));
            if counts.iter().sum::<usize>() == total {
                counts.iter().enumerate().for_each(|(i, &n)| visitor.visit(i, (n as u32, 0)));
                return;
            }
        }
        let laws: Vec<Vec<f64>> = self.parts.iter().map(|part| part.bounds[j].dense()).collect();
        let mut prefixes = vec![vec![1.0]];
        for law in &laws[..laws.len() - 1] {
            prefixes.push(convolve(prefixes.last().expect("starts with one"), law));
        }
        let mut rest = total;
        for (i, (law, before)) in laws.iter().zip(&prefixes).enumerate().rev() {
            let weight = |k: usize| law[k] * rest.checked_sub(k).and_then(|r| before.get(r)).copied().unwrap_or(0.0);
            let weights: Vec<f64> = (0..law.len().min(rest + 1)).map(weight).collect();
            let n = invert(&weights, uniform(rng));
            visitor.visit(i, (n as u32, 0));
            rest -= n;
        }
    }

    /// A draw from P_b(· | z) − L_bj, by inversion of the difference; P_b by
    /// ratios of consecutive probabilities ([`bloc_yes_law`]: the same law with
    /// a fifth of the instructions of the log-space [`crate::model::bloc_joint`]).
    fn residual(&self, part: &Part, j: usize, e: Lift, u: f64) -> usize {
        let exact = bloc_yes_law(&part.bloc, &self.rule, Some(e));
        let rest: Vec<f64> = exact.iter().enumerate().map(|(y, p)| (p - part.bounds[j].at(y)).max(0.0)).collect();
        invert(&rest, u)
    }
}

/// The count drawn from non-negative `weights` by inversion of uniform `u`: the
/// last count with weight when rounding leaves the target above their sum.
fn invert(weights: &[f64], u: f64) -> usize {
    let target = u * weights.iter().sum::<f64>();
    let mut acc = 0.0;
    for (y, p) in weights.iter().enumerate() {
        acc += p;
        if target < acc {
            return y;
        }
    }
    weights.iter().rposition(|&p| p > 0.0).unwrap_or(0)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::model::bloc_joint;
    use crate::sampler::binned::assert_counts_follow;
    use crate::sampler::unit::{Each, Unseen};
    use crate::scenario::{Scenario, load, parse};
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Every feature a grouped bloc can have, under a rule that does not count
    /// defectors (so some yes votes do not count) and with a wide swing.
    const FEATURES: &str = r#"
        [scenario]
        name = "features"
        [chamber]
        seats = 30
        vacancies = 1
        [rule]
        majority-of = "membership"
        count-defectors = false
        [swing]
        sd = 0.8
        [[bloc]]
        name = "binomial"
        seats = 9
        whip = "yes"
        defect = 0.1
        absent = 0.2
        [[bloc]]
        name = "cohesive, switching"
        seats = 8
        whip = "no"
        defect = 0.3
        absent = 0.1
        cohesion = 0.4
        switch = 0.3
        [[bloc]]
        name = "all or none, with members"
        seats = 7
        whip = "yes"
        defect = 0.2
        cohesion = 1.0
          [[bloc.member]]
          name = "a"
          yes = 0.5
          absent = 0.5
          [[bloc.member]]
          name = "b"
          yes = 0.05
          no = 0.95
        [[bloc]]
        name = "always switches"
        seats = 5
        whip = "no"
        defect = 0.2
        switch = 1.0
        cohesion = 0.7
    "#;

    /// A group with every feature a grouped bloc can have.
    pub fn features() -> Scenario {
        parse(FEATURES, "features.toml", "features").unwrap()
    }

    fn exact_total(s: &Scenario, e: Lift) -> Vec<f64> {
        let laws = s.blocs.iter().map(|b| bloc_joint(b, &s.rule, false, Some(e)).yes_marginal());
        laws.fold(vec![1.0], |acc, law| convolve(&acc, &law))
    }

    /// At a fixed z (inside a bin, on an edge, near the grid's end) the group's
    /// totals follow the exact law, with narrow bins and with bins so wide that
    /// the slow branch runs in most votes.
    #[test]
    fn draws_at_a_fixed_swing_follow_the_exact_law() {
        let s = features();
        let blocs: Vec<&Bloc> = s.blocs.iter().collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        for step in [STEP, 0.5] {
            let group =
                SwingGroup::with_step(std::slice::from_ref(&blocs), &s.rule, s.swing_sd, step, &GroupCache::default())
                    .remove(0);
            let slow = 1.0 - group.together[group.grid.bin(0.0).unwrap()];
            assert!(step == STEP || slow > 0.3, "wide bins should use the slow branch often: {slow}");
            for z in [0.0, -1.3, group.grid.edges(700.min(group.grid.bins() - 1)).0, 2.1, 5.99] {
                let law = exact_total(&s, Lift::at(s.swing_sd, z));
                let n = 100_000;
                let mut counts = vec![0u64; law.len()];
                for _ in 0..n {
                    let r = rng.next_u64();
                    counts[group.sample(z, r, &mut rng, &mut Unseen).unwrap() as usize] += 1;
                }
                assert_counts_follow(&counts, &law, &format!("step {step}, z={z}"));
            }
            assert_eq!(group.sample(6.5, 0, &mut rng, &mut Unseen), None);
        }
    }

    /// In the default scenario the slow branch runs in under 1% of votes (0.90%).
    #[test]
    fn the_slow_branch_is_rare_in_the_default_scenario() {
        let s = load(None).unwrap();
        let blocs: Vec<&Bloc> = s.blocs.iter().filter(|b| b.seats > 0).collect();
        let group = SwingGroup::new(&blocs, &s.rule, s.swing_sd, &GroupCache::default()).unwrap();
        let normal = |z: f64| (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
        let slow: f64 = (0..group.grid.bins())
            .map(|j| {
                let (lo, hi) = group.grid.edges(j);
                (1.0 - group.together[j]) * normal((lo + hi) / 2.0) * (hi - lo)
            })
            .sum();
        assert!(slow < 0.01, "slow branch in {slow} of votes");
    }

    /// Given the total, each bloc's count follows its exact law at that z (the
    /// totals are unchanged), by rejection and by the backward draw alone.
    #[test]
    fn recorded_counts_of_each_bloc_follow_their_exact_laws() {
        let s = features();
        let blocs: Vec<&Bloc> = s.blocs.iter().collect();
        let group = SwingGroup::new(&blocs, &s.rule, s.swing_sd, &GroupCache::default()).unwrap();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let z = 0.7;
        let j = group.grid.bin(z).unwrap();
        for attempts in [SPLIT_ATTEMPTS, 0] {
            let mut counts = vec![vec![0u64; 31]; blocs.len()];
            let n = 60_000;
            for _ in 0..n {
                let (r, mut seen) = (rng.next_u64(), vec![0u32; blocs.len()]);
                let total = match group.sample(z, r, &mut rng, &mut Each(|i: usize, (y, _): (u32, u32)| seen[i] = y)) {
                    Some(t) if two_uniforms(r).1 < group.together[j] && attempts == 0 => {
                        seen.fill(0);
                        group.split(
                            j,
                            group.total.draw(j, r as u32) as usize,
                            &mut rng,
                            &mut Each(|i, (y, _)| seen[i] = y),
                            0,
                        );
                        t
                    }
                    t => t.unwrap(),
                };
                assert_eq!(seen.iter().sum::<u32>(), total);
                seen.iter().enumerate().for_each(|(b, &y)| counts[b][y as usize] += 1);
            }
            for (b, bloc) in s.blocs.iter().enumerate() {
                let law = bloc_joint(bloc, &s.rule, false, Some(Lift::at(s.swing_sd, z))).yes_marginal();
                assert_counts_follow(&counts[b][..law.len()], &law, &format!("{}, {attempts} attempts", bloc.name));
            }
        }
    }
}
