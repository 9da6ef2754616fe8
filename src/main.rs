//! The `whipcount` binary: parses arguments, calls the library, prints, and maps
//! errors to exit statuses (0 success, 2 usage or scenario error, 1 otherwise).

mod cli;
mod dated;
mod parts;
mod progress;

use clap::Parser;
use cli::{
    BenchArgs, CheckArgs, Cli, Command, DistributionOutputs, ExactArgs, ExplainArgs, MonteCarloArgs, SetArgs,
    SimulateArgs, SweepArgs,
};
use progress::{Progress, STOP};
use std::path::Path;
use std::time::Instant;
use whipcount::error::{Error, Result};
use whipcount::export::{self, RunInfo};
use whipcount::plot::Size;
use whipcount::sampler::{self, Config, Controls, PRECISION_CAP, Paths};
use whipcount::scenario::{self, BUILTIN, Scenario, Source};
use whipcount::{bench, margin::Margin, plot, report, stats::Estimate, sweep};

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
        eprintln!("error: {e}");
        std::process::exit(e.exit_code());
    }
}

/// Loads SCENARIO (or the default) with its `--set` edits applied.
fn load(arg: Option<&str>, edits: &SetArgs) -> Result<Scenario> {
    let source = Source::resolve(arg.unwrap_or(scenario::DEFAULT_SCENARIO))?;
    let s = sweep::set::apply(&source, &edits.sets, edits.balance.as_deref())?.scenario;
    for w in report::warnings(&s) {
        eprintln!("warning: {w}");
    }
    Ok(s)
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

fn simulate(args: &SimulateArgs) -> Result<()> {
    if let Some(shard) = args.shard {
        return parts::simulate_shard(args, shard);
    }
    check_plot(args.outputs.plot.as_deref())?;
    let s = load(args.scenario.as_deref(), &args.edits)?;
    let config = config(&args.monte_carlo);
    progress::install_interrupt();
    let bar = Progress::new(config.trials, args.quiet || args.outputs.json);
    let started = Instant::now();
    // The margin panel needs the margin of the same votes; only a chart pays for counting it.
    let run_fn = if args.outputs.plot.is_some() { sampler::run_with_margin } else { sampler::run };
    let run = run_fn(&s, &config, &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    let info = RunInfo {
        scenario: s.name.clone(),
        seed: Some(config.seed),
        threads: config.threads,
        elapsed_s: started.elapsed().as_secs_f64(),
        needed: s.rule.needed(s.chamber.seats),
        partial: run.partial,
    };
    emit(&s, &run.estimate, &info, &args.outputs, run.margin.as_ref())?;
    if args.monte_carlo.precision.is_some() && !args.outputs.json {
        println!("--precision reached after {} simulated votes", run.estimate.trials);
    }
    if run.partial { Err(Error::Other("interrupted: the figures above are partial".into())) } else { Ok(()) }
}

fn exact(args: &ExactArgs) -> Result<()> {
    check_plot(args.outputs.plot.as_deref())?;
    let s = load(args.scenario.as_deref(), &args.edits)?;
    let started = Instant::now();
    let e = whipcount::exact::solve(&s);
    let info = RunInfo {
        scenario: s.name.clone(),
        seed: None,
        threads: 1,
        elapsed_s: started.elapsed().as_secs_f64(),
        needed: s.rule.needed(s.chamber.seats),
        partial: false,
    };
    let margin = args.outputs.plot.as_ref().and_then(|_| whipcount::exact::margin(&s));
    emit(&s, &Estimate::exact(e.yes, e.p_pass), &info, &args.outputs, margin.as_ref())
}

/// Refuses a chart file whose extension names no format, before any work.
fn check_plot(path: Option<&std::path::Path>) -> Result<()> {
    path.map_or(Ok(()), |p| plot::Format::of(p).map(|_| ()))
}

/// Writes the CSV and plot (if asked) and prints the summary or JSON.
fn emit(
    s: &Scenario,
    e: &Estimate,
    info: &RunInfo,
    outputs: &DistributionOutputs,
    margin: Option<&Margin>,
) -> Result<()> {
    if let Some(path) = &outputs.out {
        export::write_atomic(path, &export::distribution_csv(e))?;
    }
    if let Some(path) = &outputs.plot {
        let frame = plot::Frame::for_estimate(s, e, outputs.plot_size);
        plot::write(path, &plot::distribution(&frame, e, info.needed, margin)?, outputs.plot_size)?;
    }
    if outputs.json {
        println!("{}", export::summary_json(e, info));
    } else {
        print!("{}", report::summary(s, e, info));
    }
    Ok(())
}

fn run_sweep(args: &SweepArgs) -> Result<()> {
    if let Some(shard) = args.shard {
        return parts::sweep_shard(args, shard);
    }
    check_plot(args.plot.as_deref())?;
    let source = Source::resolve(args.scenario.as_deref().unwrap_or(scenario::DEFAULT_SCENARIO))?;
    let plan = sweep::Plan::with_sets(&source, &args.edits.sets, &args.vary, args.edits.balance.as_deref())?;
    let method = if args.exact { sweep::Method::Exact } else { sweep::Method::MonteCarlo(config(&args.monte_carlo)) };
    progress::install_interrupt();
    let bar = Progress::new(plan.len() as u64, args.quiet || args.json);
    let results = sweep::run(&plan, &method, &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    emit_sweep(&plan, &results, args.out.as_deref(), args.plot.as_deref(), args.plot_size, args.json)?;
    if results.len() < plan.len() {
        Err(Error::Other("interrupted: the sweep above is partial".into()))
    } else {
        Ok(())
    }
}

/// Writes a sweep's CSV and plot (if asked) and prints its table or JSON.
fn emit_sweep(
    plan: &sweep::Plan,
    results: &[Estimate],
    out: Option<&Path>,
    chart: Option<&Path>,
    size: Size,
    json: bool,
) -> Result<()> {
    if let Some(path) = out {
        export::write_atomic(path, &sweep::csv(plan, results))?;
    }
    if let (Some(path), Some(frame)) = (chart, plot::sweep_frame(plan, results, size)) {
        plot::write(path, &plot::sweep(&frame, plan, results)?, size)?;
    }
    if json {
        println!("{}", sweep::json(plan, results));
    } else {
        print!("{}", sweep::table(plan, results));
    }
    Ok(())
}

fn explain(args: &ExplainArgs) -> Result<()> {
    use whipcount::explain::{self, output};
    let s = load(args.scenario.as_deref(), &args.edits)?;
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
    if let Some(path) = &args.out {
        export::write_atomic(path, &output::csv(&x))?;
    }
    if let Some(path) = &args.plot {
        export::write_atomic(path, whipcount::plot_tornado::tornado_svg(&x)?.as_bytes())?;
    }
    if args.json {
        println!("{}", output::json(&x));
    } else {
        print!("{}", output::table(&x));
    }
    Ok(())
}

fn run_bench(args: &BenchArgs) -> Result<()> {
    let s = load(args.scenario.as_deref(), &args.edits)?;
    let mut paths = vec![Paths::Fast];
    if args.compare_direct {
        paths.push(Paths::Direct);
    }
    let rows = bench::run(&s, args.trials, &args.threads, args.seed, &paths, args.runs as usize)?;
    if args.json {
        println!("{}", export::to_json(&rows));
    } else {
        print!("{}", bench::csv(&rows));
    }
    Ok(())
}

/// Checks every scenario; with several, each error is printed as it comes and a count ends the run.
fn check(args: &CheckArgs) -> Result<()> {
    let mut invalid = 0;
    for arg in &args.scenarios {
        let edits = &args.edits;
        match Source::resolve(arg).and_then(|src| sweep::set::apply(&src, &edits.sets, edits.balance.as_deref())) {
            Ok(e) => println!("{}", report::check(&e.scenario)),
            Err(e) if args.scenarios.len() == 1 => return Err(e),
            Err(e) => {
                eprintln!("error: {e}");
                invalid += 1;
            }
        }
    }
    if invalid == 0 { Ok(()) } else { Err(Error::Invalid { invalid, of: args.scenarios.len() }) }
}

fn scenarios() -> Result<()> {
    for (name, text) in BUILTIN {
        let title = scenario::parse(text, name, name).map(|s| s.title).unwrap_or_else(|e| format!("(invalid: {e})"));
        let marker = if *name == scenario::DEFAULT_SCENARIO { " (default)" } else { "" };
        println!("{name:<24} {title}{marker}");
    }
    Ok(())
}
