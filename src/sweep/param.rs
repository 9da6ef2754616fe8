//! Which parameter a `--vary` names, and how a value is written into a scenario.
//!
//! Values are applied to the raw (unvalidated) scenario, which is then validated
//! again, so a swept value obeys exactly the rules of a hand-written file.

use crate::scenario::raw::{RawBloc, RawFraction, RawScenario};

/// A numeric field of a bloc or member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Number of members (blocs only).
    Seats,
    /// Relative spelling: against the whip.
    Defect,
    /// Explicit: yes.
    Yes,
    /// Explicit: no.
    No,
    /// Abstain.
    Abstain,
    /// Absent.
    Absent,
    /// Cohesion ρ (blocs only).
    Cohesion,
    /// Switch probability (blocs only).
    Switch,
}

const FIELDS: [(&str, Field); 8] = [
    ("seats", Field::Seats),
    ("defect", Field::Defect),
    ("yes", Field::Yes),
    ("no", Field::No),
    ("abstain", Field::Abstain),
    ("absent", Field::Absent),
    ("cohesion", Field::Cohesion),
    ("switch", Field::Switch),
];

/// A swept parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// `BLOC.FIELD`.
    Bloc {
        /// The bloc's name.
        bloc: String,
        /// The field.
        field: Field,
    },
    /// `BLOC/MEMBER.FIELD`: a probability of a named member.
    Member {
        /// The bloc's name.
        bloc: String,
        /// The member's name.
        member: String,
        /// The field.
        field: Field,
    },
    /// `swing.sd`.
    SwingSd,
    /// `rule.needed`.
    RuleNeeded,
    /// `rule.fraction`.
    RuleFraction,
    /// `rule.count-defectors`, swept over `true,false`.
    RuleCountDefectors,
}

impl Param {
    /// Parses `BLOC.FIELD`, `BLOC/MEMBER.FIELD`, `swing.sd`, `rule.needed`, `rule.fraction` or
    /// `rule.count-defectors`. A name holding `/` or `.` is quoted: `"CDU/CSU".defect`.
    pub fn parse(text: &str) -> Result<Param, String> {
        match text {
            "swing.sd" => return Ok(Param::SwingSd),
            "rule.needed" => return Ok(Param::RuleNeeded),
            "rule.fraction" => return Ok(Param::RuleFraction),
            "rule.count-defectors" => return Ok(Param::RuleCountDefectors),
            _ => {}
        }
        let tokens = scan(text)?;
        let dot = tokens.iter().rposition(|t| *t == Token::Sep('.')).ok_or_else(|| {
            format!(
                "`{text}` names no field; write BLOC.FIELD, BLOC/MEMBER.FIELD, swing.sd, rule.needed, rule.fraction or rule.count-defectors (quote a name that holds `/` or `.`: '\"CDU/CSU\".defect')"
            )
        })?;
        let field_text = join(&tokens[dot + 1..]);
        let field = FIELDS.iter().find(|(name, _)| *name == field_text).map(|(_, f)| *f).ok_or_else(|| {
            let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
            format!("`{field_text}` is not a field that can be set or swept; use one of {}", names.join(", "))
        })?;
        let target = &tokens[..dot];
        let slashes: Vec<usize> = (0..target.len()).filter(|&i| target[i] == Token::Sep('/')).collect();
        match slashes[..] {
            [] => Ok(Param::Bloc { bloc: join(target), field }),
            [i] if matches!(field, Field::Seats | Field::Cohesion | Field::Switch) => Err(format!(
                "`{}`: a member has no `{field_text}`; set it on the bloc (quote a bloc name that holds `/`: '\"CDU/CSU\".{field_text}')",
                join(&target[..i])
            )),
            [i] => Ok(Param::Member { bloc: join(&target[..i]), member: join(&target[i + 1..]), field }),
            _ => Err(format!("`{text}` has more than one `/`; quote a name that holds `/`: '\"CDU/CSU\".defect'")),
        }
    }

    /// Whether the parameter takes whole numbers only.
    pub fn integral(&self) -> bool {
        matches!(self, Param::RuleNeeded | Param::RuleCountDefectors | Param::Bloc { field: Field::Seats, .. })
    }

    /// Writes `value` into `raw`; a change of a bloc's seats is taken from `balance`.
    pub fn apply(&self, raw: &mut RawScenario, value: f64, balance: Option<&str>) -> Result<(), String> {
        match self {
            Param::SwingSd => raw.swing.sd = Some(value),
            Param::RuleNeeded => {
                // A fixed count replaces the rule's form: no base, no fraction.
                raw.rule.needed = Some(value as i64);
                raw.rule.fraction = None;
                raw.rule.majority_of = None;
            }
            Param::RuleFraction => {
                raw.rule.fraction = Some(RawFraction::Number(value));
                raw.rule.needed = None;
            }
            Param::RuleCountDefectors => raw.rule.count_defectors = Some(value != 0.0),
            Param::Bloc { bloc, field: Field::Seats } => {
                let b = find(raw, bloc)?;
                let delta = value as i64 - b.seats;
                b.seats = value as i64;
                if let Some(name) = balance {
                    find(raw, name)?.seats -= delta;
                }
            }
            Param::Bloc { bloc, field } => *field_of_bloc(find(raw, bloc)?, *field) = Some(value),
            Param::Member { bloc, member, field } => {
                let whole = format!("{bloc}/{member}");
                if raw.bloc.iter().any(|b| b.get_ref().name == whole)
                    && !raw.bloc.iter().any(|b| b.get_ref().name == *bloc)
                {
                    return Err(format!(
                        "there is no bloc \"{bloc}\" (a `/` separates a bloc from its member); to name the bloc \"{whole}\", quote it: '\"{whole}\".{}'",
                        field_name(*field)
                    ));
                }
                let b = find(raw, bloc)?;
                let names: Vec<String> = b.member.iter().map(|m| m.get_ref().name.clone()).collect();
                let m = b.member.iter_mut().find(|m| m.get_ref().name == *member).ok_or_else(|| {
                    format!("bloc \"{bloc}\" has no member \"{member}\"; its named members are: {}", names.join(", "))
                })?;
                let m = m.get_mut();
                let slot = match field {
                    Field::Defect => &mut m.defect,
                    Field::Yes => &mut m.yes,
                    Field::No => &mut m.no,
                    Field::Abstain => &mut m.abstain,
                    Field::Absent => &mut m.absent,
                    Field::Seats | Field::Cohesion | Field::Switch => {
                        unreachable!("rejected by Param::parse")
                    }
                };
                *slot = Some(value);
            }
        }
        Ok(())
    }
}

fn field_of_bloc(b: &mut RawBloc, field: Field) -> &mut Option<f64> {
    match field {
        Field::Defect => &mut b.defect,
        Field::Yes => &mut b.yes,
        Field::No => &mut b.no,
        Field::Abstain => &mut b.abstain,
        Field::Absent => &mut b.absent,
        Field::Cohesion => &mut b.cohesion,
        Field::Switch => &mut b.switch,
        Field::Seats => unreachable!("seats are applied with their balance in Param::apply"),
    }
}

/// The keyword of a field.
pub fn field_name(field: Field) -> &'static str {
    FIELDS.iter().find(|(_, f)| *f == field).map_or("", |(n, _)| n)
}

/// A piece of a parameter: text (quoted or not) or an unquoted `.` or `/`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Text(String),
    Sep(char),
}

/// Splits `text` at unquoted `.` and `/`; double quotes group and are dropped.
fn scan(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.chars();
    let mut current = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => loop {
                match chars.next() {
                    Some('"') => break,
                    Some(q) => current.push(q),
                    None => return Err(format!("`{text}` opens a quote `\"` that it does not close")),
                }
            },
            '.' | '/' => {
                tokens.push(Token::Text(std::mem::take(&mut current)));
                tokens.push(Token::Sep(c));
            }
            _ => current.push(c),
        }
    }
    tokens.push(Token::Text(current));
    Ok(tokens)
}

/// The tokens as one name: unquoted dots inside a name are kept (`St. Kitts.yes`).
fn join(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::Text(s) => s.clone(),
            Token::Sep(c) => c.to_string(),
        })
        .collect()
}

/// A bloc or member name as a parameter spells it: quoted when it holds `/`, `.` or `"`.
pub fn quote(name: &str) -> String {
    if name.contains(['/', '.', '"']) { format!("\"{name}\"") } else { name.to_string() }
}

/// The bloc called `name`, or an error listing the blocs.
pub fn find<'a>(raw: &'a mut RawScenario, name: &str) -> Result<&'a mut RawBloc, String> {
    let names: Vec<String> = raw.bloc.iter().map(|b| b.get_ref().name.clone()).collect();
    raw.bloc.iter_mut().map(|b| b.get_mut()).find(|b| b.name == name).ok_or_else(|| {
        let listed: Vec<String> = names.iter().map(|n| quote(n)).collect();
        format!("there is no bloc \"{name}\"; the blocs are: {}", listed.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form_of_parameter() {
        assert_eq!(
            Param::parse("PTI rebels.seats").unwrap(),
            Param::Bloc { bloc: "PTI rebels".into(), field: Field::Seats }
        );
        assert_eq!(
            Param::parse("PTI rebels/Raja Riaz.yes").unwrap(),
            Param::Member { bloc: "PTI rebels".into(), member: "Raja Riaz".into(), field: Field::Yes }
        );
        assert_eq!(Param::parse("swing.sd").unwrap(), Param::SwingSd);
        assert_eq!(Param::parse("rule.fraction").unwrap(), Param::RuleFraction);
    }

    #[test]
    fn quoted_names_may_hold_slashes_and_dots() {
        assert_eq!(
            Param::parse("\"CDU/CSU\".defect").unwrap(),
            Param::Bloc { bloc: "CDU/CSU".into(), field: Field::Defect }
        );
        assert_eq!(
            Param::parse("\"CDU/CSU\"/\"F. Merz\".yes").unwrap(),
            Param::Member { bloc: "CDU/CSU".into(), member: "F. Merz".into(), field: Field::Yes }
        );
        assert_eq!(Param::parse("St. Kitts.yes").unwrap(), Param::Bloc { bloc: "St. Kitts".into(), field: Field::Yes });
        assert!(Param::parse("\"CDU/CSU.defect").unwrap_err().contains("does not close"));
        assert!(Param::parse("a/b/c.yes").unwrap_err().contains("quote"));
        assert_eq!(quote("CDU/CSU"), "\"CDU/CSU\"");
        assert_eq!(quote("PTI rebels"), "PTI rebels");
    }

    #[test]
    fn rejects_unknown_fields_and_member_seats() {
        assert!(Param::parse("PTI.colour").unwrap_err().contains("cohesion"));
        assert!(Param::parse("PTI/x.seats").is_err());
        assert!(Param::parse("nofield").is_err());
    }
}
