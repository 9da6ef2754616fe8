//! Text for people: the run summary with its histogram, the sweep table, the
//! bench rows. Every function returns a `String`; only the binary prints.

use super::{Distribution, RunInfo, Sweep};
use crate::bench::Report;
use crate::stats::votes_per_second;
use crate::stats::{Estimate, Method, PassRow};
use crate::text::escape;
use std::fmt::Write;

/// The summary of a `simulate` or `exact` run.
pub fn distribution(d: &Distribution) -> String {
    let (e, info) = (&d.estimate, &d.info);
    let mut t = String::new();
    let _ = writeln!(t, "{}", escape(&info.title));
    let _ = writeln!(t, "rule: {}", info.rule);
    if info.partial {
        let _ = writeln!(t, "PARTIAL: interrupted; these figures cover only the {} votes simulated", e.pass.trials);
    }
    match e.pass.method {
        Method::Exact => {
            let _ = writeln!(t, "\nP(pass) = {:.6}  (exact)", e.pass.p_pass);
        }
        Method::MonteCarlo => {
            let _ = writeln!(
                t,
                "\nP(pass) = {:.4}  95% CI [{:.4}, {:.4}]  (std error {:.2e})",
                e.pass.p_pass, e.pass.ci_low, e.pass.ci_high, e.pass.std_error
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
    if let Some(line) = precision_line(d) {
        let _ = writeln!(t, "{line}");
    }
    t
}

/// Whether a run asked for a precision reached it, in words.
fn precision_line(d: &Distribution) -> Option<String> {
    let (h, trials, half) = (d.info.precision?, d.estimate.pass.trials, d.half_width());
    Some(if d.precision_reached()? {
        format!("precision reached: 95% half-width {half:.2e} ≤ {h} after {trials} simulated votes")
    } else if d.info.partial {
        format!("precision NOT reached: interrupted at a 95% half-width of {half:.2e} > {h} after {trials} votes")
    } else {
        format!("precision NOT reached: the 95% half-width is {half:.2e} > {h} after all {trials} votes allowed")
    })
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
    match e.pass.method {
        Method::Exact => format!("exact engine, {:.3} s", info.elapsed_s),
        Method::MonteCarlo => format!(
            "{} simulated votes, seed {}, {} thread{}, {:.2} s, {:.1} million votes/s",
            e.pass.trials,
            info.seed.unwrap_or_default(),
            info.threads,
            if info.threads == 1 { "" } else { "s" },
            info.elapsed_s,
            votes_per_second(e.pass.trials, info.elapsed_s) / 1e6
        ),
    }
}

/// The headings of [`spread`]'s columns.
pub(super) const SPREAD_HEADER: &str = "           95% CI mean yes    5% median   95%";

/// A row's interval and yes-count mean and quantiles, as the sweep and timeline tables show them.
pub(super) fn spread(r: &PassRow) -> String {
    let ci = format!("[{:.4}, {:.4}]", r.ci_low, r.ci_high);
    format!("{ci:>17} {:>8.2} {:>5} {:>6} {:>5}", r.yes_mean, r.yes_p05, r.yes_median, r.yes_p95)
}

/// The sweep as a table under the scenario's name, with the crossings of a 1-D sweep.
pub fn sweep(s: &Sweep) -> String {
    let mut t = format!("{}\n", escape(&s.plan.scenario));
    if s.partial() {
        let _ = writeln!(t, "PARTIAL: interrupted after {} of {} points", s.results.len(), s.plan.len());
    }
    for a in &s.plan.axes {
        let _ = write!(t, "{:>18} ", a.label);
    }
    let _ = writeln!(t, "{:>8} {SPREAD_HEADER}", "P(pass)");
    for (values, e) in s.points() {
        for v in values {
            let _ = write!(t, "{:>18} ", v.text);
        }
        let _ = writeln!(t, "{:>8.4} {}", e.pass.p_pass, spread(&e.row()));
    }
    t.push_str(&crossing_lines(s));
    t
}

/// Where a 1-D sweep crosses 50% and 90%; an unfinished sweep says that its
/// "throughout" covers only the points computed.
fn crossing_lines(s: &Sweep) -> String {
    let Some(levels) = crate::sweep::crossings(s.plan, s.results) else { return String::new() };
    let label = escape(&s.plan.axes[0].label);
    let mut t = String::new();
    for level in levels {
        for line in level.describe(&label) {
            let _ = match level.throughout {
                Some(_) if s.partial() => writeln!(
                    t,
                    "{} computed so far ({} of {} points); the rest is unknown",
                    line.replace("throughout this range of", "at every point of"),
                    s.results.len(),
                    s.plan.len()
                ),
                _ => writeln!(t, "{line}"),
            };
        }
    }
    t
}

/// The bench rows as printed: the CSV.
pub fn bench(r: &Report) -> String {
    String::from_utf8(super::csv::bench(r)).expect("CSV of plain data is UTF-8")
}
