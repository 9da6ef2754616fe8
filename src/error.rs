//! Errors of the library, and the exit status each one maps to.
//!
//! A [`ScenarioError`] always says where (file, line, column when known), what
//! (the bloc or member and the key) and how to fix it; the binary prints it as is.
//! Every message passes through [`crate::text::escape`], so text taken from a scenario
//! file cannot reach the terminal as control characters.

use crate::text::escape;
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

impl ScenarioError {
    /// A problem at `location`, described by `message` (what is wrong and what would be valid).
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        ScenarioError { location, context: None, key: None, message: message.into() }
    }

    /// A problem with the file as a whole.
    pub fn in_file(file: &str, message: impl Into<String>) -> Self {
        Self::new(Location::file(file), message)
    }

    /// The same problem, said to belong to `context` (a table, bloc or member).
    pub fn with_context(self, context: impl Into<String>) -> Self {
        ScenarioError { context: Some(context.into()), ..self }
    }

    /// The same problem, said to concern `key`.
    pub fn with_key(self, key: impl Into<String>) -> Self {
        ScenarioError { key: Some(key.into()), ..self }
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", escape(&self.location.to_string()))?;
        match (&self.context, &self.key) {
            (Some(c), Some(k)) => write!(f, "{}, key `{}`: ", escape(c), escape(k))?,
            (Some(c), None) => write!(f, "{}: ", escape(c))?,
            (None, Some(k)) => write!(f, "key `{}`: ", escape(k))?,
            (None, None) => {}
        }
        write!(f, "{}", escape(&self.message))
    }
}

impl std::error::Error for ScenarioError {}

/// A setting of a run that the library can refuse, named in library terms; the
/// command line maps each to its flag (`Threads` is `--threads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The number of worker threads.
    Threads,
}

impl Setting {
    /// The setting's name in library terms.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Threads => "threads",
        }
    }
}

/// Every failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario is unreadable or invalid (exit status 2).
    #[error("{0}")]
    Scenario(#[from] Box<ScenarioError>),
    /// The command line asks for something impossible (exit status 2).
    #[error("{}", escape(.0))]
    Usage(String),
    /// A run setting is impossible (exit status 2); the binary names it by its flag.
    #[error("{}: {}", setting.name(), escape(message))]
    Setting {
        /// Which setting.
        setting: Setting,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// Some of several scenarios were invalid, each already reported on its own (exit status 2).
    #[error("{invalid} of the {of} scenarios {}", if *invalid == 1 { "is invalid" } else { "are invalid" })]
    Invalid {
        /// How many failed.
        invalid: usize,
        /// How many were given.
        of: usize,
    },
    /// Reading or writing a file failed (exit status 1).
    #[error("{}: {source}", escape(&path.display().to_string()))]
    Io {
        /// The file involved.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// Anything else (exit status 1).
    #[error("{}", escape(.0))]
    Other(String),
}

impl Error {
    /// The process exit status for this error: 2 for usage and scenario errors, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Scenario(_) | Error::Usage(_) | Error::Setting { .. } | Error::Invalid { .. } => 2,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_error_prints_where_what_and_why() {
        let e = ScenarioError::new(Location { file: "f.toml".into(), line: Some(3), column: Some(1) }, "is 2")
            .with_context("bloc \"a\"")
            .with_key("yes");
        assert_eq!(e.to_string(), "f.toml:3:1: bloc \"a\", key `yes`: is 2");
        assert_eq!(ScenarioError::in_file("f.toml", "empty").to_string(), "f.toml: empty");
    }

    #[test]
    fn control_characters_from_a_scenario_never_reach_the_terminal() {
        let e =
            ScenarioError::in_file("f\u{1b}[2J.toml", "no \u{7}").with_context("bloc \"\u{1b}]0;x\"").with_key("k\r");
        let shown = e.to_string();
        assert!(!shown.chars().any(char::is_control), "{shown:?}");
        assert!(shown.contains("bloc \"\\u{1b}]0;x\""), "{shown}");
        let usage = Error::Usage("no bloc \"\u{1b}[2J\"".into()).to_string();
        assert_eq!(usage, "no bloc \"\\u{1b}[2J\"");
    }
}
