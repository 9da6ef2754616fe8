//! The `timeline` and `backtest` subcommands: load, forecast, write, print.

use crate::cli::{BacktestArgs, ForecastArgs, SetArgs, TimelineArgs};
use crate::progress::{self, Progress, STOP};
use whipcount::error::Result;
use whipcount::scenario::{self, BUILTIN, Scenario, Source};
use whipcount::stats::Estimate;
use whipcount::sweep::{self, Method};
use whipcount::{backtest, export, forecast, plot_dated, report, sampler::Controls, timeline};

/// Resolves `arg`, applies the `--set` edits and validates, printing its warnings;
/// returns its origin too.
fn load(arg: &str, edits: &SetArgs) -> Result<(String, Scenario)> {
    let source = Source::resolve(arg)?;
    let s = sweep::set::apply(&source, &edits.sets, edits.balance.as_deref())?.scenario;
    for w in report::warnings(&s) {
        eprintln!("warning: {}: {w}", s.name);
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

/// Writes the CSV and the chart where asked, each whole (both are built before either is written).
fn write(args: &ForecastArgs, csv: &[u8], plot: Option<String>) -> Result<()> {
    if let Some(path) = &args.out {
        export::write_atomic(path, csv)?;
    }
    if let (Some(path), Some(svg)) = (&args.plot, plot) {
        export::write_atomic(path, svg.as_bytes())?;
    }
    Ok(())
}

fn method_name(method: &Method) -> &'static str {
    match method {
        Method::Exact => "exact",
        Method::MonteCarlo(_) => "monte-carlo",
    }
}

/// `whipcount timeline SCENARIO...`.
pub fn timeline(args: &TimelineArgs) -> Result<()> {
    let items = args.scenarios.iter().map(|a| load(a, &args.forecast.edits)).collect::<Result<Vec<_>>>()?;
    let scenarios = timeline::order(items)?;
    let method = method(&args.forecast);
    let entries = timeline::entries(&scenarios, &run(&scenarios, &method, &args.forecast)?);
    let plot =
        args.forecast.plot.as_ref().map(|_| plot_dated::timeline_svg(&entries, method_name(&method))).transpose()?;
    write(&args.forecast, &timeline::csv(&entries), plot)?;
    if args.forecast.json {
        println!("{}", timeline::json(method_name(&method), &entries));
    } else {
        print!("{}", timeline::table(&entries));
    }
    Ok(())
}

/// `whipcount backtest [SCENARIO...]`: the named scenarios, or every built-in with a result.
pub fn backtest(args: &BacktestArgs) -> Result<()> {
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
    for name in skipped {
        eprintln!("note: {name} records no [result]; it is not scored");
    }
    let method = method(&args.forecast);
    let scores = backtest::score_all(&scenarios, &run(&scenarios, &method, &args.forecast)?);
    let summary = backtest::summarise(&scores);
    let plot = args.forecast.plot.as_ref().map(|_| plot_dated::calibration_svg(&scores, &summary)).transpose()?;
    write(&args.forecast, &backtest::output::csv(&scores), plot)?;
    if args.forecast.json {
        let mc = match &method {
            Method::MonteCarlo(c) => Some((c.trials, c.seed)),
            Method::Exact => None,
        };
        println!("{}", backtest::output::json(method_name(&method), mc, &scores, &summary));
    } else {
        print!("{}", backtest::output::table(&scores, &summary));
    }
    Ok(())
}
