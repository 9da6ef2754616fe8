//! The heat map of a two-parameter sweep: P(pass) in each cell on the viridis
//! scale (perceptually uniform, colour-blind safe), its value written where the
//! cell is large enough, the 50% and 90% contours, and a colour scale whose
//! title sits clear above its labels.

use super::contour::segments;
use super::frame::{Area, FONT, INK, drawing};
use super::sweep::{category_label, describe};
use crate::error::Result;
use crate::sweep::Plan;
use crate::sweep::Point;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Viridis at 0, 0.1, …, 1.
const VIRIDIS: [(f64, f64, f64); 11] = [
    (68.0, 1.0, 84.0),
    (72.0, 36.0, 117.0),
    (65.0, 68.0, 135.0),
    (53.0, 95.0, 141.0),
    (42.0, 120.0, 142.0),
    (33.0, 145.0, 140.0),
    (34.0, 168.0, 132.0),
    (68.0, 191.0, 112.0),
    (122.0, 209.0, 81.0),
    (189.0, 223.0, 38.0),
    (253.0, 231.0, 37.0),
];

/// The viridis colour of P in [0, 1], interpolated linearly between tenths.
pub fn scale(p: f64) -> RGBColor {
    let t = p.clamp(0.0, 1.0) * 10.0;
    let i = (t.floor() as usize).min(9);
    let f = t - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Ink that reads on `c`: white on dark cells, black on light ones.
fn ink_on(c: RGBColor) -> RGBColor {
    let luminance = 0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2);
    if luminance < 140.0 { WHITE } else { BLACK }
}

/// A cell's value in whole percent, never rounding to a certainty that is not one.
fn cell_text(p: f64) -> String {
    match 100.0 * p {
        x if x > 0.0 && x < 0.5 => "<1%".into(),
        x if (99.5..100.0).contains(&x) => ">99%".into(),
        x => format!("{x:.0}%"),
    }
}

/// Draws the heat map of `results` (first axis across, second up).
pub fn heat_map(area: &Area, plan: &Plan, results: &[Point]) -> Result<()> {
    let (w, _) = area.dim_in_pixel();
    let (main, legend) = area.split_horizontally(w.saturating_sub(130));
    let (xs, ys) = (&plan.axes[0].values, &plan.axes[1].values);
    let (nx, ny) = (xs.len(), ys.len());
    let mut chart = ChartBuilder::on(&main)
        .margin(10)
        .x_label_area_size(52)
        .y_label_area_size(90)
        .build_cartesian_2d(-0.5..nx as f64 - 0.5, -0.5..ny as f64 - 0.5)
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(describe(&plan.axes[0].label, &plan.axes[0].param))
        .y_desc(describe(&plan.axes[1].label, &plan.axes[1].param))
        .x_labels(nx.min(15))
        .y_labels(ny.min(15))
        .x_label_formatter(&|x| category_label(xs, *x))
        .y_label_formatter(&|y| category_label(ys, *y))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    let cell = |i: usize| ((i / ny) as f64, (i % ny) as f64);
    let cells = results.iter().enumerate().map(|(i, e)| {
        let (x, y) = cell(i);
        Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], scale(e.pass.p_pass).filled())
    });
    chart.draw_series(cells).map_err(drawing)?;
    let (pw, ph) = chart.plotting_area().dim_in_pixel();
    if pw as usize / nx.max(1) >= 46 && ph as usize / ny.max(1) >= 22 {
        let centre = Pos::new(HPos::Center, VPos::Center);
        let labels = results.iter().enumerate().map(|(i, e)| {
            let font = (FONT, 15).into_font().color(&ink_on(scale(e.pass.p_pass))).pos(centre);
            Text::new(cell_text(e.pass.p_pass), cell(i), font)
        });
        chart.draw_series(labels).map_err(drawing)?;
    }
    if results.len() == nx * ny {
        let z: Vec<Vec<f64>> = (0..nx).map(|i| (0..ny).map(|j| results[i * ny + j].pass.p_pass).collect()).collect();
        for (level, style) in contour_styles() {
            let lines = segments(&z, level).into_iter().map(move |(a, b)| PathElement::new([a, b], style));
            chart.draw_series(lines).map_err(drawing)?;
        }
    }
    colour_scale(&legend)
}

/// The contour levels and how each is drawn: 50% white, 90% black.
fn contour_styles() -> [(f64, ShapeStyle); 2] {
    [(0.5, WHITE.stroke_width(3)), (0.9, BLACK.stroke_width(3))]
}

fn colour_scale(area: &Area) -> Result<()> {
    let (_, h) = area.dim_in_pixel();
    let (top, bottom, x) = (46, h as i32 - 72, 16);
    let title = (FONT, 17).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw(&Text::new("P(pass)", (x - 4, 10), title)).map_err(drawing)?;
    let y_of = |p: f64| bottom - ((bottom - top) as f64 * p).round() as i32;
    for i in 0..100 {
        let (a, b) = (i as f64 / 100.0, (i + 1) as f64 / 100.0);
        area.draw(&Rectangle::new([(x, y_of(b)), (x + 24, y_of(a))], scale((a + b) / 2.0).filled()))
            .map_err(drawing)?;
    }
    let label = (FONT, 15).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center));
    for tick in 0..=5 {
        let p = tick as f64 / 5.0;
        area.draw(&PathElement::new([(x + 24, y_of(p)), (x + 30, y_of(p))], INK)).map_err(drawing)?;
        area.draw(&Text::new(format!("{:.0}%", p * 100.0), (x + 34, y_of(p)), label.clone())).map_err(drawing)?;
    }
    for (level, style) in contour_styles() {
        area.draw(&PathElement::new([(x - 4, y_of(level)), (x + 28, y_of(level))], style)).map_err(drawing)?;
    }
    let note = (FONT, 13).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Top));
    area.draw(&Text::new("lines: 50%", (x - 4, bottom + 14), note.clone())).map_err(drawing)?;
    area.draw(&Text::new("and 90%", (x - 4, bottom + 32), note)).map_err(drawing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_runs_from_dark_purple_to_yellow() {
        assert_eq!(scale(0.0), RGBColor(68, 1, 84));
        assert_eq!(scale(1.0), RGBColor(253, 231, 37));
        assert_eq!(ink_on(scale(0.0)), WHITE);
        assert_eq!(ink_on(scale(1.0)), BLACK);
    }

    #[test]
    fn cells_never_round_to_a_false_certainty() {
        assert_eq!(cell_text(0.001), "<1%");
        assert_eq!(cell_text(0.999), ">99%");
        assert_eq!(cell_text(1.0), "100%");
        assert_eq!(cell_text(0.5), "50%");
    }
}
