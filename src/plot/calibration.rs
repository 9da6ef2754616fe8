//! The calibration chart of `backtest`: each forecast P(pass) against what
//! happened (left), and the histogram of the PIT values of the real tallies
//! (right), which is flat for a calibrated forecaster.

use super::frame::{Area, BLUE, FONT, Frame, INK, MUTED, ORANGE, drawing};
use crate::error::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Forecasts and outcomes, and the PIT histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// (label, forecast P(pass), whether it passed).
    pub forecasts: Vec<(String, f64, bool)>,
    /// Counts (or shares) of PIT values in equal bins over [0, 1].
    pub pit: Vec<f64>,
}

/// Draws `c` in `frame`: forecasts against outcomes, and the PIT histogram.
pub fn calibration(frame: &Frame, c: &Calibration) -> Result<String> {
    frame.render(|area| {
        let (left, right) = area.split_horizontally(area.dim_in_pixel().0 / 2);
        forecasts(&left, &c.forecasts)?;
        pit(&right, &c.pit)
    })
}

fn forecasts(area: &Area, list: &[(String, f64, bool)]) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .caption("Forecast against outcome", (FONT, 19).into_font().color(&INK))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(52)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..1.0, -0.3..1.3)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("forecast P(pass)")
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_labels(3)
        .y_label_formatter(&|y| outcome_label(*y))
        .y_desc("outcome")
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let diagonal = DashedLineSeries::new([(0.0, 0.0), (1.0, 1.0)], 6, 6, MUTED.stroke_width(1));
    chart.draw_series(diagonal).map_err(drawing)?;
    for (i, (label, p, passed)) in list.iter().enumerate() {
        let y = if *passed { 1.0 } else { 0.0 };
        let colour = if *passed { BLUE } else { ORANGE };
        let dy = if *passed { -12 - 16 * (i as i32 % 3) } else { 12 + 16 * (i as i32 % 3) };
        let v = if *passed { VPos::Bottom } else { VPos::Top };
        let font = (FONT, 13).into_font().color(&INK).pos(Pos::new(HPos::Center, v));
        let mark = EmptyElement::at((*p, y))
            + Circle::new((0, 0), 7, colour.filled())
            + Text::new(label.clone(), (0, dy), font);
        chart.draw_series(std::iter::once(mark)).map_err(drawing)?;
    }
    Ok(())
}

fn outcome_label(y: f64) -> String {
    match y {
        y if (y - 1.0).abs() < 1e-6 => "passed".into(),
        y if y.abs() < 1e-6 => "failed".into(),
        _ => String::new(),
    }
}

fn pit(area: &Area, bins: &[f64]) -> Result<()> {
    let n = bins.len().max(1);
    let total: f64 = bins.iter().sum();
    let top = bins.iter().cloned().fold(total / n as f64, f64::max).max(1e-9) * 1.2;
    let mut chart = ChartBuilder::on(area)
        .caption("PIT of the real tallies (flat if calibrated)", (FONT, 19).into_font().color(&INK))
        .margin(10)
        .margin_right(24)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(0.0..1.0, 0.0..top)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("PIT: where the real tally fell in its forecast")
        .y_desc("scenarios")
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let width = 1.0 / n as f64;
    let rects = bins.iter().enumerate().map(|(i, &c)| {
        let x = i as f64 * width;
        Rectangle::new([(x + width * 0.06, 0.0), (x + width * 0.94, c)], BLUE.filled())
    });
    chart.draw_series(rects).map_err(drawing)?;
    let flat = total / n as f64;
    chart.draw_series(DashedLineSeries::new([(0.0, flat), (1.0, flat)], 6, 6, INK.stroke_width(2))).map_err(drawing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_label_only_zero_and_one() {
        assert_eq!(outcome_label(1.0), "passed");
        assert_eq!(outcome_label(0.0), "failed");
        assert_eq!(outcome_label(0.5), "");
    }
}
