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
    /// The edits the scenario was validated under, said before the message.
    pub under: Under,
}

/// The edits a scenario was validated under: a sweep point and set edits, said
/// before its problem so that a user sees which edit broke it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Under {
    /// The sweep point's `PARAM=VALUE`s, when the problem is at one grid point.
    pub point: Vec<String>,
    /// The set edits as `PARAM=VALUE`, in order.
    pub sets: Vec<String>,
    /// Whether to suggest a balance bloc to take up the seats that a sweep moves.
    pub suggest_balance: bool,
}

impl ScenarioError {
    /// A problem at `location`, described by `message` (what is wrong and what would be valid).
    pub fn new(location: Location, message: impl Into<String>) -> Self {
        ScenarioError { location, context: None, key: None, message: message.into(), under: Under::default() }
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

impl ScenarioError {
    /// The problem as one line, the edits named by `name` (the command line
    /// passes its flags; [`Display`](fmt::Display) uses [`Edit::name`]).
    pub fn describe(&self, name: Naming) -> String {
        let mut out = format!("{}: ", escape(&self.location.to_string()));
        match (&self.context, &self.key) {
            (Some(c), Some(k)) => out += &format!("{}, key `{}`: ", escape(c), escape(k)),
            (Some(c), None) => out += &format!("{}: ", escape(c)),
            (None, Some(k)) => out += &format!("key `{}`: ", escape(k)),
            (None, None) => {}
        }
        let under = &self.under;
        if !under.point.is_empty() {
            out += &format!("at the sweep point {}: ", escape(&under.point.join(", ")));
        }
        if !under.sets.is_empty() {
            let set = name(Edit::Set);
            out += &format!("with {set} {}: ", escape(&under.sets.join(&format!(" {set} "))));
        }
        out += &escape(&self.message);
        if under.suggest_balance {
            out +=
                &format!("; name a bloc with {} BLOC to take up the seats that the sweep moves", name(Edit::Balance));
        }
        out
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Edit::name))
    }
}

impl std::error::Error for ScenarioError {}

/// A setting of a run that the library can refuse, named in library terms; the
/// command line maps each to its flag (`Threads` is `--threads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// The number of worker threads.
    Threads,
    /// The file a chart is written to.
    Chart,
}

impl Setting {
    /// The setting's name in library terms.
    pub fn name(self) -> &'static str {
        match self {
            Setting::Threads => "threads",
            Setting::Chart => "chart file",
        }
    }
}

/// A kind of edit of a scenario; the command line names each by its flag
/// (`Set` is `--set`), the library by [`Edit::name`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    /// A parameter set to one value.
    Set,
    /// A parameter swept over values: an axis of a sweep.
    Vary,
    /// The bloc that takes up the seats an edit moves.
    Balance,
    /// The way to try several values of a parameter: a sweep.
    Sweep,
}

impl Edit {
    /// The edit's name in library terms.
    pub fn name(self) -> &'static str {
        match self {
            Edit::Set => "set",
            Edit::Vary => "vary",
            Edit::Balance => "balance",
            Edit::Sweep => "a sweep",
        }
    }
}

/// How messages name the kinds of edit: [`Edit::name`], or the command line's flags.
pub type Naming = fn(Edit) -> &'static str;

/// An edit of a scenario that cannot be made (exit status 2). Its text names the
/// edits through a [`Naming`], so the command line can say `--set` where the
/// library says `set`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    /// An edit that is not `PARAM=VALUES`, names no parameter or bloc, or gives
    /// values the parameter cannot take; `subject` is what the user wrote.
    Invalid {
        /// The kind of edit.
        edit: Edit,
        /// The edit as written (empty when there is nothing to quote).
        subject: String,
        /// What is wrong and what would be valid.
        message: String,
    },
    /// A set edit gives several values.
    SeveralValues {
        /// The parameter as written.
        label: String,
    },
    /// Two edits of one kind name the same parameter.
    Repeated {
        /// The kind of edit.
        edit: Edit,
        /// The first, as written.
        first: String,
        /// The second, as written.
        second: String,
    },
    /// A swept parameter is also set.
    SetAndVaried {
        /// The parameter as written.
        label: String,
    },
    /// A sweep varies not one or two parameters.
    Axes,
    /// The balance bloc is one whose seats the edits change.
    BalancesItself {
        /// The bloc.
        bloc: String,
    },
    /// A balance bloc is named, but no edit moves seats.
    NothingToBalance {
        /// The bloc.
        bloc: String,
    },
}

impl EditError {
    /// The problem as one line, the edits named by `name`.
    pub fn describe(&self, name: Naming) -> String {
        let (set, vary, balance) = (name(Edit::Set), name(Edit::Vary), name(Edit::Balance));
        let text = match self {
            EditError::Invalid { edit, subject, message } if subject.is_empty() => {
                format!("{}: {message}", name(*edit))
            }
            EditError::Invalid { edit, subject, message } => format!("{} {subject}: {message}", name(*edit)),
            EditError::SeveralValues { label } => {
                format!("{set} {label}: give one value; to try several, use {}", name(Edit::Sweep))
            }
            EditError::Repeated { edit, first, second } => {
                let e = name(*edit);
                format!("{e} {first} and {e} {second} name the same parameter; give it once")
            }
            EditError::SetAndVaried { label } => {
                format!("{vary} {label} and a {set} name the same parameter; give it once")
            }
            EditError::Axes => format!("give one {vary} for a curve or two for a grid"),
            EditError::BalancesItself { bloc } => format!(
                "{balance} {bloc}: this is the bloc whose seats are changed, so it cannot also take them up; name another bloc (e.g. the party's loyal members)"
            ),
            EditError::NothingToBalance { bloc } => format!(
                "{balance} {bloc}: nothing changes a bloc's seats; {balance} takes up the seats that a `BLOC.seats` {set} or {vary} moves"
            ),
        };
        escape(&text).into_owned()
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe(Edit::name))
    }
}

impl std::error::Error for EditError {}

/// Every failure the library reports.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario is unreadable or invalid (exit status 2).
    #[error("{0}")]
    Scenario(#[from] Box<ScenarioError>),
    /// The command line asks for something impossible (exit status 2).
    #[error("{}", escape(.0))]
    Usage(String),
    /// An edit of the scenario cannot be made (exit status 2).
    #[error("{0}")]
    Edit(#[from] EditError),
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
            Error::Scenario(_) | Error::Usage(_) | Error::Edit(_) | Error::Setting { .. } | Error::Invalid { .. } => 2,
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
