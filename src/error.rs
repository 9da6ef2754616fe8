//! Errors of the library, and the exit status each one maps to.
//!
//! A [`ScenarioError`] always says where (file, line, column when known), what
//! (the bloc or member and the key) and how to fix it; the binary prints it as is.

use std::fmt;
use std::path::PathBuf;

/// Where in a scenario file a problem sits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file path or `built-in:NAME`.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl Location {
    /// A location that names only the file.
    pub fn file(file: &str) -> Self {
        Location { file: file.to_string(), line: None, column: None }
    }

    /// The location of byte `offset` in `source`.
    pub fn at(file: &str, source: &str, offset: usize) -> Self {
        let before = &source[..offset.min(source.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Location { file: file.to_string(), line: Some(line), column: Some(column) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = self.column {
            write!(f, ":{column}")?;
        }
        Ok(())
    }
}

/// A scenario that cannot be read or does not make sense.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    /// Where the problem is.
    pub location: Location,
    /// The bloc, member or table the problem belongs to, e.g. `bloc "PTI rebels"`.
    pub context: Option<String>,
    /// The offending key, e.g. `cohesion`.
    pub key: Option<String>,
    /// What is wrong and what would be valid.
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.location)?;
        match (&self.context, &self.key) {
            (Some(c), Some(k)) => write!(f, "{c}, key `{k}`: ")?,
            (Some(c), None) => write!(f, "{c}: ")?,
            (None, Some(k)) => write!(f, "key `{k}`: ")?,
            (None, None) => {}
        }
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// Every failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario is unreadable or invalid (exit status 2).
    #[error("{0}")]
    Scenario(#[from] Box<ScenarioError>),
    /// The command line asks for something impossible (exit status 2).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file failed (exit status 1).
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Anything else (exit status 1).
    #[error("{0}")]
    Other(String),
}

impl Error {
    /// The process exit status for this error: 2 for usage and scenario errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) => 2,
            Error::Io { .. } | Error::Other(_) => 1,
        }
    }
}

impl From<ScenarioError> for Error {
    fn from(e: ScenarioError) -> Self {
        Error::Scenario(Box::new(e))
    }
}

/// Result type of the library.
pub type Result<T> = std::result::Result<T, Error>;
