//! The tornado chart of `explain --plot`: which judgement moves P(pass) most.
//!
//! One horizontal bar per unit from `p_lean_down` (orange) to `p_lean_up` (blue),
//! the widest on top, around a vertical line at the scenario's P(pass); at most
//! [`MAX_BARS`] bars, each named on the left axis. Drawn inside the shared [`Frame`].

use super::frame::{Area, BLUE, FONT, Frame, INK, ORANGE, Size, VERMILLION, drawing, legend_box, percent, thousands};
use crate::error::Result;
use crate::explain::Explanation;
use crate::scenario::Scenario;
use plotters::prelude::*;

/// The most bars drawn (the widest ones).
pub const MAX_BARS: usize = 30;

/// Unit indices by the width of their bar, widest first, at most [`MAX_BARS`].
pub fn bars(x: &Explanation) -> Vec<usize> {
    let width = |i: usize| (x.figures[i].lean[1] - x.figures[i].lean[0]).abs();
    let mut order: Vec<usize> = (0..x.units.len()).collect();
    order.sort_by(|&a, &b| width(b).total_cmp(&width(a)));
    order.truncate(MAX_BARS);
    order
}

/// The frame of `x`, explained for `scenario`: its title, and the method and lean.
pub fn frame(scenario: &Scenario, x: &Explanation, size: Size) -> Frame {
    let method = match &x.sampling {
        Some(s) => format!("Monte Carlo, {} simulated votes", thousands(s.trials)),
        None => "exact".into(),
    };
    let shown = bars(x).len();
    let which = if shown < x.units.len() {
        format!("the {shown} widest of {} units", x.units.len())
    } else {
        "each unit".into()
    };
    let subtitle = format!(
        "P(pass) = {} ({method}) · bars: P(pass) with {which}'s odds of yes ÷ or × e^{}",
        percent(x.p_pass),
        x.lean
    );
    Frame::for_scenario(scenario, subtitle, size)
}

/// Draws the tornado chart of `x` in `frame`.
pub fn tornado(frame: &Frame, x: &Explanation) -> Result<String> {
    frame.render(|area| body(area, x))
}

/// The P(pass) range the bars span, padded, within [0, 1].
fn range(x: &Explanation, order: &[usize]) -> (f64, f64) {
    let ends = order.iter().flat_map(|&i| x.figures[i].lean);
    let (lo, hi) = ends.fold((x.p_pass, x.p_pass), |(lo, hi), p| (lo.min(p), hi.max(p)));
    let pad = ((hi - lo) * 0.05).max(0.005);
    ((lo - pad).max(0.0), (hi + pad).min(1.0))
}

fn body(area: &Area, x: &Explanation) -> Result<()> {
    let order = bars(x);
    let n = order.len().max(1) as i32;
    let (lo, hi) = range(x, &order);
    let longest = order.iter().map(|&i| x.units[i].label.chars().count()).max().unwrap_or(4);
    let label_room = (longest as u32 * 8 + 20).min(area.dim_in_pixel().0 * 2 / 5);
    let label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(row) if (0..n).contains(row) => {
            order.get((n - 1 - row) as usize).map_or(String::new(), |&i| x.units[i].label.clone())
        }
        _ => String::new(),
    };
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(52)
        .y_label_area_size(label_room)
        .build_cartesian_2d(lo..hi, (0..n).into_segmented())
        .map_err(drawing)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc("P(pass) with the unit leaned")
        .x_label_formatter(&|p| format!("{:.0}%", p * 100.0))
        .y_labels(n as usize * 2 + 1)
        .y_label_formatter(&label)
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    for (row, &i) in order.iter().enumerate() {
        let y = n - 1 - row as i32;
        let [down, up] = x.figures[i].lean;
        for (end, colour) in [(down, ORANGE), (up, BLUE)] {
            let corners = [(x.p_pass, SegmentValue::Exact(y)), (end, SegmentValue::Exact(y + 1))];
            let mut rect = Rectangle::new(corners, colour.filled());
            rect.set_margin(3, 3, 0, 0);
            chart.draw_series(std::iter::once(rect)).map_err(drawing)?;
        }
    }
    legend(&mut chart, x, n)
}

type Tornado<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<
        plotters::coord::types::RangedCoordf64,
        plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordi32>,
    >,
>;

/// The line at P(pass) and the legend of the three marks.
fn legend<'a, 'b: 'a>(chart: &mut Tornado<'a, 'b>, x: &Explanation, n: i32) -> Result<()> {
    let ends = [(x.p_pass, SegmentValue::Exact(0)), (x.p_pass, SegmentValue::Exact(n))];
    let line = chart.draw_series(LineSeries::new(ends, VERMILLION.stroke_width(2))).map_err(drawing)?;
    line.label(format!("P(pass) = {}", percent(x.p_pass)))
        .legend(|(a, b)| PathElement::new([(a, b), (a + 16, b)], VERMILLION.stroke_width(2)));
    for (text, colour) in
        [(format!("odds of yes × e^{}", x.lean), BLUE), (format!("odds of yes ÷ e^{}", x.lean), ORANGE)]
    {
        let swatch = move |(a, b): (i32, i32)| Rectangle::new([(a, b - 6), (a + 14, b + 6)], colour.filled());
        let none = std::iter::empty::<Rectangle<(f64, SegmentValue<i32>)>>();
        chart.draw_series(none).map_err(drawing)?.label(text).legend(swatch);
    }
    legend_box(chart, SeriesLabelPosition::LowerRight, 15)
}
