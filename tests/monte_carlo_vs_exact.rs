//! The Monte Carlo sampler against the exact engine: P(pass) within 4 standard
//! errors and the distribution close in total variation, on constructed scenarios
//! exercising every feature and rule and on every shipped scenario, for both the
//! fast and the direct (literal) paths. Seeds are fixed, so these cannot flake.

mod common;

use common::{BLOC_SETS, RULES, SWINGS, compose, scenario};
use std::sync::atomic::AtomicBool;
use whipcount::exact;
use whipcount::sampler::{self, Config, Controls, Paths};
use whipcount::scenario::{Scenario, builtin_names, load};

fn simulate(s: &Scenario, trials: u64, paths: Paths) -> whipcount::stats::Estimate {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    let config = Config { trials, seed: 11, threads: 2, precision: None, paths };
    sampler::run(s, &config, &controls).unwrap().estimate
}

/// Agreement within 4 standard errors (with a floor of 1/n for P near 0 or 1), and
/// a total variation below a bound that holds with overwhelming probability for a
/// sample of n over at most m cells: E[TV] ≤ ½√(m/n), with a safety factor of 2.
fn assert_agrees(s: &Scenario, trials: u64, paths: Paths, what: &str) {
    let e = exact::solve(s);
    let mc = simulate(s, trials, paths);
    let se = (e.p_pass * (1.0 - e.p_pass) / trials as f64).sqrt().max(1.0 / trials as f64);
    assert!(
        (mc.pass.p_pass - e.p_pass).abs() <= 4.0 * se,
        "{what} ({paths:?}): Monte Carlo {} vs exact {} (se {se})",
        mc.pass.p_pass,
        e.p_pass
    );
    let support = e.yes.iter().filter(|&&p| p > 1e-9).count().max(1) as f64;
    let tv: f64 = 0.5 * mc.probability.iter().zip(&e.yes).map(|(a, b)| (a - b).abs()).sum::<f64>();
    let bound = (support / trials as f64).sqrt();
    assert!(tv <= bound, "{what} ({paths:?}): total variation {tv} > {bound}");
}

#[test]
fn monte_carlo_agrees_with_exact_on_every_feature_and_rule() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            for swing in SWINGS {
                let s = scenario(&compose(rule, blocs, swing, !swing.is_empty()));
                for paths in [Paths::Fast, Paths::Direct] {
                    assert_agrees(&s, 40_000, paths, &format!("{label} / {rule} / {swing:?}"));
                }
            }
        }
    }
}

#[test]
fn monte_carlo_agrees_with_exact_on_every_shipped_scenario() {
    for name in builtin_names() {
        let s = load(Some(name)).unwrap();
        for paths in [Paths::Fast, Paths::Direct] {
            assert_agrees(&s, 200_000, paths, name);
        }
    }
}

/// The swing group draws every bloc of the default scenario at once; a large run
/// pins it to the exact answer at a standard error of about 1.3e-4.
#[test]
fn the_swing_group_agrees_with_exact_on_a_large_run() {
    let s = load(Some("pakistan-2022-03-30")).unwrap();
    assert_agrees(&s, 2_000_000, Paths::Fast, "pakistan-2022-03-30, 2M votes");
}

/// Member tables are built only for long runs (2^19 votes and more); this one is
/// long enough to use them on 341 named members under a swing.
#[test]
fn the_member_tables_agree_with_exact_on_a_long_run() {
    let s = load(Some("bench/members")).unwrap();
    assert_agrees(&s, 2_200_000, Paths::Fast, "bench/members, 2.2M votes");
}

/// Member tables under a wide swing (sd 1.5) with members on both sides of ½ and
/// certain ones, in both switch states: their bins are wide, so the law between
/// bin edges (drawn from the edges' common part or computed exactly) is what the
/// exact engine checks here.
#[test]
fn member_tables_under_a_wide_swing_agree_with_exact() {
    let members: String = (0..24)
        .map(|i| {
            let yes = [0.0, 1.0].get(i % 12).copied().unwrap_or(0.04 * i as f64);
            format!("[[bloc.member]]\nname = \"m{i}\"\nyes = {yes}\nno = {}\n", 1.0 - yes)
        })
        .collect();
    let text = format!(
        "[chamber]\nseats = 60\n[swing]\nsd = 1.5\n\
         [[bloc]]\nname = \"A\"\nseats = 30\nwhip = \"no\"\ndefect = 0.3\nswitch = 0.4\n{members}\
         [[bloc]]\nname = \"B\"\nseats = 30\nwhip = \"yes\"\ndefect = 0.2\nswing = false\n"
    );
    let s = scenario(&text);
    assert_agrees(&s, 2_000_000, Paths::Fast, "member tables, wide swing");
}

/// Blocs with many named members stay out of the swing group: their unnamed
/// members use the swing tables (binomial thinning, Beta-binomial rejection) and,
/// in long runs, their named members the member tables.
#[test]
fn the_swing_tables_agree_with_exact_on_blocs_with_many_named_members() {
    let members = |prefix: &str| -> String {
        (0..8)
            .map(|i| {
                format!(
                    "[[bloc.member]]\nname = \"{prefix}{i}\"\nyes = {}\nno = {}\n",
                    0.1 * i as f64 + 0.1,
                    0.9 - 0.1 * i as f64
                )
            })
            .collect()
    };
    let text = format!(
        "[chamber]\nseats = 40\nvacancies = 1\n[rule]\nmajority-of = \"membership\"\n[swing]\nsd = 0.5\n\
         [[bloc]]\nname = \"A\"\nseats = 20\nwhip = \"yes\"\ndefect = 0.3\nabsent = 0.1\n{}\
         [[bloc]]\nname = \"B\"\nseats = 19\nwhip = \"no\"\ndefect = 0.4\ncohesion = 0.4\n{}",
        members("a"),
        members("b")
    );
    let s = scenario(&text);
    assert_agrees(&s, 400_000, Paths::Fast, "many named members");
    assert_agrees(&s, 2_200_000, Paths::Fast, "many named members, long run");
}

/// A chamber beyond one swing group's budget (path::GROUP_SEATS, GROUP_BLOCS):
/// the cohesive, switching bloc and 62 one-seat blocs fill the first group, the
/// binomial bloc (too large for the first) and the other 28 make a second.
/// (Until several groups, they were drawn directly, the one-seat blocs literally.)
#[test]
fn blocs_beyond_the_swing_groups_budget_agree_with_exact() {
    let one_seat: String = (0..90)
        .map(|i| {
            format!(
                "[[bloc]]\nname = \"B{i}\"\nseats = 1\nwhip = \"{}\"\ndefect = 0.{}\n",
                ["yes", "no"][i % 2],
                1 + i % 4
            )
        })
        .collect();
    let text = format!(
        "[chamber]\nseats = 690\n[swing]\nsd = 0.3\n\
         [[bloc]]\nname = \"Cohesive\"\nseats = 300\nwhip = \"yes\"\ndefect = 0.05\ncohesion = 0.3\nswitch = 0.1\n\
         [[bloc]]\nname = \"Binomial\"\nseats = 300\nwhip = \"no\"\ndefect = 0.1\n{one_seat}"
    );
    let s = whipcount::scenario::parse(&text, "budget.toml", "budget").unwrap();
    let paths = whipcount::sampler::path::describe(&s, Paths::Fast);
    assert_eq!(paths.matches(": swing group (").count(), 64, "{paths}");
    assert_eq!(paths.matches(": swing group 2 (").count(), 28, "{paths}");
    assert_agrees(&s, 200_000, Paths::Fast, "beyond the group's budget");
}

/// Large blocs drawn at each vote's swing, no tables: a binomial one whose rarer
/// outcome's mean falls below 10 under a wide swing (inversion there, BTRS
/// elsewhere), one near ½ with a little cohesion, and a cohesive one that
/// switches (Beta draws, then BTRS or inversion).
#[test]
fn large_blocs_drawn_at_their_swing_agree_with_exact() {
    let text = "[chamber]\nseats = 3600\n[rule]\nmajority-of = \"membership\"\nfraction = 0.78\n[swing]\nsd = 0.8\n\
         [[bloc]]\nname = \"Rare no\"\nseats = 1800\nwhip = \"yes\"\ndefect = 0.01\n\
         [[bloc]]\nname = \"Near half\"\nseats = 1200\nwhip = \"no\"\ndefect = 0.45\ncohesion = 0.01\n\
         [[bloc]]\nname = \"Cohesive\"\nseats = 600\nwhip = \"yes\"\ndefect = 0.2\ncohesion = 0.3\nswitch = 0.2\n";
    let s = scenario(text);
    let paths = whipcount::sampler::path::describe(&s, Paths::Fast);
    assert_eq!(paths.matches("a large bloc: no tables").count(), 3, "{paths}");
    assert_agrees(&s, 300_000, Paths::Fast, "large blocs");
}
