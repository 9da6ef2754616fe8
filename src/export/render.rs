//! Which format module writes each result type: [`Render`] for every result,
//! and [`Charted`], a result with its chart.

use super::results::{Backtest, Distribution, Sweep, Timeline};
use super::{Format, Render, backtest, csv, explain, json, text, timeline, unsupported};
use crate::error::Result;

/// The bytes of a result that is written as CSV, JSON or text by the given
/// functions; it has no picture without its chart (`what` names it then).
fn tabular(
    format: Format,
    what: &str,
    csv: impl FnOnce() -> Vec<u8>,
    json: impl FnOnce() -> String,
    text: impl FnOnce() -> String,
) -> Result<Vec<u8>> {
    match format {
        Format::Csv => Ok(csv()),
        Format::Json => Ok(json().into_bytes()),
        Format::Text => Ok(text().into_bytes()),
        Format::Svg | Format::Png => Err(unsupported(what, format)),
    }
}

impl Render for Distribution {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        let what = "a distribution without its chart";
        tabular(format, what, || csv::distribution(self), || json::distribution(self), || text::distribution(self))
    }
}

impl Render for Sweep<'_> {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        tabular(format, "a sweep without its chart", || csv::sweep(self), || json::sweep(self), || text::sweep(self))
    }
}

impl Render for crate::bench::Report {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        tabular(format, "a bench", || csv::bench(self), || json::bench(self), || text::bench(self))
    }
}

/// `explain`'s result; its chart, [`crate::plot::tornado()`], comes with it through [`Charted`].
impl Render for crate::explain::Explanation {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        let what = "an explanation without its chart";
        tabular(format, what, || explain::csv(self), || explain::json(self) + "\n", || explain::table(self))
    }
}

impl Render for Timeline<'_> {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        let (csv, table) = (|| timeline::csv(self.entries), || timeline::table(self.entries));
        tabular(format, "a timeline without its chart", csv, || timeline::json(self.method, self.entries) + "\n", table)
    }
}

impl Render for Backtest<'_> {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        let json = || backtest::json(self.method, self.run, self.scores, self.summary) + "\n";
        let (csv, table) = (|| backtest::csv(self.scores), || backtest::table(self.scores, self.summary));
        tabular(format, "a backtest without its chart", csv, json, table)
    }
}

/// A result with its chart, drawn by [`crate::plot`] (and marked by
/// [`super::svg`] when partial): SVG as drawn, PNG rasterised at `size`; every
/// other format is the result's own.
pub struct Charted<'a> {
    /// The result.
    pub result: &'a dyn Render,
    /// The chart's SVG, when one was asked for.
    pub svg: Option<String>,
    /// The size of a PNG.
    pub size: crate::plot::Size,
}

impl Render for Charted<'_> {
    fn render(&self, format: Format) -> Result<Vec<u8>> {
        match (format, &self.svg) {
            (Format::Svg, Some(svg)) => Ok(svg.clone().into_bytes()),
            (Format::Png, Some(svg)) => crate::plot::encode(svg, crate::plot::Format::Png, self.size),
            _ => self.result.render(format),
        }
    }
}
