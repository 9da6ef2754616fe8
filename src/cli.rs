//! The command line (docs/reference.md §3), as clap derive structs.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use whipcount::error::EditError;
use whipcount::export::{Format, Output};
use whipcount::plot::Size;
use whipcount::shard::Shard;
use whipcount::sweep::{Assignment, Axis};

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
    /// Who decides the vote: P(pass) if each bloc (or named member) votes one way.
    Explain(ExplainArgs),
    /// Sampler throughput at several thread counts.
    Bench(BenchArgs),
    /// Validate scenarios; print the resolved blocs and the threshold.
    Check(CheckArgs),
    /// List the built-in scenarios.
    Scenarios,
    /// Combine the part files of a sharded `simulate` or `sweep` (--shard K/N).
    Merge(MergeArgs),
    /// Score forecasts against the recorded results (Brier, log loss, PIT, coverage).
    Backtest(BacktestArgs),
    /// P(pass) of dated scenarios in date order: how the odds moved.
    Timeline(TimelineArgs),
}

/// What-if edits of the scenario (docs/reference.md §5), on every command that takes one.
#[derive(Debug, Clone, Default, Args)]
pub struct SetArgs {
    /// Set PARAM=VALUE before running, with the --vary spelling (repeatable), e.g.
    /// 'MQM-P.switch=0.5', 'PTI rebels.seats=30', '"CDU/CSU".defect=0.1', rule.needed=180.
    #[arg(long = "set", value_name = "PARAM=VALUE")]
    pub sets: Vec<String>,
    /// The bloc that gains or loses the seats a `seats` --set (or --vary) moves.
    #[arg(long, value_name = "BLOC")]
    pub balance: Option<String>,
}

impl SetArgs {
    /// The `--set` edits, parsed.
    pub fn assignments(&self) -> Result<Vec<Assignment>, EditError> {
        assignments(&self.sets)
    }
}

/// `--set` texts (as given, or as a part file keeps them), parsed.
pub fn assignments(sets: &[String]) -> Result<Vec<Assignment>, EditError> {
    sets.iter().map(|t| t.parse()).collect()
}

/// `--vary` texts (as given, or as a part file keeps them), parsed.
pub fn axes(vary: &[String]) -> Result<Vec<Axis>, EditError> {
    vary.iter().map(|t| t.parse()).collect()
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
    pub edits: SetArgs,
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
    /// Write the distribution of counted yes votes as CSV (`-`: standard output).
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print a machine-readable summary instead of text.
    #[arg(long)]
    pub json: bool,
    /// Draw the distribution (and the deciding margin under a vote-based rule) as
    /// a chart: FILE.svg or FILE.png, by the extension (`-`: SVG on standard output).
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,
    /// The chart's size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1200x675")]
    pub plot_size: Size,
}

impl DistributionOutputs {
    /// The file outputs asked for (the summary is added by the caller).
    pub fn files(&self) -> Vec<Output> {
        csv_and_chart(self.out.as_deref(), self.plot.as_deref())
    }
}

/// The `--out FILE.csv` and `--plot` files asked for, in that order.
pub fn csv_and_chart(out: Option<&std::path::Path>, plot: Option<&std::path::Path>) -> Vec<Output> {
    let out = out.map(|p| Output::new("--out", Format::Csv, p));
    let plot = plot.map(|p| Output::new("--plot", chart_format(p), p));
    out.into_iter().chain(plot).collect()
}

/// The format of a `--plot` file: PNG by its extension, else SVG (`-` included).
pub fn chart_format(path: &std::path::Path) -> Format {
    let png = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if png { Format::Png } else { Format::Svg }
}

#[derive(Debug, Clone, Args)]
pub struct ExactArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub edits: SetArgs,
    /// No progress bar (it appears on a terminal after a second of work).
    #[arg(short, long)]
    pub quiet: bool,
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
    #[command(flatten)]
    pub edits: SetArgs,
    /// Use the exact engine at every point instead of Monte Carlo.
    #[arg(long, conflicts_with_all = ["trials", "precision"])]
    pub exact: bool,
    #[command(flatten)]
    pub monte_carlo: MonteCarloArgs,
    /// Write the sweep as CSV (`-`: standard output).
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print the sweep as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Draw P(pass) against the parameter (a heat map for two): FILE.svg or FILE.png (`-`: SVG on standard output).
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,
    /// The chart's size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1200x675")]
    pub plot_size: Size,
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
    /// Draw the distribution (or the sweep): FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,
    /// The chart's size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1200x675")]
    pub plot_size: Size,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub edits: SetArgs,
    /// Use the exact engine (the default).
    #[arg(long, conflicts_with = "trials")]
    pub exact: bool,
    /// Estimate by Monte Carlo from N simulated votes instead, with standard errors.
    #[arg(long, value_parser = parse_count)]
    pub trials: Option<u64>,
    /// Seed of the generator (Monte Carlo).
    #[arg(long, default_value_t = whipcount::sampler::DEFAULT_SEED)]
    pub seed: u64,
    /// Worker threads for Monte Carlo [default: all cores]; the output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// The lean L: p_lean_down/up multiply the unit's odds of yes by e^−L and e^+L.
    #[arg(long, default_value_t = whipcount::explain::DEFAULT_LEAN, value_parser = parse_lean)]
    pub lean: f64,
    /// Also explain every named member (BLOC/MEMBER).
    #[arg(long)]
    pub members: bool,
    /// Write one row per unit as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Draw a tornado chart (each unit leaned by e^∓L): FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,
    /// The chart's size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1200x675")]
    pub plot_size: Size,
    /// Print JSON instead of the table.
    #[arg(long)]
    pub json: bool,
}

fn parse_lean(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(l) if (0.0..=50.0).contains(&l) => Ok(l),
        _ => Err(format!("`{text}` is not a lean: give L in [0, 50], e.g. 1 (odds ×e and ÷e)")),
    }
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// A scenario file or built-in name.
    pub scenario: Option<String>,
    #[command(flatten)]
    pub edits: SetArgs,
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
    /// Also print how the sampler draws each bloc (its fast path).
    #[arg(long)]
    pub paths: bool,
    #[command(flatten)]
    pub edits: SetArgs,
}

/// How `timeline` and `backtest` forecast each scenario, and where they write.
#[derive(Debug, Clone, Args)]
pub struct ForecastArgs {
    #[command(flatten)]
    pub edits: SetArgs,
    /// Use the exact engine (the default unless --trials or --precision is given).
    #[arg(long, conflicts_with_all = ["trials", "precision"])]
    pub exact: bool,
    #[command(flatten)]
    pub monte_carlo: MonteCarloArgs,
    /// Write the table as CSV.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Draw a chart (backtest: calibration and PIT; timeline: P(pass) by date):
    /// FILE.svg or FILE.png.
    #[arg(long, value_name = "FILE.svg|FILE.png")]
    pub plot: Option<PathBuf>,
    /// The chart's size in pixels.
    #[arg(long, value_name = "WxH", default_value = "1200x675")]
    pub plot_size: Size,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct BacktestArgs {
    /// Scenario files or built-in names [default: every built-in scenario with a result].
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub forecast: ForecastArgs,
}

#[derive(Debug, Clone, Args)]
pub struct TimelineArgs {
    /// Scenario files or built-in names, each with `[scenario] date`.
    #[arg(required = true)]
    pub scenarios: Vec<String>,
    #[command(flatten)]
    pub forecast: ForecastArgs,
}

/// The most trials a run may ask for: 10^18, some centuries at a billion votes a second.
pub const MAX_TRIALS: u64 = 1_000_000_000_000_000_000;

/// A count such as 1000000, 1_000_000, 1,000,000 or 1e6, from 1 to [`MAX_TRIALS`].
pub fn parse_count(text: &str) -> Result<u64, String> {
    let plain: String = text.chars().filter(|c| !matches!(c, '_' | ',')).collect();
    let in_range = |n: u64| match n {
        0 => Err("the number of trials must be at least 1".to_string()),
        n if n > MAX_TRIALS => Err(format!("`{text}` is more than the most trials a run may ask for, 10^18 (1e18)")),
        n => Ok(n),
    };
    if let Ok(n) = plain.parse::<u64>() {
        return in_range(n);
    }
    match plain.parse::<f64>() {
        Ok(x) if x > MAX_TRIALS as f64 => in_range(u64::MAX),
        Ok(x) if x >= 0.0 && x.fract() == 0.0 => in_range(x as u64),
        _ => Err(format!("`{text}` is not a whole number of trials (try 1000000, 1_000_000 or 1e6)")),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_in_every_spelling() {
        for text in ["1000000", "1_000_000", "1,000,000", "1e6"] {
            assert_eq!(parse_count(text), Ok(1_000_000), "{text}");
        }
        assert_eq!(parse_count("1.5e6"), Ok(1_500_000));
        assert_eq!(parse_count("1e18"), Ok(MAX_TRIALS));
    }

    #[test]
    fn too_many_trials_is_said_to_be_too_many_in_every_spelling() {
        for text in ["1e19", "10000000000000000000", "99999999999999999999999", "1e400", "1_000_000_000_000_000_001"] {
            let e = parse_count(text).unwrap_err();
            assert!(e.contains("more than the most trials") && e.contains("1e18"), "{text}: {e}");
        }
    }

    #[test]
    fn what_is_not_a_count_is_said_to_be_no_whole_number() {
        for text in ["lots", "1.5", "-3", "1e-3", "NaN"] {
            assert!(parse_count(text).unwrap_err().contains("not a whole number"), "{text}");
        }
        assert!(parse_count("0").unwrap_err().contains("at least 1"));
    }
}
