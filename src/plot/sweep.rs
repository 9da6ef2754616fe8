//! Sweep charts: P(pass) against one parameter, or a heat map over two.
//!
//! A numeric parameter is a line with its 95% band (Monte Carlo), dashed lines
//! at 50% and 90% and the crossings the sweep reports marked; a categorical one
//! (`true,false`, names) is a point with its interval per value, not a line.

use super::frame::{
    Area, BLUE, FONT, Frame, INK, MUTED, SKY, Size, VERMILLION, drawing, legend_box, percent, thousands,
};
use crate::error::Result;
use crate::stats::Method;
use crate::sweep::Point;
use crate::sweep::{Direction, Field, Param, Plan, Value};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The frame of a sweep chart: the scenario's title and a subtitle with the method.
pub fn frame(plan: &Plan, results: &[Point], size: Size) -> Option<Frame> {
    let scenario = &plan.points.first()?.1;
    let names: Vec<&str> = plan.axes.iter().map(|a| a.label.as_str()).collect();
    let method = match results.first() {
        Some(e) if e.pass.method == Method::MonteCarlo => {
            format!(
                "Monte Carlo, {} votes per point, one seed throughout; band: 95% interval",
                thousands(e.pass.trials)
            )
        }
        _ => "exact at every point".into(),
    };
    let verb = if names.len() > 1 { "vary" } else { "varies" };
    let subtitle = format!("P(pass) as {} {verb} · {method}", names.join(" and "));
    let mut scenario = scenario.clone();
    scenario.name = plan.scenario.clone();
    Some(Frame::for_scenario(&scenario, subtitle, size))
}

/// Draws `results` of `plan` in `frame`: a curve, points per category, or a heat map.
pub fn sweep(frame: &Frame, plan: &Plan, results: &[Point]) -> Result<String> {
    frame.render(|area| match plan.axes.len() {
        1 if categorical(&plan.axes[0].values) => categories(area, plan, results),
        1 => curve(area, plan, results),
        _ => super::heat_map::heat_map(area, plan, results),
    })
}

/// Whether the values are names rather than numbers (`true,false`, lists of names).
pub fn categorical(values: &[Value]) -> bool {
    values.iter().any(|v| v.text.trim().parse::<f64>().is_err())
}

/// The axis title: the parameter as written and what it counts.
pub fn describe(label: &str, param: &Param) -> String {
    let what = match param {
        Param::Bloc { field, .. } | Param::Member { field, .. } => match field {
            Field::Seats => "seats of the bloc",
            Field::Defect => "P(a member votes against the whip)",
            Field::Yes => "P(a member votes yes)",
            Field::No => "P(a member votes no)",
            Field::Abstain => "P(a member abstains)",
            Field::Absent => "P(a member is absent)",
            Field::Cohesion => "cohesion ρ within the bloc",
            Field::Switch => "P(the bloc switches sides)",
        },
        Param::SwingSd => "σ of the chamber-wide swing",
        Param::RuleNeeded => "yes votes needed",
        Param::RuleFraction => "fraction needed",
        Param::RuleCountDefectors => "whether votes against the whip count",
    };
    format!("{label}: {what}")
}

/// A tick label without needless decimals: 5, 0.25.
pub fn trim_number(x: f64) -> String {
    let text = format!("{x:.4}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn reference_lines<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    x0: f64,
    x1: f64,
) -> Result<()> {
    for level in [0.5, 0.9] {
        let line = DashedLineSeries::new([(x0, level), (x1, level)], 6, 6, MUTED.stroke_width(1));
        chart.draw_series(line).map_err(drawing)?;
    }
    Ok(())
}

fn curve(area: &Area, plan: &Plan, results: &[Point]) -> Result<()> {
    let axis = &plan.axes[0];
    let xs: Vec<f64> = plan.points.iter().map(|(v, _)| v[0].number).take(results.len()).collect();
    let (lo, hi) = (xs.iter().cloned().fold(f64::MAX, f64::min), xs.iter().cloned().fold(f64::MIN, f64::max));
    let pad = if hi > lo { (hi - lo) * 0.03 } else { 0.5 };
    let (x0, x1) = (lo - pad, hi + pad);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .margin_right(30)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(x0..x1, 0.0..1.0)
        .map_err(drawing)?;
    mesh(&mut chart, &describe(&axis.label, &axis.param))?;
    let monte_carlo = results.iter().any(|e| e.pass.method == Method::MonteCarlo);
    if monte_carlo {
        let upper: Vec<(f64, f64)> = xs.iter().zip(results).map(|(&x, e)| (x, e.pass.ci_high)).collect();
        let lower: Vec<(f64, f64)> = xs.iter().zip(results).map(|(&x, e)| (x, e.pass.ci_low)).collect();
        let outline: Vec<(f64, f64)> = upper.iter().chain(lower.iter().rev()).copied().collect();
        let band = chart.draw_series(std::iter::once(Polygon::new(outline, SKY.mix(0.6).filled()))).map_err(drawing)?;
        band.label("95% interval (Monte Carlo)")
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], SKY.filled()));
        for edge in [upper, lower] {
            chart.draw_series(LineSeries::new(edge, SKY.stroke_width(1))).map_err(drawing)?;
        }
    }
    reference_lines(&mut chart, x0, x1)?;
    let points: Vec<(f64, f64)> = xs.iter().zip(results).map(|(&x, e)| (x, e.pass.p_pass)).collect();
    let line = chart.draw_series(LineSeries::new(points.clone(), BLUE.stroke_width(2))).map_err(drawing)?;
    line.label("P(pass)").legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], BLUE.stroke_width(2)));
    if points.len() <= 60 {
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 3, BLUE.filled()))).map_err(drawing)?;
    }
    if monte_carlo {
        legend_box(&mut chart, SeriesLabelPosition::LowerRight, 15)?;
    }
    crossing_marks(&mut chart, plan, results, (x0, x1))
}

/// Marks where the sweep reports P(pass) reaching 50% and 90%.
fn crossing_marks<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    plan: &Plan,
    results: &[Point],
    (x0, x1): (f64, f64),
) -> Result<()> {
    let Some(levels) = crate::sweep::crossings(plan, results) else { return Ok(()) };
    for level in levels {
        for c in &level.crossings {
            let up = c.direction == Direction::Up;
            let right = c.at > (x0 + x1) / 2.0;
            let anchor = Pos::new(if right { HPos::Right } else { HPos::Left }, VPos::Center);
            let dx = if right { -12 } else { 12 };
            // Beside the mark on the side away from the curve.
            let dy = if up == right { -18 } else { 18 };
            let verb = if up { "reaches" } else { "falls below" };
            let text = format!("{verb} {:.0}% at {}", level.level * 100.0, c.text());
            let mark = EmptyElement::at((c.at, level.level))
                + Circle::new((0, 0), 7, VERMILLION.filled())
                + Text::new(text, (dx, dy), (FONT, 17).into_font().color(&INK).pos(anchor));
            chart.draw_series(std::iter::once(mark)).map_err(drawing)?;
        }
    }
    Ok(())
}

fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    x_desc: &str,
) -> Result<()> {
    chart
        .configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_desc(x_desc)
        .x_label_formatter(&|x| trim_number(*x))
        .y_desc("P(pass)")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)
}

/// One point per category with its 95% interval, the value written beside it.
fn categories(area: &Area, plan: &Plan, results: &[Point]) -> Result<()> {
    let axis = &plan.axes[0];
    let n = axis.values.len();
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(52)
        .y_label_area_size(74)
        .build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..1.0)
        .map_err(drawing)?;
    let values = &axis.values;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xe4, 0xe4, 0xe4))
        .x_labels(n.min(40))
        .x_label_formatter(&|x| category_label(values, *x))
        .x_desc(describe(&axis.label, &axis.param))
        .y_desc("P(pass)")
        .y_label_formatter(&|y| format!("{:.0}%", y * 100.0))
        .axis_desc_style((FONT, 16).into_font().color(&INK))
        .label_style((FONT, 15))
        .draw()
        .map_err(drawing)?;
    reference_lines(&mut chart, -0.5, n as f64 - 0.5)?;
    for (i, e) in results.iter().enumerate() {
        let x = i as f64;
        let bar = ErrorBar::new_vertical(x, e.pass.ci_low, e.pass.p_pass, e.pass.ci_high, BLUE.stroke_width(2), 16);
        let label = Text::new(
            percent(e.pass.p_pass),
            (14, 0),
            (FONT, 17).into_font().color(&INK).pos(Pos::new(HPos::Left, VPos::Center)),
        );
        let point = EmptyElement::at((x, e.pass.p_pass)) + Circle::new((0, 0), 8, BLUE.filled()) + label;
        chart.draw_series(std::iter::once(bar)).map_err(drawing)?;
        chart.draw_series(std::iter::once(point)).map_err(drawing)?;
    }
    Ok(())
}

/// The value centred on tick `x`, or nothing between values.
pub fn category_label(values: &[Value], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    values.get(i as usize).map_or(String::new(), |v| v.text.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, number: f64) -> Value {
        Value { number, text: text.into() }
    }

    #[test]
    fn true_and_false_are_categories_and_numbers_are_not() {
        assert!(categorical(&[value("true", 1.0), value("false", 0.0)]));
        assert!(!categorical(&[value("0.25", 0.25), value("3", 3.0)]));
    }

    #[test]
    fn category_ticks_fall_on_values_only() {
        let v = [value("true", 1.0), value("false", 0.0)];
        assert_eq!(category_label(&v, 1.0), "false");
        assert_eq!(category_label(&v, 0.5), "");
    }
}
