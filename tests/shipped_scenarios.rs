//! The shipped scenarios: they load, `check` prints them, their thresholds are
//! right, and party-line versions reproduce the real results in docs/sources.

mod common;

use assert_cmd::Command;
use common::scenario;
use whipcount::exact;
use whipcount::scenario::{Probs, Scenario, builtin_names, load};

/// Everyone does what they most likely do: probabilities rounded to 0/1, no
/// switch, no swing.
fn party_line(mut s: Scenario) -> Scenario {
    let one_hot = |p: &Probs| {
        let top = (0..4).max_by(|&a, &b| p.0[a].total_cmp(&p.0[b])).unwrap_or(0);
        let mut q = [0.0; 4];
        q[top] = 1.0;
        Probs(q)
    };
    s.swing_sd = 0.0;
    for b in &mut s.blocs {
        b.probs = one_hot(&b.probs);
        b.switch = 0.0;
        for m in &mut b.members {
            m.probs = one_hot(&m.probs);
        }
    }
    s
}

/// The single yes count of a deterministic scenario.
fn tally(s: &Scenario) -> usize {
    let e = exact::solve(s);
    let k = e.yes.iter().position(|&p| p > 0.5).expect("a point mass");
    assert!((e.yes[k] - 1.0).abs() < 1e-12);
    k
}

/// `check` succeeds without a warning and prints the scenario's own title,
/// threshold and every bloc and member (not just its fixed headings).
#[test]
fn every_shipped_scenario_passes_check() {
    for name in builtin_names() {
        let out = Command::cargo_bin("whipcount").unwrap().args(["check", name]).output().unwrap();
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let s = load(Some(name)).unwrap();
        assert!(text.contains(&s.title) && text.contains(&s.rule.describe(s.chamber.seats)), "{name}: {text}");
        for b in &s.blocs {
            assert!(text.contains(&b.name), "{name}: bloc {} missing", b.name);
            assert!(b.members.iter().all(|m| text.contains(&m.name)), "{name}: a member of {} missing", b.name);
        }
        assert!(!text.contains("warning") && out.stderr.is_empty(), "{name}: {text}");
    }
}

#[test]
fn shipped_scenarios_resolve_to_their_thresholds() {
    let expected = [
        ("bench/independent-blocs", Some(172)),
        ("bench/members", Some(172)),
        ("pakistan-2022-03-08", Some(172)),
        ("pakistan-2022-03-28", Some(172)),
        ("pakistan-2022-03-30", Some(172)),
        ("pakistan-2022-04-09", Some(172)),
        ("spain-2018-06-01", Some(176)),
        ("uk-2019-01-16", None),
    ];
    let shipped = builtin_names().into_iter().filter(|n| !n.starts_with("history/")).count();
    assert_eq!(shipped, expected.len(), "a new scenario needs its threshold here (history/ has its own tests)");
    for (name, needed) in expected {
        let s = load(Some(name)).unwrap();
        assert_eq!(s.rule.needed(s.chamber.seats), needed, "{name}");
    }
}

#[test]
fn the_default_scenario_is_pakistan_on_30_march() {
    let s = load(None).unwrap();
    assert_eq!(s.name, "pakistan-2022-03-30");
    let held: u32 = s.blocs.iter().map(|b| b.seats).sum();
    assert_eq!((held, s.chamber.vacancies), (341, 1));
}

#[test]
fn pakistan_on_the_day_with_everyone_on_the_party_line_gives_174() {
    let s = party_line(load(Some("pakistan-2022-04-09")).unwrap());
    assert_eq!(tally(&s), 174);
    assert_eq!(exact::solve(&s).p_pass, 1.0);
}

#[test]
fn spain_on_the_party_line_reproduces_180_yes_and_passes() {
    let s = party_line(load(Some("spain-2018-06-01")).unwrap());
    assert_eq!(tally(&s), 180);
    assert_eq!(exact::solve(&s).p_pass, 1.0);
}

#[test]
fn the_shipped_uk_scenario_on_the_party_line_fails() {
    let s = party_line(load(Some("uk-2019-01-16")).unwrap());
    assert_eq!(exact::solve(&s).p_pass, 0.0);
}

/// The real division of 16 January 2019 [S u2]: 306 for, 325 against, the rest
/// not voting; a majority of votes cast, so the motion fails.
#[test]
fn the_uk_division_as_cast_reproduces_306_to_325_and_fails() {
    let s = scenario(
        r#"
[chamber]
seats = 650
[rule]
majority-of = "cast"
[[bloc]]
name = "For"
seats = 306
whip = "yes"
[[bloc]]
name = "Against"
seats = 325
whip = "no"
[[bloc]]
name = "Not voting"
seats = 19
whip = "abstain"
absent = 1.0
"#,
    );
    assert_eq!(tally(&s), 306);
    assert_eq!(exact::solve(&s).p_pass, 0.0);
    let tied = scenario(&s_text_with(306, 306, 38));
    assert_eq!(exact::solve(&tied).p_pass, 0.0, "a tie fails by default");
}

fn s_text_with(yes: u32, no: u32, rest: u32) -> String {
    format!(
        "[chamber]\nseats = {}\n[rule]\nmajority-of = \"cast\"\n\
         [[bloc]]\nname = \"For\"\nseats = {yes}\nwhip = \"yes\"\n\
         [[bloc]]\nname = \"Against\"\nseats = {no}\nwhip = \"no\"\n\
         [[bloc]]\nname = \"Away\"\nseats = {rest}\nwhip = \"abstain\"\nabsent = 1.0\n",
        yes + no + rest
    )
}

/// Hand-worked: 10 seats, needed 6. Opposition 5 vote yes; of the government's 5
/// (whip no), 2 vote yes for certain. Counted, the motion passes with 7; under
/// Article 63A the 2 defecting votes are dropped and it fails with 5.
#[test]
fn uncounted_defectors_drop_exactly_the_defecting_votes() {
    let text = |count: bool| {
        format!(
            "[chamber]\nseats = 10\n[rule]\nneeded = 6\ncount-defectors = {count}\n\
             [[bloc]]\nname = \"Opposition\"\nseats = 5\nwhip = \"yes\"\n\
             [[bloc]]\nname = \"Government loyal\"\nparty = \"Government\"\nseats = 3\nwhip = \"no\"\n\
             [[bloc]]\nname = \"Government rebels\"\nparty = \"Government\"\nseats = 2\nwhip = \"no\"\ndefect = 1.0\n"
        )
    };
    let counted = scenario(&text(true));
    let dropped = scenario(&text(false));
    assert_eq!((tally(&counted), exact::solve(&counted).p_pass), (7, 1.0));
    assert_eq!((tally(&dropped), exact::solve(&dropped).p_pass), (5, 0.0));
}

/// The swing quadrature has converged: one more doubling of the nodes moved
/// P(pass) by less than 1e-9 on every shipped scenario with a swing.
#[test]
fn doubling_the_quadrature_nodes_changes_p_pass_by_less_than_1e_9() {
    for name in builtin_names() {
        let s = load(Some(name)).unwrap();
        let e = exact::solve(&s);
        if s.has_swing() {
            assert!(e.change < 1e-9, "{name}: the last doubling moved P(pass) by {}", e.change);
            assert!(
                e.nodes < whipcount::exact::quadrature::nodes_through(whipcount::exact::quadrature::LAST_ROUND),
                "{name}: the node cap was reached"
            );
        }
        let total: f64 = e.yes.iter().sum();
        assert!((total - 1.0).abs() < 1e-12 && e.yes.iter().all(|&p| p >= 0.0), "{name}: mass {total}");
    }
}

/// A large chamber with every feature stays a distribution: mass 1 within 1e-12,
/// no negative probability, P(pass) in [0, 1].
#[test]
fn an_800_seat_chamber_with_every_feature_stays_a_distribution() {
    let s = scenario(
        r#"
[chamber]
seats = 800
[rule]
majority-of = "present"
count-defectors = false
[swing]
sd = 0.4
[[bloc]]
name = "Government"
seats = 420
whip = "no"
defect = 0.05
abstain = 0.05
cohesion = 0.3
switch = 0.1
[[bloc]]
name = "Opposition"
seats = 360
whip = "yes"
defect = 0.02
absent = 0.03
cohesion = 0.1
[[bloc]]
name = "Independents"
seats = 20
whip = "abstain"
yes = 0.3
no = 0.3
abstain = 0.4
"#,
    );
    let e = exact::solve(&s);
    let total: f64 = e.yes.iter().sum();
    assert!((total - 1.0).abs() < 1e-12, "mass {total}");
    assert!(e.yes.iter().all(|&p| p >= 0.0) && (0.0..=1.0).contains(&e.p_pass));
}
