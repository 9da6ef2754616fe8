//! Sensitivity sweeps: P(pass) over a grid of one or two parameters.
//!
//! Every grid point is the base scenario with the swept values written in and
//! validated again before any work starts. Exact sweeps run points in parallel.
//! Monte Carlo sweeps run points in order in one pool, each point's tables built
//! while the previous point's votes are drawn and sharing the swing group's
//! tables of blocs the point leaves alone ([`sampler::run_each`]); each point
//! has the votes of its standalone run, and all use the same seed (common
//! random numbers): every point sees the same random stream, blocs keep their
//! own substreams and table draws are monotone in their uniforms (a large
//! bloc's rejection draws are not: `whipcount check --paths` names such blocs), so the noise
//! largely cancels between neighbouring points and the curve is smooth;
//! differences between points are far more precise than the points' own
//! intervals suggest.

mod crossing;
mod param;
pub mod range;
pub mod set;

/// A grid point's result, summarised: what the sweep's outputs use.
pub use crate::stats::Summary as Point;
pub use crossing::{Crossing, Direction, LEVELS, Level, Side, crossings};
pub use param::{Field, Param, quote};
pub use range::Value;
pub use set::Assignment;

use crate::error::{Edit, EditError, Error, Result};
use crate::exact;
use crate::sampler::{self, Config, Controls};
use crate::scenario::{self, Scenario, Source};
use crate::stats::Estimate;
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering};

/// The most grid points a sweep may have.
pub const MAX_GRID: usize = 100_000;

/// One swept parameter and its values; parsed from `PARAM=RANGE`
/// (`PTI rebels.seats=0..=40`) by [`str::parse`].
#[derive(Debug, Clone)]
pub struct Axis {
    /// The parameter as the user wrote it, e.g. `PTI rebels.seats`.
    pub label: String,
    /// What it names.
    pub param: Param,
    /// Its values, in order.
    pub values: Vec<Value>,
}

/// A validated grid: the axes and one scenario per combination, first axis slowest.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The scenario's name.
    pub scenario: String,
    /// The swept parameters.
    pub axes: Vec<Axis>,
    /// (values, scenario) per grid point.
    pub points: Vec<(Vec<Value>, Scenario)>,
}

/// How each point is computed.
#[derive(Debug, Clone)]
pub enum Method {
    /// The exact engine.
    Exact,
    /// Monte Carlo, with the same seed at every point.
    MonteCarlo(Config),
}

impl Plan {
    /// Builds and validates every grid point of `axes` over `source`.
    pub fn new(source: &Source, axes: Vec<Axis>, balance: Option<&str>) -> Result<Plan> {
        Plan::with_sets(source, &[], axes, balance)
    }

    /// Builds and validates every grid point of `axes` over `source` edited by
    /// `sets`; `balance` takes up the seats either moves.
    pub fn with_sets(source: &Source, sets: &[Assignment], axes: Vec<Axis>, balance: Option<&str>) -> Result<Plan> {
        if axes.is_empty() || axes.len() > 2 {
            return Err(EditError::Axes.into());
        }
        set::no_repeats(Edit::Set, &set::labelled(sets))?;
        set::no_repeats(Edit::Vary, &axes.iter().map(|a| (a.label.as_str(), &a.param)).collect::<Vec<_>>())?;
        if let Some(a) = axes.iter().find(|a| sets.iter().any(|e| e.param == a.param)) {
            return Err(EditError::SetAndVaried { label: a.label.clone() }.into());
        }
        let mut raw = scenario::parse_raw(&source.text, &source.origin)?;
        let params: Vec<&Param> = axes.iter().map(|a| &a.param).chain(sets.iter().map(|e| &e.param)).collect();
        set::check_balance(&raw, &params, balance)?;
        let texts = set::write_edits(&mut raw, &source.stem, sets, balance)?;
        let base = scenario::from_raw(&raw, &source.text, &source.origin, &source.stem)
            .map_err(|e| set::naming_edits(e, &texts))?;
        let size: usize = axes.iter().map(|a| a.values.len()).product();
        if size > MAX_GRID {
            return Err(Error::Usage(format!("the grid has {size} points; at most {MAX_GRID} are allowed")));
        }
        let mut points = Vec::with_capacity(size);
        for index in 0..size {
            let values = grid_values(&axes, index);
            let mut point = raw.clone();
            for (axis, value) in axes.iter().zip(&values) {
                set::write(&mut point, Edit::Vary, &axis.label, &axis.param, value.number, balance)?;
            }
            let s = scenario::from_raw(&point, &source.text, &source.origin, &source.stem)
                .map_err(|e| at_point(set::naming_edits(e, &texts), &axes, &values, balance))?;
            points.push((values, s));
        }
        Ok(Plan { scenario: base.name, axes, points })
    }

    /// The number of grid points.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether the grid is empty.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }
}

fn grid_values(axes: &[Axis], mut index: usize) -> Vec<Value> {
    let mut out = vec![Value { number: 0.0, text: String::new() }; axes.len()];
    for (slot, axis) in out.iter_mut().zip(axes).rev() {
        *slot = axis.values[index % axis.values.len()].clone();
        index /= axis.values.len();
    }
    out
}

/// A validation error at one grid point, naming the point's values.
fn at_point(e: Error, axes: &[Axis], values: &[Value], balance: Option<&str>) -> Error {
    let Error::Scenario(mut inner) = e else { return e };
    inner.under.point = axes.iter().zip(values).map(|(a, v)| format!("{}={}", a.label, v.text)).collect();
    let moves_seats = axes.iter().any(|a| matches!(a.param, Param::Bloc { field: Field::Seats, .. }));
    inner.under.suggest_balance = moves_seats && balance.is_none() && inner.message.contains("the blocs hold");
    Error::Scenario(inner)
}

impl Plan {
    /// Refuses the plan before any work when a point is beyond the exact engine's
    /// limit ([`exact::cost::check`]), naming the point: the message placed in
    /// `source` when the plan has one, else naming the point's scenario.
    pub fn check_exact(&self, source: Option<&Source>) -> Result<()> {
        for (values, s) in &self.points {
            if let Err(refusal) = exact::cost::check(s) {
                return Err(match source {
                    Some(source) => at_point(refusal.locate(source).into(), &self.axes, values, None),
                    None => unplaced(&refusal, s, &self.axes, values),
                });
            }
        }
        Ok(())
    }
}

/// A refusal at a point of a plan without one source (a forecast's scenarios).
fn unplaced(refusal: &exact::cost::Refusal, s: &Scenario, axes: &[Axis], values: &[Value]) -> Error {
    let at: Vec<String> = axes.iter().zip(values).map(|(a, v)| format!("{} = {}", a.label, v.text)).collect();
    let point = if at.is_empty() { String::new() } else { format!(" at {}", at.join(", ")) };
    let bloc = refusal.bloc.as_ref().map_or("[rule]".into(), |(_, name)| format!("bloc \"{name}\""));
    Error::Usage(format!("scenario \"{}\"{point}, {bloc}, `{}`: {refusal}", s.name, refusal.key))
}

/// Computes every point; a stopped run returns the points finished, in order.
/// Every point's whole distribution is kept (forecasts and part files need
/// them); the sweep's own outputs need only [`run_points`].
pub fn run(plan: &Plan, method: &Method, controls: &Controls) -> Result<Vec<Estimate>> {
    run_keeping(plan, method, controls, |e| e)
}

/// Like [`run`], keeping only each point's summary: memory one [`Point`] per
/// grid point, plus the distributions of the points in progress.
pub fn run_points(plan: &Plan, method: &Method, controls: &Controls) -> Result<Vec<Point>> {
    run_keeping(plan, method, controls, |e| Point::of(&e))
}

fn run_keeping<T: Send>(
    plan: &Plan,
    method: &Method,
    controls: &Controls,
    keep: impl Fn(Estimate) -> T + Sync,
) -> Result<Vec<T>> {
    let done = AtomicU64::new(0);
    match method {
        Method::Exact => {
            plan.check_exact(None)?;
            let results: Vec<Option<T>> = plan
                .points
                .par_iter()
                .map(|(_, s)| {
                    let e = exact::solve_with(s, &|_| {}, controls.stop)?;
                    (controls.progress)(done.fetch_add(1, Ordering::Relaxed) + 1);
                    Some(keep(Estimate::exact(e.yes, e.p_pass)))
                })
                .collect();
            Ok(results.into_iter().map_while(|r| r).collect())
        }
        Method::MonteCarlo(config) => {
            let mut out = Vec::with_capacity(plan.len());
            let quiet = Controls { progress: &|_| {}, stop: controls.stop };
            // Points share the tables of blocs the swept parameter leaves alone.
            sampler::run_each(plan.points.iter().map(|(_, s)| s), config, &quiet, |run| {
                if !run.partial {
                    out.push(keep(run.estimate));
                    (controls.progress)(out.len() as u64);
                }
                !run.partial
            })?;
            Ok(out)
        }
    }
}
