//! The distribution chart: counted yes votes, and under a vote-based rule the
//! deciding margin beside them.
//!
//! Under a membership or fixed-count rule the yes count decides: bars at or
//! above the threshold are passing (blue), the rest failing (orange), with the
//! threshold drawn. Under `present` or `cast` the yes count alone does not decide,
//! so its bars are neutral and a second panel shows the margin (yes − no, or
//! yes − (no + abstain)) coloured by pass and fail, with its threshold at 0.

use super::frame::{Area, BLUE, FONT, Frame, INK, NEUTRAL, ORANGE, drawing, legend_box, percent};
use crate::error::Result;
use crate::margin::Margin;
use crate::stats::Estimate;
use plotters::prelude::*;

/// One panel of coloured bars over whole-number values.
struct Bars {
    caption: String,
    x_desc: String,
    /// (value, probability, colour).
    values: Vec<(i64, f64, RGBColor)>,
    /// Where passing starts (between two values) and its label.
    cut: Option<(f64, String)>,
    /// Swatches for the legend.
    legend: Vec<(String, RGBColor)>,
}

/// Draws the distribution of `e` (and of `margin`, when the rule has one) in `frame`.
pub fn distribution(frame: &Frame, e: &Estimate, needed: Option<u32>, margin: Option<&Margin>) -> Result<String> {
    frame.render(|area| match margin {
        None => bar_panel(area, &yes_bars(e, needed)),
        Some(m) => {
            let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
            bar_panel(&left, &yes_bars(e, None))?;
            bar_panel(&right, &margin_bars(m))
        }
    })
}

fn pass_fail(passes: bool) -> RGBColor {
    if passes { BLUE } else { ORANGE }
}

/// The yes counts: coloured by the threshold when they decide, neutral otherwise.
fn yes_bars(e: &Estimate, needed: Option<u32>) -> Bars {
    let colour = |k: usize| needed.map_or(NEUTRAL, |n| pass_fail(k >= n as usize));
    let values = e.probability.iter().enumerate().map(|(k, &p)| (k as i64, p, colour(k))).collect();
    let x_desc = "counted yes votes".to_string();
    match needed {
        Some(n) => Bars {
            caption: format!("Counted yes votes: {n} needed to pass"),
            x_desc,
            values,
            cut: Some((f64::from(n) - 0.5, format!("{n} needed"))),
            legend: vec![(format!("passes (≥ {n} yes)"), BLUE), (format!("fails (< {n} yes)"), ORANGE)],
        },
        None => Bars {
            caption: "Counted yes votes (alone they do not decide)".into(),
            x_desc,
            values,
            cut: None,
            legend: Vec::new(),
        },
    }
}

/// The margin, coloured by whether each value passes, the threshold at 0.
fn margin_bars(m: &Margin) -> Bars {
    let values = m.values().map(|(s, p)| (s, p, pass_fail(m.passes(s)))).collect();
    let (cut, tie) = if m.passes(0) { (-0.5, "a tie passes") } else { (0.5, "a tie fails") };
    let passing: f64 = m.values().filter(|&(s, _)| m.passes(s)).map(|(_, p)| p).sum();
    Bars {
        caption: format!("Deciding margin: {} (passes {})", m.label(), percent(passing)),
        x_desc: format!("margin of votes: {}", m.label()),
        values,
        cut: Some((cut, format!("0: {tie}"))),
        legend: vec![("passes (margin above 0)".into(), BLUE), ("fails".into(), ORANGE)],
    }
}

/// The values worth drawing: where the probability is visible, the cut
/// included, padded a little.
fn visible(bars: &Bars) -> (i64, i64) {
    let top = bars.values.iter().map(|v| v.1).fold(0.0, f64::max);
    let seen: Vec<i64> = bars.values.iter().filter(|v| v.1 > top * 1e-3).map(|v| v.0).collect();
    let (mut lo, mut hi) = (*seen.first().unwrap_or(&0), *seen.last().unwrap_or(&0));
    if let Some((x, _)) = bars.cut {
        lo = lo.min(x.floor() as i64);
        hi = hi.max(x.ceil() as i64);
    }
    let pad = ((hi - lo) / 20).max(1);
    (lo - pad, hi + pad)
}

/// The upper corner away from most of the probability, for the legend.
fn legend_corner(bars: &Bars, lo: i64, hi: i64) -> SeriesLabelPosition {
    let mean: f64 = bars.values.iter().map(|v| v.0 as f64 * v.1).sum::<f64>();
    let total: f64 = bars.values.iter().map(|v| v.1).sum::<f64>().max(1e-300);
    if mean / total < (lo + hi) as f64 / 2.0 { SeriesLabelPosition::UpperRight } else { SeriesLabelPosition::UpperLeft }
}

fn bar_panel(area: &Area, bars: &Bars) -> Result<()> {
    let (lo, hi) = visible(bars);
    let top = bars.values.iter().map(|v| v.1).fold(0.0, f64::max).max(1e-12) * 1.25;
    let mut chart = ChartBuilder::on(area)
        .caption(&bars.caption, (FONT, 19).into_font().color(&INK))
        .margin(10)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(lo as f64 - 0.5..hi as f64 + 0.5, 0.0..top)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc(bars.x_desc.as_str())
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_desc("probability of exactly that many")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let shown = bars.values.iter().filter(|v| (lo..=hi).contains(&v.0));
    let rects = shown.map(|&(x, p, c)| Rectangle::new([(x as f64 - 0.42, 0.0), (x as f64 + 0.42, p)], c.filled()));
    chart.draw_series(rects).map_err(drawing)?;
    for (label, colour) in &bars.legend {
        let swatch = move |(x, y): (i32, i32)| Rectangle::new([(x, y - 6), (x + 14, y + 6)], colour.filled());
        chart.draw_series(std::iter::empty::<Rectangle<(f64, f64)>>()).map_err(drawing)?.label(label).legend(swatch);
    }
    if let Some((x, label)) = &bars.cut {
        let line = DashedLineSeries::new([(*x, 0.0), (*x, top)], 8, 5, INK.stroke_width(2));
        chart
            .draw_series(line)
            .map_err(drawing)?
            .label(label)
            .legend(|(x, y)| PathElement::new([(x, y), (x + 14, y)], INK.stroke_width(2)));
    }
    if !bars.legend.is_empty() {
        legend_box(&mut chart, legend_corner(bars, lo, hi), 15)?;
    }
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
        let bars = yes_bars(&Estimate::exact(p, 0.0), Some(60));
        let (lo, hi) = visible(&bars);
        assert!(lo <= 40 && (60..=101).contains(&hi), "{lo}..{hi}");
    }

    #[test]
    fn bars_at_and_above_the_threshold_pass() {
        let bars = yes_bars(&Estimate::exact(vec![0.25; 4], 0.5), Some(2));
        let colours: Vec<RGBColor> = bars.values.iter().map(|v| v.2).collect();
        assert_eq!(colours, [ORANGE, ORANGE, BLUE, BLUE]);
    }
}
