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

    /// The distribution of yes alone.
    pub fn yes_marginal(&self) -> Vec<f64> {
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
    fn statistic_places_yes_minus_other_with_an_offset() {
        let mut j = Joint::zeros(1, 1);
        j.set(1, 0, 0.25);
        j.set(0, 1, 0.75);
        assert_eq!(j.statistic(1, 1), vec![0.75, 0.0, 0.25]);
    }
}
