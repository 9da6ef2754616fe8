//! The one interface of the units a vote is drawn from, in the spirit of rand's
//! `Distribution`: a [`VoteUnit`] turns its share of the batch stream and the
//! vote's swing into counted (yes, other) votes, showing each bloc's counts to a
//! [`Visitor`].
//!
//! A vote is the swing draw followed by its units, in a fixed order: the
//! composite tables, the swing group, the blocs drawn as one member-table
//! draw, the other directly drawn blocs ([`super::kernel`]). Each unit's share
//! of the batch stream is a type ([`VoteUnit::Share`]), so how many bits a unit
//! takes is fixed by its path, whatever happens inside it, and every other unit
//! of a sweep point sees the same randomness (common random numbers):
//! - a composite table takes half a word ([`Half`]); two share a word ([`Paired`]);
//! - a directly drawn bloc takes one word ([`Word`]), the seed of its own substream
//!   (a bloc drawn as one member-table draw too, [`super::member_blocs`]);
//! - the swing group takes two words ([`Words`]): a uniform for its table, and
//!   the seed of the substream of its slow branch and literal fallback.
//!
//! Every unit is exact in law at any swing: a unit whose tables do not cover a
//! swing draws its blocs literally itself, so `sample` never refuses.

use crate::model::Lift;
use rand::Rng;

/// What a vote shows of each bloc's counts. Decoding a composite table's
/// components costs integer divisions, so it happens only for active visitors,
/// decided at compile time.
pub trait Visitor {
    /// Whether `visit` does anything.
    const ACTIVE: bool;
    /// Called with a bloc's index and its (counted yes, other) counts.
    fn visit(&mut self, bloc: usize, counts: (u32, u32));
}

/// The plain run: sees nothing, costs nothing.
pub struct Unseen;

impl Visitor for Unseen {
    const ACTIVE: bool = false;
    #[inline(always)]
    fn visit(&mut self, _: usize, _: (u32, u32)) {}
}

/// A closure that sees every bloc.
pub struct Each<F>(pub F);

impl<F: FnMut(usize, (u32, u32))> Visitor for Each<F> {
    const ACTIVE: bool = true;
    #[inline(always)]
    fn visit(&mut self, bloc: usize, counts: (u32, u32)) {
        (self.0)(bloc, counts)
    }
}

/// Half a word of the batch stream: a 32-bit uniform.
#[derive(Debug, Clone, Copy)]
pub struct Half(pub u32);

/// One word of the batch stream.
#[derive(Debug, Clone, Copy)]
pub struct Word(pub u64);

/// Two consecutive words of the batch stream.
#[derive(Debug, Clone, Copy)]
pub struct Words(pub u64, pub u64);

/// A share that a unit takes from the stream by itself.
pub trait FromStream {
    /// The next share of `stream`.
    fn take<R: Rng + ?Sized>(stream: &mut R) -> Self;
}

impl FromStream for Word {
    #[inline(always)]
    fn take<R: Rng + ?Sized>(stream: &mut R) -> Word {
        Word(stream.next_u64())
    }
}

impl FromStream for Words {
    #[inline(always)]
    fn take<R: Rng + ?Sized>(stream: &mut R) -> Words {
        let first = stream.next_u64();
        Words(first, stream.next_u64())
    }
}

/// The vote's swing as its units see it: the draw z, and the odds factor e^{σz}
/// when the kernel computed it for the vote (it does when some unit always
/// needs it: no exp on the hot path of scenarios whose moved blocs are all in
/// the swing group).
#[derive(Debug, Clone, Copy)]
pub struct VoteSwing {
    z: f64,
    sd: f64,
    factor: Option<Lift>,
}

impl VoteSwing {
    /// The swing z of a vote under standard deviation `sd` (0: no swing, z = 0).
    #[inline(always)]
    pub fn new(z: f64, sd: f64) -> VoteSwing {
        VoteSwing { z, sd, factor: None }
    }

    /// The same swing with its lift computed once, for units that all need it.
    #[inline(always)]
    pub fn with_factor(self) -> VoteSwing {
        VoteSwing { factor: Some(self.lift()), ..self }
    }

    /// The standard normal draw.
    #[inline(always)]
    pub fn z(&self) -> f64 {
        self.z
    }

    /// The swing's standard deviation σ (0: no swing).
    #[inline(always)]
    pub fn sd(&self) -> f64 {
        self.sd
    }

    /// The lift σz with its odds factor e^{σz} (none without a swing): the one
    /// computed by [`VoteSwing::with_factor`], or computed now.
    #[inline(always)]
    pub fn lift(&self) -> Lift {
        self.factor.unwrap_or_else(|| if self.sd > 0.0 { Lift::at(self.sd, self.z) } else { Lift::NONE })
    }
}

/// A part of the chamber drawn as one: counted (yes, other) votes from its share
/// of the batch stream.
pub trait VoteUnit {
    /// The unit's share of the batch stream in one vote.
    type Share;
    /// Counted (yes, other) votes of the unit's blocs at `swing`, from `share`;
    /// an active `visitor` sees each bloc's counts by its index in the scenario.
    fn sample<V: Visitor>(&self, share: Self::Share, swing: VoteSwing, visitor: &mut V) -> (u32, u32);
}

impl<U: VoteUnit + ?Sized> VoteUnit for &U {
    type Share = U::Share;
    #[inline(always)]
    fn sample<V: Visitor>(&self, share: U::Share, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        (**self).sample(share, swing, visitor)
    }
}

/// One or two half-word units drawn from one word: the first from its low
/// half, the second (if any) from its high half. (Pairs are views of a
/// contiguous list, `units.chunks(2)`: measured faster than pairs held apart.)
#[derive(Debug, Clone, Copy)]
pub struct Paired<'a, U>(pub &'a [U]);

impl<U: VoteUnit<Share = Half>> VoteUnit for Paired<'_, U> {
    type Share = Word;
    #[inline(always)]
    fn sample<V: Visitor>(&self, Word(r): Word, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        let (mut yes, mut other) = self.0[0].sample(Half(r as u32), swing, visitor);
        if let Some(second) = self.0.get(1) {
            let (y, o) = second.sample(Half((r >> 32) as u32), swing, visitor);
            yes += y;
            other += o;
        }
        (yes, other)
    }
}

/// Adds the counted (yes, other) votes of `units` to `counts`, each unit taking
/// its share of `stream` in turn.
#[inline(always)]
pub fn add_votes<U, R, V>(
    counts: &mut (u32, u32),
    units: impl IntoIterator<Item = U>,
    stream: &mut R,
    swing: VoteSwing,
    visitor: &mut V,
) where
    U: VoteUnit,
    U::Share: FromStream,
    R: Rng + ?Sized,
    V: Visitor,
{
    for unit in units {
        let (y, o) = unit.sample(U::Share::take(stream), swing, visitor);
        counts.0 += y;
        counts.1 += o;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// A half-word unit that reports its uniform as its yes count.
    struct Echo;

    impl VoteUnit for Echo {
        type Share = Half;
        fn sample<V: Visitor>(&self, Half(u): Half, _: VoteSwing, _: &mut V) -> (u32, u32) {
            (u >> 16, 1)
        }
    }

    #[test]
    fn paired_units_take_the_low_then_the_high_half_of_one_word() {
        let units = [Echo, Echo, Echo];
        let pairs: Vec<Paired<Echo>> = units.chunks(2).map(Paired).collect();
        let swing = VoteSwing::new(0.0, 0.0);
        let word = Word(0x0003_0000_0005_0000);
        assert_eq!(pairs[0].sample(word, swing, &mut Unseen), (3 + 5, 2));
        assert_eq!(pairs[1].sample(word, swing, &mut Unseen), (5, 1));
    }

    /// A two-word unit that reports its words, modulo 1000, as its counts.
    struct Both;

    impl VoteUnit for Both {
        type Share = Words;
        fn sample<V: Visitor>(&self, Words(a, b): Words, _: VoteSwing, _: &mut V) -> (u32, u32) {
            ((a % 1000) as u32, (b % 1000) as u32)
        }
    }

    #[test]
    fn each_unit_takes_its_words_of_the_stream_in_turn_and_no_more() {
        let mut stream = Xoshiro256PlusPlus::seed_from_u64(1);
        let mut copy = stream.clone();
        let mut counts = (0, 0);
        add_votes(&mut counts, [Both, Both], &mut stream, VoteSwing::new(0.0, 0.0), &mut Unseen);
        let w: Vec<u32> = (0..4).map(|_| (copy.next_u64() % 1000) as u32).collect();
        assert_eq!(counts, (w[0] + w[2], w[1] + w[3]));
        assert_eq!(stream.next_u64(), copy.next_u64());
    }

    #[test]
    fn the_swing_factor_is_one_without_a_swing_and_exp_of_sd_z_with_one() {
        assert_eq!(VoteSwing::new(0.0, 0.0).lift(), Lift::NONE);
        let swing = VoteSwing::new(-1.5, 0.2);
        assert_eq!(swing.lift().factor(), (0.2f64 * -1.5).exp());
        assert_eq!(swing.with_factor().lift(), swing.lift());
    }
}
