//! The `whipcount` binary: parses arguments, calls the library, prints, and maps
//! errors to exit statuses (0 success, 2 usage or scenario error, 1 otherwise; a
//! closed standard output ends the program quietly with 0).

mod cli;
mod dated;
mod outputs;
mod parts;
mod progress;

/// mimalloc, not the system allocator: table building makes thousands of small
/// laws on the worker threads, and glibc grows a thread's arena a page at a
/// time, one `mprotect` each (4,003 for `table-members-2000`), which also holds
/// up the other thread's page faults (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use cli::{
    BenchArgs, CheckArgs, Cli, Command, ExactArgs, ExplainArgs, MonteCarloArgs, SetArgs, SimulateArgs, SweepArgs,
};
use outputs::{emit, summary_outputs};
use progress::{Progress, STOP};
use std::time::Instant;
use whipcount::error::{Error, Result};
use whipcount::export::{self, Charted, Distribution, RunInfo};
use whipcount::sampler::{self, Config, Controls, PRECISION_CAP, Paths};
use whipcount::scenario::{self, BUILTIN, Scenario, Source};
use whipcount::{bench, plot, report, stats::Estimate, sweep};

fn main() {
    let cli = Cli::parse();
    let result = match cli.command {
        None => simulate(&cli.simulate),
        Some(Command::Simulate(args)) => simulate(&args),
        Some(Command::Exact(args)) => exact(&args),
        Some(Command::Sweep(args)) => run_sweep(&args),
        Some(Command::Explain(args)) => explain(&args),
        Some(Command::Bench(args)) => run_bench(&args),
        Some(Command::Check(args)) => check(&args),
        Some(Command::Scenarios) => scenarios(),
        Some(Command::Merge(args)) => parts::merge(&args),
        Some(Command::Backtest(args)) => dated::backtest(&args),
        Some(Command::Timeline(args)) => dated::timeline(&args),
    };
    if let Err(e) = result {
        outputs::exit_with(e);
    }
}

/// Loads SCENARIO (or the default) with its `--set` edits applied.
fn load(arg: Option<&str>, edits: &SetArgs) -> Result<Scenario> {
    load_from(arg, edits).map(|(_, s)| s)
}

/// [`load`], keeping the source for messages that point into it.
fn load_from(arg: Option<&str>, edits: &SetArgs) -> Result<(Source, Scenario)> {
    let source = Source::resolve(arg.unwrap_or(scenario::DEFAULT_SCENARIO))?;
    let s = sweep::set::apply(&source, &edits.assignments()?, edits.balance.as_deref())?.scenario;
    for w in report::warnings(&s) {
        outputs::error_line(&format!("warning: {w}"));
    }
    Ok((source, s))
}

fn all_cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn config(args: &MonteCarloArgs) -> Config {
    let default_trials = if args.precision.is_some() { PRECISION_CAP } else { 1_000_000 };
    Config {
        trials: args.trials.unwrap_or(default_trials),
        seed: args.seed,
        threads: args.threads.unwrap_or_else(all_cores),
        precision: args.precision,
        paths: if args.direct { Paths::Direct } else { Paths::Fast },
    }
}

fn interrupted(what: &str) -> Result<()> {
    Err(Error::Other(format!("interrupted: {what} partial")))
}

fn simulate(args: &SimulateArgs) -> Result<()> {
    if let Some(shard) = args.shard {
        return parts::simulate_shard(args, shard);
    }
    check_plot(args.outputs.plot.as_deref())?;
    let s = load(args.scenario.as_deref(), &args.edits)?;
    let outputs = summary_outputs(args.outputs.files(), args.outputs.json)?;
    let config = config(&args.monte_carlo);
    progress::install_interrupt();
    let bar = Progress::new(config.trials, args.quiet || args.outputs.json);
    let started = Instant::now();
    // The margin panel needs the margin of the same votes; only a chart pays for counting it.
    let run_fn = if args.outputs.plot.is_some() { sampler::run_with_margin } else { sampler::run };
    let run = run_fn(&s, &config, &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    let info = RunInfo {
        seed: Some(config.seed),
        threads: config.threads,
        elapsed_s: started.elapsed().as_secs_f64(),
        partial: run.partial,
        precision: config.precision,
        ..RunInfo::new(&s)
    };
    let d = Distribution { estimate: run.estimate, info };
    let chart = chart(&args.outputs, |size| {
        let frame = plot::Frame::for_estimate(&s, &d.estimate, size);
        plot::distribution(&frame, &d.estimate, d.info.needed, run.margin.as_ref())
    })?;
    emit(
        &outputs,
        &Charted { result: &d, svg: chart.map(|c| export::svg::distribution(&d, c)), size: args.outputs.plot_size },
    )?;
    if run.partial { interrupted("the figures above are") } else { Ok(()) }
}

fn exact(args: &ExactArgs) -> Result<()> {
    check_plot(args.outputs.plot.as_deref())?;
    let (source, s) = load_from(args.scenario.as_deref(), &args.edits)?;
    whipcount::exact::cost::check(&s).map_err(|r| r.locate(&source))?;
    let outputs = summary_outputs(args.outputs.files(), args.outputs.json)?;
    progress::install_interrupt();
    let started = Instant::now();
    let bar = progress::Progress::new(1000, args.quiet);
    let solved = whipcount::exact::solve_with(&s, &|done| bar.update(done), &progress::STOP);
    bar.finish();
    let e = solved.ok_or_else(|| {
        Error::Other("interrupted before the exact engine finished: nothing to report, no file written".into())
    })?;
    if e.change > whipcount::exact::CHANGE_NOTICE {
        outputs::error_line(&format!(
            "warning: the swing integral did not settle (its last refinement moved P(pass) by {:.1e}); \
             read P(pass) to about that precision",
            e.change
        ));
    }
    let info = RunInfo { elapsed_s: started.elapsed().as_secs_f64(), ..RunInfo::new(&s) };
    let d = Distribution { estimate: Estimate::exact(e.yes, e.p_pass), info };
    let chart = chart(&args.outputs, |size| {
        let margin = whipcount::exact::margin(&s);
        let frame = plot::Frame::for_estimate(&s, &d.estimate, size);
        plot::distribution(&frame, &d.estimate, d.info.needed, margin.as_ref())
    })?;
    emit(
        &outputs,
        &Charted { result: &d, svg: chart.map(|c| export::svg::distribution(&d, c)), size: args.outputs.plot_size },
    )
}

/// Refuses a chart file whose extension names no format, before any work; `-`,
/// devices and FIFOs (written through) take SVG whatever their name.
fn check_plot(path: Option<&std::path::Path>) -> Result<()> {
    let special = |p: &std::path::Path| p == std::path::Path::new("-") || p.metadata().is_ok_and(|m| !m.is_file());
    path.filter(|p| !special(p)).map_or(Ok(()), |p| plot::Format::of(p).map(|_| ()))
}

/// The distribution chart's SVG when `--plot` asks for one.
fn chart(
    outputs: &cli::DistributionOutputs,
    draw: impl FnOnce(plot::Size) -> Result<String>,
) -> Result<Option<String>> {
    outputs.plot.as_ref().map(|_| draw(outputs.plot_size)).transpose()
}

fn run_sweep(args: &SweepArgs) -> Result<()> {
    if let Some(shard) = args.shard {
        return parts::sweep_shard(args, shard);
    }
    check_plot(args.plot.as_deref())?;
    let source = Source::resolve(args.scenario.as_deref().unwrap_or(scenario::DEFAULT_SCENARIO))?;
    let axes = cli::axes(&args.vary)?;
    let plan = sweep::Plan::with_sets(&source, &args.edits.assignments()?, axes, args.edits.balance.as_deref())?;
    if args.exact {
        plan.check_exact(Some(&source))?;
    }
    let outputs = summary_outputs(cli::csv_and_chart(args.out.as_deref(), args.plot.as_deref()), args.json)?;
    let method = if args.exact { sweep::Method::Exact } else { sweep::Method::MonteCarlo(config(&args.monte_carlo)) };
    progress::install_interrupt();
    let bar = Progress::new(plan.len() as u64, args.quiet || args.json);
    let results = sweep::run_points(&plan, &method, &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    let result = whipcount::export::Sweep { plan: &plan, results: &results };
    let chart = match (&args.plot, plot::sweep_frame(&plan, &results, args.plot_size)) {
        (Some(_), Some(frame)) => Some(export::svg::sweep(&result, plot::sweep(&frame, &plan, &results)?)),
        _ => None,
    };
    emit(&outputs, &Charted { result: &result, svg: chart, size: args.plot_size })?;
    if result.partial() { interrupted("the sweep above is") } else { Ok(()) }
}

fn explain(args: &ExplainArgs) -> Result<()> {
    use whipcount::explain;
    check_plot(args.plot.as_deref())?;
    let (source, s) = load_from(args.scenario.as_deref(), &args.edits)?;
    if args.trials.is_none() {
        whipcount::exact::cost::check_explain(&s, args.members).map_err(|r| r.locate(&source))?;
    }
    let outputs = summary_outputs(cli::csv_and_chart(args.out.as_deref(), args.plot.as_deref()), args.json)?;
    let x = match args.trials {
        None => explain::exact::explain(&s, args.lean, args.members),
        Some(trials) => {
            let threads = args.threads.unwrap_or_else(all_cores);
            let config = Config { trials, seed: args.seed, threads, precision: None, paths: Paths::Fast };
            progress::install_interrupt();
            explain::monte_carlo::explain(
                &s,
                args.lean,
                args.members,
                &config,
                &Controls { progress: &|_| {}, stop: &STOP },
            )?
        }
    };
    let chart =
        args.plot.as_ref().map(|_| plot::tornado(&plot::tornado::frame(&s, &x, args.plot_size), &x)).transpose()?;
    emit(&outputs, &Charted { result: &x, svg: chart, size: args.plot_size })
}

fn run_bench(args: &BenchArgs) -> Result<()> {
    let s = load(args.scenario.as_deref(), &args.edits)?;
    let outputs = summary_outputs(Vec::new(), args.json)?;
    let mut paths = vec![Paths::Fast];
    if args.compare_direct {
        paths.push(Paths::Direct);
    }
    let plan = bench::Plan {
        trials: args.trials,
        threads: &args.threads,
        seed: args.seed,
        paths: &paths,
        runs: args.runs as usize,
    };
    progress::install_interrupt();
    let report = bench::run(&s, &plan, &STOP)?;
    emit(&outputs, &report)?;
    if report.partial { interrupted("the rows above are") } else { Ok(()) }
}

/// Checks every scenario; with several, each error is printed as it comes and a count ends the run.
fn check(args: &CheckArgs) -> Result<()> {
    let mut invalid = 0;
    for arg in &args.scenarios {
        let edits = &args.edits;
        let edited = Source::resolve(arg)
            .and_then(|src| sweep::set::apply(&src, &edits.assignments()?, edits.balance.as_deref()));
        match edited {
            Ok(e) => outputs::print(&format!("{}\n{}", report::check(&e.scenario), check_paths(args, &e.scenario)))?,
            Err(e) if args.scenarios.len() == 1 => return Err(e),
            Err(e) => {
                outputs::error_line(&format!("error: {}", outputs::message(&e)));
                invalid += 1;
            }
        }
    }
    if invalid == 0 { Ok(()) } else { Err(Error::Invalid { invalid, of: args.scenarios.len() }) }
}

/// With `--paths`, how the sampler draws each bloc.
fn check_paths(args: &CheckArgs, s: &Scenario) -> String {
    let paths = || format!("sampler paths:\n{}\n", sampler::path::describe(s, Paths::Fast));
    if args.paths { paths() } else { String::new() }
}

fn scenarios() -> Result<()> {
    for (name, text) in BUILTIN {
        let title = scenario::parse(text, name, name).map(|s| s.title).unwrap_or_else(|e| format!("(invalid: {e})"));
        let marker = if *name == scenario::DEFAULT_SCENARIO { " (default)" } else { "" };
        outputs::print(&format!("{name:<24} {title}{marker}\n"))?;
    }
    Ok(())
}
