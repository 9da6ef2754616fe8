//! The timeline chart: P(pass) of dated scenarios against the date, each with
//! its 95% interval (Monte Carlo) and its short label.

use super::frame::{Area, BLUE, FONT, Frame, INK, MUTED, drawing, long_date, percent};
use crate::error::{Error, Result};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// One dated result.
#[derive(Debug, Clone, PartialEq)]
pub struct Dated {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A short label, e.g. the scenario's name.
    pub label: String,
    /// P(pass).
    pub p_pass: f64,
    /// Lower end of its 95% interval (= p_pass for exact).
    pub ci_low: f64,
    /// Upper end of its 95% interval.
    pub ci_high: f64,
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (proleptic Gregorian).
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `YYYY-MM-DD` of a day number.
pub fn date_of(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Draws `points` against their dates in `frame`.
pub fn timeline(frame: &Frame, points: &[Dated]) -> Result<String> {
    let mut dated = Vec::new();
    for p in points {
        let day = day_number(&p.date)
            .ok_or_else(|| Error::Usage(format!("{}: `{}` is not a date (write YYYY-MM-DD)", p.label, p.date)))?;
        dated.push((day as f64, p));
    }
    dated.sort_by(|a, b| a.0.total_cmp(&b.0));
    frame.render(|area| draw(area, &dated))
}

fn draw(area: &Area, dated: &[(f64, &Dated)]) -> Result<()> {
    let (first, last) = (dated.first().map_or(0.0, |d| d.0), dated.last().map_or(0.0, |d| d.0));
    let pad = ((last - first) * 0.08).max(2.0);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(40)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(first - pad..last + pad, 0.0..1.0)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("date of the scenario")
        .x_labels(6)
        .x_label_formatter(&|x| long_date(&date_of(x.round() as i64)))
        .y_desc("P(pass)")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let half = DashedLineSeries::new([(first - pad, 0.5), (last + pad, 0.5)], 6, 6, MUTED.stroke_width(1));
    chart.draw_series(half).map_err(drawing)?;
    let line: Vec<(f64, f64)> = dated.iter().map(|(x, p)| (*x, p.p_pass)).collect();
    chart.draw_series(LineSeries::new(line, BLUE.mix(0.5).stroke_width(2))).map_err(drawing)?;
    for (i, (x, p)) in dated.iter().enumerate() {
        let bar = ErrorBar::new_vertical(*x, p.ci_low, p.p_pass, p.ci_high, BLUE.stroke_width(2), 12);
        chart.draw_series(std::iter::once(bar)).map_err(drawing)?;
        let below = p.p_pass > 0.5;
        let (dy, v) =
            if below { (14 + 18 * (i as i32 % 2), VPos::Top) } else { (-14 - 18 * (i as i32 % 2), VPos::Bottom) };
        let text = format!("{} {}", p.label, percent(p.p_pass));
        let font = (FONT, 15).into_font().color(&INK).pos(Pos::new(HPos::Center, v));
        let mark =
            EmptyElement::at((*x, p.p_pass)) + Circle::new((0, 0), 7, BLUE.filled()) + Text::new(text, (0, dy), font);
        chart.draw_series(std::iter::once(mark)).map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_turn_into_days_and_back() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2022-04-09").map(date_of).as_deref(), Some("2022-04-09"));
        assert_eq!(day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(), 2);
        assert_eq!(day_number("2022-13-01"), None);
    }
}
