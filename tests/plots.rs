//! Charts: every kind renders as SVG and PNG for every shipped scenario, with the
//! scenario's title and date; the command line writes either format at the asked
//! size, draws the deciding margin under a vote-based rule, and refuses any other
//! extension before work starts.

use assert_cmd::Command;
use std::path::Path;
use whipcount::plot::{self, Format, Frame, Size};
use whipcount::scenario::{self, Scenario, Source};
use whipcount::stats::Estimate;
use whipcount::{exact, sweep};

const SMALL: Size = Size { width: 640, height: 400 };

/// The SVG's text, after checking it is well-formed XML.
fn texts(svg: &str) -> String {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks that `svg` renders to a PNG of `size` that decodes.
fn assert_png(svg: &str, size: Size) {
    let bytes = plot::encode(svg, Format::Png, size).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let reader = decoder.read_info().unwrap();
    assert_eq!((reader.info().width, reader.info().height), (size.width, size.height));
}

fn shipped() -> Vec<(Scenario, Source)> {
    scenario::builtin_names()
        .into_iter()
        .map(|name| {
            let source = Source::resolve(name).unwrap();
            (source.parse().unwrap(), source)
        })
        .collect()
}

/// Checks the headline carries the scenario's title and its date.
fn assert_titled(text: &str, s: &Scenario) {
    assert!(text.contains(&s.title), "{}: title missing", s.name);
    if let Some(date) = s.date.as_deref().map(plot::long_date) {
        assert!(text.contains(&date), "{}: date {date} missing", s.name);
    }
}

fn exact_chart(s: &Scenario) -> String {
    let e = exact::solve(s);
    let est = Estimate::exact(e.yes, e.p_pass);
    let frame = Frame::for_estimate(s, &est, SMALL);
    plot::distribution(&frame, &est, s.rule.needed(s.chamber.seats), exact::margin(s).as_ref()).unwrap()
}

#[test]
fn every_shipped_scenario_draws_its_distribution_in_both_formats() {
    for (s, _) in shipped() {
        let svg = exact_chart(&s);
        let text = texts(&svg);
        assert_titled(&text, &s);
        assert!(text.contains("Exact distribution · P(pass) ="), "{}: subtitle missing", s.name);
        assert!(text.contains("whipcount") && text.contains("Source"), "{}: footer missing", s.name);
        assert_png(&svg, SMALL);
    }
}

#[test]
fn every_shipped_scenario_draws_a_curve_categories_and_a_heat_map() {
    let sweeps: [&[&str]; 3] = [
        &["swing.sd=0.0..=0.3:0.1"],
        &["rule.count-defectors=true,false"],
        &["swing.sd=0,0.2", "rule.count-defectors=true,false"],
    ];
    for (s, source) in shipped() {
        for vary in sweeps {
            let axes = vary.iter().map(|v| v.parse().unwrap()).collect();
            let plan = sweep::Plan::new(&source, axes, None).unwrap();
            let results = sweep::run_points(&plan, &sweep::Method::Exact, &quiet()).unwrap();
            let frame = plot::sweep_frame(&plan, &results, SMALL).unwrap();
            let svg = plot::sweep(&frame, &plan, &results).unwrap();
            assert_titled(&texts(&svg), &s);
            assert_png(&svg, SMALL);
        }
    }
}

fn quiet() -> whipcount::sampler::Controls<'static> {
    static STOP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    whipcount::sampler::Controls { progress: &|_| {}, stop: &STOP }
}

fn run(args: &[&str], plot: &Path) -> std::process::Output {
    Command::cargo_bin("whipcount").unwrap().args(args).arg("--plot").arg(plot).output().unwrap()
}

/// Runs `args --plot DIR/file`, checks success and that no temporary was left.
fn chart_file(args: &[&str], file: &str) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    let out = run(args, &path);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left behind");
    std::fs::read(&path).unwrap()
}

fn svg_text(args: &[&str], file: &str) -> String {
    texts(&String::from_utf8(chart_file(args, file)).unwrap())
}

#[test]
fn a_cast_rule_chart_has_the_margin_panel_with_its_threshold_at_zero() {
    let text = svg_text(&["exact", "uk-2019-01-16"], "uk.svg");
    assert!(text.contains("Deciding margin: yes − no"), "margin panel missing");
    assert!(text.contains("margin of votes: yes − no"), "margin axis missing");
    assert!(text.contains("0: a tie fails"), "threshold missing");
    assert!(text.contains("No confidence in Her Majesty's Government (UK, 16 January 2019)"));
}

#[test]
fn a_monte_carlo_cast_rule_chart_counts_the_margin_of_the_same_votes() {
    let args = ["simulate", "uk-2019-01-16", "--trials", "20000", "--quiet"];
    let text = svg_text(&args, "mc.svg");
    assert!(text.contains("Monte Carlo, 20,000 simulated votes") && text.contains("95% interval"));
    assert!(text.contains("Deciding margin: yes − no") && text.contains("0: a tie fails"));
}

#[test]
fn a_membership_rule_chart_marks_the_votes_needed() {
    let text = svg_text(&["exact", "pakistan-2022-03-30"], "d.svg");
    assert!(text.contains("P(pass) = 96.37%"), "subtitle missing");
    assert!(text.contains("172 needed") && !text.contains("Deciding margin"));
}

#[test]
fn a_png_chart_has_the_asked_size() {
    let bytes = chart_file(&["exact", "spain-2018-06-01", "--plot-size", "800x450"], "s.png");
    let info = png::Decoder::new(std::io::Cursor::new(bytes)).read_info().unwrap().info().clone();
    assert_eq!((info.width, info.height), (800, 450));
}

#[test]
fn a_sweep_chart_marks_the_crossings() {
    let args = ["sweep", "pakistan-2022-03-28", "--exact", "--vary", "MQM-P.switch=0.0..=1.0:0.25"];
    let text = svg_text(&args, "s.svg");
    assert!(text.contains("P(pass) as MQM-P.switch varies") && text.contains("reaches 90% at"), "{text}");
}

#[test]
fn a_two_dimensional_sweep_draws_a_heat_map_with_values_and_its_scale() {
    let args = ["sweep", "spain-2018-06-01", "--exact", "--vary", "PNV.switch=0,0.5,1", "--vary", "PDeCAT.switch=0,1"];
    let text = svg_text(&args, "h.svg");
    assert!(text.contains("PDeCAT.switch") && text.contains("P(pass)") && text.contains("100%"));
    assert!(text.contains("lines: 50%"), "contour key missing");
}

#[test]
fn any_other_extension_is_refused_before_work_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("p.jpg");
    let out = run(&["simulate", "pakistan-2022-03-30", "--trials", "1e8", "--quiet"], &plot);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("FILE.svg or FILE.png"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn a_bad_scenario_writes_no_plot() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("p.svg");
    let out = run(&["exact", "nope"], &plot);
    assert_eq!(out.status.code(), Some(2));
    assert!(!plot.exists());
}

#[test]
fn the_terminal_summary_shows_a_histogram_with_the_threshold() {
    let out = Command::cargo_bin("whipcount").unwrap().args(["exact", "pakistan-2022-03-30"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains('█') && text.contains("^ 172 needed"), "{text}");
}

#[test]
fn the_sampled_margin_counts_the_same_votes_as_the_pass_count() {
    let s = scenario::load(Some("uk-2019-01-16")).unwrap();
    let config = whipcount::sampler::Config { trials: 50_000, ..Default::default() };
    let run = whipcount::sampler::run_with_margin(&s, &config, &quiet()).unwrap();
    assert!(whipcount::sampler::run(&s, &config, &quiet()).unwrap().margin.is_none(), "counted unasked");
    let m = run.margin.expect("a cast rule has a margin");
    let passing: f64 = m.values().filter(|&(v, _)| m.passes(v)).map(|(_, p)| p).sum();
    assert!((passing - run.estimate.pass.p_pass).abs() < 1e-12, "{passing} vs {}", run.estimate.pass.p_pass);
    let exact = exact::margin(&s).unwrap();
    let mean = |m: &whipcount::margin::Margin| m.values().map(|(v, p)| v as f64 * p).sum::<f64>();
    assert!((mean(&m) - mean(&exact)).abs() < 0.1, "sampled mean {} against exact {}", mean(&m), mean(&exact));
}

#[test]
fn a_bad_plot_size_is_a_usage_error_that_names_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("whipcount")
        .unwrap()
        .args(["exact", "uk-2019-01-16", "--plot-size", "big"])
        .arg("--plot")
        .arg(dir.path().join("u.png"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("WIDTHxHEIGHT"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// Runs `args` with `--plot` to an SVG and a PNG of `size`: the PNG decodes at that size; returns the SVG's text.
fn both_formats(args: &[&str], size: &str) -> String {
    let png = chart_file(&[args, &["--plot-size", size]].concat(), "c.png");
    let info = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap().info().clone();
    assert_eq!(format!("{}x{}", info.width, info.height), size);
    let text = svg_text(&[args, &["--plot-size", size]].concat(), "c.svg");
    assert!(text.contains("whipcount") && text.contains("Source"), "footer missing: {text}");
    text
}

#[test]
fn the_tornado_chart_is_framed_with_the_title_date_and_edits_in_both_formats() {
    let args = ["explain", "pakistan-2022-03-28", "--set", "MQM-P.switch=0.9"];
    let text = both_formats(&args, "900x600");
    let s = scenario::load(Some("pakistan-2022-03-28")).unwrap();
    assert_titled(&text, &s);
    assert!(text.contains("[MQM-P.switch=0.9]"), "edits missing: {text}");
    assert!(text.contains("(exact)") && text.contains("odds of yes × e^1"), "subtitle or legend missing: {text}");
}

#[test]
fn the_timeline_chart_names_the_story_and_its_dates_in_both_formats() {
    let args = ["timeline", "pakistan-2022-04-09", "pakistan-2022-03-08", "pakistan-2022-03-28"];
    let text = both_formats(&args, "1000x500");
    let title = "No-confidence motion against PM Imran Khan: how the odds moved, 8 March to 9 April 2022";
    assert!(text.contains(title), "{text}");
    assert!(text.contains("· exact"), "method missing");
}

#[test]
fn the_calibration_chart_counts_the_votes_in_its_title_in_both_formats() {
    let args = ["backtest", "spain-2018-06-01", "uk-2019-01-16", "--trials", "2000", "--quiet"];
    let text = both_formats(&args, "1200x675");
    assert!(text.contains("Backtest of 2 recorded votes, 1 June 2018 to 16 January 2019"), "{text}");
    assert!(text.contains("Monte Carlo, 2,000 simulated votes each"), "method missing");
}

#[test]
fn explain_timeline_and_backtest_refuse_another_extension_before_work() {
    for args in [&["explain", "nope"][..], &["timeline", "nope"], &["backtest", "nope"]] {
        let dir = tempfile::tempdir().unwrap();
        let out = run(args, &dir.path().join("p.gif"));
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("FILE.svg or FILE.png"), "{args:?}: the extension is checked first: {err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
