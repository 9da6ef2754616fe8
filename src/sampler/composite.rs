//! Composite tables: several blocs with fixed laws sampled by one inversion.
//!
//! Blocs that nothing couples (no swing) are independent, so their joint law is
//! the product of their laws. Blocs are packed greedily, smallest support first,
//! into tables of at most [`MAX_ENTRIES`] joint outcomes; each table is one
//! guide-table inversion over its joint outcomes sorted by (total yes, total
//! other), so draws stay monotone in the uniform for the table's totals. Every
//! entry keeps the mixed-radix index of its components, so each bloc's own counts
//! can be decoded inside a vote.
//!
//! A vote that needs only the totals draws them from a second, smaller table of
//! the distinct (total yes, total other) pairs, whose thresholds are the full
//! table's at the last entry of each run of equal totals. The smallest entry
//! whose threshold exceeds u lies in run k exactly when run k's last threshold is
//! the first to exceed u, so both tables give the same totals for every u: the
//! same votes, from a table of a few hundred entries (in the first level of cache)
//! instead of thousands (in the last, or in memory).
//!
//! Exactness: a bloc outcome with probability below [`NEGLIGIBLE`] is left out
//! before the product is formed; the 32-bit thresholds of the table resolve
//! 2^-32 ≈ 2.3e-10 in any case, so such outcomes would almost never be drawn.

use super::binned::NEGLIGIBLE;
use super::inverse::{FineCdf, InverseCdf};
use super::unit::{Half, Visitor, VoteSwing, VoteUnit};
use crate::model::Joint;

/// The most joint outcomes in one table: fewer, larger tables mean fewer draws
/// per vote until they stop fitting in cache; 16384 measured faster than 4096
/// and 65536 on `bench/independent-blocs`.
pub const MAX_ENTRIES: usize = 16384;

/// One bloc's outcomes within a composite table.
#[derive(Debug, Clone)]
struct Part {
    bloc: usize,
    outcomes: Vec<(u32, u32)>,
}

/// Several independent blocs sampled together.
#[derive(Debug, Clone)]
pub struct Composite {
    /// The totals' table: one entry per run of equal (total yes, total other).
    totals: FineCdf,
    /// (total yes, total other) per entry of `totals`.
    sums: Vec<(u32, u32)>,
    /// The joint outcomes' table, for votes that show each bloc's counts.
    table: InverseCdf,
    /// (total yes, total other, mixed-radix index of the components) per entry.
    entries: Vec<(u32, u32, u32)>,
    parts: Vec<Part>,
}

/// A bloc's outcomes and their probabilities, the negligible ones dropped.
struct Law {
    bloc: usize,
    outcomes: Vec<(u32, u32)>,
    probs: Vec<f64>,
}

impl Law {
    fn new(bloc: usize, joint: &Joint) -> Law {
        let mut law = Law { bloc, outcomes: Vec::new(), probs: Vec::new() };
        for y in 0..=joint.max_yes() {
            for o in 0..=joint.max_other() {
                let p = joint.get(y, o);
                if p >= NEGLIGIBLE {
                    law.outcomes.push((y as u32, o as u32));
                    law.probs.push(p);
                }
            }
        }
        law
    }
}

/// Packs `(bloc index, law)` pairs into composite tables.
pub fn pack(blocs: Vec<(usize, Joint)>) -> Vec<Composite> {
    let mut laws: Vec<Law> = blocs.iter().map(|(i, j)| Law::new(*i, j)).collect();
    laws.sort_by_key(|law| (law.outcomes.len(), law.bloc));
    let mut tables = Vec::new();
    let mut group: Vec<Law> = Vec::new();
    for law in laws {
        let size: usize = group.iter().map(|g| g.outcomes.len()).product();
        if !group.is_empty() && size * law.outcomes.len() > MAX_ENTRIES {
            tables.push(Composite::new(std::mem::take(&mut group)));
        }
        group.push(law);
    }
    if !group.is_empty() {
        tables.push(Composite::new(group));
    }
    tables
}

impl Composite {
    fn new(group: Vec<Law>) -> Composite {
        let size: usize = group.iter().map(|g| g.outcomes.len()).product();
        let mut rows: Vec<(u32, u32, u32, f64)> = (0..size)
            .map(|index| {
                let (mut yes, mut other, mut p, mut rest) = (0, 0, 1.0, index);
                for law in &group {
                    let k = rest % law.outcomes.len();
                    rest /= law.outcomes.len();
                    yes += law.outcomes[k].0;
                    other += law.outcomes[k].1;
                    p *= law.probs[k];
                }
                (yes, other, index as u32, p)
            })
            .collect();
        rows.sort_by_key(|r| (r.0, r.1, r.2));
        let weights: Vec<f64> = rows.iter().map(|r| r.3).collect();
        let table = InverseCdf::new(&weights);
        let entries: Vec<(u32, u32, u32)> = rows.iter().map(|r| (r.0, r.1, r.2)).collect();
        let (cdf, sums) = runs_of_totals(table.thresholds(), &entries);
        Composite {
            totals: FineCdf::from_thresholds(cdf),
            sums,
            table,
            entries,
            parts: group.into_iter().map(|law| Part { bloc: law.bloc, outcomes: law.outcomes }).collect(),
        }
    }
}

impl VoteUnit for Composite {
    /// One 32-bit uniform: the table ignores the swing, which does not move its blocs.
    type Share = Half;

    /// The totals for one 32-bit uniform, showing each component's counts to
    /// `visitor` (decoded only when the visitor is active).
    #[inline(always)]
    fn sample<V: Visitor>(&self, Half(u): Half, _: VoteSwing, visitor: &mut V) -> (u32, u32) {
        if !V::ACTIVE {
            return self.sums[self.totals.sample(u)];
        }
        let (yes, other, index) = self.entries[self.table.sample(u)];
        let mut rest = index as usize;
        for part in &self.parts {
            let n = part.outcomes.len();
            visitor.visit(part.bloc, part.outcomes[rest % n]);
            rest /= n;
        }
        (yes, other)
    }
}

/// The thresholds and totals of the runs of equal totals in `entries` (sorted
/// by totals), each run's threshold being `cdf`'s at its last entry.
fn runs_of_totals(cdf: &[u32], entries: &[(u32, u32, u32)]) -> (Vec<u32>, Vec<(u32, u32)>) {
    let last_of_run =
        |i: &usize| entries.get(i + 1).is_none_or(|next| next.0 != entries[*i].0 || next.1 != entries[*i].1);
    (0..entries.len()).filter(last_of_run).map(|i| (cdf[i], (entries[i].0, entries[i].1))).unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::bloc_counts;
    use crate::sampler::unit::Each;

    #[test]
    fn packing_respects_the_size_cap_and_keeps_every_bloc() {
        let blocs: Vec<(usize, Joint)> = (0..6).map(|i| (i, bloc_counts(40, [0.5, 0.0, 0.5], 0.0, false))).collect();
        let tables = pack(blocs);
        assert!(tables.len() >= 2);
        let mut seen: Vec<usize> = tables.iter().flat_map(|t| t.parts.iter().map(|p| p.bloc)).collect();
        seen.sort();
        assert_eq!(seen, (0..6).collect::<Vec<_>>());
        assert!(tables.iter().all(|t| t.entries.len() <= MAX_ENTRIES));
    }

    /// For every uniform near a threshold (and a sweep between), the totals'
    /// table gives the totals the joint table gives: the same votes.
    #[test]
    fn the_totals_table_draws_the_joint_tables_totals_for_every_uniform() {
        let blocs = vec![
            (0, bloc_counts(5, [0.4, 0.3, 0.3], 0.2, true)),
            (1, bloc_counts(3, [0.5, 0.0, 0.5], 0.0, true)),
            (2, bloc_counts(4, [1.0, 0.0, 0.0], 0.0, true)),
        ];
        let table = &pack(blocs)[0];
        assert!(table.sums.len() < table.entries.len(), "some totals repeat");
        let near = table.table.thresholds().iter().flat_map(|&t| [t.saturating_sub(1), t, t.saturating_add(1)]);
        let sweep = (0..=4096u32).map(|i| i.wrapping_mul(1_048_576).wrapping_add(i));
        for u in near.chain(sweep).chain([0, u32::MAX]) {
            let (yes, other, _) = table.entries[table.table.sample(u)];
            assert_eq!(table.sums[table.totals.sample(u)], (yes, other), "u = {u}");
        }
    }

    #[test]
    fn components_decode_to_counts_that_add_up_to_the_totals() {
        let blocs =
            vec![(3, bloc_counts(4, [0.3, 0.0, 0.7], 0.0, false)), (7, bloc_counts(2, [0.9, 0.0, 0.1], 0.5, false))];
        let table = &pack(blocs)[0];
        let swing = VoteSwing::new(0.0, 0.0);
        for u in (0..1000u32).map(|i| i * 4_294_967) {
            let mut sum = 0;
            let (yes, _) = table.sample(Half(u), swing, &mut Each(|_, (y, _): (u32, u32)| sum += y));
            assert_eq!(sum, yes);
        }
    }
}
