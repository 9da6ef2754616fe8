//! The `timeline` and `backtest` subcommands: load, forecast, write, print.

use crate::cli::{BacktestArgs, ForecastArgs, SetArgs, TimelineArgs};
use crate::outputs::{Summary, emit, summary_outputs};
use crate::progress::{self, Progress, STOP};
use whipcount::error::Result;
use whipcount::export::{Backtest, Charted, Timeline};
use whipcount::scenario::{self, BUILTIN, Scenario, Source};
use whipcount::stats::Estimate;
use whipcount::sweep::{self, Method};
use whipcount::{backtest, forecast, plot, report, sampler::Controls, timeline};

/// Resolves `arg`, applies the `--set` edits and validates, printing its warnings;
/// returns its origin too.
fn load(arg: &str, edits: &SetArgs) -> Result<(String, Scenario)> {
    let source = Source::resolve(arg)?;
    let s = sweep::set::apply(&source, &edits.assignments()?, edits.balance.as_deref())?.scenario;
    for w in report::warnings(&s) {
        crate::outputs::error_line(&format!("warning: {}: {w}", s.name));
    }
    Ok((source.origin, s))
}

/// The method asked for: exact unless --trials or --precision.
fn method(args: &ForecastArgs) -> Method {
    let mc = &args.monte_carlo;
    if args.exact || (mc.trials.is_none() && mc.precision.is_none()) {
        Method::Exact
    } else {
        Method::MonteCarlo(crate::config(mc))
    }
}

fn run(scenarios: &[Scenario], method: &Method, args: &ForecastArgs) -> Result<Vec<Estimate>> {
    progress::install_interrupt();
    let bar = Progress::new(scenarios.len() as u64, args.quiet || args.json);
    let estimates = forecast::forecasts(scenarios, method, &Controls { progress: &|n| bar.update(n), stop: &STOP });
    bar.finish();
    estimates
}

/// The outputs asked for, checked before any work.
fn outputs(args: &ForecastArgs) -> Result<Summary> {
    summary_outputs(crate::cli::csv_and_chart(args.out.as_deref(), args.plot.as_deref()), args.json)
}

fn method_name(method: &Method) -> &'static str {
    match method {
        Method::Exact => "exact",
        Method::MonteCarlo(_) => "monte-carlo",
    }
}

/// `whipcount timeline SCENARIO...`.
pub fn timeline(args: &TimelineArgs) -> Result<()> {
    crate::check_plot(args.forecast.plot.as_deref())?;
    let items = args.scenarios.iter().map(|a| load(a, &args.forecast.edits)).collect::<Result<Vec<_>>>()?;
    let scenarios = timeline::order(items)?;
    let outputs = outputs(&args.forecast)?;
    let method = method(&args.forecast);
    let estimates = run(&scenarios, &method, &args.forecast)?;
    let entries = timeline::entries(&scenarios, &estimates);
    let size = args.forecast.plot_size;
    let frame = || plot::timeline::frame(&scenarios, &entries, &estimates, size);
    let chart = args.forecast.plot.as_ref().map(|_| plot::timeline(&frame(), &entries)).transpose()?;
    let result = Timeline { method: method_name(&method), entries: &entries };
    emit(&outputs, &Charted { result: &result, svg: chart, size })
}

/// `whipcount backtest [SCENARIO...]`: the named scenarios, or every built-in with a result.
pub fn backtest(args: &BacktestArgs) -> Result<()> {
    crate::check_plot(args.forecast.plot.as_deref())?;
    let names: Vec<String> = if args.scenarios.is_empty() {
        let recorded = |(name, text): &&(&str, &str)| {
            scenario::parse(text, &format!("built-in:{name}"), name).is_ok_and(|s| s.result.is_some())
        };
        BUILTIN.iter().filter(recorded).map(|(name, _)| name.to_string()).collect()
    } else {
        args.scenarios.clone()
    };
    let load = |a: &String| load(a, &args.forecast.edits).map(|(_, s)| s);
    let scenarios = names.iter().map(load).collect::<Result<Vec<_>>>()?;
    let (scenarios, skipped) = backtest::with_results(scenarios)?;
    let outputs = outputs(&args.forecast)?;
    for name in skipped {
        crate::outputs::error_line(&format!("note: {name} records no [result]; it is not scored"));
    }
    let method = method(&args.forecast);
    let estimates = run(&scenarios, &method, &args.forecast)?;
    let scores = backtest::score_all(&scenarios, &estimates);
    let summary = backtest::summarise(&scores);
    let size = args.forecast.plot_size;
    let frame = || plot::calibration::frame(&scenarios, &estimates, &summary, size);
    let chart = args.forecast.plot.as_ref().map(|_| plot::calibration(&frame(), &scores, &summary)).transpose()?;
    let mc = match &method {
        Method::MonteCarlo(c) => Some((c.trials, c.seed)),
        Method::Exact => None,
    };
    let result = Backtest { method: method_name(&method), run: mc, scores: &scores, summary: &summary };
    emit(&outputs, &Charted { result: &result, svg: chart, size })
}
