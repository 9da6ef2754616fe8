//! Pictures of dated and scored forecasts, as SVG text in the manner of [`crate::plot`]:
//! the timeline (P(pass) against the date, with its interval) and the backtest's
//! calibration chart (forecast P(pass) against the outcome, and the mid-PIT histogram).

use crate::backtest::{Score, Summary};
use crate::error::{Error, Result};
use crate::timeline::Entry;
use plotters::coord::Shift;
use plotters::prelude::*;

const CURVE: RGBColor = RGBColor(0x1f, 0x4e, 0x99);
const PASSED: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
const FAILED: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
const GUIDE: RGBColor = RGBColor(0x88, 0x88, 0x99);
const FONT: &str = "sans-serif";

fn drawing<E: std::fmt::Debug>(e: E) -> Error {
    Error::Other(format!("drawing the plot failed: {e:?}"))
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (proleptic Gregorian).
pub fn days(date: &str) -> Option<i64> {
    let mut parts = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    Some(era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468)
}

/// The ISO date of a day count, the inverse of [`days`].
pub fn date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    format!("{:04}-{m:02}-{d:02}", era * 400 + yoe + i64::from(m <= 2))
}

/// P(pass) against the date: a line through the scenarios, each with its 95% interval
/// (a point for exact) and its name beside it.
pub fn timeline_svg(entries: &[Entry], method: &str) -> Result<String> {
    let xs: Vec<f64> = entries.iter().map(|e| days(&e.date).unwrap_or(0) as f64).collect();
    let (x0, x1) = (xs.iter().cloned().fold(f64::MAX, f64::min), xs.iter().cloned().fold(f64::MIN, f64::max));
    let pad = ((x1 - x0) * 0.08).max(3.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("P(pass) by date ({method})"), (FONT, 20))
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(70)
            .build_cartesian_2d(x0 - pad..x1 + pad, 0.0..1.1)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|x| date(x.round() as i64))
            .y_desc("P(pass)")
            .y_label_formatter(&|y| if *y <= 1.0 + 1e-9 { format!("{:.0}%", y * 100.0) } else { String::new() })
            .label_style((FONT, 15))
            .draw()
            .map_err(drawing)?;
        let points: Vec<(f64, f64)> = xs.iter().zip(entries).map(|(&x, e)| (x, e.p_pass)).collect();
        chart.draw_series(LineSeries::new(points.clone(), CURVE.stroke_width(2))).map_err(drawing)?;
        let bars = xs
            .iter()
            .zip(entries)
            .map(|(&x, e)| PathElement::new([(x, e.ci_low), (x, e.ci_high)], CURVE.stroke_width(3)));
        chart.draw_series(bars).map_err(drawing)?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 5, CURVE.filled()))).map_err(drawing)?;
        // Each name beside its point: to the right (left near the right edge), below when high.
        let labels = points.iter().zip(entries).map(|(&(x, y), e)| {
            use plotters::style::text_anchor::{HPos, Pos, VPos};
            let left = x > x1 - (x1 - x0) * 0.25;
            let (h, dx) = if left { (HPos::Right, -9) } else { (HPos::Left, 9) };
            let (v, dy) = if y > 0.5 && !left { (VPos::Top, 9) } else { (VPos::Bottom, -9) };
            let style = TextStyle::from((FONT, 13).into_font()).pos(Pos::new(h, v));
            EmptyElement::at((x, y)) + Text::new(format!("{} {:.0}%", e.scenario, 100.0 * e.p_pass), (dx, dy), style)
        });
        chart.draw_series(labels).map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// The calibration chart: on the left each vote's forecast P(pass) against what happened
/// (passed at 1, failed at 0), the share that passed in each fifth of forecasts, and the
/// diagonal of perfect calibration; on the right the mid-PIT histogram against the
/// uniform count a calibrated forecaster expects.
pub fn calibration_svg(scores: &[Score], summary: &Summary) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (1080, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let (left, right) = root.split_horizontally(560);
        reliability(&left, scores, summary)?;
        pit_bars(&right, summary)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
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

fn reliability(area: &DrawingArea<SVGBackend, Shift>, scores: &[Score], summary: &Summary) -> Result<()> {
    let caption = format!("{} votes: mean Brier {:.3}, log loss {:.3}", summary.count, summary.brier, summary.log_loss);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(-0.02..1.02, -0.06..1.06)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .x_desc("forecast P(pass)")
        .y_desc("passed (share per fifth of forecasts)")
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .label_style((FONT, 14))
        .draw()
        .map_err(drawing)?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], GUIDE.stroke_width(1))).map_err(drawing)?;
    let votes = scores.iter().enumerate().map(|(i, s)| {
        let jitter = 0.025 * ((i % 5) as f64 - 2.0) / 2.0;
        let (y, colour) = if s.passed { (1.0 + jitter, PASSED) } else { (jitter, FAILED) };
        Circle::new((s.p_pass, y), 5, colour.mix(0.8).filled())
    });
    chart.draw_series(votes).map_err(drawing)?;
    let bins = reliability_bins(scores);
    let points: Vec<(f64, f64)> = bins.iter().map(|&(x, y, _)| (x, y)).collect();
    chart.draw_series(LineSeries::new(points, CURVE.stroke_width(2))).map_err(drawing)?;
    let marks = bins.iter().map(|&(x, y, n)| {
        EmptyElement::at((x, y))
            + Circle::new((0, 0), 6, CURVE.filled())
            + Text::new(format!("  n={n}"), (6, -14), (FONT, 13))
    });
    chart.draw_series(marks).map_err(drawing)?;
    Ok(())
}

fn pit_bars(area: &DrawingArea<SVGBackend, Shift>, summary: &Summary) -> Result<()> {
    let top = summary.pit_histogram.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.25;
    let caption = format!(
        "mid-PIT of the real tallies; inside 50%: {:.0}%, 90%: {:.0}%",
        100.0 * summary.coverage_50,
        100.0 * summary.coverage_90
    );
    let mut chart = ChartBuilder::on(area)
        .caption(caption, (FONT, 18))
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..top)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc("mid-PIT")
        .y_desc("votes")
        .y_label_formatter(&|y| if y.fract() == 0.0 { format!("{y:.0}") } else { String::new() })
        .label_style((FONT, 14))
        .draw()
        .map_err(drawing)?;
    let bars = summary.pit_histogram.iter().enumerate().map(|(i, &n)| {
        let x = i as f64 / 10.0;
        Rectangle::new([(x + 0.005, 0.0), (x + 0.095, f64::from(n))], CURVE.mix(0.75).filled())
    });
    chart.draw_series(bars).map_err(drawing)?;
    let expected = summary.count as f64 / 10.0;
    chart.draw_series(LineSeries::new([(0.0, expected), (1.0, expected)], FAILED.stroke_width(2))).map_err(drawing)?;
    let label = Text::new(
        format!("— calibrated: {expected:.1} per bin"),
        (0.02, top * 0.95),
        (FONT, 14).into_font().color(&FAILED),
    );
    chart.draw_series(std::iter::once(label)).map_err(drawing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_counts_round_trip_through_iso_dates() {
        assert_eq!(days("1970-01-01"), Some(0));
        assert_eq!(days("2022-04-09").unwrap() - days("2022-03-08").unwrap(), 32);
        assert_eq!(days("2000-03-01").unwrap() - days("2000-02-28").unwrap(), 2, "2000 was a leap year");
        for d in ["1979-03-28", "2000-02-29", "2024-12-31", "1900-03-01"] {
            assert_eq!(date(days(d).unwrap()), d);
        }
    }

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
