//! A law of a count kept from its first nonzero entry, P(first + i) = p[i]: the
//! one representation of a law that the tilted swing integral ([`super::tilt`])
//! and the transform sums ([`super::spectral`]) share. Sums are direct
//! convolutions ([`convolve`]) with the engine's tail trimming ([`trim_tails`]),
//! so a span's law carries the same error as an `Accumulator`'s.

use super::TAIL;
use crate::model::convolve;
use std::ops::Range;

/// A law of a count from its first nonzero entry: P(first + i) = p[i].
#[derive(Debug, Clone)]
pub(super) struct Span {
    pub first: usize,
    pub p: Vec<f64>,
}

impl Span {
    /// The law of 0.
    pub fn unit() -> Span {
        Span { first: 0, p: vec![1.0] }
    }

    /// `p` placed at `first`, its zero ends dropped.
    pub fn at(first: usize, mut p: Vec<f64>) -> Span {
        let start = p.iter().position(|&x| x != 0.0).unwrap_or(0);
        let end = p.iter().rposition(|&x| x != 0.0).map_or(start + 1, |e| e + 1);
        p.truncate(end);
        p.drain(..start);
        Span { first: first + start, p }
    }

    /// `law` (indexed from 0) from its first to its last nonzero entry.
    #[cfg(test)]
    pub fn new(law: &[f64]) -> Span {
        Span::at(0, law.to_vec())
    }

    /// How many entries are not zero.
    pub fn nonzero(&self) -> usize {
        self.p.iter().filter(|&&x| x != 0.0).count()
    }

    /// The law of the sum with an independent count of law `law` (as
    /// `Accumulator::add` does: both trimmed by [`trim_tails`]).
    pub fn add(&self, mut law: Vec<f64>) -> Span {
        trim_tails(&mut law);
        self.plus(&Span::at(0, law))
    }

    /// The law of the sum with `other`, convolved directly, its tails trimmed.
    pub fn plus(&self, other: &Span) -> Span {
        let mut p = convolve(&self.p, &other.p);
        trim_tails(&mut p);
        Span::at(self.first + other.first, p)
    }

    /// Adds `w` times this law to `out` (a law over 0..out.len()).
    pub fn add_into(&self, w: f64, out: &mut [f64]) {
        out[self.first..].iter_mut().zip(&self.p).for_each(|(o, p)| *o += w * p);
    }
}

/// Sets to zero the leading and trailing entries of `law` whose cumulative mass
/// is at most [`TAIL`] on each side ([`kept`]), so that later convolutions skip them.
pub(super) fn trim_tails(law: &mut [f64]) {
    let keep = kept(law);
    law[..keep.start].fill(0.0);
    law[keep.end..].fill(0.0);
}

/// The entries of `law` that [`trim_tails`] keeps (read only): from the first
/// whose running mass from the start exceeds [`TAIL`] to the last whose running
/// mass from the end does; none when the whole law weighs at most `TAIL`, or
/// the two tails overlap.
pub(super) fn kept(law: &[f64]) -> Range<usize> {
    match (past_tail(law, 0..law.len()), past_tail(law, (0..law.len()).rev())) {
        (Some(first), Some(last)) if first <= last => first..last + 1,
        _ => 0..0,
    }
}

/// The first index of `order` at which the running mass of `law` exceeds [`TAIL`].
fn past_tail(law: &[f64], mut order: impl Iterator<Item = usize>) -> Option<usize> {
    let mut mass = 0.0;
    order.find(|&i| {
        mass += law[i];
        mass > TAIL
    })
}

/// Binomial(k, p) by k convolutions with a coin, for tests.
#[cfg(test)]
pub(super) fn binomial(k: usize, p: f64) -> Vec<f64> {
    (0..k).fold(vec![1.0], |law, _| convolve(&law, &[1.0 - p, p]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_drops_its_zero_ends_and_keeps_its_place() {
        let s = Span::at(3, vec![0.0, 0.0, 0.25, 0.75, 0.0]);
        assert_eq!((s.first, s.p.clone()), (5, vec![0.25, 0.75]));
        let mut out = vec![0.0; 8];
        s.plus(&Span::new(&[0.0, 1.0])).add_into(2.0, &mut out);
        assert_eq!(out, vec![0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 1.5]);
        assert_eq!(Span::new(&[0.0, 0.0]).p, vec![0.0]);
    }

    /// Entries within 1e-20 of mass from either end are dropped, the first
    /// entry past each tail kept; a law lighter than 1e-20, or whose two tails
    /// overlap, is dropped whole.
    #[test]
    fn trimming_drops_each_tail_up_to_its_first_entry_past_1e_20() {
        let cases: [(Vec<f64>, Range<usize>); 6] = [
            (vec![0.0, 1e-21, 0.3, 0.0, 0.7, 5e-21, 0.0], 2..5),
            (vec![1.0], 0..1),
            (vec![0.0, 0.5, 0.5], 1..3),
            (vec![2e-20, 1.0, 0.0], 0..2),
            (vec![0.5e-20, 1e-20, 0.5e-20], 1..2),
            (vec![4e-21, 4e-21, 0.0], 0..0),
        ];
        for (law, range) in cases {
            assert_eq!(kept(&law), range, "{law:?}");
            let mut trimmed = law.clone();
            trim_tails(&mut trimmed);
            let expected: Vec<f64> =
                law.iter().enumerate().map(|(i, &p)| if range.contains(&i) { p } else { 0.0 }).collect();
            assert_eq!(trimmed, expected, "{law:?}");
        }
    }
}
