//! Integration over the chamber-wide swing z ~ N(0, 1).
//!
//! Composite Gauss–Legendre: [−L, L] with L = 8.5 (the mass outside is 2Φ(−8.5)
//! ≈ 2e-17) cut into `panels` equal panels, each with an 8-point Gauss–Legendre
//! rule weighted by the normal density. An 8-point rule is exact for polynomials of
//! degree 15 on each panel; the caller doubles the panel count until the answer
//! stops moving, which also copes with integrands that are steep in z.

/// Half-width of the integration range in standard deviations.
pub const HALF_WIDTH: f64 = 8.5;

/// Points of the Gauss–Legendre rule on each panel.
pub const POINTS: usize = 8;

/// Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on P_n.
pub fn gauss_legendre(n: usize) -> Vec<(f64, f64)> {
    (0..n)
        .map(|i| {
            let mut x = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (p, dp) = legendre(n, x);
                derivative = dp;
                let step = p / dp;
                x -= step;
                if step.abs() < 1e-16 {
                    break;
                }
            }
            let (_, dp) = legendre(n, x);
            derivative = if dp != 0.0 { dp } else { derivative };
            (x, 2.0 / ((1.0 - x * x) * derivative * derivative))
        })
        .collect()
}

/// P_n(x) and its derivative.
fn legendre(n: usize, x: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, x);
    for k in 2..=n {
        let p2 = ((2 * k - 1) as f64 * x * p1 - (k - 1) as f64 * p0) / k as f64;
        p0 = p1;
        p1 = p2;
    }
    (p1, n as f64 * (x * p1 - p0) / (x * x - 1.0))
}

/// Nodes z and weights w with Σ w f(z) ≈ E f(Z), Z ~ N(0, 1); the weights are
/// normalised to sum to exactly 1 so that mixtures keep total mass 1.
pub fn normal_rule(panels: usize) -> Vec<(f64, f64)> {
    let rule = gauss_legendre(POINTS);
    let width = 2.0 * HALF_WIDTH / panels as f64;
    let density = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut nodes: Vec<(f64, f64)> = (0..panels)
        .flat_map(|k| {
            let mid = -HALF_WIDTH + width * (k as f64 + 0.5);
            rule.iter().map(move |&(x, w)| {
                let z = mid + 0.5 * width * x;
                (z, 0.5 * width * w * density(z))
            })
        })
        .collect();
    let total: f64 = nodes.iter().map(|n| n.1).sum();
    nodes.iter_mut().for_each(|n| n.1 /= total);
    nodes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        let rule = gauss_legendre(8);
        let integral: f64 = rule.iter().map(|(x, w)| w * x.powi(14)).sum();
        assert!((integral - 2.0 / 15.0).abs() < 1e-14);
    }

    #[test]
    fn the_normal_rule_has_the_normal_moments() {
        let rule = normal_rule(16);
        let m2: f64 = rule.iter().map(|(z, w)| w * z * z).sum();
        let m4: f64 = rule.iter().map(|(z, w)| w * z.powi(4)).sum();
        assert!((m2 - 1.0).abs() < 1e-12 && (m4 - 3.0).abs() < 1e-12, "{m2} {m4}");
    }
}
