//! Binomial counts in constant expected time and no tables, for large blocs:
//! Hörmann's transformed rejection with squeeze (BTRS; W. Hörmann, "The
//! generation of binomial random variates", J. Statist. Comput. Simul. 46, 1993).
//!
//! For Binomial(n, p) with p ≤ ½ and np ≥ [`MIN_MEAN`], a pair of uniforms (U, V)
//! proposes k = ⌊(2a/(½ − |U|) + b)·U + c⌋ from a transformed-rejection hat
//! (a, b, c from n and p), and k is accepted
//! - at once in the squeeze region (½ − |U| ≥ 0.07 and V ≤ v_r; about 86% of
//!   proposals), where the hat lies below the pmf;
//! - else when V·α/(a/(½ − |U|)² + b) ≤ f(k)/f(m), m the mode: within 15 of the
//!   mode by a product of pmf ratios; further out first against the bounds
//!   t ± ρ on ln(f(k)/f(m)) of Kachitvichyanukul and Schmeiser's BTPE (Commun.
//!   ACM 31, 1988, step 5.2), and only between them exactly, by Stirling's
//!   series (below);
//!
//! and rejected otherwise (a new pair is drawn). The paper proves the hat
//! dominates the pmf for np ≥ 10, so the count is exactly Binomial(n, p), and
//! about 1.15 pairs are drawn per count whatever n is: the cost is O(1), with no
//! memory beyond a few constants per call (none per bloc).
//!
//! **Error.** ln(f(k)/f(m)) is written with the ratios of Stirling's formula
//! (well conditioned for n in the millions) plus the remainders
//! ln j! − [(j + ½)ln(j + 1) − (j + 1) + ½ln 2π], taken exactly for j < 10 and from
//! their asymptotic series to the term in j⁻⁹ otherwise, whose truncation error is
//! below 7e-15 at j = 10. So every acceptance decision is exact up to
//! floating-point rounding (about 1e-13 in the log ratio), far below the 2^-32
//! resolution of the tables it replaces.

use super::rng::uniform;
use rand::Rng;

/// The smallest mean n·p (p ≤ ½) for which the hat is proven to dominate.
pub const MIN_MEAN: f64 = 10.0;

/// The constants of Binomial(n, p), 0 < p ≤ ½, n·p ≥ [`MIN_MEAN`].
#[derive(Debug, Clone, Copy)]
pub struct Btrs {
    n: f64,
    a: f64,
    b: f64,
    c: f64,
    alpha: f64,
    v_r: f64,
    /// The odds p/(1 − p).
    r: f64,
    /// The mode ⌊(n + 1)p⌋.
    m: f64,
    /// The variance np(1 − p).
    npq: f64,
}

impl Btrs {
    /// The constants for Binomial(n, p), or `None` unless 0 < p ≤ ½ and np ≥ [`MIN_MEAN`].
    #[inline]
    pub fn new(n: u64, p: f64) -> Option<Btrs> {
        let n = n as f64;
        if !(p > 0.0 && p <= 0.5 && n * p >= MIN_MEAN) {
            return None;
        }
        let npq = n * p * (1.0 - p);
        let spq = npq.sqrt();
        let b = 1.15 + 2.53 * spq;
        let a = -0.0873 + 0.0248 * b + 0.01 * p;
        let (alpha, v_r) = ((2.83 + 5.1 / b) * spq, 0.92 - 4.2 / b);
        // A cast truncates: the floor of a non-negative number, with no libm call.
        let (r, m) = (p / (1.0 - p), ((n + 1.0) * p) as u64 as f64);
        Some(Btrs { n, a, b, c: n * p + 0.5, alpha, v_r, r, m, npq })
    }

    /// One count, drawing about 2.3 uniforms from `rng` on average.
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> u64 {
        loop {
            let (u, v) = (uniform(rng) - 0.5, uniform(rng));
            let us = 0.5 - u.abs();
            let x = (2.0 * self.a / us + self.b) * u + self.c;
            if !(0.0..self.n + 1.0).contains(&x) {
                continue;
            }
            let k = x as u64 as f64;
            if (us >= 0.07 && v <= self.v_r) || self.accepts(k, v * self.alpha / (self.a / (us * us) + self.b)) {
                return k as u64;
            }
        }
    }

    /// Whether v ≤ f(k)/f(m): by a product of pmf ratios near the mode, else by
    /// the bounds t ± ρ on the log ratio where they hold (Kachitvichyanukul and
    /// Schmeiser's BTPE, step 5.2), else exactly.
    #[cold]
    fn accepts(&self, k: f64, v: f64) -> bool {
        let km = (k - self.m).abs();
        if km <= 15.0 {
            return self.ratio_near_mode(k, v);
        }
        let lv = v.ln();
        if km < self.npq / 2.0 - 1.0 {
            let (t, rho) = self.log_ratio_bounds(km);
            if lv < t - rho || lv > t + rho {
                return lv < t - rho;
            }
        }
        lv <= self.log_ratio(k)
    }

    /// v ≤ f(k)/f(m) for |k − m| ≤ 15, as v·Π(denominators) ≤ Π(numerators) of the
    /// pmf ratios f(i)/f(i − 1) = (n − i + 1)r/i (no division, no overflow).
    fn ratio_near_mode(&self, k: f64, v: f64) -> bool {
        let (lo, hi) = if k > self.m { (self.m, k) } else { (k, self.m) };
        let (mut up, mut down) = (1.0, 1.0);
        let mut i = lo + 1.0;
        while i <= hi {
            up *= (self.n - i + 1.0) * self.r;
            down *= i;
            i += 1.0;
        }
        if k > self.m { v * down <= up } else { v * up <= down }
    }

    /// t and ρ with |ln(f(m ± km)/f(m)) − t| ≤ ρ for 15 < km < npq/2 − 1.
    fn log_ratio_bounds(&self, km: f64) -> (f64, f64) {
        let npq = self.npq;
        let rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
        (-km * km / (2.0 * npq), rho)
    }

    /// ln(f(k)/f(m)) for the pmf f, by Stirling's formula with exact remainders.
    fn log_ratio(&self, k: f64) -> f64 {
        let (n, m, r) = (self.n, self.m, self.r);
        (m + 0.5) * ((m + 1.0) / (r * (n - m + 1.0))).ln()
            + (n + 1.0) * ((n - m + 1.0) / (n - k + 1.0)).ln()
            + (k + 0.5) * (r * (n - k + 1.0) / (k + 1.0)).ln()
            + stirling_tail(m)
            + stirling_tail(n - m)
            - stirling_tail(k)
            - stirling_tail(n - k)
    }
}

/// ln j! − [(j + ½)ln(j + 1) − (j + 1) + ½ln 2π] for a whole number j ≥ 0.
fn stirling_tail(j: f64) -> f64 {
    if j < 10.0 {
        let log_factorial: f64 = (2..=j as u32).map(|i| f64::from(i).ln()).sum();
        let half_ln_2pi = 0.5 * (2.0 * std::f64::consts::PI).ln();
        return log_factorial - ((j + 0.5) * (j + 1.0).ln() - (j + 1.0) + half_ln_2pi);
    }
    // ln Γ(x) − [(x − ½)ln x − x + ½ln 2π] with x = j + 1: Bernoulli terms to x⁻⁹.
    let (x, x2) = (j + 1.0, (j + 1.0) * (j + 1.0));
    (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0 - 1.0 / (1188.0 * x2)) / x2) / x2) / x2) / x
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::SplitMix64;

    /// ln C(n, k) + k ln p + (n − k) ln(1 − p) for k = 0..=n, from log factorials
    /// summed term by term.
    fn log_pmf(n: u64, p: f64) -> Vec<f64> {
        let lf: Vec<f64> = (0..=n).scan(0.0, |s, j| Some(std::mem::replace(s, *s + ((j + 1) as f64).ln()))).collect();
        let at = |k: u64| {
            lf[n as usize] - lf[k as usize] - lf[(n - k) as usize] + k as f64 * p.ln() + (n - k) as f64 * (1.0 - p).ln()
        };
        (0..=n).map(at).collect()
    }

    /// The acceptance test's log ratio is the exact one (to 1e-9 absolute, the
    /// reference's own summing error at n = 20,000), inside and far out in the tails.
    #[test]
    fn the_log_ratio_is_the_exact_log_pmf_ratio() {
        for (n, p) in [(20u64, 0.5), (97, 0.11), (20_000, 0.013), (4_000, 0.5)] {
            let t = Btrs::new(n, p).unwrap();
            let (m, law) = (t.m as u64, log_pmf(n, p));
            for k in [0, 1, 5, m / 2, m.saturating_sub(3), m, m + 1, m + 40, m * 2, n].map(|k| k.min(n)) {
                let exact = law[k as usize] - law[m as usize];
                let got = t.log_ratio(k as f64);
                assert!((got - exact).abs() < 1e-9 * exact.abs().max(1.0), "n={n} p={p} k={k}: {got} vs {exact}");
            }
        }
    }

    /// The product near the mode and the bounds t ± ρ further out agree with the
    /// exact log ratio wherever they decide.
    #[test]
    fn the_shortcuts_agree_with_the_exact_ratio() {
        for (n, p) in [(20u64, 0.5), (2_000, 0.013), (45_454, 0.08), (4_000, 0.5)] {
            let (t, law) = (Btrs::new(n, p).unwrap(), log_pmf(n, p));
            let m = t.m as u64;
            for k in m.saturating_sub(400)..=(m + 400).min(n) {
                let (exact, km) = (law[k as usize] - law[m as usize], (k as f64 - t.m).abs());
                if km <= 15.0 {
                    let (below, above) = ((exact - 1e-9).exp(), (exact + 1e-9).exp());
                    assert!(t.ratio_near_mode(k as f64, below) && !t.ratio_near_mode(k as f64, above), "n={n} k={k}");
                } else if km < t.npq / 2.0 - 1.0 {
                    let (centre, rho) = t.log_ratio_bounds(km);
                    assert!((exact - centre).abs() <= rho, "n={n} p={p} k={k}: {exact} vs {centre} ± {rho}");
                }
            }
        }
    }

    #[test]
    fn the_remainders_series_meets_the_exact_values_at_ten() {
        let exact: f64 = (2..=10).map(|i| f64::from(i).ln()).sum::<f64>()
            - (10.5 * 11f64.ln() - 11.0 + 0.5 * (2.0 * std::f64::consts::PI).ln());
        assert!((stirling_tail(10.0) - exact).abs() < 1e-14, "{} vs {exact}", stirling_tail(10.0));
    }

    /// Counts follow the exact binomial law (a chi-square test on 2e6 draws), for
    /// means from the smallest allowed to thousands. (Accepting every proposal
    /// with V ≤ 0.99 − 4.2/b in the squeeze, a hat the paper does not prove,
    /// fails it.)
    #[test]
    fn counts_follow_the_binomial_law() {
        let mut rng = SplitMix64::seed_from_u64(11);
        for (n, p) in [(20u64, 0.5), (1000, 0.01), (45_454, 0.08), (300, 0.37)] {
            let t = Btrs::new(n, p).unwrap();
            let draws = 2_000_000;
            let mut counts = vec![0u64; n as usize + 1];
            (0..draws).for_each(|_| counts[t.sample(&mut rng) as usize] += 1);
            let law: Vec<f64> = log_pmf(n, p).iter().map(|l| l.exp()).collect();
            crate::sampler::binned::assert_chi_square(&counts, &law, &format!("n={n} p={p}"));
        }
    }

    #[test]
    fn it_refuses_where_the_hat_is_not_proven() {
        for (n, p) in [(19u64, 0.5), (100, 0.6), (100, 0.0), (1000, 0.009)] {
            assert!(Btrs::new(n, p).is_none(), "n={n} p={p}");
        }
    }
}
