//! The tilted exact engine (anchor laws tilted to every swing node) against the
//! reference per-node engine and brute force: P(pass) and the distribution agree
//! to 1e-12 on the shipped scenarios, on swung variants of them, on small random
//! chambers and on a 10,000-seat chamber.

mod common;

use common::{BLOC_SETS, RULES, brute_force_over_swing, compose, scenario};
use whipcount::exact::{self, Exact};
use whipcount::scenario::{Scenario, builtin_names, load};

/// Total variation between two distributions (half the sum of absolute differences).
fn total_variation(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    0.5 * a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum::<f64>()
}

fn assert_agree(fast: &Exact, reference: &Exact, tol: f64, what: &str) {
    let dp = (fast.p_pass - reference.p_pass).abs();
    let tv = total_variation(&fast.yes, &reference.yes);
    assert!(dp <= tol, "{what}: P(pass) {} vs {} ({dp:e})", fast.p_pass, reference.p_pass);
    assert!(tv <= tol, "{what}: total variation {tv:e}");
}

/// The shipped scenario `name` with its swing set to `sd`.
fn swung(name: &str, sd: f64) -> Scenario {
    let mut s = load(Some(name)).unwrap();
    s.swing_sd = sd;
    s
}

/// Each shipped scenario as written and, where its rule counts yes alone (so that
/// the swing-moved blocs are tilted), with swings of 0.3 and 1.5.
#[test]
fn shipped_scenarios_agree_with_the_per_node_engine() {
    let mut tilted = 0;
    for name in builtin_names() {
        let shipped = load(Some(name)).unwrap();
        let sds = if shipped.rule.needed(shipped.chamber.seats).is_some() {
            &[None, Some(0.3), Some(1.5)][..]
        } else {
            &[None]
        };
        for &sd in sds {
            let s = sd.map_or_else(|| shipped.clone(), |sd| swung(name, sd));
            tilted += exact::tilted_blocs(&s);
            assert_agree(&exact::solve(&s), &exact::solve_per_node(&s), 1e-12, &format!("{name} sd {sd:?}"));
        }
    }
    assert!(tilted > 50, "the shipped scenarios exercise tilting ({tilted} blocs)");
}

#[test]
fn small_chambers_agree_with_the_per_node_engine_for_every_feature_and_rule() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            for no_swing_bloc in [false, true] {
                for sd in ["0.8", "4.0"] {
                    let s = scenario(&compose(rule, blocs, &format!("[swing]\nsd = {sd}\n"), no_swing_bloc));
                    let what = format!("{label} / {rule} / sd {sd}");
                    assert_agree(&exact::solve(&s), &exact::solve_per_node(&s), 1e-12, &what);
                }
            }
        }
    }
}

/// Membership rules tilt; the swing integral still matches brute force
/// integrated by a fine trapezoid rule.
#[test]
fn tilted_swing_integral_matches_brute_force() {
    for (label, blocs) in BLOC_SETS {
        let s = scenario(&compose(RULES[0], blocs, "[swing]\nsd = 0.8\n", false));
        let e = exact::solve(&s);
        let (law, p) = brute_force_over_swing(&s, 0.01, 900);
        assert!(total_variation(&e.yes, &law) < 1e-10, "{label}");
        assert!((e.p_pass - p).abs() < 1e-10, "{label}: {} vs {p}", e.p_pass);
    }
}

/// 10,000 seats in 15 blocs (two of them switching, one cohesive), moved by a swing.
fn large(seats: u32, sd: f64) -> Scenario {
    let shares = [84, 56, 14, 7, 4, 4, 4, 1, 1, 1, 1, 155, 4, 3, 3];
    let total: u32 = shares.iter().sum();
    let mut text = format!("[chamber]\nseats = {seats}\n[swing]\nsd = {sd}\n");
    let mut left = seats;
    for (i, share) in shares.iter().enumerate() {
        let n = if i + 1 == shares.len() { left } else { seats * share / total };
        left -= n;
        let whip = if i < 11 { "yes" } else { "no" };
        let extra = match i {
            3 => "switch = 0.2\n",
            11 => "switch = 0.05\n",
            4 => "cohesion = 0.3\n",
            _ => "",
        };
        text.push_str(&format!(
            "[[bloc]]\nname = \"b{i}\"\nseats = {n}\nwhip = \"{whip}\"\ndefect = 0.0{}\nabstain = 0.01\nabsent = 0.02\n{extra}",
            1 + i % 9
        ));
    }
    scenario(&text)
}

#[test]
fn a_ten_thousand_seat_chamber_agrees_with_the_per_node_engine() {
    let s = large(10_000, 0.3);
    assert_eq!(exact::tilted_blocs(&s), 12);
    assert_agree(&exact::solve(&s), &exact::solve_per_node(&s), 1e-12, "10,000 seats");
}

/// Probabilities within rounding of 0 under huge swings: an anchor's factor
/// e^{σa} must not overflow into a law no tilt can undo (σ = 300 once gave 0.01077
/// where the answer is 0.01065).
#[test]
fn huge_swings_on_probabilities_near_zero_agree_with_the_per_node_engine() {
    for sd in ["300", "80", "20"] {
        let s = scenario(&format!(
            "[chamber]\nseats = 4\n[rule]\nneeded = 2\n[swing]\nsd = {sd}\n[[bloc]]\nname = \"A\"\nseats = 1\nwhip = \"no\"\n\
             [[bloc.member]]\nname = \"m\"\nyes = 1e-300\nno = 1.0\n[[bloc]]\nname = \"B\"\nseats = 3\nwhip = \"no\"\nyes = 1e-30\nabstain = 0.1\nabsent = 0.0\n"
        ));
        assert_agree(&exact::solve(&s), &exact::solve_per_node(&s), 1e-12, &format!("sd {sd}"));
    }
}

/// A small xorshift generator, so the random chambers below are fixed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Explicit probabilities (absent takes the remainder), rounded to 3 decimals.
    fn probs(&mut self) -> String {
        let cut = |x: f64| (x * 1000.0).round() / 1000.0;
        let (yes, no) = (cut(0.6 * self.next()), cut(0.3 * self.next()));
        let abstain = cut(0.1 * self.next());
        format!("yes = {yes}\nno = {no}\nabstain = {abstain}\n")
    }
}

/// A random chamber of at most 5 seats under a membership rule, with cohesion,
/// switches, named members and blocs the swing leaves alone.
fn random_chamber(rng: &mut Rng) -> Scenario {
    let rules = ["majority-of = \"membership\"", "needed = 1", "majority-of = \"membership\"\nfraction = \"2/3\""];
    let rule = rules[(rng.next() * 3.0) as usize];
    let sd = 0.3 + 1.7 * rng.next();
    let mut blocs = String::new();
    let mut seats = 0;
    for i in 0..1 + (rng.next() * 3.0) as usize {
        let n = 1 + (rng.next() * 2.0) as usize;
        seats += n;
        let whip = if rng.next() < 0.5 { "yes" } else { "no" };
        blocs += &format!("[[bloc]]\nname = \"b{i}\"\nseats = {n}\nwhip = \"{whip}\"\n{}", rng.probs());
        if rng.next() < 0.3 {
            blocs += "cohesion = 0.3\n";
        }
        if rng.next() < 0.3 {
            blocs += "switch = 0.25\n";
        }
        if rng.next() < 0.2 {
            blocs += "swing = false\n";
        }
        if rng.next() < 0.4 {
            blocs += &format!("[[bloc.member]]\nname = \"m{i}\"\n{}", rng.probs());
        }
    }
    scenario(&format!("[chamber]\nseats = {seats}\n[rule]\n{rule}\n[swing]\nsd = {sd}\n{blocs}"))
}

/// Random small chambers: the tilted engine against the per-node engine (1e-12)
/// and against brute force integrated over the swing by a fine trapezoid rule.
#[test]
fn random_small_chambers_agree_with_brute_force_and_the_per_node_engine() {
    let mut rng = Rng(0x5eed_1815);
    let mut tilted = 0;
    for case in 0..16 {
        let s = random_chamber(&mut rng);
        tilted += exact::tilted_blocs(&s);
        let e = exact::solve(&s);
        assert_agree(&e, &exact::solve_per_node(&s), 1e-12, &format!("case {case}"));
        let (law, p) = brute_force_over_swing(&s, 0.04, 225);
        assert!(total_variation(&e.yes, &law) < 1e-9, "case {case}");
        assert!((e.p_pass - p).abs() < 1e-9, "case {case}: {} vs {p}", e.p_pass);
    }
    assert!(tilted >= 10, "the random chambers exercise tilting ({tilted} blocs)");
}

/// The nodes' laws are built in parallel (under every rule: the per-node blocs'
/// convolutions, and under rules with a statistic the whole law): the answer is
/// the same to the last bit on one thread and on three, for every shipped
/// scenario with a swing of 0.4 (several have cohesive or switching blocs, which
/// are rebuilt at every node).
#[test]
fn every_rule_gives_the_same_bits_on_any_thread_count() {
    let on = |threads: usize, s: &Scenario| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| exact::solve(s))
    };
    let (mut statistic, mut per_node) = (0, 0);
    for name in builtin_names() {
        let s = swung(name, 0.4);
        assert_eq!(on(1, &s), on(3, &s), "{name}");
        statistic += usize::from(s.rule.needed(s.chamber.seats).is_none());
        per_node += usize::from(s.blocs.iter().any(|b| b.cohesion > 0.0 || b.switch > 0.0));
    }
    assert!(statistic > 0, "some shipped scenario counts votes cast or present");
    assert!(per_node > 0, "some shipped scenario has blocs rebuilt at every node");
}
