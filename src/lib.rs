//! whipcount: how likely is a no-confidence motion to pass?
//!
//! A [`scenario::Scenario`] describes a chamber, the rule that decides the motion
//! and blocs of members with the probabilities of each outcome. The [`exact`]
//! engine computes the distribution of counted yes votes without sampling; the
//! [`sampler`] estimates it by parallel Monte Carlo, reproducibly for any number
//! of threads. [`sweep`] varies any parameter, [`bench`](mod@bench) measures the sampler,
//! and [`export`] writes every result as CSV, JSON, text or SVG, all outputs or
//! none; [`timeline`] compares dated scenarios and [`backtest`] scores forecasts
//! against results. This crate never prints: the `whipcount` binary does. It
//! builds without the command line (`default-features = false` drops clap,
//! indicatif and ctrlc).

pub mod backtest;
pub mod bench;
pub mod error;
pub mod exact;
pub mod explain;
pub mod export;
pub mod forecast;
pub mod margin;
pub mod model;
pub mod outcome;
pub mod plot;
pub mod report;
pub mod rules;
pub mod sampler;
pub mod scenario;
pub mod shard;
pub mod stats;
pub mod sweep;
pub mod text;
pub mod timeline;

pub use error::{Error, Result};
