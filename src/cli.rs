//! The command line (docs/reference.md §3), as clap derive structs.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use whipcount::shard::Shard;

/// How likely is a no-confidence motion to pass?
///
/// Without a subcommand, runs `simulate` on SCENARIO (or the built-in default,
/// Pakistan on 30 March 2022).
#[derive(Debug, Parser)]
#[command(name = "whipcount", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub simulate: SimulateArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Monte Carlo: simulate many votes and count how often the motion passes.
    Simulate(SimulateArgs),
    /// The exact distribution of counted yes votes, without sampling.
    Exact(ExactArgs),
    /// P(pass) over a range of one or two parameters.
    Sweep(SweepArgs),
    /// Sampler throughput at several thread counts.
    Bench(BenchArgs),
    /// Validate scenarios; print the resolved blocs and the threshold.
    Check(CheckArgs),
    /// List the built-in scenarios.
    Scenarios,
    /// Combine the part files of a sharded `simulate` or `sweep` (--shard K/N).
    Merge(MergeArgs),
}

/// Options shared by every Monte Carlo run.
#[derive(Debug, Clone, Args)]
pub struct MonteCarloArgs {
    /// Simulated votes [default: 1,000,000; with --precision, the most to run: 10^10].
    /// Accepts 1000000, 1_000_000, 1,000,000 or 1e6.
    #[arg(long, value_parser = parse_count)]
    pub trials: Option<u64>,
    /// Seed of the generator; the same seed and trials give the same output.
    #[arg(long, default_value_t = whipcount::sampler::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads [default: all cores]; the output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Run until the 95% interval half-width on P(pass) is at most H.
    #[arg(long, value_name = "H", value_parser = parse_precision)]
    pub precision: Option<f64>,
    /// Simulate every bloc literally, without the alias-table fast path.
    #[arg(long, hide = true)]
    pub direct: bool,
}

#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// A scenario file, or the name of a built-in scenario (see `whipcount scenarios`).
    pub scenario: Option<String>,
    #[command(flatten)]
    pub monte_carlo: MonteCarloArgs,
    #[command(flatten)]
    pub outputs: DistributionOutputs,
    /// Simulate only the K-th of N contiguous ranges of the run's batches and write
    /// a part file to --out PART.json (combine the parts with `whipcount merge`).
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "precision")]
    pub shard: Option<Shard>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Where `simulate` and `exact` send the distribution besides the summary.
#[derive(Debug, Clone, Args)]
pub struct DistributionOutputs {
    /// Write the distribution of counted yes votes as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print a machine-readable summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Draw the distribution as an SVG bar chart.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ExactArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub outputs: DistributionOutputs,
}

#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    /// BLOC.FIELD=RANGE (or BLOC/MEMBER.FIELD, swing.sd, rule.needed, rule.fraction,
    /// rule.count-defectors=true,false); RANGE is 0..=30, 0..=30:2, 0.0..=0.5:0.05 or a
    /// list 3,5,8. Give two for a grid.
    #[arg(long, required = true, value_name = "PARAM=RANGE")]
    pub vary: Vec<String>,
    /// The bloc that gains or loses the seats a varied `seats` field moves.
    #[arg(long, value_name = "BLOC")]
    pub balance: Option<String>,
    /// Use the exact engine at every point instead of Monte Carlo.
    #[arg(long, conflicts_with_all = ["trials", "precision"])]
    pub exact: bool,
    #[command(flatten)]
    pub monte_carlo: MonteCarloArgs,
    /// Write the sweep as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print the sweep as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Draw P(pass) against the parameter (a heat map for two) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Evaluate only the K-th of N contiguous ranges of grid points and write a
    /// part file to --out PART.json (combine the parts with `whipcount merge`).
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "precision")]
    pub shard: Option<Shard>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The part files written by `simulate --shard K/N --out PART.json` (or `sweep
    /// --shard`), every shard exactly once, in any order.
    #[arg(required = true, value_name = "PART.json")]
    pub parts: Vec<PathBuf>,
    /// Write the distribution (or the sweep) as CSV, as the unsharded run would.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print a machine-readable summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Draw the distribution (or the sweep) as SVG.
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    /// Simulated votes per measurement.
    #[arg(long, value_parser = parse_count, default_value = "10000000")]
    pub trials: u64,
    /// Thread counts to measure, e.g. 1,2.
    #[arg(long, value_delimiter = ',', default_value = "1,2")]
    pub threads: Vec<usize>,
    /// Seed of the generator.
    #[arg(long, default_value_t = whipcount::sampler::DEFAULT_SEED)]
    pub seed: u64,
    /// Also measure the literal simulation (no fast path), for the speed-up ratio.
    #[arg(long)]
    pub compare_direct: bool,
    /// Timed runs per thread count, taking turns; each row reports the median.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub runs: u32,
    /// Print a JSON array instead of CSV rows.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Scenario files or built-in names.
    #[arg(required = true)]
    pub scenarios: Vec<String>,
}

/// A count such as 1000000, 1_000_000, 1,000,000 or 1e6.
pub fn parse_count(text: &str) -> Result<u64, String> {
    let plain: String = text.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    let bad = || format!("`{text}` is not a whole number of trials (try 1000000, 1_000_000 or 1e6)");
    if let Ok(n) = plain.parse::<u64>() {
        return if n == 0 { Err("the number of trials must be at least 1".into()) } else { Ok(n) };
    }
    match plain.parse::<f64>() {
        Ok(x) if (1.0..=1e18).contains(&x) && x.fract() == 0.0 => Ok(x as u64),
        _ => Err(bad()),
    }
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    Shard::parse(text)
}

fn parse_precision(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(h) if h > 0.0 && h < 0.5 => Ok(h),
        _ => Err(format!("`{text}` is not a precision: give a half-width in (0, 0.5), e.g. 0.001")),
    }
}
