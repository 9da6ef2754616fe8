//! What-if without editing: `--set PARAM=VALUE` (docs/reference.md §5).
//!
//! An edit names a parameter exactly as `--vary` does and gives it one value. Edits
//! are written into the raw scenario, which is then validated like a file, so an
//! edited scenario obeys every rule a hand-written one does; a failure names the
//! `--set`. The edited scenario's name carries its edits,
//! `pakistan-2022-03-30 [MQM-P.switch=0.5]`, so every output says what was changed.

use super::param::{Field, Param, find};
use super::range::{self, Value};
use crate::error::{Error, Result, ScenarioError};
use crate::scenario::raw::RawScenario;
use crate::scenario::{self, Scenario, Source};

/// One parsed assignment: the parameter as written, what it names and its values.
#[derive(Debug, Clone)]
pub struct Assignment {
    /// The parameter as the user wrote it, e.g. `PTI rebels.seats`.
    pub label: String,
    /// What it names.
    pub param: Param,
    /// Its values, in order (one for `--set`).
    pub values: Vec<Value>,
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

/// Parses `PARAM=VALUES` for the option `flag` (`--vary` or `--set`).
pub fn parse_assignment(flag: &str, text: &str) -> Result<Assignment> {
    let usage = |m: String| Error::Usage(format!("{flag} {text}: {m}"));
    let example = if flag == "--set" { "'MQM-P.switch=0.5'" } else { "'PTI rebels.seats=0..=40'" };
    let (label, values) = split_assignment(text)
        .ok_or_else(|| usage(format!("write PARAM={}, e.g. {example}", &flag[2..].to_uppercase())))?;
    let param = Param::parse(label.trim()).map_err(usage)?;
    let values = match param {
        Param::RuleCountDefectors => range::parse_booleans(values).map_err(usage)?,
        _ => range::parse(values).map_err(usage)?,
    };
    if let Some(v) = values.iter().find(|v| param.integral() && v.number.fract() != 0.0) {
        return Err(usage(format!("{} takes whole numbers, not {}", label.trim(), v.text)));
    }
    Ok(Assignment { label: label.trim().to_string(), param, values })
}

/// A scenario with its `--set` edits applied and validated.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The raw scenario with the edits written in (its name carries them).
    pub raw: RawScenario,
    /// The validated scenario.
    pub scenario: Scenario,
    /// The edits as `PARAM=VALUE`, in the order given.
    pub edits: Vec<String>,
}

/// Parses each `--set`: exactly one value, no parameter twice.
pub fn parse_sets(sets: &[String]) -> Result<Vec<Assignment>> {
    let parsed = sets.iter().map(|t| parse_assignment("--set", t)).collect::<Result<Vec<_>>>()?;
    for a in &parsed {
        if a.values.len() != 1 {
            return Err(Error::Usage(format!(
                "--set {}: give one value; to try several, use `whipcount sweep --vary`",
                a.label
            )));
        }
    }
    no_repeats("--set", &parsed)?;
    Ok(parsed)
}

/// A usage error when two assignments name the same parameter.
pub fn no_repeats(flag: &str, all: &[Assignment]) -> Result<()> {
    for (i, a) in all.iter().enumerate() {
        if let Some(b) = all[..i].iter().find(|b| b.param == a.param) {
            return Err(Error::Usage(format!(
                "{flag} {} and {flag} {} name the same parameter; give it once",
                b.label, a.label
            )));
        }
    }
    Ok(())
}

/// Checks `--balance BLOC` against the parameters that move seats: the bloc must
/// exist, must not be one whose seats are moved, and something must move seats.
pub fn check_balance(raw: &RawScenario, params: &[&Param], balance: Option<&str>) -> Result<()> {
    let Some(name) = balance else { return Ok(()) };
    find(&mut raw.clone(), name).map_err(|m| Error::Usage(format!("--balance: {m}")))?;
    let seat_blocs: Vec<&str> = params
        .iter()
        .filter_map(|p| match p {
            Param::Bloc { bloc, field: Field::Seats } => Some(bloc.as_str()),
            _ => None,
        })
        .collect();
    if seat_blocs.contains(&name) {
        return Err(Error::Usage(format!(
            "--balance {name}: this is the bloc whose seats are changed, so it cannot also take them up; name another bloc (e.g. the party's loyal members)"
        )));
    }
    if seat_blocs.is_empty() {
        return Err(Error::Usage(format!(
            "--balance {name}: nothing changes a bloc's seats; --balance takes up the seats that a `BLOC.seats` --set or --vary moves"
        )));
    }
    Ok(())
}

/// Writes `edits` (the first value of each) into `raw`; its name and title carry them.
pub fn write_edits(
    raw: &mut RawScenario,
    stem: &str,
    edits: &[Assignment],
    balance: Option<&str>,
) -> Result<Vec<String>> {
    let mut texts = Vec::with_capacity(edits.len());
    for a in edits {
        let value = &a.values[0];
        a.param.apply(raw, value.number, balance).map_err(|m| Error::Usage(format!("--set {}: {m}", a.label)))?;
        texts.push(format!("{}={}", a.label, value.text));
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
pub fn naming_edits(e: Error, edits: &[String]) -> Error {
    match e {
        Error::Scenario(inner) if !edits.is_empty() => {
            ScenarioError { message: format!("with --set {}: {}", edits.join(" --set "), inner.message), ..*inner }
                .into()
        }
        other => other,
    }
}

/// Applies `sets` (`PARAM=VALUE`) to `source`, `balance` taking up moved seats, and validates.
pub fn apply(source: &Source, sets: &[String], balance: Option<&str>) -> Result<Edited> {
    let parsed = parse_sets(sets)?;
    let mut raw = scenario::parse_raw(&source.text, &source.origin)?;
    check_balance(&raw, &parsed.iter().map(|a| &a.param).collect::<Vec<_>>(), balance)?;
    let edits = write_edits(&mut raw, &source.stem, &parsed, balance)?;
    let scenario =
        scenario::from_raw(&raw, &source.text, &source.origin, &source.stem).map_err(|e| naming_edits(e, &edits))?;
    Ok(Edited { raw, scenario, edits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source::resolve("pakistan-2022-03-30").unwrap()
    }

    fn sets(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn an_edit_changes_the_scenario_and_its_name() {
        let e = apply(&source(), &sets(&["MQM-P.switch=0.5"]), None).unwrap();
        assert_eq!(e.scenario.name, "pakistan-2022-03-30 [MQM-P.switch=0.5]");
        assert_eq!(e.scenario.blocs.iter().find(|b| b.name == "MQM-P").unwrap().switch, 0.5);
    }

    #[test]
    fn no_edits_leave_the_scenario_as_parsed() {
        assert_eq!(apply(&source(), &[], None).unwrap().scenario, source().parse().unwrap());
    }

    #[test]
    fn moved_seats_are_taken_from_the_balance_bloc() {
        let e = apply(&source(), &sets(&["PTI rebels.seats=30"]), Some("PTI loyal")).unwrap();
        let seats = |n: &str| e.scenario.blocs.iter().find(|b| b.name == n).unwrap().seats;
        assert_eq!((seats("PTI rebels"), seats("PTI loyal")), (30, 125));
    }

    #[test]
    fn an_invalid_edit_is_a_scenario_error_that_names_the_set() {
        let err = apply(&source(), &sets(&["MQM-P.switch=1.5"]), None).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert!(err.to_string().contains("--set MQM-P.switch=1.5"), "{err}");
    }

    #[test]
    fn ranges_repeats_and_a_useless_balance_are_usage_errors() {
        let usage = |texts: &[&str], balance: Option<&str>| {
            let e = apply(&source(), &sets(texts), balance).unwrap_err();
            assert!(matches!(e, Error::Usage(_)), "{e}");
            e.to_string()
        };
        assert!(usage(&["MQM-P.switch=0..=1:0.5"], None).contains("one value"));
        assert!(usage(&["MQM-P.switch=0.1", "MQM-P.switch=0.2"], None).contains("same parameter"));
        assert!(usage(&["PTI rebels.seats=30"], Some("PTI rebels")).contains("cannot also take"));
        assert!(usage(&["MQM-P.switch=0.1"], Some("PTI loyal")).contains("nothing changes"));
    }

    #[test]
    fn a_quoted_name_with_a_slash_reaches_its_bloc() {
        let text = "[chamber]\nseats = 3\n[[bloc]]\nname = \"CDU/CSU\"\nseats = 2\nwhip = \"yes\"\n[[bloc]]\nname = \"SPD\"\nseats = 1\nwhip = \"no\"\n";
        let src = Source { origin: "t.toml".into(), stem: "t".into(), text: text.into() };
        let e = apply(&src, &sets(&["\"CDU/CSU\".defect=0.1"]), None).unwrap();
        assert_eq!(e.scenario.blocs[0].probs.0[1], 0.1);
        let err = apply(&src, &sets(&["CDU/CSU.defect=0.1"]), None).unwrap_err().to_string();
        assert!(err.contains("quote it") && err.contains("\"CDU/CSU\".defect"), "{err}");
    }
}
