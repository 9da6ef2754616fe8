//! The calibration chart of `backtest --plot`: on the left each vote's forecast
//! P(pass) against what happened, with the share that passed per fifth of
//! forecasts and the diagonal of perfect calibration; on the right the mid-PIT
//! histogram of the real tallies against the uniform count a calibrated
//! forecaster expects. Drawn inside the shared [`Frame`].

use super::frame::{Area, BLUE, FONT, Frame, INK, MUTED, ORANGE, Size, VERMILLION, drawing, legend_box, method};
use super::timeline::span;
use crate::backtest::{Score, Summary};
use crate::error::Result;
use crate::scenario::Scenario;
use crate::stats::Estimate;
use plotters::prelude::*;

/// The frame of a backtest of `scenarios`: how many votes over which dates, the
/// method and the scores.
pub fn frame(scenarios: &[Scenario], estimates: &[Estimate], summary: &Summary, size: Size) -> Frame {
    let mut dates: Vec<&str> = scenarios.iter().filter_map(|s| s.date.as_deref()).collect();
    dates.sort_unstable();
    let plural = if summary.count == 1 { "" } else { "s" };
    let when = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => format!(", {}", span(a, b)),
        _ => String::new(),
    };
    let edits = scenarios.first().and_then(|s| s.name.find(" [").map(|i| s.name[i..].to_string())).unwrap_or_default();
    let title = format!("Backtest of {} recorded vote{plural}{when}{edits}", summary.count);
    let subtitle = format!(
        "Forecasts {} · mean Brier score {:.3}, log loss {:.3} · real tally inside the 50% range {:.0}%, 90% range {:.0}%",
        method(estimates.first()),
        summary.brier,
        summary.log_loss,
        100.0 * summary.coverage_50,
        100.0 * summary.coverage_90
    );
    let sources = [format!("each scenario's [result] and sources ({} files)", scenarios.len())];
    Frame::new(title, subtitle, &sources, size)
}

/// Draws the calibration chart of `scores` in `frame`.
pub fn calibration(frame: &Frame, scores: &[Score], summary: &Summary) -> Result<String> {
    frame.render(|area| {
        let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
        reliability(&left, scores)?;
        pit_bars(&right, summary)
    })
}

/// (mean forecast, share passed, votes) in each fifth of forecasts that holds any.
pub fn reliability_bins(scores: &[Score]) -> Vec<(f64, f64, usize)> {
    (0..5)
        .filter_map(|b| {
            let inside: Vec<&Score> =
                scores.iter().filter(|s| ((s.p_pass * 5.0).floor() as usize).min(4) == b).collect();
            let n = inside.len();
            (n > 0).then(|| {
                let mean = inside.iter().map(|s| s.p_pass).sum::<f64>() / n as f64;
                (mean, inside.iter().filter(|s| s.passed).count() as f64 / n as f64, n)
            })
        })
        .collect()
}

fn reliability(area: &Area, scores: &[Score]) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .caption("Forecast against outcome", (FONT, 19).into_font().color(&INK))
        .margin(10)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(-0.02..1.02, -0.06..1.06)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("forecast P(pass)")
        .y_desc("share that passed (per fifth of forecasts)")
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let diagonal = DashedLineSeries::new([(0.0, 0.0), (1.0, 1.0)], 6, 6, MUTED.stroke_width(1));
    chart
        .draw_series(diagonal)
        .map_err(drawing)?
        .label("perfect calibration")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], MUTED.stroke_width(1)));
    for (passed, colour, name) in [(true, BLUE, "a vote that passed"), (false, ORANGE, "a vote that failed")] {
        let votes = scores.iter().enumerate().filter(|(_, s)| s.passed == passed).map(move |(i, s)| {
            let jitter = 0.025 * ((i % 5) as f64 - 2.0) / 2.0;
            Circle::new((s.p_pass, if passed { 1.0 + jitter } else { jitter }), 6, colour.mix(0.8).filled())
        });
        let swatch = move |(x, y): (i32, i32)| Circle::new((x + 7, y), 6, colour.filled());
        chart.draw_series(votes).map_err(drawing)?.label(name).legend(swatch);
    }
    let bins = reliability_bins(scores);
    let points: Vec<(f64, f64)> = bins.iter().map(|&(x, y, _)| (x, y)).collect();
    chart
        .draw_series(LineSeries::new(points, INK.stroke_width(2)))
        .map_err(drawing)?
        .label("share passed, n votes")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], INK.stroke_width(2)));
    let marks = bins.iter().map(|&(x, y, n)| {
        EmptyElement::at((x, y))
            + Rectangle::new([(-5, -5), (5, 5)], INK.filled())
            + Text::new(format!("n={n}"), (8, -20), (FONT, 15).into_font().color(&INK))
    });
    chart.draw_series(marks).map_err(drawing)?;
    legend_box(&mut chart, SeriesLabelPosition::Coordinate(20, 40), 14)?;
    Ok(())
}

fn pit_bars(area: &Area, summary: &Summary) -> Result<()> {
    let top = summary.pit_histogram.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.3;
    let mut chart = ChartBuilder::on(area)
        .caption("Where the real tally fell (mid-PIT)", (FONT, 19).into_font().color(&INK))
        .margin(10)
        .margin_right(30)
        .x_label_area_size(52)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..1.0, 0.0..top)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("mid-PIT: forecast share of tallies below the real one")
        .y_desc("votes")
        .y_label_formatter(&|y| if y.fract() == 0.0 { format!("{y:.0}") } else { String::new() })
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let bars = summary.pit_histogram.iter().enumerate().map(|(i, &n)| {
        let x = i as f64 / 10.0;
        Rectangle::new([(x + 0.005, 0.0), (x + 0.095, f64::from(n))], BLUE.mix(0.8).filled())
    });
    chart.draw_series(bars).map_err(drawing)?;
    let expected = summary.count as f64 / 10.0;
    chart
        .draw_series(LineSeries::new([(0.0, expected), (1.0, expected)], VERMILLION.stroke_width(2)))
        .map_err(drawing)?
        .label(format!("calibrated: {expected:.1} per bin"))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], VERMILLION.stroke_width(2)));
    legend_box(&mut chart, SeriesLabelPosition::UpperRight, 14)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(p_pass: f64, passed: bool) -> Score {
        Score {
            scenario: "s".into(),
            date: None,
            p_pass,
            passed,
            brier: 0.0,
            log_loss: 0.0,
            yes: 0,
            pit: 0.5,
            p_tally: 0.0,
            in_50: true,
            in_90: true,
            se: None,
        }
    }

    #[test]
    fn reliability_bins_hold_the_share_passed_per_fifth() {
        let scores = [score(0.1, false), score(0.15, true), score(0.9, true), score(1.0, true)];
        let bins = reliability_bins(&scores);
        assert_eq!(bins.len(), 2);
        assert!((bins[0].0 - 0.125).abs() < 1e-12 && bins[0].1 == 0.5 && bins[0].2 == 2);
        assert!((bins[1].0 - 0.95).abs() < 1e-12 && bins[1].1 == 1.0, "1.0 belongs to the top fifth");
    }
}
