//! Binomial counts drawn by inversion, monotone in the uniform, so that
//! neighbouring sweep points stay coupled (common random numbers): a sequential
//! search of the CDF from 0 on the rarer outcome, exact up to rounding; where the
//! rarer outcome's mean exceeds 40 inversion would be slow, and rand_distr's BTPE
//! (exact, not monotone) is used instead. Shared by the literal path
//! ([`super::direct`]) and the binomial swing tables ([`super::swing_table`]).

use super::rng::uniform;
use rand::Rng;
use rand_distr::{Binomial, Distribution};

/// Binomial(n, p) by inversion (sequential search of the CDF from 0, on the rarer
/// outcome), or by BTPE when the rarer outcome's mean exceeds 40.
pub fn binomial<R: Rng + ?Sized>(rng: &mut R, n: u64, p: f64) -> u64 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    if p >= 1.0 {
        return n;
    }
    if n == 1 {
        return u64::from(uniform(rng) < p);
    }
    let (q, flip) = if p > 0.5 { (1.0 - p, true) } else { (p, false) };
    if n as f64 * q > 40.0 {
        return Binomial::new(n, p).expect("p in (0, 1)").sample(rng);
    }
    let u = uniform(rng);
    let k = invert_binomial(if flip { 1.0 - u } else { u }, n, q);
    if flip { n - k } else { k }
}

/// The smallest k with P(Binomial(n, q) ≤ k) > u, searching up from 0: exact up to
/// rounding, monotone in u, and quick when n·q is small.
pub fn invert_binomial(u: f64, n: u64, q: f64) -> u64 {
    if q <= 0.0 || n == 0 {
        return 0;
    }
    if q >= 1.0 {
        return n;
    }
    let ratio = q / (1.0 - q);
    let mut pmf = (1.0 - q).powi(n as i32);
    let (mut cdf, mut k) = (pmf, 0u64);
    while u >= cdf && k < n {
        k += 1;
        pmf *= (n - k + 1) as f64 / k as f64 * ratio;
        cdf += pmf;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn binomial_inversion_has_the_binomial_mean_and_variance() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        for (n, p) in [(10, 0.3), (50, 0.9), (7, 0.5), (200, 0.01)] {
            let draws: Vec<f64> = (0..200_000).map(|_| binomial(&mut rng, n, p) as f64).collect();
            let mean = draws.iter().sum::<f64>() / draws.len() as f64;
            let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
            let (m, v) = (n as f64 * p, n as f64 * p * (1.0 - p));
            assert!((mean - m).abs() < 5.0 * (v / 2e5).sqrt(), "n={n} p={p}: mean {mean} vs {m}");
            assert!((var / v - 1.0).abs() < 0.03, "n={n} p={p}: variance {var} vs {v}");
        }
    }
}
