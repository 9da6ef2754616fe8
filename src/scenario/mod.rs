//! Validated scenarios: the chamber, the rule, the swing and the blocs.
//!
//! Engines only ever see these types. They are built by [`load`] (from a file or
//! a built-in name) or [`parse`] (from text), which check every rule of docs/reference.md §1–2.

mod builtin;
mod hints;
pub(crate) mod locate;
mod probs;
pub mod raw;
pub mod result;
mod validate;

pub use crate::outcome::{Outcome, Whip};
pub use builtin::{BUILTIN, DEFAULT_SCENARIO, builtin_names, find_builtin};
pub use probs::Probs;
pub use result::VoteResult;
pub use validate::from_raw;

use crate::error::{Error, Location, Result, ScenarioError};
use crate::rules::Rule;
use std::io::ErrorKind;
use std::path::Path;

/// A named member with probabilities of their own.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Unique within the bloc.
    pub name: String,
    /// Resolved probabilities.
    pub probs: Probs,
}

/// Members sharing a whip and a probability model.
#[derive(Debug, Clone, PartialEq)]
pub struct Bloc {
    /// Unique label.
    pub name: String,
    /// Parliamentary party.
    pub party: String,
    /// Number of members, named ones included.
    pub seats: u32,
    /// The party's direction.
    pub whip: Whip,
    /// Probabilities of the unnamed members.
    pub probs: Probs,
    /// Intra-bloc correlation ρ of the unnamed members, in [0, 1].
    pub cohesion: f64,
    /// Probability that the bloc reverses its direction, in [0, 1].
    pub switch: f64,
    /// Whether the chamber-wide swing moves this bloc.
    pub swing: bool,
    /// Named members.
    pub members: Vec<Member>,
}

impl Bloc {
    /// Members that are not named.
    pub fn unnamed(&self) -> u32 {
        self.seats - self.members.len() as u32
    }
}

/// Total membership and vacancies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chamber {
    /// Total membership.
    pub seats: u32,
    /// Seats nobody holds.
    pub vacancies: u32,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Short identifier.
    pub name: String,
    /// One-line description.
    pub title: String,
    /// The date the scenario describes.
    pub date: Option<String>,
    /// Citations.
    pub sources: Vec<String>,
    /// The chamber.
    pub chamber: Chamber,
    /// How the motion is decided.
    pub rule: Rule,
    /// σ of the chamber-wide swing; 0 for none.
    pub swing_sd: f64,
    /// The blocs, in file order.
    pub blocs: Vec<Bloc>,
    /// What really happened, when recorded (`[result]`).
    pub result: Option<VoteResult>,
}

impl Scenario {
    /// Whether any member's probabilities depend on the chamber-wide swing.
    pub fn has_swing(&self) -> bool {
        self.swing_sd > 0.0 && self.blocs.iter().any(|b| b.swing && b.seats > 0)
    }
}

/// A scenario's text and where it came from.
#[derive(Debug, Clone)]
pub struct Source {
    /// File path or `built-in:NAME`, for messages.
    pub origin: String,
    /// Default name: the file stem or the built-in name.
    pub stem: String,
    /// The TOML text.
    pub text: String,
}

impl Source {
    /// Reads `arg` as a file path if one exists, else as a built-in name.
    pub fn resolve(arg: &str) -> Result<Source> {
        let path = Path::new(arg);
        match std::fs::metadata(path) {
            Ok(m) if m.is_file() => {
                let bytes = std::fs::read(path).map_err(|e| unreadable(arg, e))?;
                let text = utf8(bytes, arg)?;
                let stem = path.file_stem().map_or(arg.into(), |s| s.to_string_lossy().into());
                Ok(Source { origin: arg.to_string(), stem, text })
            }
            Ok(_) => Err(unreadable(arg, std::io::Error::other("it is not a regular file"))),
            Err(e) if !matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => Err(unreadable(arg, e)),
            Err(_) => match find_builtin(arg) {
                Some(text) => {
                    Ok(Source { origin: format!("built-in:{arg}"), stem: arg.to_string(), text: text.to_string() })
                }
                None => Err(not_found(arg)),
            },
        }
    }

    /// Parses and validates the text.
    pub fn parse(&self) -> Result<Scenario> {
        parse(&self.text, &self.origin, &self.stem)
    }
}

/// The file's bytes as text, or an error at the line and column of the first byte that is not UTF-8.
fn utf8(bytes: Vec<u8>, origin: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let message = format!(
            "byte 0x{:02X} is not UTF-8 text; save the file as UTF-8 (names may use any language)",
            bytes[valid]
        );
        ScenarioError::new(Location::at(origin, before, valid), message).into()
    })
}

fn unreadable(arg: &str, e: std::io::Error) -> Error {
    ScenarioError::in_file(arg, format!("cannot read the scenario file: {e}")).into()
}

fn not_found(arg: &str) -> Error {
    let message =
        format!("no such file, and no built-in scenario of that name; built-ins are: {}", builtin_names().join(", "));
    ScenarioError::in_file(arg, message).into()
}

/// Loads a scenario from a file path or a built-in name (`None`: the default).
pub fn load(arg: Option<&str>) -> Result<Scenario> {
    Source::resolve(arg.unwrap_or(DEFAULT_SCENARIO))?.parse()
}

/// Parses TOML `text`; `origin` names it in errors and `stem` is the default name.
pub fn parse(text: &str, origin: &str, stem: &str) -> Result<Scenario> {
    let raw = parse_raw(text, origin)?;
    from_raw(&raw, text, origin, stem)
}

/// Parses TOML `text` into the unvalidated structs.
pub fn parse_raw(text: &str, origin: &str) -> Result<raw::RawScenario> {
    if text.trim().is_empty() {
        let message = "the file is empty; a scenario needs a [chamber] table and at least one [[bloc]]";
        return Err(ScenarioError::in_file(origin, message).into());
    }
    toml::from_str(text).map_err(|e| hints::toml_error(&e, text, origin).into())
}
