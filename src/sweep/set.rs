//! What-if without editing: a parameter set to one value (`--set PARAM=VALUE`
//! on the command line, docs/reference.md §5), and the `PARAM=VALUES` syntax
//! that set edits and sweep axes share.
//!
//! An edit names a parameter exactly as a sweep's axis does and gives it one
//! value. Edits are written into the raw scenario, which is then validated like
//! a file, so an edited scenario obeys every rule a hand-written one does; a
//! failure names the edit. The edited scenario's name carries its edits,
//! `pakistan-2022-03-30 [MQM-P.switch=0.5]`, so every output says what was changed.

use super::Axis;
use super::param::{Field, Param, find};
use super::range::{self, Value};
use crate::error::{Edit, EditError, Error, Result};
use crate::scenario::raw::RawScenario;
use crate::scenario::{self, Scenario, Source};
use std::str::FromStr;

/// One set edit: a parameter and the value written into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The parameter as the user wrote it, e.g. `PTI rebels.seats`.
    pub label: String,
    /// What it names.
    pub param: Param,
    /// Its value.
    pub value: Value,
}

impl FromStr for Assignment {
    type Err = EditError;

    /// Parses `PARAM=VALUE`, e.g. `MQM-P.switch=0.5`.
    fn from_str(text: &str) -> std::result::Result<Assignment, EditError> {
        let (label, param, mut values) = parse(Edit::Set, text)?;
        if values.len() != 1 {
            return Err(EditError::SeveralValues { label });
        }
        Ok(Assignment { label, param, value: values.remove(0) })
    }
}

impl FromStr for Axis {
    type Err = EditError;

    /// Parses `PARAM=RANGE`, e.g. `PTI rebels.seats=0..=40`.
    fn from_str(text: &str) -> std::result::Result<Axis, EditError> {
        let (label, param, values) = parse(Edit::Vary, text)?;
        Ok(Axis { label, param, values })
    }
}

/// Splits `text` at its first `=` outside double quotes.
fn split_assignment(text: &str) -> Option<(&str, &str)> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '=' if !quoted => return Some((&text[..i], &text[i + 1..])),
            _ => {}
        }
    }
    None
}

/// Parses `PARAM=VALUES` of `edit` into the parameter as written, what it names and its values.
fn parse(edit: Edit, text: &str) -> std::result::Result<(String, Param, Vec<Value>), EditError> {
    let invalid = |message: String| EditError::Invalid { edit, subject: text.to_string(), message };
    let example = if edit == Edit::Set { "'MQM-P.switch=0.5'" } else { "'PTI rebels.seats=0..=40'" };
    let (label, values) = split_assignment(text)
        .ok_or_else(|| invalid(format!("write PARAM={}, e.g. {example}", edit.name().to_uppercase())))?;
    let label = label.trim();
    let param = Param::parse(label).map_err(invalid)?;
    let values = match param {
        Param::RuleCountDefectors => range::parse_booleans(values).map_err(invalid)?,
        _ => range::parse(values).map_err(invalid)?,
    };
    if let Some(v) = values.iter().find(|v| param.integral() && v.number.fract() != 0.0) {
        return Err(invalid(format!("{label} takes whole numbers, not {}", v.text)));
    }
    Ok((label.to_string(), param, values))
}

/// A scenario with its set edits applied and validated.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The raw scenario with the edits written in (its name carries them).
    pub raw: RawScenario,
    /// The validated scenario.
    pub scenario: Scenario,
    /// The edits as `PARAM=VALUE`, in the order given.
    pub edits: Vec<String>,
}

/// An error when two of `all` (labels and parameters of `edit`s) name the same parameter.
pub(super) fn no_repeats<'a>(edit: Edit, all: &[(&'a str, &'a Param)]) -> Result<()> {
    for (i, (label, param)) in all.iter().enumerate() {
        if let Some((first, _)) = all[..i].iter().find(|(_, p)| p == param) {
            return Err(EditError::Repeated { edit, first: first.to_string(), second: label.to_string() }.into());
        }
    }
    Ok(())
}

/// Checks the balance bloc against the parameters that move seats: the bloc must
/// exist, must not be one whose seats are moved, and something must move seats.
pub(super) fn check_balance(raw: &RawScenario, params: &[&Param], balance: Option<&str>) -> Result<()> {
    let Some(name) = balance else { return Ok(()) };
    find(&mut raw.clone(), name).map_err(|message| EditError::Invalid {
        edit: Edit::Balance,
        subject: String::new(),
        message,
    })?;
    let seat_blocs: Vec<&str> = params
        .iter()
        .filter_map(|p| match p {
            Param::Bloc { bloc, field: Field::Seats } => Some(bloc.as_str()),
            _ => None,
        })
        .collect();
    if seat_blocs.contains(&name) {
        return Err(EditError::BalancesItself { bloc: name.to_string() }.into());
    }
    if seat_blocs.is_empty() {
        return Err(EditError::NothingToBalance { bloc: name.to_string() }.into());
    }
    Ok(())
}

/// Writes `value` into `param` of `raw`, `balance` taking up moved seats; a
/// failure is an error of the `edit` labelled `label`.
pub(super) fn write(
    raw: &mut RawScenario,
    edit: Edit,
    label: &str,
    param: &Param,
    value: f64,
    balance: Option<&str>,
) -> Result<()> {
    param
        .apply(raw, value, balance)
        .map_err(|message| EditError::Invalid { edit, subject: label.to_string(), message }.into())
}

/// Writes `edits` into `raw`; its name and title carry them. Returns them as `PARAM=VALUE`.
pub(super) fn write_edits(
    raw: &mut RawScenario,
    stem: &str,
    edits: &[Assignment],
    balance: Option<&str>,
) -> Result<Vec<String>> {
    let mut texts = Vec::with_capacity(edits.len());
    for a in edits {
        write(raw, Edit::Set, &a.label, &a.param, a.value.number, balance)?;
        texts.push(format!("{}={}", a.label, a.value.text));
    }
    if !texts.is_empty() {
        let suffix = format!(" [{}]", texts.join(", "));
        let name = raw.scenario.name.clone().unwrap_or_else(|| stem.to_string());
        let title = raw.scenario.title.clone().unwrap_or_else(|| stem.to_string());
        raw.scenario.name = Some(name + &suffix);
        raw.scenario.title = Some(title + &suffix);
    }
    Ok(texts)
}

/// A validation error of an edited scenario, naming the edits.
pub(super) fn naming_edits(e: Error, edits: &[String]) -> Error {
    match e {
        Error::Scenario(mut inner) if !edits.is_empty() => {
            inner.under.sets = edits.to_vec();
            Error::Scenario(inner)
        }
        other => other,
    }
}

/// Applies `sets` to `source`, `balance` taking up moved seats, and validates.
pub fn apply(source: &Source, sets: &[Assignment], balance: Option<&str>) -> Result<Edited> {
    no_repeats(Edit::Set, &labelled(sets))?;
    let mut raw = scenario::parse_raw(&source.text, &source.origin)?;
    check_balance(&raw, &sets.iter().map(|a| &a.param).collect::<Vec<_>>(), balance)?;
    let edits = write_edits(&mut raw, &source.stem, sets, balance)?;
    let scenario =
        scenario::from_raw(&raw, &source.text, &source.origin, &source.stem).map_err(|e| naming_edits(e, &edits))?;
    Ok(Edited { raw, scenario, edits })
}

/// The label and parameter of each set edit.
pub(super) fn labelled(sets: &[Assignment]) -> Vec<(&str, &Param)> {
    sets.iter().map(|a| (a.label.as_str(), &a.param)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source::resolve("pakistan-2022-03-30").unwrap()
    }

    /// Parses `texts` as set edits and applies them to `src`.
    fn edit(src: &Source, texts: &[&str], balance: Option<&str>) -> Result<Edited> {
        let sets = texts.iter().map(|t| t.parse()).collect::<std::result::Result<Vec<Assignment>, _>>()?;
        apply(src, &sets, balance)
    }

    #[test]
    fn an_edit_changes_the_scenario_and_its_name() {
        let e = edit(&source(), &["MQM-P.switch=0.5"], None).unwrap();
        assert_eq!(e.scenario.name, "pakistan-2022-03-30 [MQM-P.switch=0.5]");
        assert_eq!(e.scenario.blocs.iter().find(|b| b.name == "MQM-P").unwrap().switch, 0.5);
    }

    #[test]
    fn no_edits_leave_the_scenario_as_parsed() {
        assert_eq!(apply(&source(), &[], None).unwrap().scenario, source().parse().unwrap());
    }

    #[test]
    fn moved_seats_are_taken_from_the_balance_bloc() {
        let e = edit(&source(), &["PTI rebels.seats=30"], Some("PTI loyal")).unwrap();
        let seats = |n: &str| e.scenario.blocs.iter().find(|b| b.name == n).unwrap().seats;
        assert_eq!((seats("PTI rebels"), seats("PTI loyal")), (30, 125));
    }

    #[test]
    fn an_invalid_edit_is_a_scenario_error_that_names_the_set() {
        let err = edit(&source(), &["MQM-P.switch=1.5"], None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let Error::Scenario(inner) = &err else { panic!("{err:?}") };
        assert_eq!(inner.under.sets, ["MQM-P.switch=1.5"]);
        assert!(err.to_string().contains("with set MQM-P.switch=1.5: is 1.5"), "{err}");
    }

    #[test]
    fn ranges_repeats_and_a_useless_balance_are_edit_errors() {
        let refused = |texts: &[&str], balance: Option<&str>| match edit(&source(), texts, balance).unwrap_err() {
            Error::Edit(e) => e,
            e => panic!("not an edit error: {e}"),
        };
        assert_eq!(
            refused(&["MQM-P.switch=0..=1:0.5"], None),
            EditError::SeveralValues { label: "MQM-P.switch".into() }
        );
        assert!(matches!(refused(&["MQM-P.switch=0.1", "MQM-P.switch=0.2"], None), EditError::Repeated { .. }));
        let itself = refused(&["PTI rebels.seats=30"], Some("PTI rebels"));
        assert_eq!(itself, EditError::BalancesItself { bloc: "PTI rebels".into() });
        let nothing = refused(&["MQM-P.switch=0.1"], Some("PTI loyal"));
        assert_eq!(nothing, EditError::NothingToBalance { bloc: "PTI loyal".into() });
    }

    #[test]
    fn edit_errors_name_no_flag_in_the_library_and_take_the_naming_given() {
        let e = "MQM-P.switch".parse::<Assignment>().unwrap_err();
        assert_eq!(e.to_string(), "set MQM-P.switch: write PARAM=SET, e.g. 'MQM-P.switch=0.5'");
        let flags: crate::error::Naming = |e| if e == Edit::Set { "--set" } else { "--other" };
        assert_eq!(e.describe(flags), "--set MQM-P.switch: write PARAM=SET, e.g. 'MQM-P.switch=0.5'");
        let e = "PTI rebels.seats=1.5".parse::<Axis>().unwrap_err();
        assert_eq!(e.to_string(), "vary PTI rebels.seats=1.5: PTI rebels.seats takes whole numbers, not 1.5");
    }

    #[test]
    fn a_quoted_name_with_a_slash_reaches_its_bloc() {
        let text = "[chamber]\nseats = 3\n[[bloc]]\nname = \"CDU/CSU\"\nseats = 2\nwhip = \"yes\"\n[[bloc]]\nname = \"SPD\"\nseats = 1\nwhip = \"no\"\n";
        let src = Source { origin: "t.toml".into(), stem: "t".into(), text: text.into() };
        let e = edit(&src, &["\"CDU/CSU\".defect=0.1"], None).unwrap();
        assert_eq!(e.scenario.blocs[0].probs.0[1], 0.1);
        let err = edit(&src, &["CDU/CSU.defect=0.1"], None).unwrap_err().to_string();
        assert!(err.contains("quote it") && err.contains("\"CDU/CSU\".defect"), "{err}");
    }
}
