//! Categorical and Dirichlet draws, shared by the sampler's literal simulation
//! of a bloc and by explain's Monte Carlo ([`crate::explain::monte_carlo`]).
//!
//! **Method.** A categorical draw inverts one 53-bit uniform over the
//! cumulative probabilities; a uniform in the rounding gap above their sum takes
//! the last outcome with mass, so an outcome of probability 0 is never drawn.
//! A Dirichlet(c · means) draw normalises independent Gamma(c·mᵢ, 1) draws
//! (rand_distr); when every Gamma underflows to 0 (tiny shapes, cohesion near 1)
//! it returns the Dirichlet's limit, a vertex chosen with probability equal to
//! its mean. Both consume the stream in a fixed order (one word per categorical
//! draw; the Gammas in category order), which the pinned values rely on.

use super::rng::uniform;
use rand::Rng;
use rand_distr::{Distribution, Gamma};

/// Index drawn with probabilities `p` (summing to 1).
pub fn categorical<R: Rng + ?Sized, const N: usize>(rng: &mut R, p: &[f64; N]) -> usize {
    let u = uniform(rng);
    let mut acc = 0.0;
    for (i, &pi) in p.iter().enumerate() {
        acc += pi;
        if u < acc {
            return i;
        }
    }
    // u fell in the rounding gap above the sum: take the last outcome with mass.
    p.iter().rposition(|&x| x > 0.0).unwrap_or(N - 1)
}

/// Probabilities drawn from Dirichlet(c · means), by normalised Gamma(α_i, 1) draws.
/// A shape c·m that underflows to 0 (a subnormal mean) is a category that is never
/// drawn: its probability under the Dirichlet is below c·m < 5e-324.
pub fn dirichlet<R: Rng + ?Sized>(rng: &mut R, means: &[f64; 3], c: f64) -> [f64; 3] {
    let mut g = [0.0; 3];
    for (gi, &m) in g.iter_mut().zip(means) {
        if let Ok(gamma) = Gamma::new(c * m, 1.0) {
            *gi = gamma.sample(rng);
        }
    }
    let total: f64 = g.iter().sum();
    if total > 0.0 {
        g.map(|x| x / total)
    } else {
        // Every gamma underflowed (tiny shapes): the Dirichlet's limit is a vertex
        // chosen with probability equal to its mean.
        let mut vertex = [0.0; 3];
        vertex[categorical(rng, means)] = 1.0;
        vertex
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_xoshiro::Xoshiro256PlusPlus;

    #[test]
    fn dirichlet_draws_average_to_their_means() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
        let means = [0.2, 0.5, 0.3];
        let n = 20_000;
        let mut sum = [0.0; 3];
        for _ in 0..n {
            let q = dirichlet(&mut rng, &means, 4.0);
            assert!((q.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            (0..3).for_each(|i| sum[i] += q[i]);
        }
        for i in 0..3 {
            // Var(qᵢ) = mᵢ(1 − mᵢ)/(c + 1) ≤ 0.05: five standard errors.
            assert!((sum[i] / n as f64 - means[i]).abs() < 5.0 * (0.05 / n as f64).sqrt(), "{i}: {sum:?}");
        }
    }

    /// With shapes so small that every Gamma underflows, the draw is a vertex
    /// chosen by its mean, and never one of mean 0.
    #[test]
    fn underflowing_gammas_give_a_vertex_chosen_by_its_mean() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let means = [0.25, 0.75, 0.0];
        let n = 20_000;
        let mut hits = [0u32; 3];
        for _ in 0..n {
            let q = dirichlet(&mut rng, &means, 1e-300);
            let vertex = q.iter().position(|&x| x == 1.0).expect("a vertex");
            hits[vertex] += 1;
        }
        assert_eq!(hits[2], 0);
        let p = f64::from(hits[0]) / f64::from(n);
        assert!((p - 0.25).abs() < 5.0 * (0.25f64 * 0.75 / f64::from(n)).sqrt(), "{hits:?}");
    }
}
