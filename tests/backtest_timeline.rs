//! `backtest`, `timeline` and `[result]` through the real binary: the outputs of
//! docs/reference.md §7–§8, Monte Carlo against exact, and every bad input
//! (exit 2, the key named, nothing written).

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn whipcount(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("whipcount").unwrap().args(args).output().unwrap()
}

fn ok(args: &[&str]) -> std::process::Output {
    let out = whipcount(args);
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

/// Two members each voting yes with ½, needing 2: Y ~ [¼, ½, ¼], P(pass) = ¼.
const TWO: &str = "[scenario]\nname = \"two\"\ndate = \"2020-01-01\"\n[chamber]\nseats = 2\n[rule]\nneeded = 2\n\
    [[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\ndefect = 0.5\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

/// Asserts exit 2, every needle in stderr, and that `out` was not created.
fn rejects(args: &[&str], out: &Path, needles: &[&str]) {
    let output = whipcount(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for n in needles {
        assert!(stderr.contains(n), "`{n}` not in: {stderr}");
    }
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "an output was written");
}

#[test]
fn backtest_of_a_hand_worked_scenario_gives_the_hand_computed_scores() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "two.toml", &format!("{TWO}[result]\nyes = 1\n"));
    let csv = dir.path().join("b.csv");
    ok(&["backtest", &file, "--out", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(
        text,
        format!(
            "scenario,date,p_pass,passed,brier,log_loss,yes,pit,p_tally,in_50,in_90\n\
             two,2020-01-01,0.25,false,0.0625,{},1,0.5,0.5,true,true\n",
            -(0.75f64).ln()
        )
    );
}

#[test]
fn backtest_json_has_the_summary_of_the_contract() {
    let v: Value =
        serde_json::from_slice(&ok(&["backtest", "spain-2018-06-01", "uk-2019-01-16", "--json"]).stdout).unwrap();
    assert_eq!(v["method"], "exact");
    assert_eq!(v["scenarios"].as_array().unwrap().len(), 2);
    let s = &v["summary"];
    assert_eq!(s["count"], 2);
    assert_eq!(s["pit_histogram"].as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).sum::<u64>(), 2);
    let mean = (v["scenarios"][0]["brier"].as_f64().unwrap() + v["scenarios"][1]["brier"].as_f64().unwrap()) / 2.0;
    assert!((s["brier"].as_f64().unwrap() - mean).abs() < 1e-15);
}

#[test]
fn monte_carlo_backtest_agrees_with_exact_within_its_standard_errors() {
    let exact: Value = serde_json::from_slice(&ok(&["backtest", "spain-2018-06-01", "--json"]).stdout).unwrap();
    let args = ["backtest", "spain-2018-06-01", "--json", "--trials", "200000", "--seed", "3", "--quiet"];
    let mc: Value = serde_json::from_slice(&ok(&args).stdout).unwrap();
    assert_eq!((mc["method"].as_str(), mc["trials"].as_u64()), (Some("monte-carlo"), Some(200_000)));
    let (e, m) = (&exact["scenarios"][0], &mc["scenarios"][0]);
    for (col, se) in [("p_pass", "se_pass"), ("brier", "se_brier"), ("pit", "se_pit"), ("p_tally", "se_tally")] {
        let (x, y, s) = (e[col].as_f64().unwrap(), m[col].as_f64().unwrap(), m[se].as_f64().unwrap());
        assert!(s > 0.0 && (x - y).abs() < 5.0 * s, "{col}: exact {x}, Monte Carlo {y} ± {s}");
    }
    assert!(mc["summary"]["se_brier"].as_f64().unwrap() > 0.0);
}

#[test]
fn backtest_without_arguments_scores_every_built_in_with_a_result() {
    let out = ok(&["backtest"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("history/uk-1979-03-28") && text.contains("pakistan-2022-04-09"), "{text}");
    assert!(!text.contains("pakistan-2022-03-30"), "a scenario without a result is scored: {text}");
    assert!(text.contains("votes scored") && text.contains("mid-PIT"), "{text}");
}

#[test]
fn backtest_of_scenarios_without_results_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.csv");
    let args = ["backtest", "pakistan-2022-03-30", "pakistan-2022-03-08", "--out", out.to_str().unwrap()];
    rejects(&args, &out, &["nothing to backtest", "pakistan-2022-03-30", "[result]"]);
}

#[test]
fn backtest_skips_and_names_a_scenario_without_a_result() {
    let out = ok(&["backtest", "pakistan-2022-03-30", "spain-2018-06-01"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("pakistan-2022-03-30 records no [result]"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 votes scored"));
}

#[test]
fn an_inconsistent_result_is_rejected_naming_the_key_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.csv");
    let o = out.to_str().unwrap();
    let cases = [
        ("[result]\nyes = 2\npassed = false\n", "key `passed`"),
        ("[result]\nyes = 3\n", "key `yes`"),
        ("[result]\nyes = 1\nno = 0\nabstain = 0\nabsent = 0\n", "key `absent`"),
        ("[result]\nyes = 1\nno = 1\nabstain = 1\n", "key `abstain`"),
        ("[result]\nyes = 1\nnoes = 1\n", "noes"),
    ];
    for (i, (table, needle)) in cases.iter().enumerate() {
        let file = write(dir.path(), &format!("bad{i}.toml"), &format!("{TWO}{table}"));
        rejects(&["backtest", &file, "--out", o], &out, &[&format!("bad{i}.toml"), needle]);
        rejects(&["check", &file], &out, &[needle]);
    }
}

#[test]
fn check_prints_the_result_beside_the_rule() {
    let text = String::from_utf8(ok(&["check", "uk-2019-01-16"]).stdout).unwrap();
    let rule = text.lines().position(|l| l.starts_with("rule:")).unwrap();
    assert_eq!(
        text.lines().nth(rule + 1).unwrap(),
        "result: 306 yes, 325 no: failed (House of Commons division, 16 January 2019 [S u2])"
    );
}

#[test]
fn timeline_orders_the_pakistan_scenarios_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("t.csv");
    let args = ["pakistan-2022-04-09", "pakistan-2022-03-08", "pakistan-2022-03-30", "pakistan-2022-03-28"];
    let mut all = vec!["timeline"];
    all.extend(args);
    all.extend(["--out", csv.to_str().unwrap()]);
    ok(&all);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "date,scenario,title,p_pass,ci_low,ci_high,yes_mean,yes_p05,yes_median,yes_p95,needed"
    );
    let dates: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(dates, ["2022-03-08", "2022-03-28", "2022-03-30", "2022-04-09"]);
    assert!(text.lines().all(|l| l.ends_with(",172") || l.ends_with("needed")));
}

#[test]
fn timeline_json_by_monte_carlo_carries_intervals() {
    let args = ["timeline", "spain-2018-06-01", "uk-2019-01-16", "--trials", "20000", "--json", "--quiet"];
    let v: Value = serde_json::from_slice(&ok(&args).stdout).unwrap();
    assert_eq!(v["method"], "monte-carlo");
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries[0]["scenario"], "spain-2018-06-01");
    assert!(entries[1]["needed"].is_null(), "a majority of votes cast has no fixed count");
    let (lo, p, hi) = (entries[0]["ci_low"].as_f64(), entries[0]["p_pass"].as_f64(), entries[0]["ci_high"].as_f64());
    assert!(lo < p && p < hi, "{lo:?} {p:?} {hi:?}");
}

#[test]
fn timeline_with_an_undated_scenario_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.csv");
    let args = ["timeline", "pakistan-2022-03-30", "bench/members", "--out", out.to_str().unwrap()];
    rejects(&args, &out, &["bench/members", "key `date`", "YYYY-MM-DD"]);
}

fn svg(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.svg");
    let mut all = args.to_vec();
    all.extend(["--plot", path.to_str().unwrap()]);
    ok(&all);
    let text = std::fs::read_to_string(&path).unwrap();
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left behind");
    text
}

#[test]
fn the_timeline_chart_labels_every_scenario_with_its_probability() {
    let text = svg(&["timeline", "pakistan-2022-03-30", "pakistan-2022-03-08"]);
    assert!(text.contains("how the odds moved, 8 to 30 March 2022") && text.contains("· exact"));
    assert!(text.contains("pakistan-2022-03-08 25%") && text.contains("pakistan-2022-03-30 96%"), "labels missing");
    assert!(text.contains("2022-03-"), "no date ticks");
}

#[test]
fn the_calibration_chart_gives_the_scores_and_the_pit_histogram() {
    let text = svg(&["backtest", "spain-2018-06-01", "uk-2019-01-16", "pakistan-2022-04-09"]);
    assert!(text.contains("Backtest of 3 recorded votes") && text.contains("mean Brier score"));
    assert!(text.contains("mid-PIT") && text.contains("0.3 per bin"));
}

#[test]
fn backtest_and_timeline_take_set_edits_and_name_them() {
    let text = String::from_utf8(ok(&["backtest", "spain-2018-06-01", "--set", "PNV.switch=1"]).stdout).unwrap();
    assert!(text.contains("spain-2018-06-01 [PNV.switch=1]"), "{text}");
    let out = whipcount(&["timeline", "spain-2018-06-01", "--set", "Nobody.switch=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--set Nobody.switch"));
}
