//! The tornado chart of `explain`: for each unit, P(pass) when it leans against
//! the motion (orange, left of the scenario's P(pass)) and for it (blue, right),
//! widest on top.

use super::frame::{Area, BLUE, FONT, Frame, INK, ORANGE, drawing, percent};
use crate::error::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The most units a tornado shows; the narrowest are left off.
pub const MAX_UNITS: usize = 24;

/// One unit's P(pass) leaning down, as it is, and leaning up.
#[derive(Debug, Clone, PartialEq)]
pub struct Lean {
    /// The bloc or `BLOC/MEMBER`.
    pub unit: String,
    /// P(pass) with the unit's odds of yes times e^−L.
    pub p_lean_down: f64,
    /// The scenario's P(pass).
    pub p_pass: f64,
    /// P(pass) with the unit's odds of yes times e^+L.
    pub p_lean_up: f64,
}

impl Lean {
    fn width(&self) -> f64 {
        (self.p_lean_up - self.p_lean_down).abs()
    }
}

/// Draws the tornado of `units` (lean `lean`) in `frame`, widest on top.
pub fn tornado(frame: &Frame, units: &[Lean], lean: f64) -> Result<String> {
    let mut sorted: Vec<&Lean> = units.iter().collect();
    sorted.sort_by(|a, b| b.width().total_cmp(&a.width()));
    sorted.truncate(MAX_UNITS);
    frame.render(|area| draw(area, &sorted, lean))
}

fn draw(area: &Area, units: &[&Lean], lean: f64) -> Result<()> {
    let n = units.len().max(1);
    let base = units.first().map_or(0.5, |u| u.p_pass);
    let all = units.iter().flat_map(|u| [u.p_lean_down, u.p_lean_up, u.p_pass]);
    let (lo, hi) = all.fold((base, base), |(a, b), p| (a.min(p), b.max(p)));
    let pad = ((hi - lo) * 0.08).max(0.01);
    let (x0, x1) = ((lo - pad).max(0.0), (hi + pad).min(1.0));
    let names: Vec<String> = units.iter().map(|u| u.unit.clone()).collect();
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(52)
        .y_label_area_size(170)
        .build_cartesian_2d(x0..x1, -0.5..n as f64 + 0.3)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc(format!("P(pass) when the unit leans against (odds of yes × e^−{lean}) or for (× e^+{lean})"))
        .x_label_formatter(&|x| format!("{:.0}%", x * 100.0))
        .y_labels(2 * n + 4)
        .y_label_formatter(&|y| row_label(&names, *y))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    for (i, u) in units.iter().enumerate() {
        let y = (n - 1 - i) as f64;
        let down = Rectangle::new([(u.p_lean_down, y - 0.36), (u.p_pass, y + 0.36)], ORANGE.filled());
        let up = Rectangle::new([(u.p_pass, y - 0.36), (u.p_lean_up, y + 0.36)], BLUE.filled());
        chart.draw_series([down, up]).map_err(drawing)?;
    }
    let line = DashedLineSeries::new([(base, -0.5), (base, n as f64 - 0.5)], 6, 4, INK.stroke_width(2));
    chart.draw_series(line).map_err(drawing)?;
    let note = Text::new(
        format!("as it is: {}", percent(base)),
        (base, n as f64 - 0.1),
        (FONT, 15).into_font().color(&INK).pos(Pos::new(HPos::Center, VPos::Center)),
    );
    chart.draw_series(std::iter::once(note)).map_err(drawing)?;
    Ok(())
}

/// The unit on row `y` (the first unit on the top row).
fn row_label(names: &[String], y: f64) -> String {
    let i = y.round();
    if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= names.len() {
        return String::new();
    }
    names[names.len() - 1 - i as usize].clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_widest_unit_heads_the_chart() {
        let names = vec!["wide".to_string(), "narrow".to_string()];
        assert_eq!(row_label(&names, 1.0), "wide");
        assert_eq!(row_label(&names, 0.0), "narrow");
        let a = Lean { unit: "a".into(), p_lean_down: 0.4, p_pass: 0.5, p_lean_up: 0.6 };
        assert!((a.width() - 0.2).abs() < 1e-12);
    }
}
