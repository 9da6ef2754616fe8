//! Blocs whose vote is one member-table draw: named members (beside a certain
//! number of unnamed ones) that the swing moves, no switch, under a rule that
//! needs only counted yes votes (`bench/members`).
//!
//! Such a bloc is a [`DirectBloc`] whose general path, for a swing inside its
//! member table's bins, draws no switch coin, adds the certain unnamed count,
//! and takes the count of its named members from the table
//! ([`MemberTable::sample_at`]) on its substream. This unit draws exactly that
//! (the same word of the batch stream seeds the same substream), and hands the
//! rare swing outside the bins (|z| ≥ 6, probability 2e-9) to the same bloc
//! without its table, which then draws its members literally from the same
//! substream: so every vote is the general path's, to the bit (tested).
//!
//! It is a unit of its own, apart from the other directly drawn blocs, because
//! a vote of it is so short: the loop over such blocs holds nothing but the
//! word, the table draw (inlined) and the sum, and the swing reaches it as z
//! alone. Kept with the general path, each draw paid for that path's setup:
//! `bench/members` (two such blocs) took 377 instructions a vote under
//! cachegrind; 350 as a unit of its own, 301 with the table draw inlined into
//! a batch loop compiled for it ([`super::Parts`]).

use super::direct::DirectBloc;
use super::member_table::MemberTable;
use super::unit::{Unseen, Visitor, VoteSwing, VoteUnit, Word};
use rand::SeedableRng;
use rand_xoshiro::SplitMix64;

/// A bloc drawn as one member-table draw plus a certain count.
#[derive(Debug, Clone)]
pub struct MemberBloc {
    place: usize,
    certain: u32,
    table: MemberTable,
    /// The same bloc without its member table, for swings outside its bins.
    literal: DirectBloc,
}

/// The blocs that are one member-table draw each, and the others, each kept
/// in order.
pub fn separate(blocs: Vec<DirectBloc>) -> (Vec<MemberBloc>, Vec<DirectBloc>) {
    let (mut members, mut others) = (Vec::new(), Vec::with_capacity(blocs.len()));
    for mut bloc in blocs {
        match bloc.take_member_table() {
            Some((certain, table)) => members.push(MemberBloc { place: bloc.place, certain, table, literal: bloc }),
            None => others.push(bloc),
        }
    }
    (members, others)
}

impl MemberBloc {
    /// Counts for a swing outside the table's bins: the bloc drawn literally
    /// from the same substream (the table draws nothing where it declines).
    /// It takes z and σ, not the [`VoteSwing`]: passing the whole swing cost
    /// `bench/members` 25 instructions a vote under cachegrind (335.5 against
    /// 310.4), though this branch almost never runs.
    #[cold]
    #[inline(never)]
    fn literally(&self, seed: u64, z: f64, sd: f64) -> (u32, u32) {
        self.literal.sample(Word(seed), VoteSwing::new(z, sd), &mut Unseen)
    }
}

impl VoteUnit for MemberBloc {
    /// One word: the seed of the bloc's substream, as for every [`DirectBloc`].
    type Share = Word;

    #[inline(always)]
    fn sample<V: Visitor>(&self, Word(seed): Word, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        let counts = match self.table.sample_at(&mut SplitMix64::seed_from_u64(seed), swing.z()) {
            Some(k) => (self.certain + k, 0),
            None => self.literally(seed, swing.z(), swing.sd()),
        };
        visitor.visit(self.place, counts);
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::path::{self, Path, Paths};

    /// Every bloc of bench/members is one member-table draw, and its draw is
    /// the general path's (the bloc keeping its table) for every seed and swing,
    /// inside the table's bins and outside (where both draw literally).
    #[test]
    fn a_member_bloc_draws_what_the_general_path_draws() {
        let s = crate::scenario::load(Some("bench/members")).unwrap();
        let plan = path::plan(&s, Paths::Fast);
        for (place, (bloc, how)) in s.blocs.iter().zip(plan).enumerate() {
            let Path::Direct(how) = how else { panic!("{}: {how:?}", bloc.name) };
            let general = DirectBloc::new((place, bloc), &s.rule, false, Some(s.swing_sd), how);
            let (members, others) = separate(vec![general.clone()]);
            assert_eq!((members.len(), others.len()), (1, 0), "{} is a member bloc", bloc.name);
            let member = &members[0];
            for i in 0..20_000u64 {
                let z = (i % 1_000) as f64 / 999.0 * 14.0 - 7.0;
                let (seed, swing) = (i.wrapping_mul(0x9E37_79B9_7F4A_7C15), VoteSwing::new(z, s.swing_sd));
                let fast = member.sample(Word(seed), swing, &mut Unseen);
                assert_eq!(fast, general.sample(Word(seed), swing, &mut Unseen), "{}: seed {seed}, z = {z}", bloc.name);
            }
        }
    }

    /// A bloc whose unnamed members are drawn too (every-path's three blocs
    /// with named members: binomial, cohesive, all or none) is not one
    /// member-table draw.
    #[test]
    fn blocs_with_more_to_draw_stay_direct() {
        let s = crate::scenario::load(Some("tests/scenarios/every-path.toml")).unwrap();
        let plan = path::plan(&s, Paths::Fast);
        let with_other = s.rule.test(s.chamber.seats).needs_other();
        let direct: Vec<DirectBloc> = (s.blocs.iter().zip(plan).enumerate())
            .filter_map(|(place, (bloc, how))| match how {
                Path::Direct(how) => Some(DirectBloc::new((place, bloc), &s.rule, with_other, Some(s.swing_sd), how)),
                _ => None,
            })
            .collect();
        let (members, others) = separate(direct);
        assert_eq!((members.len(), others.len()), (0, 3), "the three named blocs of every-path stay direct");
    }
}
