//! The swing group as a unit of the vote: the group's tables
//! ([`super::swing_group`]) and, for a swing outside their bins (|z| ≥ 6,
//! probability 2e-9 per vote), the same blocs drawn literally ([`super::direct`]).
//!
//! Its share of the batch stream is two words whatever happens: the first is
//! the uniform of the group's table, the second seeds the substream of the slow
//! branch, of the recorded split of the total, and of the literal fallback, so
//! sweeps stay coupled. Exact in law at any swing, as both parts are.

use super::direct::DirectBloc;
use super::swing_group::SwingGroup;
use super::unit::{Visitor, VoteSwing, VoteUnit, Words, add_votes};
use rand::SeedableRng;
use rand_xoshiro::SplitMix64;

/// Swing-moved blocs drawn together, and the same blocs prepared for literal
/// simulation.
#[derive(Debug, Clone)]
pub struct Grouped {
    group: SwingGroup,
    blocs: Vec<DirectBloc>,
}

impl Grouped {
    /// The group's tables and its blocs (in the group's order), drawn literally
    /// where the tables do not reach.
    pub fn new(group: SwingGroup, blocs: Vec<DirectBloc>) -> Grouped {
        Grouped { group, blocs }
    }

    /// Drops the group's tables on the current pool's threads.
    pub fn free(self) {
        rayon::join(|| self.group.free(), || super::free(self.blocs));
    }

    /// The blocs drawn literally, for a swing outside the tables' bins (cold and
    /// out of line, so that the lift's exp is not computed on every vote).
    #[cold]
    #[inline(never)]
    fn outside_bins<V: Visitor>(&self, sub: &mut SplitMix64, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        let mut counts = (0, 0);
        add_votes(&mut counts, &self.blocs, sub, swing.with_factor(), visitor);
        counts
    }

    /// The grouped blocs, in the group's order.
    #[cfg(test)]
    pub fn blocs(&self) -> &[DirectBloc] {
        &self.blocs
    }
}

impl VoteUnit for Grouped {
    type Share = Words;

    /// Always inlined into the batch loop (left to the compiler, it was not,
    /// once the loop was compiled for several kinds of kernel: a call a vote).
    #[inline(always)]
    fn sample<V: Visitor>(&self, Words(r, seed): Words, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        let sub = &mut SplitMix64::seed_from_u64(seed);
        match self.group.sample(swing.z(), r, sub, &mut Renumbered { blocs: &self.blocs, visitor }) {
            Some(yes) => (yes, 0),
            None => self.outside_bins(sub, swing, visitor),
        }
    }
}

/// A visitor of the swing group, which knows its blocs by their place in it.
struct Renumbered<'a, V> {
    blocs: &'a [DirectBloc],
    visitor: &'a mut V,
}

impl<V: Visitor> Visitor for Renumbered<'_, V> {
    const ACTIVE: bool = V::ACTIVE;
    #[inline(always)]
    fn visit(&mut self, place: usize, counts: (u32, u32)) {
        self.visitor.visit(self.blocs[place].place, counts)
    }
}
