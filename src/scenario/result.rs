//! The recorded result of a vote, `[result]` (docs/reference.md §8): as written and validated.
//!
//! Checks, each a [`ScenarioError`] naming `[result]` and the key:
//! - every count is a whole number between 0 and the sitting members (`seats − vacancies`),
//!   and the counts given sum to at most the sitting members;
//! - a *complete* tally (all of `yes`, `no`, `abstain`, `absent`) "adds up": its four
//!   counts sum to exactly the sitting members, so every member who holds a seat is
//!   accounted for once (a presiding officer who does not vote is `absent` or `abstain`,
//!   whichever the record says);
//! - `passed`, where given, agrees with the rule whenever the recorded counts decide
//!   it: `yes` alone under a membership or fixed-count rule, `yes` and `no` for a majority
//!   of votes cast, `yes`, `no` and `abstain` for a majority of those present;
//! - where the counts do not decide and `passed` is not given, `passed` is required.
//!
//! The counts are taken as the counted votes of the rule (after any Article 63A exclusion).

use super::Chamber;
use super::locate::{Place, location};
use crate::error::{Result, ScenarioError};
use crate::rules::{Base, PassTest, Rule};
use serde::Deserialize;

/// `[result]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawResult {
    /// Counted yes votes; required.
    pub yes: i64,
    /// Votes against.
    pub no: Option<i64>,
    /// Present, not voting.
    pub abstain: Option<i64>,
    /// Away, or not recorded as voting.
    pub absent: Option<i64>,
    /// Whether the motion carried.
    pub passed: Option<bool>,
    /// Where the tally comes from.
    pub source: Option<String>,
}

/// A validated recorded result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteResult {
    /// Counted yes votes.
    pub yes: u32,
    /// Votes against, when recorded.
    pub no: Option<u32>,
    /// Abstentions, when recorded.
    pub abstain: Option<u32>,
    /// Members away, when recorded.
    pub absent: Option<u32>,
    /// Whether the motion carried: `[result] passed`, else the rule applied to the tally.
    pub passed: bool,
    /// Where the tally comes from.
    pub source: Option<String>,
}

impl VoteResult {
    /// Whether all four counts are recorded.
    pub fn is_complete(&self) -> bool {
        self.no.is_some() && self.abstain.is_some() && self.absent.is_some()
    }

    /// The tally in words, e.g. "174 yes, 0 no: passed".
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("{} yes", self.yes)];
        for (n, word) in [(self.no, "no"), (self.abstain, "abstain"), (self.absent, "absent")] {
            if let Some(n) = n {
                parts.push(format!("{n} {word}"));
            }
        }
        let verdict = if self.passed { "passed" } else { "failed" };
        format!("{}: {verdict}", parts.join(", "))
    }
}

/// Where in the text a `[result]` problem sits.
struct Site<'a> {
    text: &'a str,
    origin: &'a str,
}

impl Site<'_> {
    fn fail<T>(&self, key: &str, message: String) -> Result<T> {
        let location = location(self.text, self.origin, &Place::Table("result".into()), Some(key));
        Err(ScenarioError::new(location, message).with_key(key).with_context("[result]").into())
    }
}

/// Validates `[result]`, if any, against the chamber and the rule.
pub fn validate(
    raw: Option<&RawResult>,
    rule: &Rule,
    chamber: Chamber,
    text: &str,
    origin: &str,
) -> Result<Option<VoteResult>> {
    let Some(r) = raw else { return Ok(None) };
    let site = Site { text, origin };
    let sitting = chamber.seats - chamber.vacancies;
    let count = |key: &str, v: i64| -> Result<u32> {
        if (0..=i64::from(sitting)).contains(&v) {
            Ok(v as u32)
        } else {
            site.fail(
                key,
                format!(
                    "is {v}; a recorded count lies between 0 and the {sitting} sitting members (seats less vacancies)"
                ),
            )
        }
    };
    let yes = count("yes", r.yes)?;
    let no = r.no.map(|v| count("no", v)).transpose()?;
    let abstain = r.abstain.map(|v| count("abstain", v)).transpose()?;
    let absent = r.absent.map(|v| count("absent", v)).transpose()?;
    let mut result = VoteResult { yes, no, abstain, absent, passed: false, source: r.source.clone() };
    adds_up(&site, &result, sitting)?;
    result.passed = passed(&site, &result, r.passed, rule, chamber.seats)?;
    Ok(Some(result))
}

fn adds_up(site: &Site, r: &VoteResult, sitting: u32) -> Result<()> {
    let given = [Some(r.yes), r.no, r.abstain, r.absent];
    let sum: u32 = given.iter().flatten().sum();
    let last = ["yes", "no", "abstain", "absent"].into_iter().zip(given).rfind(|(_, v)| v.is_some());
    let key = last.map_or("yes", |(k, _)| k);
    if sum > sitting {
        return site.fail(
            key,
            format!("the recorded counts sum to {sum}, more than the {sitting} sitting members (seats less vacancies)"),
        );
    }
    if r.is_complete() && sum != sitting {
        return site.fail(
            "absent",
            format!(
                "the complete tally (yes, no, abstain, absent) sums to {sum}, but {sitting} members hold seats; \
             a complete tally accounts for each of them once: {} more absent or abstaining, or leave `absent` out",
                sitting - sum
            ),
        );
    }
    Ok(())
}

/// What the recorded counts say about passing, when they decide it.
fn decided(r: &VoteResult, rule: &Rule, seats: u32) -> Option<bool> {
    let test = rule.test(seats);
    let other = match (test, rule.base) {
        (PassTest::AtLeast(_), _) => Some(0),
        (_, Base::Cast) => r.no,
        (_, Base::Present) => r.no.zip(r.abstain).map(|(n, a)| n + a),
        (_, Base::Membership) => None,
    };
    other.map(|o| test.passes(r.yes, o))
}

fn passed(site: &Site, r: &VoteResult, stated: Option<bool>, rule: &Rule, seats: u32) -> Result<bool> {
    let verdict = |p: bool| if p { "passes" } else { "fails" };
    match (decided(r, rule, seats), stated) {
        (Some(d), Some(s)) if d != s => site.fail("passed", format!(
            "is {s}, but under the rule ({}) the recorded tally {}; correct the counts or `passed`",
            rule.describe(seats),
            verdict(d)
        )),
        (Some(d), _) => Ok(d),
        (None, Some(s)) => Ok(s),
        (None, None) => site.fail("passed", format!(
            "is needed: under the rule ({}) `yes` alone does not decide the vote; give `passed`, or the counts the rule weighs (`no`{})",
            rule.describe(seats),
            if rule.base == Base::Present { " and `abstain`" } else { "" }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Threshold;

    fn rule(base: Base, threshold: Threshold) -> Rule {
        Rule { base, threshold, tie_passes: false, count_defectors: true }
    }

    fn raw(yes: i64, rest: [Option<i64>; 3], passed: Option<bool>) -> RawResult {
        RawResult { yes, no: rest[0], abstain: rest[1], absent: rest[2], passed, source: None }
    }

    const TEXT: &str = "[chamber]\nseats = 10\n\n[result]\nyes = 6\nno = 3\npassed = false\n";
    const TEN: Chamber = Chamber { seats: 10, vacancies: 0 };

    fn check(r: &RawResult, rule: &Rule) -> Result<Option<VoteResult>> {
        validate(Some(r), rule, TEN, TEXT, "f.toml")
    }

    fn key_of(e: crate::error::Error) -> (Option<String>, String) {
        match e {
            crate::error::Error::Scenario(s) => (s.key.clone(), s.to_string()),
            other => panic!("not a scenario error: {other}"),
        }
    }

    #[test]
    fn a_membership_rule_takes_passed_from_yes_alone() {
        let r = check(&raw(6, [None; 3], None), &rule(Base::Membership, Threshold::Majority)).unwrap().unwrap();
        assert!(r.passed);
        let r = check(&raw(5, [None; 3], None), &rule(Base::Membership, Threshold::Majority)).unwrap().unwrap();
        assert!(!r.passed);
    }

    #[test]
    fn a_passed_that_contradicts_the_counts_is_named_with_its_line() {
        let e = check(&raw(6, [Some(3), None, None], Some(false)), &rule(Base::Cast, Threshold::Majority)).unwrap_err();
        let (key, text) = key_of(e);
        assert_eq!(key.as_deref(), Some("passed"));
        assert!(text.starts_with("f.toml:7:1: [result], key `passed`"), "{text}");
        assert!(text.contains("passes"), "{text}");
    }

    #[test]
    fn a_cast_majority_without_no_needs_passed() {
        let e = check(&raw(6, [None; 3], None), &rule(Base::Cast, Threshold::Majority)).unwrap_err();
        assert_eq!(key_of(e).0.as_deref(), Some("passed"));
        let r = check(&raw(6, [None; 3], Some(false)), &rule(Base::Cast, Threshold::Majority)).unwrap().unwrap();
        assert!(!r.passed, "an undecided tally keeps the stated verdict");
    }

    #[test]
    fn abstentions_decide_a_majority_of_those_present() {
        let present = rule(Base::Present, Threshold::Majority);
        let r = check(&raw(5, [Some(4), Some(1), None], None), &present).unwrap().unwrap();
        assert!(!r.passed, "5 of 10 present is not a majority");
        assert!(check(&raw(5, [Some(4), None, None], None), &present).is_err(), "abstain unknown: passed needed");
    }

    #[test]
    fn a_complete_tally_must_account_for_every_sitting_member() {
        let m = rule(Base::Membership, Threshold::Majority);
        assert!(check(&raw(6, [Some(2), Some(1), Some(1)], None), &m).is_ok());
        let (key, text) = key_of(check(&raw(6, [Some(2), Some(1), Some(0)], None), &m).unwrap_err());
        assert_eq!(key.as_deref(), Some("absent"));
        assert!(text.contains("sums to 9") && text.contains("1 more"), "{text}");
    }

    #[test]
    fn counts_beyond_the_sitting_members_are_rejected() {
        let m = rule(Base::Membership, Threshold::Majority);
        let nine = Chamber { seats: 10, vacancies: 1 };
        let e = validate(Some(&raw(10, [None; 3], None)), &m, nine, TEXT, "f").unwrap_err();
        assert_eq!(key_of(e).0.as_deref(), Some("yes"));
        assert_eq!(key_of(check(&raw(6, [Some(-1), None, None], None), &m).unwrap_err()).0.as_deref(), Some("no"));
        let (key, text) = key_of(check(&raw(6, [Some(5), None, None], None), &m).unwrap_err());
        assert_eq!(key.as_deref(), Some("no"));
        assert!(text.contains("sum to 11"), "{text}");
    }

    #[test]
    fn describes_the_tally_and_the_verdict() {
        let r = check(&raw(6, [Some(3), None, None], None), &rule(Base::Cast, Threshold::Majority)).unwrap().unwrap();
        assert_eq!(r.describe(), "6 yes, 3 no: passed");
    }
}
