//! The scenario file as written: serde structs that mirror docs/reference.md §2 key for key.
//!
//! Nothing here is trusted; `validate` turns it into a [`super::Scenario`].
//! Sweeps edit these structs and validate again, so every field is public and plain.

use serde::Deserialize;
use toml::Spanned;

/// A whole scenario file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawScenario {
    /// `[scenario]`: name, title, date, sources.
    #[serde(default)]
    pub scenario: RawMeta,
    /// `[chamber]`; required, but optional here so that its absence gets our own message.
    pub chamber: Option<RawChamber>,
    /// `[rule]`.
    #[serde(default)]
    pub rule: RawRule,
    /// `[swing]`.
    #[serde(default)]
    pub swing: RawSwing,
    /// `[[bloc]]` tables, with the span of each header for error messages.
    #[serde(default)]
    pub bloc: Vec<Spanned<RawBloc>>,
    /// `[result]`: what really happened (docs/reference.md §8).
    pub result: Option<super::result::RawResult>,
}

/// `[scenario]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMeta {
    /// Short identifier.
    pub name: Option<String>,
    /// One-line description.
    pub title: Option<String>,
    /// Date the scenario describes: free text, or a TOML date such as `1972-04-27`.
    #[serde(default, deserialize_with = "date_text")]
    pub date: Option<String>,
    /// Citations.
    #[serde(default)]
    pub sources: Vec<String>,
}

/// A date written as text (`"28 March 2022"`) or as a TOML date or date-time
/// (`2022-03-28`), kept as the text it prints as.
fn date_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged, expecting = "a date such as 2022-03-28 or a string")]
    enum Date {
        Text(String),
        Date(toml::value::Datetime),
    }
    Ok(Some(match Date::deserialize(d)? {
        Date::Text(t) => t,
        Date::Date(d) => d.to_string(),
    }))
}

/// `[chamber]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawChamber {
    /// Total membership.
    pub seats: i64,
    /// Seats nobody holds.
    #[serde(default)]
    pub vacancies: i64,
}

/// `[rule]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRule {
    /// `membership`, `present` or `cast`.
    pub majority_of: Option<RawBase>,
    /// A fraction of the base to reach, as a number or `"2/3"`.
    pub fraction: Option<RawFraction>,
    /// A fixed count of yes votes to reach.
    pub needed: Option<i64>,
    /// `fails` or `passes`.
    pub tie: Option<RawTie>,
    /// Whether votes against the effective whip count (false: Article 63A reading).
    pub count_defectors: Option<bool>,
}

/// The base of a majority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawBase {
    /// All seats of the chamber.
    Membership,
    /// Members voting yes, no or abstaining.
    Present,
    /// Members voting yes or no.
    Cast,
}

/// How a tie goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawTie {
    /// The status quo holds.
    Fails,
    /// The motion carries.
    Passes,
}

/// `fraction = 0.6` or `fraction = "2/3"`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RawFraction {
    /// A decimal number.
    Number(f64),
    /// A ratio of whole numbers, `"P/Q"`.
    Ratio(String),
}

/// `[swing]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSwing {
    /// Standard deviation σ of the chamber-wide log-odds swing toward yes.
    pub sd: Option<f64>,
}

/// A party's direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RawWhip {
    /// For the motion.
    Yes,
    /// Against the motion.
    No,
    /// Present, not voting.
    Abstain,
}

/// The probability keys shared by blocs and members, in either spelling.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawProbs {
    /// Relative spelling: votes against the whip.
    pub defect: Option<f64>,
    /// Explicit spelling: votes for the motion.
    pub yes: Option<f64>,
    /// Explicit spelling: votes against the motion.
    pub no: Option<f64>,
    /// Both spellings: present, not voting.
    pub abstain: Option<f64>,
    /// Both spellings: away.
    pub absent: Option<f64>,
}

/// `[[bloc]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBloc {
    /// Unique label.
    pub name: String,
    /// Parliamentary party; defaults to `name`.
    pub party: Option<String>,
    /// Number of members.
    pub seats: i64,
    /// The party's direction.
    pub whip: RawWhip,
    /// Relative spelling: votes against the whip.
    pub defect: Option<f64>,
    /// Explicit spelling: votes for the motion.
    pub yes: Option<f64>,
    /// Explicit spelling: votes against the motion.
    pub no: Option<f64>,
    /// Present, not voting.
    pub abstain: Option<f64>,
    /// Away.
    pub absent: Option<f64>,
    /// Intra-bloc correlation ρ.
    pub cohesion: Option<f64>,
    /// Probability that the bloc reverses its direction.
    pub switch: Option<f64>,
    /// Whether the chamber-wide swing moves this bloc.
    pub swing: Option<bool>,
    /// Named members, counted inside `seats`.
    #[serde(default)]
    pub member: Vec<Spanned<RawMember>>,
}

/// `[[bloc.member]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawMember {
    /// Unique within the bloc.
    pub name: String,
    /// Relative spelling: votes against the whip.
    pub defect: Option<f64>,
    /// Explicit spelling: votes for the motion.
    pub yes: Option<f64>,
    /// Explicit spelling: votes against the motion.
    pub no: Option<f64>,
    /// Present, not voting.
    pub abstain: Option<f64>,
    /// Away.
    pub absent: Option<f64>,
}

impl RawBloc {
    /// The probability keys of the bloc.
    pub fn probs(&self) -> RawProbs {
        RawProbs { defect: self.defect, yes: self.yes, no: self.no, abstain: self.abstain, absent: self.absent }
    }
}

impl RawMember {
    /// The probability keys of the member.
    pub fn probs(&self) -> RawProbs {
        RawProbs { defect: self.defect, yes: self.yes, no: self.no, abstain: self.abstain, absent: self.absent }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(value: &str) -> Result<Option<String>, toml::de::Error> {
        toml::from_str::<RawMeta>(&format!("date = {value}")).map(|m| m.date)
    }

    #[test]
    fn a_date_is_text_or_a_toml_date() {
        assert_eq!(date("1972-04-27").unwrap().as_deref(), Some("1972-04-27"));
        assert_eq!(date("1972-04-27T09:30:00Z").unwrap().as_deref(), Some("1972-04-27T09:30:00Z"));
        assert_eq!(date("\"27 April 1972\"").unwrap().as_deref(), Some("27 April 1972"));
        assert!(date("27").unwrap_err().message().contains("a date such as 2022-03-28"));
        assert_eq!(toml::from_str::<RawMeta>("").unwrap().date, None);
    }
}
