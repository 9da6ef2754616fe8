//! The tornado chart of `explain --plot`: which judgement moves P(pass) most.
//!
//! One horizontal bar per unit from `p_lean_down` to `p_lean_up`, the widest on
//! top, around a vertical line at the scenario's P(pass); at most [`MAX_BARS`]
//! bars. Drawn with plotters' SVG backend like [`crate::plot`], so text stays text.

use crate::error::{Error, Result};
use crate::explain::Explanation;
use plotters::prelude::*;

/// The most bars drawn (the widest ones).
pub const MAX_BARS: usize = 30;

const DOWN: RGBColor = RGBColor(0x88, 0x88, 0x99);
const UP: RGBColor = RGBColor(0x1b, 0x9e, 0x77);
const LINE: RGBColor = RGBColor(0xd9, 0x5f, 0x02);
const FONT: &str = "sans-serif";

fn drawing<E: std::fmt::Debug>(e: E) -> Error {
    Error::Other(format!("drawing the plot failed: {e:?}"))
}

/// Unit indices by the width of their bar, widest first, at most [`MAX_BARS`].
pub fn bars(x: &Explanation) -> Vec<usize> {
    let width = |i: usize| (x.figures[i].lean[1] - x.figures[i].lean[0]).abs();
    let mut order: Vec<usize> = (0..x.units.len()).collect();
    order.sort_by(|&a, &b| width(b).total_cmp(&width(a)));
    order.truncate(MAX_BARS);
    order
}

/// The chart as SVG text.
pub fn tornado_svg(x: &Explanation) -> Result<String> {
    let order = bars(x);
    let n = order.len().max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 140 + 30 * n as u32)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        let lows = order.iter().map(|&i| x.figures[i].lean[0].min(x.figures[i].lean[1]));
        let highs = order.iter().map(|&i| x.figures[i].lean[0].max(x.figures[i].lean[1]));
        let lo = lows.fold(x.p_pass, f64::min);
        let hi = highs.fold(x.p_pass, f64::max);
        let pad = ((hi - lo) * 0.05).max(0.005);
        let shown = if order.len() < x.units.len() {
            format!(", the {} widest of {}", order.len(), x.units.len())
        } else {
            String::new()
        };
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("{}: P(pass) = {:.4}; each unit's odds of yes ÷/× e^{}{shown}", x.scenario, x.p_pass, x.lean),
                (FONT, 18),
            )
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(10)
            .build_cartesian_2d((lo - pad).max(0.0)..(hi + pad).min(1.0), -0.5..n as f64 - 0.5)
            .map_err(drawing)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .x_desc("P(pass)")
            .x_label_formatter(&|p| format!("{:.1}%", p * 100.0))
            .label_style((FONT, 15))
            .draw()
            .map_err(drawing)?;
        for (row, &i) in order.iter().enumerate() {
            let y = (n - 1 - row) as f64;
            let [down, up] = x.figures[i].lean;
            for (end, colour) in [(down, DOWN), (up, UP)] {
                let rect = Rectangle::new([(x.p_pass, y - 0.35), (end, y + 0.35)], colour.filled());
                chart.draw_series(std::iter::once(rect)).map_err(drawing)?;
            }
            let label = Text::new(format!(" {}", x.units[i].label), ((lo - pad).max(0.0), y + 0.3), (FONT, 14));
            chart.draw_series(std::iter::once(label)).map_err(drawing)?;
        }
        let line = LineSeries::new([(x.p_pass, -0.5), (x.p_pass, n as f64 - 0.5)], LINE.stroke_width(2));
        chart.draw_series(line).map_err(drawing)?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}
