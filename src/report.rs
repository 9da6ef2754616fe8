//! Human-readable text: the resolved scenario for `check`, run summaries, warnings.
//! Every function returns a `String`; only the binary prints. Text from the scenario file
//! (names, title, date, parties) passes through [`escape`].

use crate::export::{RunInfo, votes_per_second};
use crate::rules::{Category, PassTest};
use crate::scenario::{Bloc, Outcome, Probs, Scenario};
use crate::stats::{Estimate, Method};
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
        (b.switch < 1.0 && p.of(Outcome::Yes) > 0.0 && counted(b.whip))
            || (b.switch > 0.0 && p.of(Outcome::No) > 0.0 && counted(b.whip.switched()))
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

/// The summary of a `simulate` or `exact` run.
pub fn summary(s: &Scenario, e: &Estimate, info: &RunInfo) -> String {
    let mut t = String::new();
    let _ = writeln!(t, "{}", escape(&s.title));
    let _ = writeln!(t, "rule: {}", s.rule.describe(s.chamber.seats));
    if info.partial {
        let _ = writeln!(t, "PARTIAL: interrupted; these figures cover only the {} votes simulated", e.trials);
    }
    match e.method {
        Method::Exact => {
            let _ = writeln!(t, "\nP(pass) = {:.6}  (exact)", e.p_pass);
        }
        Method::MonteCarlo => {
            let _ = writeln!(
                t,
                "\nP(pass) = {:.4}  95% CI [{:.4}, {:.4}]  (std error {:.2e})",
                e.p_pass, e.ci_low, e.ci_high, e.std_error
            );
        }
    }
    let m = e.moments();
    let _ = writeln!(
        t,
        "counted yes votes: mean {:.2}, sd {:.2}; 5% {}, median {}, 95% {}",
        m.mean, m.sd, m.p05, m.median, m.p95
    );
    if let Some(n) = info.needed {
        let _ = writeln!(t, "{}", around_threshold(e, n));
    }
    let _ = write!(t, "\n{}", histogram(e, info.needed));
    let _ = writeln!(t, "\n{}", run_line(e, info));
    t
}

/// The most likely tallies near the threshold, e.g. "170: 4.1%  171: 5.0% | 172: 5.2% …".
fn around_threshold(e: &Estimate, needed: u32) -> String {
    let n = needed as usize;
    let lo = n.saturating_sub(3);
    let hi = (n + 3).min(e.probability.len().saturating_sub(1));
    let cells: Vec<String> =
        (lo..=hi).map(|k| format!("{}{k}: {:.1}%", if k == n { "| " } else { "" }, 100.0 * e.probability[k])).collect();
    format!("tallies around the {needed} needed: {}", cells.join("  "))
}

/// Columns of the terminal histogram at most.
const HISTOGRAM_WIDTH: usize = 64;

/// A one-line histogram of the yes counts (unicode blocks, one column per count
/// or per group of counts), with the threshold marked beneath it.
pub fn histogram(e: &Estimate, needed: Option<u32>) -> String {
    const BLOCKS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let cdf = e.cdf();
    let at = |q: f64| cdf.iter().position(|&c| c >= q).unwrap_or(cdf.len() - 1);
    let (mut lo, mut hi) = (at(0.001), at(0.999));
    if let Some(n) = needed.map(|n| (n as usize).min(cdf.len() - 1)) {
        lo = lo.min(n);
        hi = hi.max(n);
    }
    let group = (hi - lo + 1).div_ceil(HISTOGRAM_WIDTH);
    let columns: Vec<f64> =
        (lo..=hi).step_by(group).map(|k| e.probability[k..(k + group).min(hi + 1)].iter().sum()).collect();
    let top = columns.iter().cloned().fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let bars: String = columns.iter().map(|p| BLOCKS[((p / top) * 8.0).ceil().clamp(0.0, 8.0) as usize]).collect();
    let mut out = format!("{lo:>5} {bars} {hi}\n");
    if let Some(n) = needed.filter(|&n| (n as usize) <= hi) {
        let column = (n as usize - lo) / group;
        out.push_str(&format!("{:>5} {}^ {n} needed\n", "", " ".repeat(column)));
    }
    out
}

fn run_line(e: &Estimate, info: &RunInfo) -> String {
    match e.method {
        Method::Exact => format!("exact engine, {:.3} s", info.elapsed_s),
        Method::MonteCarlo => format!(
            "{} simulated votes, seed {}, {} thread{}, {:.2} s, {:.1} million votes/s",
            e.trials,
            info.seed.unwrap_or_default(),
            info.threads,
            if info.threads == 1 { "" } else { "s" },
            info.elapsed_s,
            votes_per_second(e.trials, info.elapsed_s) / 1e6
        ),
    }
}
