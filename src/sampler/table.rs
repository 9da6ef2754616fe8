//! The one interface of the z-binned count tables, in the spirit of rand's
//! `Distribution`: one `sample` signature and one behaviour outside the range
//! the table covers.
//!
//! A [`CountTable`] draws a count of counted yes votes at the vote's swing
//! ([`VoteSwing`]) from a generator. Every table is exact in law at any z inside its
//! bins (|z| < 6); outside them (probability 2e-9 per vote) it returns `None`
//! and the caller draws the members literally, unless the table can draw
//! anywhere (then it never returns `None`). Tables are built by validated
//! constructors that return `None` for inputs they cannot serve (no swing, a
//! certain outcome, cohesion 0 or 1, no members), so an invalid table cannot be
//! built; the bloc's path ([`super::path`]) decides which table to build.

use super::cohesive_table::CohesiveTable;
use super::large::{LargeBetaBinomial, LargeBinomial};
use super::member_table::MemberTable;
use super::swing_table::SwingTable;
use super::unit::VoteSwing;
use rand::Rng;

/// A table of counted yes votes that depends on the swing.
pub trait CountTable {
    /// Counted yes votes at `swing`, drawing from `rng`; `None` when z lies outside
    /// the table's bins, where the caller draws the members literally.
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> Option<u32>;
}

/// The unnamed members' table of a directly drawn bloc in one switch state.
/// The z-binned tables are boxed: a bloc is then a few hundred bytes, not a few
/// thousand, which its move into the kernel's list copies (with 10,000 one-seat
/// blocs, those copies and the fresh memory they filled took two thirds of the
/// tables' build, on one thread).
#[derive(Debug, Clone)]
pub enum Unnamed {
    /// Binomial counts (no cohesion).
    Binomial(Box<SwingTable>),
    /// Beta-binomial counts (cohesion).
    Cohesive(Box<CohesiveTable>),
    /// Binomial counts of a large bloc, drawn at the vote's own swing (no table).
    LargeBinomial(LargeBinomial),
    /// Beta-binomial counts of a large bloc, drawn at the vote's own swing (no table).
    LargeBetaBinomial(LargeBetaBinomial),
    /// A certain count (or a state that never happens).
    Fixed(u32),
}

impl CountTable for Unnamed {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> Option<u32> {
        match self {
            Unnamed::Binomial(t) => t.sample(rng, swing),
            Unnamed::Cohesive(t) => t.sample(rng, swing),
            Unnamed::LargeBinomial(t) => Some(t.sample(rng, swing.lift())),
            Unnamed::LargeBetaBinomial(t) => Some(t.sample(rng, swing.lift())),
            Unnamed::Fixed(n) => Some(*n),
        }
    }
}

impl CountTable for MemberTable {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> Option<u32> {
        self.sample_at(rng, swing.z())
    }
}

impl CountTable for CohesiveTable {
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> Option<u32> {
        self.sample_at(rng, swing.z(), swing.lift())
    }
}

impl CountTable for SwingTable {
    /// Never `None`: outside the bins it inverts the binomial directly.
    #[inline]
    fn sample<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> Option<u32> {
        Some(self.sample_at(swing.z(), swing.lift(), rng.next_u64()))
    }
}
