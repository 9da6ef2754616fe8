//! Plots: well-formed SVG carrying the title and threshold text, from the CLI.

use assert_cmd::Command;

fn svg_text(args: &[&str], file: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file);
    let out = Command::cargo_bin("whipcount").unwrap().args(args).arg("--plot").arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&path).unwrap();
    roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("not well-formed XML: {e}"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a temporary file was left behind");
    text
}

#[test]
fn the_distribution_plot_names_the_scenario_probability_and_threshold() {
    let text = svg_text(&["exact", "pakistan-2022-03-30"], "d.svg");
    assert!(text.contains("pakistan-2022-03-30: P(pass) = 0.9637 (exact)"), "title missing");
    assert!(text.contains("172 needed"), "threshold label missing");
}

#[test]
fn a_monte_carlo_plot_gives_the_interval_and_trials() {
    let text = svg_text(&["simulate", "spain-2018-06-01", "--trials", "20000", "--quiet"], "mc.svg");
    assert!(text.contains("95% CI") && text.contains("20000 simulated votes") && text.contains("176 needed"));
}

#[test]
fn a_sweep_plot_marks_the_crossings() {
    let args = ["sweep", "spain-2018-06-01", "--exact", "--vary", "PNV.switch=0.0..=1.0:0.25"];
    let text = svg_text(&args, "s.svg");
    assert!(text.contains("P(pass) by PNV.switch") && text.contains("50% at 0.528"));
}

#[test]
fn a_two_dimensional_sweep_draws_a_heat_map_with_its_scale() {
    let args = ["sweep", "spain-2018-06-01", "--exact", "--vary", "PNV.switch=0,0.5,1", "--vary", "PDeCAT.switch=0,1"];
    let text = svg_text(&args, "h.svg");
    assert!(text.contains("PDeCAT.switch") && text.contains("100%") && text.matches("<rect").count() > 50);
}

#[test]
fn a_bad_scenario_writes_no_plot() {
    let dir = tempfile::tempdir().unwrap();
    let plot = dir.path().join("p.svg");
    let out =
        Command::cargo_bin("whipcount").unwrap().args(["exact", "nope"]).arg("--plot").arg(&plot).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!plot.exists());
}

#[test]
fn the_terminal_summary_shows_a_histogram_with_the_threshold() {
    let out = Command::cargo_bin("whipcount").unwrap().args(["exact", "pakistan-2022-03-30"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains('█') && text.contains("^ 172 needed"), "{text}");
}
