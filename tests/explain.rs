//! `explain` against the edited scenario it describes: brute-force enumeration on
//! tiny chambers (to 1e-12), independent full exact solves on realistic ones, and
//! Monte Carlo within 4.5 standard errors.

mod common;

use common::{BLOC_SETS, RULES, brute_force, compose, scenario};
use std::sync::atomic::AtomicBool;
use whipcount::explain::{self, Explanation, Unit};
use whipcount::model::Lift;
use whipcount::sampler::{Config, Controls, Paths};
use whipcount::scenario::{Outcome, Probs, Scenario, Source};

/// What an explain column does to its unit.
#[derive(Clone, Copy)]
enum Intervention {
    Force(Outcome),
    /// Adds this to the log-odds of yes against each other outcome.
    Lean(f64),
}

fn one_hot(o: Outcome) -> Probs {
    let mut p = [0.0; 4];
    p[o as usize] = 1.0;
    Probs(p)
}

/// The scenario with the intervention written in, as (weight, scenario) per switch
/// state of the unit's bloc: docs/reference.md §6 spelled out on the model's own terms.
fn edited(s: &Scenario, u: &Unit, iv: Intervention) -> Vec<(f64, Scenario)> {
    let b = &s.blocs[u.bloc];
    if let (None, Intervention::Force(o)) = (u.member, iv) {
        let mut e = s.clone();
        let eb = &mut e.blocs[u.bloc];
        (eb.switch, eb.cohesion, eb.probs) = (0.0, 0.0, one_hot(o));
        eb.members.iter_mut().for_each(|m| m.probs = one_hot(o));
        return vec![(1.0, e)];
    }
    let mut out = Vec::new();
    for (switched, w) in [(false, 1.0 - b.switch), (true, b.switch)] {
        if w <= 0.0 {
            continue;
        }
        // Stored so that the model's own switch turns it into the intended state.
        let edit = |p: Probs| {
            let p = if switched { p.switched() } else { p };
            let p = match iv {
                Intervention::Force(o) => one_hot(o),
                Intervention::Lean(lean) => p.swung(Lift::new(lean)),
            };
            if switched { p.switched() } else { p }
        };
        let mut e = s.clone();
        let eb = &mut e.blocs[u.bloc];
        eb.switch = if switched { 1.0 } else { 0.0 };
        match u.member {
            Some(j) => eb.members[j].probs = edit(eb.members[j].probs),
            None => {
                eb.probs = edit(eb.probs);
                eb.members.iter_mut().for_each(|m| m.probs = edit(m.probs));
            }
        }
        out.push((w, e));
    }
    out
}

fn interventions(lean: f64) -> [Intervention; 6] {
    let f = Outcome::ALL.map(Intervention::Force);
    [f[0], f[1], f[2], f[3], Intervention::Lean(-lean), Intervention::Lean(lean)]
}

fn columns(x: &Explanation, i: usize) -> [f64; 6] {
    let f = &x.figures[i];
    [f.if_outcome[0], f.if_outcome[1], f.if_outcome[2], f.if_outcome[3], f.lean[0], f.lean[1]]
}

/// Checks every column of `x` against `reference(edited scenario)` mixed over states.
fn check(s: &Scenario, x: &Explanation, tol: f64, reference: &dyn Fn(&Scenario) -> f64, what: &str) {
    assert!((x.p_pass - reference(s)).abs() < tol, "{what}: p_pass");
    for (i, u) in x.units.iter().enumerate() {
        for (k, (iv, got)) in interventions(x.lean).into_iter().zip(columns(x, i)).enumerate() {
            let want: f64 = edited(s, u, iv).iter().map(|(w, e)| w * reference(e)).sum();
            assert!((got - want).abs() < tol, "{what}: unit {} column {k}: {got} vs {want}", u.label);
        }
    }
}

#[test]
fn every_column_matches_enumeration_of_the_edited_scenario_for_every_feature_and_rule() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            for no_swing_bloc in [false, true] {
                let s = scenario(&compose(rule, blocs, "[swing]\nsd = 0.8\n", no_swing_bloc));
                for z in [-1.1, 0.6] {
                    let factor = (0.8f64 * z).exp();
                    let x = explain::exact::conditional(&s, 0.7, true, z);
                    let what = format!("{label} / {rule} / z = {z}");
                    check(&s, &x, 1e-12, &|e| brute_force(e, factor).1, &what);
                }
            }
        }
    }
}

#[test]
fn without_a_swing_every_column_matches_enumeration() {
    for rule in RULES {
        for (label, blocs) in BLOC_SETS {
            let s = scenario(&compose(rule, blocs, "", false));
            let x = explain::exact::explain(&s, 1.0, true);
            check(&s, &x, 1e-12, &|e| brute_force(e, 1.0).1, &format!("{label} / {rule}"));
        }
    }
}

#[test]
fn every_column_matches_full_exact_solves_of_the_edited_shipped_scenarios() {
    for (name, sets) in [
        ("pakistan-2022-03-28", &[][..]),
        ("pakistan-2022-03-30", &[]),
        ("uk-2019-01-16", &[]),
        ("spain-2018-06-01", &[]),
        ("pakistan-2022-04-09", &["rule.count-defectors=false"][..]),
    ] {
        let sets: Vec<_> = sets.iter().map(|t| t.parse().unwrap()).collect();
        let s = whipcount::sweep::set::apply(&Source::resolve(name).unwrap(), &sets, None).unwrap().scenario;
        let x = explain::exact::explain(&s, 1.0, true);
        check(&s, &x, 2e-10, &|e| whipcount::exact::solve(e).p_pass, name);
    }
}

/// A bloc whipped against the motion under the Article 63A reading and a
/// membership majority: its yes votes are not counted and its other choices do not
/// enter the base, so nothing it does can matter.
#[test]
fn a_unit_whose_defection_is_not_counted_is_never_decisive() {
    let s = scenario(
        "[chamber]\nseats = 9\n[rule]\ncount-defectors = false\n[swing]\nsd = 0.5\n\
         [[bloc]]\nname = \"Gov\"\nseats = 4\nwhip = \"no\"\ndefect = 0.4\nswitch = 0.0\n\
         [[bloc]]\nname = \"Opp\"\nseats = 5\nwhip = \"yes\"\ndefect = 0.2\nabsent = 0.1\n",
    );
    let x = explain::exact::explain(&s, 1.0, false);
    assert_eq!(x.figures[0].decisive(), 0.0, "{:?}", x.figures[0]);
    assert!(x.figures[1].decisive() > 0.1);
}

/// The same on a shipped scenario: under Article 63A the PTI rebels' yes votes
/// (against their party's abstain whip) are not counted, and under a membership
/// majority nothing else they do counts either.
#[test]
fn rebels_whose_votes_are_not_counted_decide_nothing() {
    let source = Source::resolve("pakistan-2022-03-28").unwrap();
    let sets = ["rule.count-defectors=false".parse().unwrap()];
    let s = whipcount::sweep::set::apply(&source, &sets, None).unwrap().scenario;
    let x = explain::exact::explain(&s, 1.0, true);
    for (u, f) in x.units.iter().zip(&x.figures) {
        if u.label.starts_with("PTI rebels") {
            assert_eq!(f.decisive(), 0.0, "{}", u.label);
        }
    }
}

#[test]
fn monte_carlo_agrees_with_the_exact_columns_within_four_and_a_half_standard_errors() {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    for (rule, (label, blocs)) in [(RULES[2], BLOC_SETS[3]), (RULES[0], BLOC_SETS[1]), (RULES[9], BLOC_SETS[2])] {
        let s = scenario(&compose(rule, blocs, "[swing]\nsd = 0.8\n", true));
        let exact = explain::exact::explain(&s, 1.0, true);
        let config = Config { trials: 40_000, seed: 5, threads: 2, precision: None, paths: Paths::Fast };
        let mc = explain::monte_carlo::explain(&s, 1.0, true, &config, &controls).unwrap();
        let sampling = mc.sampling.as_ref().unwrap();
        let floor = 1.0 / config.trials as f64;
        for (i, u) in exact.units.iter().enumerate() {
            let e = &sampling.errors[i];
            let ses = [e.if_outcome[0], e.if_outcome[1], e.if_outcome[2], e.if_outcome[3], e.lean[0], e.lean[1]];
            for ((want, got), se) in columns(&exact, i).into_iter().zip(columns(&mc, i)).zip(ses) {
                assert!(
                    (want - got).abs() <= 4.5 * se.max(floor),
                    "{label}/{rule}: {} {want} vs {got} ± {se}",
                    u.label
                );
            }
            let (want, got) = (exact.figures[i].decisive(), mc.figures[i].decisive());
            assert!((want - got).abs() <= 4.5 * e.decisive.max(floor), "{label}: {} decisive {want} vs {got}", u.label);
        }
    }
}

#[test]
fn monte_carlo_explanations_do_not_depend_on_the_threads() {
    let s = scenario(&compose(RULES[1], BLOC_SETS[3].1, "[swing]\nsd = 0.8\n", false));
    let stop = AtomicBool::new(false);
    let run = |threads| {
        let config = Config { trials: 70_000, seed: 9, threads, precision: None, paths: Paths::Fast };
        explain::monte_carlo::explain(&s, 1.0, true, &config, &Controls { progress: &|_| {}, stop: &stop }).unwrap()
    };
    assert_eq!(run(1), run(2));
}

fn whipcount(args: &[&str]) -> std::process::Output {
    assert_cmd::Command::cargo_bin("whipcount").unwrap().args(args).output().unwrap()
}

#[test]
fn explain_json_and_csv_carry_the_columns_of_the_reference() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("units.csv");
    let out = whipcount(&["explain", "pakistan-2022-03-30", "--members", "--json", "--out", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["method"], "exact");
    assert_eq!(v["lean"], 1.0);
    let units = v["units"].as_array().unwrap();
    let wazir = units.iter().find(|u| u["unit"] == "Opposition independents/Ali Wazir").unwrap();
    assert_eq!((wazir["kind"].as_str(), wazir["seats"].as_u64()), (Some("member"), Some(1)));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text.lines().next().unwrap(),
        "unit,kind,party,seats,whip,p_pass,p_if_yes,p_if_no,p_if_abstain,p_if_absent,p_decisive,p_lean_down,p_lean_up"
    );
    assert_eq!(text.lines().count(), units.len() + 1);
}

#[test]
fn monte_carlo_explain_adds_trials_seed_and_standard_errors() {
    let out = whipcount(&["explain", "pakistan-2022-03-30", "--trials", "20000", "--seed", "3", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (v["method"].as_str(), v["trials"].as_u64(), v["seed"].as_u64()),
        (Some("monte-carlo"), Some(20000), Some(3))
    );
    for key in [
        "se_pass",
        "se_if_yes",
        "se_if_no",
        "se_if_abstain",
        "se_if_absent",
        "se_decisive",
        "se_lean_down",
        "se_lean_up",
    ] {
        assert!(v["units"][0][key].is_number(), "{key}");
    }
}

#[test]
fn the_table_sorts_units_by_how_decisive_they_are_and_says_it_in_words() {
    let out = whipcount(&["explain", "pakistan-2022-03-28"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().nth(4).unwrap();
    assert!(first.starts_with("PML-N"), "{text}");
    assert!(text.contains("Their choice decides the vote with probability"), "{text}");
}

#[test]
fn set_edits_every_command_and_names_itself_in_the_output() {
    let v: serde_json::Value =
        serde_json::from_slice(&whipcount(&["exact", "--set", "MQM-P.switch=0.5", "--json"]).stdout).unwrap();
    assert_eq!(v["scenario"], "pakistan-2022-03-30 [MQM-P.switch=0.5]");
    let out = whipcount(&["explain", "--set", "PTI rebels.seats=30", "--balance", "PTI loyal"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("[PTI rebels.seats=30]"));
    let out = whipcount(&["check", "pakistan-2022-03-28", "--set", "MQM-P.switch=1.5"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("with --set MQM-P.switch=1.5"));
    let out = whipcount(&["simulate", "--trials", "1000", "--set", "Nobody.defect=0.1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no bloc \"Nobody\""));
}

#[test]
fn the_tornado_chart_is_well_formed_svg_with_the_widest_unit_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.svg");
    let out = whipcount(&["explain", "pakistan-2022-03-28", "--plot", path.to_str().unwrap()]);
    assert!(out.status.success());
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let y = |label: &str| {
        let node = doc.descendants().find(|n| n.has_tag_name("text") && n.text().map(str::trim) == Some(label));
        node.and_then(|n| n.attribute("y")).and_then(|y| y.parse::<f64>().ok()).unwrap()
    };
    assert!(y("PTI rebels") < y("PTI loyal"), "the rebels' bar is the widest and is drawn on top");
}
