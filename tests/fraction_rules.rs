//! Fraction rules of the votes present or cast under a swing: P(pass | z) summed
//! by transform (the path wide statistics such as 63·yes − other take) against
//! brute force on small chambers with cohesion, switches and named members, and
//! against the per-node engine (every bloc convolved directly at every node) on
//! a chamber of a few hundred seats.

mod common;

use common::{BLOC_SETS, brute_force_over_swing, compose, scenario};
use whipcount::exact;
use whipcount::scenario::Scenario;

/// Fraction rules of each base, from the narrowest statistic to the widest allowed.
const FRACTIONS: &[&str] = &[
    "majority-of = \"cast\"\nfraction = \"1/64\"",
    "majority-of = \"present\"\nfraction = \"3/5\"",
    "majority-of = \"cast\"\nfraction = \"2/3\"",
    "majority-of = \"present\"\nfraction = \"63/64\"",
];

#[test]
fn fraction_rules_summed_by_transform_match_brute_force_for_every_feature() {
    for rule in FRACTIONS {
        for (label, blocs) in BLOC_SETS {
            for no_swing_bloc in [false, true] {
                let s = scenario(&compose(rule, blocs, "[swing]\nsd = 0.8\n", no_swing_bloc));
                let what = format!("{label} / {rule} / fixed bloc {no_swing_bloc}");
                let fast = exact::solve_by_transform(&s);
                let (_, p) = brute_force_over_swing(&s, 0.04, 225);
                assert!((fast.p_pass - p).abs() < 1e-9, "{what}: {} vs {p}", fast.p_pass);
                let direct = exact::solve(&s);
                assert!((fast.p_pass - direct.p_pass).abs() < 1e-12, "{what}: {} vs {}", fast.p_pass, direct.p_pass);
                assert_eq!(fast.yes, direct.yes, "{what}: the distribution of yes does not use the transform");
            }
        }
    }
}

/// `seats` in 24 blocs whipped against the motion, with 1 or 2% defecting (every
/// fourth cohesive, every fifth switching, a named member in every third),
/// decided by `rule`, under a swing of 0.3.
fn mixed_chamber(seats: u32, rule: &str) -> Scenario {
    let mut text = format!("[chamber]\nseats = {seats}\n[rule]\n{rule}\n[swing]\nsd = 0.3\n");
    let per = seats / 24;
    for i in 0..24 {
        let n = if i == 23 { seats - 23 * per } else { per };
        text += &format!(
            "[[bloc]]\nname = \"b{i}\"\nseats = {n}\nwhip = \"no\"\ndefect = 0.0{}\nabstain = 0.02\nabsent = 0.03\n",
            1 + i % 2
        );
        if i % 4 == 0 {
            text += "cohesion = 0.2\n";
        }
        if i % 5 == 0 {
            text += "switch = 0.1\n";
        }
        if i % 3 == 0 {
            text +=
                &format!("[[bloc.member]]\nname = \"m{i}\"\nyes = 0.0{}\nabsent = 0.05\nabstain = 0.02\n", 1 + i % 7);
        }
    }
    scenario(&text)
}

#[test]
fn a_few_hundred_seats_under_one_sixty_fourth_of_votes_cast_agree_with_the_per_node_engine() {
    let s = mixed_chamber(240, FRACTIONS[0]);
    let reference = exact::solve_per_node(&s);
    for (what, e) in [("by transform", exact::solve_by_transform(&s)), ("as chosen", exact::solve(&s))] {
        let dp = (e.p_pass - reference.p_pass).abs();
        assert!(dp < 1e-12, "{what}: {} vs {} ({dp:e})", e.p_pass, reference.p_pass);
    }
    assert!(reference.p_pass > 1e-3 && reference.p_pass < 1.0 - 1e-3, "a close vote: {}", reference.p_pass);
}
