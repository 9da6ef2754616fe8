//! The exact engine against brute-force enumeration on chambers of 5 members,
//! for every feature and every rule, to 1e-12.

mod common;

use common::{BLOC_SETS, RULES, SWINGS, brute_force, brute_force_over_swing, compose, scenario};
use whipcount::exact;

fn assert_close(a: &[f64], b: &[f64], tol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        assert!((x - y).abs() < tol, "{what}: P(yes = {k}) {x} vs {y}");
    }
}

#[test]
fn exact_engine_matches_enumeration_for_every_feature_and_rule() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            for no_swing_bloc in [false, true] {
                let s = scenario(&compose(rule, blocs, "[swing]\nsd = 0.8\n", no_swing_bloc));
                for z in [-2.5, -0.7, 0.0, 1.3] {
                    let (law, p) = exact::conditional(&s, z);
                    let (brute_law, brute_p) = brute_force(&s, (0.8f64 * z).exp());
                    let what = format!("{label} / {rule} / z = {z}");
                    assert_close(&law, &brute_law, 1e-12, &what);
                    assert!((p - brute_p).abs() < 1e-12, "{what}: P(pass) {p} vs {brute_p}");
                }
            }
        }
    }
}

#[test]
fn exact_engine_without_swing_matches_enumeration() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            let s = scenario(&compose(rule, blocs, SWINGS[0], false));
            let e = exact::solve(&s);
            let (law, p) = brute_force(&s, 1.0);
            assert_close(&e.yes, &law, 1e-12, label);
            assert!((e.p_pass - p).abs() < 1e-12, "{label} / {rule}: {} vs {p}", e.p_pass);
            assert_eq!(e.nodes, 1);
        }
    }
}

/// The swing integral against brute force integrated by a fine trapezoid rule
/// (spectrally accurate for a smooth integrand under a Gaussian weight).
#[test]
fn exact_engine_integrates_the_swing_like_a_fine_independent_rule() {
    for (label, blocs) in BLOC_SETS {
        let s = scenario(&compose(RULES[2], blocs, SWINGS[1], true));
        let e = exact::solve(&s);
        let (law, p) = brute_force_over_swing(&s, 0.01, 900);
        assert_close(&e.yes, &law, 1e-10, label);
        assert!((e.p_pass - p).abs() < 1e-10, "{label}: {} vs {p}", e.p_pass);
    }
}
