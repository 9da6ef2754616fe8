//! Human-readable text about a scenario: the resolved scenario for `check`, and
//! warnings. (Results are written by [`crate::export`].) Every function returns a
//! `String`; only the binary prints.

use crate::model::states;
use crate::rules::{Category, PassTest};
use crate::scenario::{Bloc, Outcome, Probs, Scenario};
use crate::text::escape;
use std::fmt::Write;

/// Things that are valid but probably not meant: a motion that can never pass or
/// cannot fail.
pub fn warnings(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let most = most_counted_yes(s);
    match s.rule.test(s.chamber.seats) {
        PassTest::AtLeast(0) => out.push("`needed = 0`: the motion passes whatever anyone does".into()),
        PassTest::AtLeast(n) if n > most => out.push(format!(
            "the motion can never pass: it needs {n} yes votes, but at most {most} members can cast a counted yes vote"
        )),
        _ if most == 0 => out.push("the motion can never pass: no member can cast a counted yes vote".into()),
        _ => {}
    }
    out
}

/// The most counted yes votes possible: members who vote yes with positive
/// probability in some switch state and would be counted there. (The swing
/// multiplies odds, so it never makes a zero probability positive.)
fn most_counted_yes(s: &Scenario) -> u32 {
    let counted = |whip| s.rule.category(Outcome::Yes, whip) == Category::Yes;
    let can = |b: &Bloc, p: &Probs| {
        states(b).iter().any(|(_, state)| state.probs(p, None).of(Outcome::Yes) > 0.0 && counted(state.whip))
    };
    s.blocs
        .iter()
        .map(|b| {
            let unnamed = if can(b, &b.probs) { b.unnamed() } else { 0 };
            unnamed + b.members.iter().filter(|m| can(b, &m.probs)).count() as u32
        })
        .sum()
}

/// `check`: the title, the rule and threshold, and every resolved bloc.
pub fn check(s: &Scenario) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{} — {}", escape(&s.name), escape(&s.title));
    if let Some(date) = &s.date {
        let _ = writeln!(t, "date: {}", escape(date));
    }
    let _ = writeln!(t, "chamber: {} seats, {} vacant", s.chamber.seats, s.chamber.vacancies);
    let _ = writeln!(t, "rule: {}", s.rule.describe(s.chamber.seats));
    if let Some(r) = &s.result {
        let _ =
            writeln!(t, "result: {}{}", r.describe(), r.source.as_ref().map_or(String::new(), |x| format!(" ({x})")));
    }
    if s.swing_sd > 0.0 {
        let _ = writeln!(t, "swing: sd {} on the log-odds of yes", s.swing_sd);
    }
    let _ = writeln!(t, "exact engine: {}", exact_cost(s, crate::exact::cost::estimate(s).work, "`exact`"));
    let explain = crate::exact::cost::explain_estimate(s, false).work;
    let _ = writeln!(t, "explain, exact method: {}", exact_cost(s, explain, "`explain`"));
    let _ = writeln!(
        t,
        "\n{:<28} {:>5}  {:<7} {:>7} {:>7} {:>7} {:>7}  other",
        "bloc", "seats", "whip", "yes", "no", "abstain", "absent"
    );
    for b in &s.blocs {
        let (name, whip, probs) = (escape(&b.name), b.whip.as_str(), probs_row(&b.probs));
        let _ = writeln!(t, "{name:<28} {:>5}  {whip:<7} {probs}  {}", b.seats, extras(b));
        for m in &b.members {
            let _ = writeln!(t, "  · {:<24} {:>5}  {:<7} {}", escape(&m.name), 1, "", probs_row(&m.probs));
        }
    }
    for w in warnings(s) {
        let _ = writeln!(t, "warning: {w}");
    }
    t
}

/// An estimated `work` of `command` against the exact engine's limit ([`crate::exact::cost`]).
fn exact_cost(s: &Scenario, work: f64, command: &str) -> String {
    use crate::exact::cost::{UNIT_SECONDS, limit};
    let limit = limit(s.chamber.seats);
    let seconds = match work * UNIT_SECONDS {
        t if t < 0.1 => "under 0.1 s".to_string(),
        t => format!("about {t:.1} s"),
    };
    let verdict = match work <= limit {
        true => String::new(),
        false => format!("; beyond it, so {command} refuses this scenario (Monte Carlo runs it)"),
    };
    format!("about {work:.1e} multiply-adds, {seconds} on 2 cores (limit {limit:.1e}){verdict}")
}

fn probs_row(p: &Probs) -> String {
    p.0.iter().map(|x| format!("{:>7}", trim(*x))).collect::<Vec<_>>().join(" ")
}

fn trim(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() { "0".into() } else { s.to_string() }
}

fn extras(b: &Bloc) -> String {
    let mut parts = Vec::new();
    if b.party != b.name {
        parts.push(format!("party {}", escape(&b.party)));
    }
    if b.cohesion > 0.0 {
        parts.push(format!("cohesion {}", b.cohesion));
    }
    if b.switch > 0.0 {
        parts.push(format!("switch {}", b.switch));
    }
    if !b.swing {
        parts.push("no swing".into());
    }
    parts.join(", ")
}
