//! Runs of the binary as users make them: the default answer, reproducibility
//! across threads, `--precision`, a pinned value, and the output formats.

use assert_cmd::Command;
use serde_json::Value;

fn whipcount(args: &[&str]) -> std::process::Output {
    let out = Command::cargo_bin("whipcount").unwrap().args(args).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&whipcount(args).stdout).unwrap()
}

#[test]
fn bare_whipcount_answers_for_the_default_scenario() {
    let out = whipcount(&["--trials", "20000", "--quiet"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Imran Khan") && text.contains("P(pass)") && text.contains("172 of 342"), "{text}");
    assert!(text.contains("seed 20220409"), "the default seed is printed: {text}");
}

#[test]
fn output_is_identical_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let mut csvs = Vec::new();
    let mut summaries = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = dir.path().join(format!("t{threads}.csv"));
        let args = [
            "simulate",
            "pakistan-2022-03-30",
            "--trials",
            "200,000",
            "--seed",
            "5",
            "--threads",
            threads,
            "--json",
            "--out",
        ];
        let mut v = json(&[&args[..], &[out.to_str().unwrap()]].concat());
        for key in ["threads", "elapsed_s", "votes_per_s"] {
            v.as_object_mut().unwrap().remove(key).expect(key);
        }
        summaries.push(v);
        csvs.push(std::fs::read(out).unwrap());
    }
    assert!(csvs.windows(2).all(|w| w[0] == w[1]), "CSV differs between thread counts");
    assert!(summaries.windows(2).all(|w| w[0] == w[1]), "JSON differs between thread counts");
}

#[test]
fn json_summary_has_every_documented_key() {
    let v = json(&["simulate", "spain-2018-06-01", "--trials", "1e4", "--json"]);
    for key in [
        "scenario",
        "method",
        "p_pass",
        "ci_low",
        "ci_high",
        "std_error",
        "trials",
        "seed",
        "threads",
        "needed",
        "yes_mean",
        "yes_sd",
        "yes_p05",
        "yes_median",
        "yes_p95",
        "elapsed_s",
        "votes_per_s",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["method"], "monte-carlo");
    assert_eq!(v["needed"], 176);
    assert_eq!(v["trials"], 10_000);
    let e = json(&["exact", "uk-2019-01-16", "--json"]);
    assert_eq!(e["method"], "exact");
    assert_eq!(e["trials"], 0);
    assert!(e["needed"].is_null());
    assert_eq!(e["ci_low"], e["p_pass"]);
}

#[test]
fn precision_runs_until_the_interval_is_narrow_enough() {
    let v = json(&["simulate", "pakistan-2022-03-28", "--precision", "0.002", "--json", "--seed", "3"]);
    let half = (v["ci_high"].as_f64().unwrap() - v["ci_low"].as_f64().unwrap()) / 2.0;
    assert!(half <= 0.002, "half-width {half}");
    let trials = v["trials"].as_u64().unwrap();
    assert!(trials < 10_000_000, "stopped early: {trials}");
    // The previous round (half as many batches) would not have been enough.
    let p = v["p_pass"].as_f64().unwrap();
    let earlier = trials / 2;
    assert!(1.96 * (p * (1.0 - p) / earlier as f64).sqrt() > 0.0019, "{trials} was more than needed");
}

/// A fixed seed gives a pinned count of passing votes: a change of stream shows here.
#[test]
fn a_fixed_seed_gives_a_pinned_result() {
    let v = json(&["simulate", "pakistan-2022-03-28", "--trials", "100000", "--seed", "42", "--json"]);
    assert_eq!(v["p_pass"].as_f64().unwrap(), PINNED_P_PASS);
}

const PINNED_P_PASS: f64 = 0.76078;

#[test]
fn the_exact_csv_has_a_row_per_count_and_an_empty_count_column() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("exact.csv");
    whipcount(&["exact", "pakistan-2022-03-30", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "yes,count,probability,cdf,sf");
    assert_eq!(lines.len(), 1 + 343);
    assert!(lines[1].starts_with("0,,") && lines[1].ends_with(",1"));
}

#[test]
fn the_monte_carlo_csv_counts_add_up_to_the_trials() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("mc.csv");
    whipcount(&["simulate", "spain-2018-06-01", "--trials", "70000", "--quiet", "--out", out.to_str().unwrap()]);
    let mut reader = csv::Reader::from_path(out).unwrap();
    let total: u64 = reader.records().map(|r| r.unwrap()[1].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 70_000);
}

#[test]
fn a_sweep_csv_has_one_column_per_parameter_and_a_row_per_point() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.csv");
    let args = [
        "sweep",
        "pakistan-2022-03-28",
        "--exact",
        "--vary",
        "PTI rebels.seats=3..=13:5",
        "--vary",
        "MQM-P.switch=0.2,0.8",
        "--balance",
        "PTI loyal",
        "--out",
        out.to_str().unwrap(),
    ];
    whipcount(&args);
    let text = std::fs::read_to_string(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "PTI rebels.seats,MQM-P.switch,p_pass,ci_low,ci_high,yes_mean,yes_p05,yes_median,yes_p95");
    let mut points: Vec<&str> = lines[1..].iter().map(|l| l.rsplitn(8, ',').last().unwrap()).collect();
    assert_eq!(points.len(), 6);
    points.sort();
    points.dedup();
    assert_eq!(points.len(), 6, "every combination exactly once");
}

#[test]
fn a_sweep_that_breaks_the_seat_total_asks_for_a_balancing_bloc() {
    let out = Command::cargo_bin("whipcount")
        .unwrap()
        .args(["sweep", "pakistan-2022-03-28", "--exact", "--vary", "PTI rebels.seats=10,20"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("PTI rebels.seats=10") && err.contains("--balance"), "{err}");
}

#[test]
fn a_one_dimensional_sweep_reports_where_it_crosses_50_and_90_percent() {
    let out = whipcount(&["sweep", "spain-2018-06-01", "--exact", "--vary", "PNV.switch=0.0..=1.0:0.25"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("crosses 50% downward at PNV.switch ≈ 0.528 (between 0.50 and 0.75)"), "{text}");
    assert!(text.contains("below 90% throughout"), "{text}");
    let v = json(&["sweep", "spain-2018-06-01", "--exact", "--vary", "Cs.seats=32,33", "--balance", "PSOE", "--json"]);
    assert_eq!(v["points"].as_array().unwrap().len(), 2);
}

#[test]
fn bench_prints_a_row_per_thread_count() {
    let out = whipcount(&["bench", "bench/independent-blocs", "--trials", "200000", "--threads", "1,2"]);
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "threads,trials,runs,seconds,votes_per_s,speedup,path");
    assert_eq!(lines.len(), 3);
    assert!(lines[1].starts_with("1,200000,3,") && lines[2].starts_with("2,200000,3,"));
    let v = json(&["bench", "spain-2018-06-01", "--trials", "100000", "--threads", "1", "--runs", "2", "--json"]);
    assert_eq!((v[0]["speedup"].as_f64(), v[0]["runs"].as_u64()), (Some(1.0), Some(2)));
    let zero = Command::cargo_bin("whipcount").unwrap().args(["bench", "--runs", "0"]).output().unwrap();
    assert_eq!(zero.status.code(), Some(2));
}

#[test]
fn check_with_paths_names_how_the_sampler_draws_each_bloc() {
    let plain = String::from_utf8_lossy(&whipcount(&["check", "tests/scenarios/every-path.toml"]).stdout).to_string();
    assert!(!plain.contains("sampler paths"), "{plain}");
    let out = whipcount(&["check", "--paths", "tests/scenarios/every-path.toml"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "  Fixed A: composite table (a fixed law)",
        "  Small: swing group (drawn with the other swing-moved blocs)",
        "  Named, binomial: direct, unnamed members from binomial swing tables, named members from Poisson-binomial tables",
        "  Named, all or none: direct, unnamed members literally, named members from Poisson-binomial tables",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line:?} in:\n{text}");
    }
}
