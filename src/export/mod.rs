//! Results and the formats they are written in: results → formats, one way.
//!
//! In the manner of hyperfine's exporters: each kind of result is plain data
//! ([`Distribution`], [`Sweep`], [`crate::bench::Report`],
//! [`crate::explain::Explanation`], [`crate::timeline::Entry`],
//! [`crate::backtest::Score`]) that knows nothing of formats, and this module
//! writes them. The results of `simulate`, `exact`, `sweep` and `bench` share one
//! module per format; `explain`, `timeline` and `backtest`, each with columns of
//! its own (docs/reference.md §6–§8), have one module holding their three formats:
//!
//! | module | format | writes |
//! |---|---|---|
//! | [`csv`] | CSV | distribution, sweep, bench |
//! | [`json`] | pretty JSON, keys in the order written | distribution, sweep, bench |
//! | [`text`] | the terminal summary | distribution, sweep, bench |
//! | [`svg`] | SVG pictures (drawn by [`crate::plot`]) | distribution, sweep |
//! | [`explain`](mod@explain), [`timeline`](mod@timeline), [`backtest`](mod@backtest) | CSV, JSON, text | their result |
//!
//! Result modules never use this one: results → formats, one way.
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
//! **Adding a result type** (a shard's part, say): define the type in its result
//! module (owning or borrowing its data) with what every format needs, derive
//! `Serialize` there if its JSON is its fields, add one function per format here
//! (in the format modules, or one module of its own), and implement [`Render`]
//! here by matching on [`Format`]; the binary then builds
//! `Output`s for its flags and calls [`Outputs::write`]. Pin each format with a
//! snapshot test in `tests/snapshots.rs`. **Adding a format** (PNG): add a
//! [`Format`] variant with its extension and name, a module, and the arm in each
//! `Render` that supports it; a result that does not returns [`unsupported`].

pub mod backtest;
pub mod csv;
pub mod explain;
pub mod file;
pub mod json;
mod render;
mod results;
pub mod svg;
pub mod text;
pub mod timeline;

pub use file::{Output, Outputs, Target, write_atomic};
pub use render::Charted;
pub use results::{Backtest, Distribution, RunInfo, Sweep, Timeline};

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
