//! A table of probabilities over (yes, other) counts.

/// Probabilities over (yes, other) with yes ≤ `max_yes` and other ≤ `max_other`.
#[derive(Debug, Clone, PartialEq)]
pub struct Joint {
    max_other: usize,
    p: Vec<f64>,
}

impl Joint {
    /// A table of zeros.
    pub fn zeros(max_yes: usize, max_other: usize) -> Joint {
        Joint { max_other, p: vec![0.0; (max_yes + 1) * (max_other + 1)] }
    }

    /// The table of a law over yes alone (other always 0).
    pub fn of_yes(law: Vec<f64>) -> Joint {
        Joint { max_other: 0, p: law }
    }

    fn index(&self, yes: usize, other: usize) -> usize {
        yes * (self.max_other + 1) + other
    }

    /// The largest yes count the table holds.
    pub fn max_yes(&self) -> usize {
        self.p.len() / (self.max_other + 1) - 1
    }

    /// The largest other count the table holds.
    pub fn max_other(&self) -> usize {
        self.max_other
    }

    /// P(yes, other).
    pub fn get(&self, yes: usize, other: usize) -> f64 {
        self.p[self.index(yes, other)]
    }

    /// Sets P(yes, other).
    pub fn set(&mut self, yes: usize, other: usize, value: f64) {
        let i = self.index(yes, other);
        self.p[i] = value;
    }

    /// Adds to P(yes, other).
    pub fn add(&mut self, yes: usize, other: usize, value: f64) {
        let i = self.index(yes, other);
        self.p[i] += value;
    }

    /// Multiplies every entry by `factor`.
    pub fn scale(&mut self, factor: f64) {
        self.p.iter_mut().for_each(|v| *v *= factor);
    }

    /// The total mass.
    pub fn total(&self) -> f64 {
        self.p.iter().sum()
    }

    /// `self·w + other·(1 − w)`; both tables must have the same shape.
    pub fn mix(&self, w: f64, other: &Joint) -> Joint {
        let p = self.p.iter().zip(&other.p).map(|(a, b)| a * w + b * (1.0 - w)).collect();
        Joint { max_other: self.max_other, p }
    }

    /// The table after one more member who falls into (yes, other, neither) with `q`;
    /// yes grows by one, and other too when `with_other` (else other folds into neither).
    pub fn with_member(&self, q: [f64; 3], with_other: bool) -> Joint {
        if !with_other && self.max_other == 0 {
            return self.with_yes_member(q[0], q[1] + q[2]);
        }
        let grow = usize::from(with_other);
        let mut out = Joint::zeros(self.max_yes() + 1, self.max_other + grow);
        let stay = if with_other { q[2] } else { q[1] + q[2] };
        for y in 0..=self.max_yes() {
            for o in 0..=self.max_other {
                let v = self.get(y, o);
                out.add(y + 1, o, v * q[0]);
                out.add(y, o + grow, v * q[1] * grow as f64);
                out.add(y, o, v * stay);
            }
        }
        out
    }

    /// [`Joint::with_member`] for a law of yes alone (the sampler's slow branch
    /// builds these per vote): each entry is v[y − 1]·yes + v[y]·stay, the
    /// products added in the general loop's order, so the bits are the same.
    fn with_yes_member(&self, yes: f64, stay: f64) -> Joint {
        let mut p = vec![0.0; self.p.len() + 1];
        for (y, &v) in self.p.iter().enumerate() {
            p[y + 1] += v * yes;
            p[y] += v * stay;
        }
        Joint { max_other: 0, p }
    }

    /// The distribution of yes alone, taking the table (no copy for a law of yes alone).
    pub fn into_yes(self) -> Vec<f64> {
        if self.max_other == 0 { self.p } else { self.yes_marginal() }
    }

    /// The distribution of yes alone.
    pub fn yes_marginal(&self) -> Vec<f64> {
        if self.max_other == 0 {
            return self.p.clone();
        }
        self.p.chunks(self.max_other + 1).map(|row| row.iter().sum()).collect()
    }

    /// The distribution of s = wy·yes − wo·other, indexed by s + wo·max_other.
    pub fn statistic(&self, wy: usize, wo: usize) -> Vec<f64> {
        let mut out = vec![0.0; wy * self.max_yes() + wo * self.max_other + 1];
        for y in 0..=self.max_yes() {
            for o in 0..=self.max_other {
                out[wy * y + wo * (self.max_other - o)] += self.get(y, o);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_joins_a_law_of_yes_alone_to_the_bits_of_the_general_loop() {
        let law = Joint::of_yes(vec![0.125, 0.3, 0.2, 0.375]);
        let q = [0.3, 0.15, 0.55];
        let fast = law.with_member(q, false);
        // The general loop, on a table with an (empty) other column that folds away.
        let mut general = Joint::zeros(4, 0);
        for y in 0..=3 {
            general.add(y + 1, 0, law.get(y, 0) * q[0]);
            general.add(y, 0, law.get(y, 0) * q[1] * 0.0);
            general.add(y, 0, law.get(y, 0) * (q[1] + q[2]));
        }
        assert!(fast.p.iter().zip(&general.p).all(|(a, b)| a.to_bits() == b.to_bits()), "{fast:?} {general:?}");
        assert_eq!((fast.max_yes(), fast.max_other()), (4, 0));
    }

    #[test]
    fn statistic_places_yes_minus_other_with_an_offset() {
        let mut j = Joint::zeros(1, 1);
        j.set(1, 0, 0.25);
        j.set(0, 1, 0.75);
        assert_eq!(j.statistic(1, 1), vec![0.75, 0.0, 0.25]);
    }
}
