//! Results and the formats they are written in: results → formats, one way.
//!
//! In the manner of hyperfine's exporters: each kind of result is one
//! serialisable type ([`Distribution`], [`Sweep`], [`crate::bench::Report`]),
//! and each format is one module that writes every result type it supports:
//!
//! | module | format | writes |
//! |---|---|---|
//! | [`csv`] | CSV | distribution, sweep, bench |
//! | [`json`] | pretty JSON, keys in the order written | distribution, sweep, bench |
//! | [`text`] | the terminal summary | distribution, sweep, bench |
//! | [`svg`] | SVG pictures (drawn by [`crate::plot`]) | distribution, sweep |
//!
//! A result type implements [`Render`], which picks the format module's function.
//! [`file`](mod@file) checks where outputs go before any work ([`Outputs::check`]) and writes
//! them all or none afterwards ([`Outputs::write`]). The binary asks once for the
//! outputs the user named and hands the finished result over.
//!
//! **Partial results.** A result that was interrupted says so in every format:
//! `"partial": true` in JSON, a last line `# partial: …` in CSV (a reader such as
//! `pandas.read_csv(…, comment="#")` skips it; a strict reader stops on it), a
//! `PARTIAL` line in text, and a `PARTIAL` banner on a picture.
//!
//! **Adding a result type** (explain, backtest, timeline, a shard's part): define
//! the type (owning or borrowing its data) with what every format needs, derive or
//! write `Serialize` for its JSON (field order is the key order), add one function
//! per format in the format modules (`csv::explain`, `text::explain`, …), and
//! implement [`Render`] by matching on [`Format`]; the binary then builds
//! `Output`s for its flags and calls [`Outputs::write`]. Pin each format with a
//! snapshot test in `tests/snapshots.rs`. **Adding a format** (PNG): add a
//! [`Format`] variant with its extension and name, a module, and the arm in each
//! `Render` that supports it; a result that does not returns [`unsupported`].

pub mod csv;
pub mod file;
pub mod json;
mod results;
pub mod svg;
pub mod text;

pub use file::{Output, Outputs, Target, write_atomic};
pub use results::{Charted, Distribution, RunInfo, Sweep};

use crate::error::{Error, Result};

/// A format an output can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Pretty-printed JSON.
    Json,
    /// Text for people.
    Text,
    /// An SVG picture.
    Svg,
    /// A PNG picture (the SVG rasterised).
    Png,
}

impl Format {
    /// The file name extension a file of this format must have (none for text).
    pub fn extension(self) -> Option<&'static str> {
        match self {
            Format::Csv => Some("csv"),
            Format::Json => Some("json"),
            Format::Text => None,
            Format::Svg => Some("svg"),
            Format::Png => Some("png"),
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "CSV",
            Format::Json => "JSON",
            Format::Text => "text",
            Format::Svg => "an SVG picture",
            Format::Png => "a PNG picture",
        }
    }
}

/// A result that can be written in some formats.
pub trait Render {
    /// The result in `format`, or an error if it has no such form.
    fn render(&self, format: Format) -> Result<Vec<u8>>;
}

/// The error for a format a result does not support.
pub fn unsupported(what: &str, format: Format) -> Error {
    Error::Other(format!("{what} cannot be written as {}", format.name()))
}

/// Simulated votes per second (0 when nothing was timed).
pub fn votes_per_second(trials: u64, seconds: f64) -> f64 {
    if seconds > 0.0 { trials as f64 / seconds } else { 0.0 }
}

/// Any serialisable value as pretty-printed JSON.
pub fn to_json<T: serde::Serialize>(value: &T) -> String {
    json::pretty(value)
}
