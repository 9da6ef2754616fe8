//! Pictures as SVG text: the distribution of counted yes votes, and sweeps.
//!
//! Drawn with plotters' SVG backend alone: text stays `<text>` elements, so no
//! font or system library is needed to write them (the viewer renders the font).

use crate::error::{Error, Result};
use crate::stats::{Estimate, Method};
use crate::sweep::Plan;
use plotters::coord::Shift;
use plotters::prelude::*;

const PASSING: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
const FAILING: RGBColor = RGBColor(0x88, 0x88, 0x99);
const THRESHOLD: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
const CURVE: RGBColor = RGBColor(0x1f, 0x4e, 0x99);
const BAND: RGBColor = RGBColor(0xa6, 0xc1, 0xe8);
const FONT: &str = "sans-serif";

fn drawing<E: std::fmt::Debug>(e: E) -> Error {
    Error::Other(format!("drawing the plot failed: {e:?}"))
}

/// The title line of a distribution plot: scenario, P(pass) and, for Monte Carlo,
/// the interval and the number of votes.
pub fn distribution_title(name: &str, e: &Estimate) -> String {
    match e.method {
        Method::Exact => format!("{name}: P(pass) = {:.4} (exact)", e.p_pass),
        Method::MonteCarlo => format!(
            "{name}: P(pass) = {:.4}, 95% CI [{:.4}, {:.4}], {} simulated votes",
            e.p_pass, e.ci_low, e.ci_high, e.trials
        ),
    }
}

/// The range of yes counts worth drawing: where the probability is visible, the
/// threshold included, padded a little.
fn visible_range(e: &Estimate, needed: Option<u32>) -> (u32, u32) {
    let top = e.probability.iter().cloned().fold(0.0, f64::max);
    let visible: Vec<usize> = (0..e.probability.len()).filter(|&k| e.probability[k] > top * 1e-3).collect();
    let (mut lo, mut hi) = (*visible.first().unwrap_or(&0) as u32, *visible.last().unwrap_or(&0) as u32);
    if let Some(n) = needed {
        lo = lo.min(n);
        hi = hi.max(n);
    }
    let pad = ((hi - lo) / 20).max(1);
    (lo.saturating_sub(pad), (hi + pad).min(e.probability.len() as u32 - 1))
}

/// The distribution as a bar chart, bars that pass in colour, the threshold marked.
pub fn distribution_svg(name: &str, e: &Estimate, needed: Option<u32>) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let (lo, hi) = visible_range(e, needed);
        let top = e.probability.iter().cloned().fold(0.0, f64::max).max(1e-12) * 1.12;
        let mut chart = ChartBuilder::on(&root)
            .caption(distribution_title(name, e), (FONT, 20))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(lo as f64 - 0.5..hi as f64 + 0.5, 0.0..top)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_desc("counted yes votes")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_desc("probability")
            .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
            .label_style((FONT, 15))
            .draw()
            .map_err(drawing)?;
        let bars = (lo..=hi).map(|k| {
            let colour = if needed.is_some_and(|n| k >= n) { PASSING } else { FAILING };
            let p = e.probability[k as usize];
            Rectangle::new([(k as f64 - 0.42, 0.0), (k as f64 + 0.42, p)], colour.filled())
        });
        chart.draw_series(bars).map_err(drawing)?;
        if let Some(n) = needed {
            let x = n as f64 - 0.5;
            let line = LineSeries::new([(x, 0.0), (x, top)], THRESHOLD.stroke_width(2));
            chart.draw_series(line).map_err(drawing)?;
            let label = Text::new(format!("  {n} needed"), (x, top * 0.97), (FONT, 16).into_font().color(&THRESHOLD));
            chart.draw_series(std::iter::once(label)).map_err(drawing)?;
        }
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// A sweep: P(pass) against the parameter (with the 95% band for Monte Carlo,
/// lines at 50% and 90%, the crossings marked), or a heat map for a 2-D grid.
pub fn sweep_svg(plan: &Plan, results: &[Estimate]) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        if plan.axes.len() == 1 {
            curve(&root, plan, results)?;
        } else {
            heat_map(&root, plan, results)?;
        }
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

fn curve(root: &DrawingArea<SVGBackend, Shift>, plan: &Plan, results: &[Estimate]) -> Result<()> {
    let xs: Vec<f64> = plan.points.iter().map(|(v, _)| v[0].number).take(results.len()).collect();
    let (x0, x1) = (xs.iter().cloned().fold(f64::MAX, f64::min), xs.iter().cloned().fold(f64::MIN, f64::max));
    let span = if x1 > x0 { x1 - x0 } else { 1.0 };
    let mut chart = ChartBuilder::on(root)
        .caption(format!("{}: P(pass) by {}", plan.scenario, plan.axes[0].label), (FONT, 20))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(x0 - span * 0.02..x1 + span * 0.02, 0.0..1.0)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .x_desc(plan.axes[0].label.as_str())
        .x_label_formatter(&|x| trim_number(*x))
        .y_desc("P(pass)")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    if results.iter().any(|e| e.method == Method::MonteCarlo) {
        let upper = xs.iter().zip(results).map(|(&x, e)| (x, e.ci_high));
        let lower = xs.iter().zip(results).rev().map(|(&x, e)| (x, e.ci_low));
        let band = Polygon::new(upper.chain(lower).collect::<Vec<_>>(), BAND.mix(0.6).filled());
        chart.draw_series(std::iter::once(band)).map_err(drawing)?;
    }
    for level in [0.5, 0.9] {
        let line = LineSeries::new([(x0 - span, level), (x1 + span, level)], THRESHOLD.mix(0.7).stroke_width(1));
        chart.draw_series(line).map_err(drawing)?;
    }
    let points: Vec<(f64, f64)> = xs.iter().zip(results).map(|(&x, e)| (x, e.p_pass)).collect();
    chart.draw_series(LineSeries::new(points.clone(), CURVE.stroke_width(2))).map_err(drawing)?;
    for level in crate::sweep::crossings(plan, results).unwrap_or_default() {
        for c in &level.crossings {
            let mark = Circle::new((c.at, level.level), 6, THRESHOLD.filled());
            let label = Text::new(
                format!("  {:.0}% at {}", level.level * 100.0, c.text()),
                (c.at, level.level - 0.04),
                (FONT, 15).into_font().color(&THRESHOLD),
            );
            chart.draw_series(std::iter::once(mark)).map_err(drawing)?;
            chart.draw_series(std::iter::once(label)).map_err(drawing)?;
        }
    }
    Ok(())
}

/// A tick label without needless decimals: 5, 0.25.
fn trim_number(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A colour from pale to dark blue for P in [0, 1].
fn scale(p: f64) -> RGBColor {
    let t = p.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(247.0, 8.0), mix(251.0, 48.0), mix(255.0, 107.0))
}

fn heat_map(root: &DrawingArea<SVGBackend, Shift>, plan: &Plan, results: &[Estimate]) -> Result<()> {
    let (main, legend) = root.split_horizontally(840);
    let (nx, ny) = (plan.axes[0].values.len(), plan.axes[1].values.len());
    let mut chart = ChartBuilder::on(&main)
        .caption(format!("{}: P(pass)", plan.scenario), (FONT, 20))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)
        .map_err(drawing)?;
    let (xs, ys) = (&plan.axes[0].values, &plan.axes[1].values);
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(plan.axes[0].label.as_str())
        .y_desc(plan.axes[1].label.as_str())
        .x_labels(nx.min(12))
        .y_labels(ny.min(12))
        .x_label_formatter(&|x| cell_label(xs, *x))
        .y_label_formatter(&|y| cell_label(ys, *y))
        .label_style((FONT, 14))
        .draw()
        .map_err(drawing)?;
    let cells = results.iter().enumerate().map(|(i, e)| {
        let (ix, iy) = ((i / ny) as f64, (i % ny) as f64);
        Rectangle::new([(ix - 0.5, iy - 0.5), (ix + 0.5, iy + 0.5)], scale(e.p_pass).filled())
    });
    chart.draw_series(cells).map_err(drawing)?;
    colour_scale(&legend)
}

/// The value of the cell centred on tick `x`, or nothing between cells.
fn cell_label(values: &[crate::sweep::Value], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    values.get(i as usize).map_or(String::new(), |v| v.text.clone())
}

fn colour_scale(area: &DrawingArea<SVGBackend, Shift>) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(80)
        .margin_bottom(65)
        .margin_right(10)
        .y_label_area_size(60)
        .caption("P(pass)", (FONT, 15))
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style((FONT, 13))
        .draw()
        .map_err(drawing)?;
    let steps = 50;
    let strips = (0..steps).map(|i| {
        let (a, b) = (i as f64 / steps as f64, (i + 1) as f64 / steps as f64);
        Rectangle::new([(0.0, a), (1.0, b)], scale((a + b) / 2.0).filled())
    });
    chart.draw_series(strips).map_err(drawing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_visible_range_includes_the_threshold() {
        let mut p = vec![0.0; 101];
        p[40] = 0.5;
        p[41] = 0.5;
        let e = Estimate::exact(p, 0.0);
        let (lo, hi) = visible_range(&e, Some(60));
        assert!(lo <= 40 && (60..=100).contains(&hi));
    }

    #[test]
    fn the_colour_scale_runs_from_pale_to_dark() {
        assert_eq!(scale(0.0), RGBColor(247, 251, 255));
        assert_eq!(scale(1.0), RGBColor(8, 48, 107));
    }
}
