//! JSON (docs/reference.md §3): pretty-printed, keys in the order written here
//! (struct field order; a sweep's parameters in the order of `--vary`).

use super::results::boolean;
use super::{Distribution, Sweep};
use crate::bench::Report;
use crate::stats::{PassRow, votes_per_second};
use crate::sweep::{Axis, Level, Value};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

/// Any serialisable value as pretty-printed JSON.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value).expect("plain data always serialises")
}

/// The JSON summary of `simulate` and `exact`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary<'a> {
    scenario: &'a str,
    method: &'static str,
    p_pass: f64,
    ci_low: f64,
    ci_high: f64,
    std_error: f64,
    trials: u64,
    seed: Option<u64>,
    threads: usize,
    needed: Option<u32>,
    yes_mean: f64,
    yes_sd: f64,
    yes_p05: u32,
    yes_median: u32,
    yes_p95: u32,
    elapsed_s: f64,
    votes_per_s: f64,
    partial: bool,
    precision: Option<f64>,
    precision_reached: Option<bool>,
}

impl<'a> Summary<'a> {
    /// The summary of a distribution.
    pub fn new(d: &'a Distribution) -> Summary<'a> {
        let (e, info) = (&d.estimate, &d.info);
        let m = e.moments();
        Summary {
            scenario: &info.scenario,
            method: e.pass.method.as_str(),
            p_pass: e.pass.p_pass,
            ci_low: e.pass.ci_low,
            ci_high: e.pass.ci_high,
            std_error: e.pass.std_error,
            trials: e.pass.trials,
            seed: info.seed,
            threads: info.threads,
            needed: info.needed,
            yes_mean: m.mean,
            yes_sd: m.sd,
            yes_p05: m.p05,
            yes_median: m.median,
            yes_p95: m.p95,
            elapsed_s: info.elapsed_s,
            votes_per_s: votes_per_second(e.pass.trials, info.elapsed_s),
            partial: info.partial,
            precision: info.precision,
            precision_reached: d.precision_reached(),
        }
    }
}

/// The summary of a distribution, with a final newline.
pub fn distribution(d: &Distribution) -> String {
    pretty(&Summary::new(d)) + "\n"
}

/// A point's parameter values, in axis order; `true`/`false` for a boolean axis,
/// integers for whole values written without a decimal point.
struct Values<'a>(&'a [Axis], &'a [Value]);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (axis, v) in self.0.iter().zip(self.1) {
            if boolean(axis) {
                map.serialize_entry(&axis.label, &(v.number != 0.0))?;
            } else if whole(v) {
                map.serialize_entry(&axis.label, &(v.number as i64))?;
            } else {
                map.serialize_entry(&axis.label, &v.number)?;
            }
        }
        map.end()
    }
}

/// A value the CSV writes without a decimal point (a count of seats, say) is a
/// JSON integer too, so the two formats agree.
fn whole(v: &Value) -> bool {
    v.number.fract() == 0.0 && v.number.abs() < 9e15 && !v.text.contains(['.', 'e', 'E'])
}

#[derive(Serialize)]
struct Point<'a> {
    values: Values<'a>,
    #[serde(flatten)]
    row: PassRow,
}

#[derive(Serialize)]
struct SweepOut<'a> {
    scenario: &'a str,
    method: &'static str,
    parameters: Vec<&'a str>,
    partial: bool,
    grid_points: usize,
    points: Vec<Point<'a>>,
    levels: Option<Vec<Level>>,
}

/// The sweep: parameters, one object per finished point (the CSV's columns), and
/// for a 1-D sweep each level (50%, 90%) with its crossings or the side the curve
/// keeps throughout (over the finished points only when `partial`).
pub fn sweep(s: &Sweep) -> String {
    let axes = &s.plan.axes;
    let points = s.points().map(|(values, e)| Point { values: Values(axes, values), row: e.row() }).collect();
    let out = SweepOut {
        scenario: &s.plan.scenario,
        method: s.method().as_str(),
        parameters: axes.iter().map(|a| a.label.as_str()).collect(),
        partial: s.partial(),
        grid_points: s.plan.len(),
        points,
        levels: crate::sweep::crossings(s.plan, s.results),
    };
    pretty(&out) + "\n"
}

#[derive(Serialize)]
struct BenchRow<'a> {
    #[serde(flatten)]
    row: &'a crate::bench::Row,
    partial: bool,
}

/// The bench: an array with one object per row, each marked `partial` when the
/// run was interrupted.
pub fn bench(r: &Report) -> String {
    let rows: Vec<BenchRow> = r.rows.iter().map(|row| BenchRow { row, partial: r.partial }).collect();
    pretty(&rows) + "\n"
}
