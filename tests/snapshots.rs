//! Every format of every result type, pinned with `insta`: a change to any
//! output shows here as a diff (`cargo insta review`, or run with
//! `INSTA_UPDATE=always` and read the `.snap` files before committing).
//!
//! The results are computed from a small inline chamber (exact, and Monte Carlo
//! with a fixed seed on one thread), so every figure is reproducible; the run's
//! own timing is set by hand.

use insta::assert_snapshot;
use std::sync::atomic::AtomicBool;
use whipcount::bench::{Report, Row};
use whipcount::export::{Distribution, Format, Render, RunInfo, Sweep};
use whipcount::sampler::{self, Config, Controls, Paths};
use whipcount::scenario::{Scenario, Source};
use whipcount::stats::Estimate;
use whipcount::sweep::{self, Method, Plan};

const CHAMBER: &str = r#"
[scenario]
name = "tiny"
title = "A chamber of nine"

[chamber]
seats = 9

[[bloc]]
name = "Government"
seats = 5
whip = "no"
defect = 0.2
cohesion = 0.3

[[bloc]]
name = "Opposition"
seats = 4
whip = "yes"
absent = 0.1
"#;

fn source() -> Source {
    Source { origin: "tiny.toml".into(), stem: "tiny".into(), text: CHAMBER.into() }
}

fn scenario() -> Scenario {
    source().parse().unwrap()
}

fn render(result: &dyn Render, format: Format) -> String {
    String::from_utf8(result.render(format).unwrap()).unwrap()
}

fn exact() -> Distribution {
    let s = scenario();
    let e = whipcount::exact::solve(&s);
    Distribution { estimate: Estimate::exact(e.yes, e.p_pass), info: RunInfo { elapsed_s: 0.25, ..RunInfo::new(&s) } }
}

fn monte_carlo(partial: bool) -> Distribution {
    let s = scenario();
    let config = Config { trials: 4000, seed: 7, threads: 1, precision: Some(0.01), paths: Paths::Fast };
    let stop = AtomicBool::new(false);
    let run = sampler::run(&s, &config, &Controls { progress: &|_| {}, stop: &stop }).unwrap();
    let info = RunInfo { seed: Some(7), elapsed_s: 0.5, partial, precision: Some(0.01), ..RunInfo::new(&s) };
    Distribution { estimate: run.estimate, info }
}

#[test]
fn the_exact_distribution_in_every_format() {
    let d = exact();
    assert_snapshot!("exact_csv", render(&d, Format::Csv));
    assert_snapshot!("exact_json", render(&d, Format::Json));
    assert_snapshot!("exact_text", render(&d, Format::Text));
    assert!(d.render(Format::Svg).is_err(), "a chart is drawn by plot and passed in as Charted");
}

#[test]
fn a_monte_carlo_distribution_in_every_format() {
    let d = monte_carlo(false);
    assert_snapshot!("monte_carlo_csv", render(&d, Format::Csv));
    assert_snapshot!("monte_carlo_json", render(&d, Format::Json));
    assert_snapshot!("monte_carlo_text", render(&d, Format::Text));
}

#[test]
fn a_partial_distribution_says_so_in_every_format() {
    let d = monte_carlo(true);
    let csv = render(&d, Format::Csv);
    assert_snapshot!("partial_csv_tail", csv.lines().rev().take(2).collect::<Vec<_>>().join("\n"));
    assert_snapshot!("partial_json", render(&d, Format::Json));
    assert_snapshot!("partial_text", render(&d, Format::Text));
    let svg = whipcount::export::svg::distribution(&d, "<svg>\n</svg>\n".into());
    assert!(svg.contains("PARTIAL: interrupted after 4000 simulated votes"));
}

fn plan(vary: &[&str]) -> Plan {
    let axes = vary.iter().map(|v| v.parse().unwrap()).collect();
    Plan::new(&source(), axes, Some("Government")).unwrap()
}

fn points(plan: &Plan) -> Vec<sweep::Point> {
    let stop = AtomicBool::new(false);
    sweep::run_points(plan, &Method::Exact, &Controls { progress: &|_| {}, stop: &stop }).unwrap()
}

#[test]
fn a_sweep_in_every_format() {
    let plan = plan(&["Opposition.seats=2..=5", "rule.count-defectors=true,false"]);
    let results = points(&plan);
    let s = Sweep { plan: &plan, results: &results };
    assert_snapshot!("sweep_csv", render(&s, Format::Csv));
    assert_snapshot!("sweep_json", render(&s, Format::Json));
    assert_snapshot!("sweep_text", render(&s, Format::Text));
    assert!(s.render(Format::Svg).is_err(), "a chart is drawn by plot and passed in as Charted");
}

#[test]
fn a_partial_one_dimensional_sweep_in_every_format() {
    let plan = plan(&["Opposition.seats=1..=5"]);
    let results = points(&plan);
    let s = Sweep { plan: &plan, results: &results[..2] };
    assert_snapshot!("partial_sweep_csv", render(&s, Format::Csv));
    assert_snapshot!("partial_sweep_json", render(&s, Format::Json));
    assert_snapshot!("partial_sweep_text", render(&s, Format::Text));
    let svg = whipcount::export::svg::sweep(&s, "<svg>\n</svg>\n".into());
    assert!(svg.contains("PARTIAL: interrupted after 2 of 5 points"));
}

fn bench(partial: bool) -> Report {
    let row = |threads, seconds: f64, speedup| Row {
        threads,
        trials: 1_000_000,
        runs: 3,
        seconds,
        votes_per_s: 1e6 / seconds,
        speedup,
        path: "fast",
    };
    Report { rows: vec![row(1, 0.5, 1.0), row(2, 0.26, 0.5 / 0.26)], partial }
}

#[test]
fn a_bench_in_every_format() {
    for partial in [false, true] {
        let r = bench(partial);
        let name = |f: &str| format!("bench{}_{f}", if partial { "_partial" } else { "" });
        assert_snapshot!(name("csv"), render(&r, Format::Csv));
        assert_snapshot!(name("json"), render(&r, Format::Json));
        assert_eq!(render(&r, Format::Text), render(&r, Format::Csv));
        assert!(r.render(Format::Svg).is_err());
    }
}

/// The tiny chamber dated `date`, with the opposition's `seats` and a recorded result.
fn dated(date: &str, seats: u32) -> Scenario {
    let text = CHAMBER
        .replace("name = \"tiny\"", &format!("name = \"tiny-{date}\"\ndate = \"{date}\""))
        .replace("seats = 9", &format!("seats = {}", 5 + seats))
        .replace("seats = 4", &format!("seats = {seats}"))
        + "\n[result]\nyes = 4\nno = 5\npassed = false\nsource = \"invented\"\n";
    whipcount::scenario::parse(&text, "tiny.toml", "tiny").unwrap()
}

fn exact_forecasts(scenarios: &[Scenario]) -> Vec<Estimate> {
    let stop = AtomicBool::new(false);
    let controls = Controls { progress: &|_| {}, stop: &stop };
    whipcount::forecast::forecasts(scenarios, &Method::Exact, &controls).unwrap()
}

#[test]
fn a_timeline_in_every_format() {
    let scenarios = [dated("2020-01-02", 4), dated("2020-02-03", 6)];
    let entries = whipcount::timeline::entries(&scenarios, &exact_forecasts(&scenarios));
    let t = whipcount::export::Timeline { method: "exact", entries: &entries };
    assert_snapshot!("timeline_csv", render(&t, Format::Csv));
    assert_snapshot!("timeline_json", render(&t, Format::Json));
    assert_snapshot!("timeline_text", render(&t, Format::Text));
}

#[test]
fn a_backtest_in_every_format() {
    let scenarios = [dated("2020-01-02", 4), dated("2020-02-03", 6)];
    let scores = whipcount::backtest::score_all(&scenarios, &exact_forecasts(&scenarios));
    let summary = whipcount::backtest::summarise(&scores);
    let b = whipcount::export::Backtest { method: "exact", run: None, scores: &scores, summary: &summary };
    assert_snapshot!("backtest_csv", render(&b, Format::Csv));
    assert_snapshot!("backtest_json", render(&b, Format::Json));
    assert_snapshot!("backtest_text", render(&b, Format::Text));
}

#[test]
fn an_explanation_in_every_format() {
    let x = whipcount::explain::exact::explain(&scenario(), 1.0, false);
    assert_snapshot!("explain_csv", render(&x, Format::Csv));
    assert_snapshot!("explain_json", render(&x, Format::Json));
    assert_snapshot!("explain_text", render(&x, Format::Text));
}
