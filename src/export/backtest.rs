//! The backtest's outputs ([`crate::backtest`]): the CSV and JSON of docs/reference.md §8 and a table for people.
//!
//! A Monte Carlo backtest adds the standard errors (`se_pass`, `se_brier`, `se_log_loss`,
//! `se_pit`, `se_tally`) after the columns of the contract, and `trials` and `seed` to the JSON
//! (`trials` as asked; with `--precision` the most per scenario, the standard errors giving
//! the precision each reached).

use crate::backtest::score::StdErrors;
use crate::backtest::{Score, Summary};
use serde::Serialize;
use std::fmt::Write;

/// The columns of the contract, in order.
pub const COLUMNS: [&str; 11] =
    ["scenario", "date", "p_pass", "passed", "brier", "log_loss", "yes", "pit", "p_tally", "in_50", "in_90"];

/// The standard-error columns of a Monte Carlo backtest.
pub const SE_COLUMNS: [&str; 5] = ["se_pass", "se_brier", "se_log_loss", "se_pit", "se_tally"];

/// A row as JSON: the contract's columns, then the standard errors if any.
#[derive(Serialize)]
struct Row<'a> {
    scenario: &'a str,
    date: Option<&'a str>,
    p_pass: f64,
    passed: bool,
    brier: f64,
    log_loss: f64,
    yes: u32,
    pit: f64,
    p_tally: f64,
    in_50: bool,
    in_90: bool,
    #[serde(flatten)]
    se: Option<StdErrors>,
}

fn row(s: &Score) -> Row<'_> {
    Row {
        scenario: &s.scenario,
        date: s.date.as_deref(),
        p_pass: s.p_pass,
        passed: s.passed,
        brier: s.brier,
        log_loss: s.log_loss,
        yes: s.yes,
        pit: s.pit,
        p_tally: s.p_tally,
        in_50: s.in_50,
        in_90: s.in_90,
        se: s.se,
    }
}

/// The backtest CSV: one row per scenario.
pub fn csv(scores: &[Score]) -> Vec<u8> {
    let mc = scores.iter().any(|s| s.se.is_some());
    let mut w = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS.iter().chain(if mc { &SE_COLUMNS[..] } else { &[] }).copied().collect();
    w.write_record(&header).expect("writing to memory");
    for s in scores {
        let mut record = vec![s.scenario.clone(), s.date.clone().unwrap_or_default()];
        record.extend([s.p_pass.to_string(), s.passed.to_string(), s.brier.to_string(), s.log_loss.to_string()]);
        record.extend([s.yes.to_string(), s.pit.to_string(), s.p_tally.to_string()]);
        record.extend([s.in_50.to_string(), s.in_90.to_string()]);
        if let Some(e) = s.se {
            record.extend([e.se_pass, e.se_brier, e.se_log_loss, e.se_pit, e.se_tally].map(|x| x.to_string()));
        }
        w.write_record(&record).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// The backtest JSON: `{"method", "scenarios", "summary"}`, plus `trials` and `seed` for Monte Carlo.
pub fn json(method: &str, run: Option<(u64, u64)>, scores: &[Score], summary: &Summary) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        method: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        trials: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        seed: Option<u64>,
        scenarios: Vec<Row<'a>>,
        summary: &'a Summary,
    }
    super::json::pretty(&Out {
        method,
        trials: run.map(|r| r.0),
        seed: run.map(|r| r.1),
        scenarios: scores.iter().map(row).collect(),
        summary,
    })
}

/// The table: one line per scenario, then the summary and the PIT histogram.
pub fn table(scores: &[Score], summary: &Summary) -> String {
    let mut t = String::new();
    let width = scores.iter().map(|s| s.scenario.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(
        t,
        "{:<width$} {:<10} {:>8} {:<6} {:>7} {:>8} {:>5} {:>6} {:>8} {:>5} {:>5}",
        "scenario", "date", "P(pass)", "passed", "brier", "log loss", "yes", "PIT", "P(tally)", "in50", "in90"
    );
    for s in scores {
        let p = match s.se {
            Some(e) => format!("{:.3}±{:.3}", s.p_pass, e.se_pass),
            None => format!("{:.4}", s.p_pass),
        };
        let _ = writeln!(
            t,
            "{:<width$} {:<10} {:>8} {:<6} {:>7.4} {:>8.3} {:>5} {:>6.3} {:>8.4} {:>5} {:>5}",
            s.scenario,
            s.date.as_deref().unwrap_or("-"),
            p,
            if s.passed { "yes" } else { "no" },
            s.brier,
            s.log_loss,
            s.yes,
            s.pit,
            s.p_tally,
            mark(s.in_50),
            mark(s.in_90)
        );
    }
    let _ = write!(t, "\n{}", summary_text(summary));
    t
}

fn mark(inside: bool) -> &'static str {
    if inside { "yes" } else { "no" }
}

/// The summary in words, with the PIT histogram as one line of counts per tenth.
pub fn summary_text(s: &Summary) -> String {
    let se = |x: Option<f64>| x.map_or(String::new(), |v| format!(" ± {v:.4}"));
    let mut t = String::new();
    let _ = writeln!(t, "{} votes scored", s.count);
    let _ = writeln!(t, "mean Brier score {:.4}{}  (0 perfect; 0.25 for always saying 50%)", s.brier, se(s.se_brier));
    let _ = writeln!(
        t,
        "mean log loss    {:.4}{}  (0 perfect; 0.693 for always saying 50%)",
        s.log_loss,
        se(s.se_log_loss)
    );
    let _ = writeln!(
        t,
        "real tally inside the central 50% interval {:.0}% of the time, inside the 90% interval {:.0}%",
        100.0 * s.coverage_50,
        100.0 * s.coverage_90
    );
    let bins: Vec<String> = s.pit_histogram.iter().map(u32::to_string).collect();
    let _ = writeln!(t, "mid-PIT in tenths 0.0–0.1 … 0.9–1.0: {}  (calibrated: about equal)", bins.join(" "));
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(se: Option<StdErrors>) -> Score {
        Score {
            scenario: "a".into(),
            date: Some("2020-01-02".into()),
            p_pass: 0.25,
            passed: false,
            brier: 0.0625,
            log_loss: 0.5,
            yes: 3,
            pit: 0.5,
            p_tally: 0.125,
            in_50: true,
            in_90: false,
            se,
        }
    }

    #[test]
    fn exact_csv_has_the_contract_columns_only() {
        let text = String::from_utf8(csv(&[sample(None)])).unwrap();
        assert_eq!(
            text,
            "scenario,date,p_pass,passed,brier,log_loss,yes,pit,p_tally,in_50,in_90\n\
             a,2020-01-02,0.25,false,0.0625,0.5,3,0.5,0.125,true,false\n"
        );
    }

    #[test]
    fn monte_carlo_csv_and_json_add_standard_errors() {
        let se = StdErrors { se_pass: 0.1, se_brier: 0.2, se_log_loss: 0.3, se_pit: 0.4, se_tally: 0.5 };
        let scores = [sample(Some(se))];
        let text = String::from_utf8(csv(&scores)).unwrap();
        assert!(text.lines().next().unwrap().ends_with("in_90,se_pass,se_brier,se_log_loss,se_pit,se_tally"));
        assert!(text.lines().nth(1).unwrap().ends_with("false,0.1,0.2,0.3,0.4,0.5"));
        let v: serde_json::Value =
            serde_json::from_str(&json("monte-carlo", Some((1000, 7)), &scores, &crate::backtest::summarise(&scores)))
                .unwrap();
        assert_eq!(v["trials"], 1000);
        assert_eq!(v["scenarios"][0]["se_pit"], 0.4);
        assert_eq!(v["summary"]["pit_histogram"][5], 1);
    }

    #[test]
    fn exact_json_has_the_contract_keys() {
        let scores = [sample(None)];
        let v: serde_json::Value =
            serde_json::from_str(&json("exact", None, &scores, &crate::backtest::summarise(&scores))).unwrap();
        let keys: Vec<&str> = v["scenarios"][0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), COLUMNS.len());
        for k in ["count", "brier", "log_loss", "coverage_50", "coverage_90", "pit_histogram"] {
            assert!(v["summary"].get(k).is_some(), "{k}");
        }
        assert!(v.get("trials").is_none() && v["summary"].get("se_brier").is_none());
    }
}
