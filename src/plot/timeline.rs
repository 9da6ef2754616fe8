//! The timeline chart of `timeline --plot`: P(pass) of dated scenarios against
//! the date, each with its 95% interval (a point for exact) and its name beside it.
//!
//! The title names what the scenarios share (the common start of their titles)
//! and the span of dates; the footer lists their sources together.

use super::frame::{Area, BLUE, FONT, Frame, INK, MUTED, Size, drawing, long_date, method};
use crate::error::Result;
use crate::scenario::Scenario;
use crate::stats::Estimate;
use crate::timeline::Entry;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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

/// The words the titles all start with, up to a comma or parenthesis, when there are at least two.
pub fn common_title(titles: &[&str]) -> Option<String> {
    let cut = |t: &str| t.split([',', '(', ';', ':']).next().unwrap_or("").trim().to_string();
    let heads: Vec<String> = titles.iter().map(|t| cut(t)).collect();
    let first: Vec<&str> = heads.first()?.split_whitespace().collect();
    let shared = heads.iter().map(|h| first.iter().zip(h.split_whitespace()).take_while(|(a, b)| *a == b).count());
    let words = shared.min().unwrap_or(0);
    (words >= 2).then(|| first[..words].join(" "))
}

/// "8 March to 9 April 2022", "8 to 30 March 2022", or one date when they are the same.
pub fn span(first: &str, last: &str) -> String {
    let (a, b) = (long_date(first), long_date(last));
    let (x, y): (Vec<&str>, Vec<&str>) = (a.split(' ').collect(), b.split(' ').collect());
    match (&x[..], &y[..]) {
        _ if a == b => a,
        ([d, m, y1], [_, n, y2]) if y1 == y2 && m == n => format!("{d} to {b}"),
        ([d, m, y1], [_, _, y2]) if y1 == y2 => format!("{d} {m} to {b}"),
        _ => format!("{a} to {b}"),
    }
}

/// The frame of a timeline of `scenarios` (in date order) forecast as `estimates`.
pub fn frame(scenarios: &[Scenario], entries: &[Entry], estimates: &[Estimate], size: Size) -> Frame {
    let titles: Vec<&str> = scenarios.iter().map(|s| s.title.as_str()).collect();
    let what = common_title(&titles).unwrap_or_else(|| format!("{} dated scenarios", scenarios.len()));
    let when = match (entries.first(), entries.last()) {
        (Some(a), Some(b)) => format!(", {}", span(&a.date, &b.date)),
        _ => String::new(),
    };
    let edits = scenarios.first().and_then(|s| s.name.find(" [").map(|i| s.name[i..].to_string())).unwrap_or_default();
    let title = format!("{what}: how the odds moved{when}{edits}");
    let bars = if estimates.iter().any(|e| e.pass.method == crate::stats::Method::MonteCarlo) {
        "; bars: 95% interval"
    } else {
        ""
    };
    let subtitle = format!("P(pass) of each scenario on its date · {}{bars}", method(estimates.first()));
    let mut sources: Vec<String> = Vec::new();
    for s in scenarios.iter().flat_map(|s| &s.sources) {
        if !sources.contains(s) {
            sources.push(s.clone());
        }
    }
    Frame::new(title, subtitle, &sources, size)
}

/// Draws the timeline of `entries` in `frame`.
pub fn timeline(frame: &Frame, entries: &[Entry]) -> Result<String> {
    frame.render(|area| body(area, entries))
}

fn body(area: &Area, entries: &[Entry]) -> Result<()> {
    let xs: Vec<f64> = entries.iter().map(|e| days(&e.date).unwrap_or(0) as f64).collect();
    let (x0, x1) = (xs.iter().cloned().fold(f64::MAX, f64::min), xs.iter().cloned().fold(f64::MIN, f64::max));
    let pad = ((x1 - x0) * 0.08).max(3.0);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(x0 - pad..x1 + pad, 0.0..1.1)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_labels(6)
        .x_label_formatter(&|x| date(x.round() as i64))
        .x_desc("date of the scenario")
        .y_desc("P(pass)")
        .y_label_formatter(&|y| if *y <= 1.0 + 1e-9 { format!("{:.0}%", y * 100.0) } else { String::new() })
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    for level in [0.5, 0.9] {
        let line = DashedLineSeries::new([(x0 - pad, level), (x1 + pad, level)], 6, 6, MUTED.stroke_width(1));
        chart.draw_series(line).map_err(drawing)?;
    }
    let points: Vec<(f64, f64)> = xs.iter().zip(entries).map(|(&x, e)| (x, e.pass.p_pass)).collect();
    chart.draw_series(LineSeries::new(points.clone(), BLUE.stroke_width(2))).map_err(drawing)?;
    let bars = xs
        .iter()
        .zip(entries)
        .map(|(&x, e)| PathElement::new([(x, e.pass.ci_low), (x, e.pass.ci_high)], BLUE.stroke_width(3)));
    chart.draw_series(bars).map_err(drawing)?;
    chart.draw_series(points.iter().map(|&p| Circle::new(p, 6, BLUE.filled()))).map_err(drawing)?;
    // Each name beside its point: to the right (left near the right edge), below when high.
    let labels = points.iter().zip(entries).map(|(&(x, y), e)| {
        let left = x > x1 - (x1 - x0) * 0.25;
        let (h, dx) = if left { (HPos::Right, -10) } else { (HPos::Left, 10) };
        let (v, dy) = if y > 0.5 && !left { (VPos::Top, 10) } else { (VPos::Bottom, -10) };
        let style = (FONT, 16).into_font().color(&INK).pos(Pos::new(h, v));
        EmptyElement::at((x, y)) + Text::new(format!("{} {:.0}%", e.scenario, 100.0 * e.pass.p_pass), (dx, dy), style)
    });
    chart.draw_series(labels).map_err(drawing)?;
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

    #[test]
    fn the_common_start_of_the_titles_names_the_story() {
        let t = [
            "No-confidence motion against PM Imran Khan, as submitted (8 March 2022)",
            "No-confidence motion against PM Imran Khan, the vote (9-10 April 2022)",
        ];
        assert_eq!(common_title(&t).as_deref(), Some("No-confidence motion against PM Imran Khan"));
        assert_eq!(common_title(&["Vote in Spain", "Motion in the UK"]), None);
    }

    #[test]
    fn a_span_of_dates_names_the_year_once_when_it_is_shared() {
        assert_eq!(span("2022-03-08", "2022-04-09"), "8 March to 9 April 2022");
        assert_eq!(span("2018-06-01", "2019-01-16"), "1 June 2018 to 16 January 2019");
        assert_eq!(span("2019-01-16", "2019-01-16"), "16 January 2019");
        assert_eq!(span("2022-03-08", "2022-03-30"), "8 to 30 March 2022");
    }
}
