//! `simulate --shard`, `sweep --shard` and `merge`: the binary's side of
//! [`whipcount::shard`] (docs/reference.md §9).

use super::cli::{self, MergeArgs, SimulateArgs, SweepArgs};
use super::config;
use super::outputs::{emit, summary_outputs};
use super::progress::{self, Progress, STOP};
use std::path::Path;
use std::time::Instant;
use whipcount::error::{Error, Result};
use whipcount::export::{self, Charted, Distribution, RunInfo};
use whipcount::sampler::{self, Controls};
use whipcount::scenario::{self, Scenario, Source};
use whipcount::shard::{self, Command, Inputs, Part, Shard, Tally};
use whipcount::{plot, report, sweep};

/// Where a shard's part goes: `--out`, which must be given; the reports belong to `merge`.
fn part_path(out: Option<&Path>, reports: bool) -> Result<&Path> {
    if reports {
        return Err(Error::Usage(
            "--shard writes only a part file: ask for --json and --plot from `whipcount merge`".into(),
        ));
    }
    out.ok_or_else(|| Error::Usage("--shard needs --out PART.json, the part file to write".into()))
}

fn resolve(arg: Option<&str>) -> Result<Source> {
    Source::resolve(arg.unwrap_or(scenario::DEFAULT_SCENARIO))
}

/// A blank part of `shard`, to be filled in.
fn part(command: Command, scenario: String, hash: String, inputs: Inputs, shard: Shard) -> Part {
    Part {
        format: shard::FORMAT.into(),
        version: shard::VERSION,
        draws: sampler::DRAWS,
        command,
        scenario,
        scenario_sha256: hash,
        inputs,
        method: String::new(),
        seed: None,
        trials: None,
        shard: shard.index,
        shards: shard.count,
        range: [0, 0],
        threads: 1,
        elapsed_s: 0.0,
        results: Vec::new(),
    }
}

/// `simulate --shard K/N --out PART.json`.
pub fn simulate_shard(args: &SimulateArgs, shard: Shard) -> Result<()> {
    let out = part_path(args.outputs.out.as_deref(), args.outputs.json || args.outputs.plot.is_some())?;
    let source = resolve(args.scenario.as_deref())?;
    let (sets, balance) = (&args.edits.sets, args.edits.balance.as_deref());
    let s = sweep::set::apply(&source, &cli::assignments(sets)?, balance)?.scenario;
    for w in report::warnings(&s) {
        eprintln!("warning: {w}");
    }
    let config = config(&args.monte_carlo);
    let range = shard.range(sampler::batches(config.trials));
    let votes = (range.end * sampler::BATCH).min(config.trials) - (range.start * sampler::BATCH).min(config.trials);
    progress::install_interrupt();
    let bar = Progress::new(votes, args.quiet);
    let started = Instant::now();
    let run =
        sampler::run_batches(&s, &config, range.clone(), &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    if run.partial {
        return Err(Error::Other("interrupted: no part file was written".into()));
    }
    let inputs = Inputs::new(&source, sets, balance, &[]);
    let mut p = part(Command::Simulate, s.name.clone(), shard::scenario_hash(&s), inputs, shard);
    p.method = "monte-carlo".into();
    (p.seed, p.trials, p.range, p.threads) =
        (Some(config.seed), Some(config.trials), [range.start, range.end], config.threads);
    p.elapsed_s = started.elapsed().as_secs_f64();
    p.results = vec![Tally::of(&run.estimate)];
    export::write_atomic(out, &shard::to_bytes(&p))?;
    println!(
        "shard {}/{} of {}: batches {}..{} ({votes} of {} votes), part written to {}",
        shard.index,
        shard.count,
        s.name,
        range.start,
        range.end,
        config.trials,
        out.display()
    );
    Ok(())
}

/// `sweep --shard K/N --out PART.json`.
pub fn sweep_shard(args: &SweepArgs, shard: Shard) -> Result<()> {
    let out = part_path(args.out.as_deref(), args.json || args.plot.is_some())?;
    let source = resolve(args.scenario.as_deref())?;
    let (sets, balance) = (&args.edits.sets, args.edits.balance.as_deref());
    let axes = cli::axes(&args.vary)?;
    let plan = sweep::Plan::with_sets(&source, &cli::assignments(sets)?, axes, balance)?;
    if args.exact {
        plan.check_exact(Some(&source))?;
    }
    let range = shard.range(plan.len() as u64);
    let mine = sweep::Plan {
        scenario: plan.scenario.clone(),
        axes: plan.axes.clone(),
        points: plan.points[range.start as usize..range.end as usize].to_vec(),
    };
    let method = if args.exact { sweep::Method::Exact } else { sweep::Method::MonteCarlo(config(&args.monte_carlo)) };
    progress::install_interrupt();
    let bar = Progress::new(mine.len() as u64, args.quiet);
    let started = Instant::now();
    let results = sweep::run(&mine, &method, &Controls { progress: &|n| bar.update(n), stop: &STOP })?;
    bar.finish();
    if results.len() < mine.len() {
        return Err(Error::Other("interrupted: no part file was written".into()));
    }
    let inputs = Inputs::new(&source, sets, balance, &args.vary);
    let mut p = part(Command::Sweep, plan.scenario.clone(), shard::plan_hash(&plan), inputs, shard);
    match &method {
        sweep::Method::Exact => p.method = "exact".into(),
        sweep::Method::MonteCarlo(c) => {
            (p.method, p.seed, p.trials, p.threads) = ("monte-carlo".into(), Some(c.seed), Some(c.trials), c.threads)
        }
    }
    p.range = [range.start, range.end];
    p.elapsed_s = started.elapsed().as_secs_f64();
    p.results = results.iter().map(Tally::of).collect();
    export::write_atomic(out, &shard::to_bytes(&p))?;
    println!(
        "shard {}/{} of the sweep of {}: grid points {}..{} of {}, part written to {}",
        shard.index,
        shard.count,
        plan.scenario,
        range.start,
        range.end,
        plan.len(),
        out.display()
    );
    Ok(())
}

/// `merge PART.json...`: checks the parts and reports like the unsharded run.
pub fn merge(args: &MergeArgs) -> Result<()> {
    super::check_plot(args.plot.as_deref())?;
    let outputs = summary_outputs(cli::csv_and_chart(args.out.as_deref(), args.plot.as_deref()), args.json)?;
    let merged = shard::merge(&args.parts)?;
    let inputs = &merged.first.inputs;
    let invalid = |e: Error| {
        let why = super::outputs::message(&e);
        Error::Usage(format!("{}: its scenario does not validate: {why}", merged.file.display()))
    };
    match merged.first.command {
        Command::Simulate => {
            let sets = cli::assignments(&inputs.edits).map_err(|e| invalid(e.into()))?;
            let s: Scenario =
                sweep::set::apply(&inputs.source(), &sets, inputs.balance.as_deref()).map_err(invalid)?.scenario;
            merged.check_scenario(&s)?;
            let info = RunInfo {
                seed: merged.first.seed,
                threads: merged.threads,
                elapsed_s: merged.elapsed_s,
                ..RunInfo::new(&s)
            };
            let d = Distribution { estimate: merged.results[0].clone(), info };
            // The parts hold no margin counts: the chart has no margin panel.
            let chart = args.plot.as_ref().map(|_| {
                let frame = plot::Frame::for_estimate(&s, &d.estimate, args.plot_size);
                plot::distribution(&frame, &d.estimate, d.info.needed, None)
            });
            let svg = chart.transpose()?.map(|c| export::svg::distribution(&d, c));
            emit(&outputs, &Charted { result: &d, svg, size: args.plot_size })
        }
        Command::Sweep => {
            let source = inputs.source();
            let sets = cli::assignments(&inputs.edits).map_err(|e| invalid(e.into()))?;
            let axes = cli::axes(&inputs.vary).map_err(|e| invalid(e.into()))?;
            let plan = sweep::Plan::with_sets(&source, &sets, axes, inputs.balance.as_deref()).map_err(invalid)?;
            merged.check_plan(&plan)?;
            let points: Vec<sweep::Point> = merged.results.iter().map(sweep::Point::of).collect();
            let results = &points[..];
            let result = export::Sweep { plan: &plan, results };
            let chart = match (&args.plot, plot::sweep_frame(&plan, results, args.plot_size)) {
                (Some(_), Some(frame)) => Some(export::svg::sweep(&result, plot::sweep(&frame, &plan, results)?)),
                _ => None,
            };
            emit(&outputs, &Charted { result: &result, svg: chart, size: args.plot_size })
        }
    }
}
