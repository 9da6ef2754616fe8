//! A law of a count kept from its first nonzero entry, P(first + i) = p[i]: the
//! one representation of a law that the tilted swing integral ([`super::tilt`])
//! and the transform sums ([`super::spectral`]) share. Sums are direct
//! convolutions ([`convolve`]) with the engine's tail trimming ([`trim_tails`]),
//! so a span's law carries the same error as an `Accumulator`'s.

use super::trim_tails;
use crate::model::convolve;

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
}
