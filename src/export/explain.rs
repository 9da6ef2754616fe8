//! An explanation ([`crate::explain`]) as CSV, JSON (docs/reference.md §6) and a table for people.

use crate::explain::{Errors, Explanation, Figures, Kind, Unit};
use crate::scenario::Outcome;
use crate::text::escape;
use serde::Serialize;
use std::fmt::Write;

/// The CSV columns of docs/reference.md §6.
pub const COLUMNS: [&str; 13] = [
    "unit",
    "kind",
    "party",
    "seats",
    "whip",
    "p_pass",
    "p_if_yes",
    "p_if_no",
    "p_if_abstain",
    "p_if_absent",
    "p_decisive",
    "p_lean_down",
    "p_lean_up",
];

/// The standard-error columns a Monte Carlo explanation adds.
pub const SE_COLUMNS: [&str; 8] =
    ["se_pass", "se_if_yes", "se_if_no", "se_if_abstain", "se_if_absent", "se_decisive", "se_lean_down", "se_lean_up"];

fn probabilities(p_pass: f64, f: &Figures) -> [f64; 8] {
    let [y, n, a, s] = f.if_outcome;
    [p_pass, y, n, a, s, f.decisive(), f.lean[0], f.lean[1]]
}

fn standard_errors(se_pass: f64, e: &Errors) -> [f64; 8] {
    let [y, n, a, s] = e.if_outcome;
    [se_pass, y, n, a, s, e.decisive, e.lean[0], e.lean[1]]
}

/// The CSV: one row per unit in scenario order (Monte Carlo adds the `se_` columns).
pub fn csv(x: &Explanation) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if x.sampling.is_some() {
        header.extend(SE_COLUMNS);
    }
    w.write_record(&header).expect("writing to memory");
    for (i, (u, f)) in x.units.iter().zip(&x.figures).enumerate() {
        let mut row = vec![u.label.clone(), u.kind.as_str().into(), u.party.clone(), u.seats.to_string()];
        row.push(u.whip.as_str().into());
        row.extend(probabilities(x.p_pass, f).map(|p| p.to_string()));
        if let Some(s) = &x.sampling {
            row.extend(standard_errors(s.se_pass, &s.errors[i]).map(|p| p.to_string()));
        }
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

#[derive(Serialize)]
struct JsonUnit<'a> {
    unit: &'a str,
    kind: &'a str,
    party: &'a str,
    seats: u32,
    whip: &'a str,
    #[serde(flatten)]
    columns: serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Json<'a> {
    scenario: &'a str,
    method: &'a str,
    p_pass: f64,
    lean: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    trials: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    se_pass: Option<f64>,
    units: Vec<JsonUnit<'a>>,
}

/// The JSON of docs/reference.md §6.
pub fn json(x: &Explanation) -> String {
    let units = x
        .units
        .iter()
        .zip(&x.figures)
        .enumerate()
        .map(|(i, (u, f))| {
            let mut columns = serde_json::Map::new();
            for (name, p) in COLUMNS[5..].iter().zip(probabilities(x.p_pass, f)) {
                columns.insert(name.to_string(), p.into());
            }
            if let Some(s) = &x.sampling {
                for (name, e) in SE_COLUMNS.iter().zip(standard_errors(s.se_pass, &s.errors[i])) {
                    columns.insert(name.to_string(), e.into());
                }
            }
            JsonUnit {
                unit: &u.label,
                kind: u.kind.as_str(),
                party: &u.party,
                seats: u.seats,
                whip: u.whip.as_str(),
                columns,
            }
        })
        .collect();
    super::json::pretty(&Json {
        scenario: &x.scenario,
        method: x.method(),
        p_pass: x.p_pass,
        lean: x.lean,
        trials: x.sampling.as_ref().map(|s| s.trials),
        seed: x.sampling.as_ref().map(|s| s.seed),
        se_pass: x.sampling.as_ref().map(|s| s.se_pass),
        units,
    })
}

/// Unit indices sorted by `p_decisive`, largest first (scenario order among equals).
pub fn by_decisiveness(x: &Explanation) -> Vec<usize> {
    let mut order: Vec<usize> = (0..x.units.len()).collect();
    order.sort_by(|&a, &b| x.figures[b].decisive().total_cmp(&x.figures[a].decisive()));
    order
}

fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

/// The table for people, sorted by `p_decisive`, then the leading units in words.
pub fn table(x: &Explanation) -> String {
    let mut t = String::new();
    let how = match &x.sampling {
        Some(s) => format!("Monte Carlo, {} votes, seed {}; ± one standard error", s.trials, s.seed),
        None => "exact".into(),
    };
    let _ = writeln!(t, "{}\nP(pass) = {:.4} ({how}); lean L = {}\n", escape(&x.scenario), x.p_pass, x.lean);
    let width = x.units.iter().map(|u| escape(&u.label).chars().count()).max().unwrap_or(4).clamp(4, 40);
    let _ = writeln!(
        t,
        "{:<width$} {:>5} {:<7} {:>9} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "unit", "seats", "whip", "decisive", "if yes", "if no", "if abst", "if away", "lean −L", "lean +L"
    );
    for &i in &by_decisiveness(x) {
        let (u, f) = (&x.units[i], &x.figures[i]);
        let label: String = escape(&u.label).chars().take(width).collect();
        let [y, n, a, s] = f.if_outcome;
        let _ = write!(
            t,
            "{label:<width$} {:>5} {:<7} {:>9.4} {y:>8.4} {n:>8.4} {a:>8.4} {s:>8.4} {:>8.4} {:>8.4}",
            u.seats,
            u.whip.as_str(),
            f.decisive(),
            f.lean[0],
            f.lean[1]
        );
        if let Some(s) = &x.sampling {
            let _ = write!(t, "  ±{:.4}", s.errors[i].decisive);
        }
        let _ = writeln!(t);
    }
    let _ = writeln!(t);
    for line in in_words(x) {
        let _ = writeln!(t, "{line}");
    }
    t
}

fn verb(u: &Unit, o: Outcome) -> String {
    let one = u.kind == Kind::Member || u.seats == 1;
    let together = if one { "" } else { " as one" };
    match (o, one) {
        (Outcome::Yes, true) => "votes yes".into(),
        (Outcome::Yes, false) => format!("vote yes{together}"),
        (Outcome::No, true) => "votes no".into(),
        (Outcome::No, false) => format!("vote no{together}"),
        (Outcome::Abstain, true) => "abstains".into(),
        (Outcome::Abstain, false) => format!("abstain{together}"),
        (Outcome::Absent, true) => "stays away".into(),
        (Outcome::Absent, false) => "all stay away".into(),
    }
}

fn plain(o: Outcome) -> &'static str {
    match o {
        Outcome::Yes => "vote yes",
        Outcome::No => "vote no",
        Outcome::Abstain => "abstain",
        Outcome::Absent => "stay away",
    }
}

/// The outcomes that give the lowest P(pass), in words: "vote no or abstain", or
/// "do anything else" when all three other outcomes do.
fn otherwise(f: &Figures, p_lo: f64) -> String {
    let low: Vec<&str> =
        Outcome::ALL.iter().filter(|&&o| f.if_outcome[o as usize] - p_lo < 1e-9).map(|&o| plain(o)).collect();
    if low.len() == 3 { "do anything else".into() } else { low.join(" or ") }
}

/// Plain sentences about the units that decide the most (at most five), and the rest.
pub fn in_words(x: &Explanation) -> Vec<String> {
    let order = by_decisiveness(x);
    let mut lines = Vec::new();
    for &i in order.iter().take(5) {
        let (u, f) = (&x.units[i], &x.figures[i]);
        if f.decisive() < 0.005 {
            break;
        }
        let (hi, lo) = f.extremes();
        let (p_hi, p_lo) = (f.if_outcome[hi as usize], f.if_outcome[lo as usize]);
        lines.push(format!(
            "If {} {}, the motion passes with probability {}; if they {}, {}. Their choice decides the vote with probability {}.",
            escape(&u.label),
            verb(u, hi),
            pct(p_hi),
            otherwise(f, p_lo),
            pct(p_lo),
            pct(f.decisive())
        ));
    }
    let spread = |i: usize| x.figures[i].lean[1] - x.figures[i].lean[0];
    if let Some(i) = (0..x.units.len()).max_by(|&a, &b| spread(a).abs().total_cmp(&spread(b).abs())) {
        let f = &x.figures[i];
        lines.push(format!(
            "The judgement that matters most is how {} lean: dividing or multiplying their odds of voting yes by {:.1} moves P(pass) from {} to {}.",
            escape(&x.units[i].label),
            x.lean.exp(),
            pct(f.lean[0]),
            pct(f.lean[1])
        ));
    }
    let quiet = order.iter().filter(|&&i| x.figures[i].decisive() < 0.005).count();
    if quiet > 0 {
        lines.push(format!(
            "{quiet} of the {} units could not move P(pass) by half a point whatever they did alone.",
            x.units.len()
        ));
    }
    lines
}
