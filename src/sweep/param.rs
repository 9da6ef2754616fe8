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
    /// Parses `BLOC.FIELD`, `BLOC/MEMBER.FIELD`, `swing.sd`, `rule.needed` or `rule.fraction`.
    pub fn parse(text: &str) -> Result<Param, String> {
        match text {
            "swing.sd" => return Ok(Param::SwingSd),
            "rule.needed" => return Ok(Param::RuleNeeded),
            "rule.fraction" => return Ok(Param::RuleFraction),
            "rule.count-defectors" => return Ok(Param::RuleCountDefectors),
            _ => {}
        }
        let (target, field) = text.rsplit_once('.').ok_or_else(|| {
            format!(
                "`{text}` names no field; write BLOC.FIELD, BLOC/MEMBER.FIELD, swing.sd, rule.needed, rule.fraction or rule.count-defectors"
            )
        })?;
        let field = FIELDS.iter().find(|(name, _)| *name == field).map(|(_, f)| *f).ok_or_else(|| {
            let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
            format!("`{field}` is not a field that can be swept; use one of {}", names.join(", "))
        })?;
        match target.split_once('/') {
            Some((bloc, member)) if matches!(field, Field::Seats | Field::Cohesion | Field::Switch) => Err(format!(
                "`{bloc}/{member}`: a member has no `{}`; sweep it on the bloc",
                text.rsplit('.').next().unwrap_or("")
            )),
            Some((bloc, member)) => Ok(Param::Member { bloc: bloc.into(), member: member.into(), field }),
            None => Ok(Param::Bloc { bloc: target.into(), field }),
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
            Param::RuleNeeded => raw.rule.needed = Some(value as i64),
            Param::RuleFraction => raw.rule.fraction = Some(RawFraction::Number(value)),
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

/// The bloc called `name`, or an error listing the blocs.
pub fn find<'a>(raw: &'a mut RawScenario, name: &str) -> Result<&'a mut RawBloc, String> {
    let names: Vec<String> = raw.bloc.iter().map(|b| b.get_ref().name.clone()).collect();
    raw.bloc
        .iter_mut()
        .map(|b| b.get_mut())
        .find(|b| b.name == name)
        .ok_or_else(|| format!("there is no bloc \"{name}\"; the blocs are: {}", names.join(", ")))
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
    fn rejects_unknown_fields_and_member_seats() {
        assert!(Param::parse("PTI.colour").unwrap_err().contains("cohesion"));
        assert!(Param::parse("PTI/x.seats").is_err());
        assert!(Param::parse("nofield").is_err());
    }
}
