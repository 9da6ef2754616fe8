//! Dated scenarios side by side: how the odds moved (docs/reference.md §7).
//!
//! Every scenario must carry `[scenario] date` as an ISO date (`YYYY-MM-DD`), so that the
//! order is chronological and not merely alphabetical; they are sorted by it, stably (ties
//! keep the order given), and each is forecast by [`crate::forecast`]. The entries are
//! written by [`crate::export::timeline`].

use crate::error::{Result, ScenarioError};
use crate::scenario::Scenario;
use crate::stats::{Estimate, PassRow, Summary};
use serde::Serialize;

/// One scenario's forecast: a row of the timeline CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// `[scenario] date`.
    pub date: String,
    /// The scenario's name.
    pub scenario: String,
    /// Its title.
    pub title: String,
    /// P(pass), its interval and the yes count's mean and quantiles.
    #[serde(flatten)]
    pub pass: PassRow,
    /// Yes votes needed, when the rule fixes a count.
    pub needed: Option<u32>,
}

/// Whether `date` is an ISO calendar date `YYYY-MM-DD`.
pub fn is_iso_date(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let numeric = |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !numeric(parts[0], 4) || !numeric(parts[1], 2) || !numeric(parts[2], 2) {
        return false;
    }
    let (month, day): (u32, u32) = (parts[1].parse().unwrap_or(0), parts[2].parse().unwrap_or(0));
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Checks that every scenario (with its origin, for messages) has an ISO date, and orders
/// them by it, stably.
pub fn order(items: Vec<(String, Scenario)>) -> Result<Vec<Scenario>> {
    for (origin, s) in &items {
        let problem = match s.date.as_deref() {
            None => "is missing; a timeline orders scenarios by date: add `date = \"YYYY-MM-DD\"` to [scenario]".into(),
            Some(d) if !is_iso_date(d) => {
                format!("is \"{d}\"; a timeline orders scenarios by date: write it as YYYY-MM-DD, e.g. \"2022-03-30\"")
            }
            Some(_) => continue,
        };
        let e = ScenarioError::in_file(origin, problem).with_context(format!("[scenario] of \"{}\"", s.name));
        return Err(e.with_key("date").into());
    }
    let mut scenarios: Vec<Scenario> = items.into_iter().map(|(_, s)| s).collect();
    scenarios.sort_by(|a, b| a.date.cmp(&b.date));
    Ok(scenarios)
}

/// The entries of dated `scenarios` and their forecasts, in the same order.
pub fn entries(scenarios: &[Scenario], estimates: &[Estimate]) -> Vec<Entry> {
    scenarios
        .iter()
        .zip(estimates)
        .map(|(s, e)| Entry {
            date: s.date.clone().unwrap_or_default(),
            scenario: s.name.clone(),
            title: s.title.clone(),
            pass: Summary::of(e).row(),
            needed: s.rule.needed(s.chamber.seats),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(name: &str, date: Option<&str>) -> (String, Scenario) {
        let meta = match date {
            Some(d) => format!("[scenario]\nname = \"{name}\"\ndate = \"{d}\"\n"),
            None => format!("[scenario]\nname = \"{name}\"\n"),
        };
        let text =
            format!("{meta}[chamber]\nseats = 2\n[[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\ndefect = 0.5\n");
        (format!("{name}.toml"), crate::scenario::parse(&text, "x", name).unwrap())
    }

    #[test]
    fn orders_by_date_and_keeps_ties_in_the_order_given() {
        let items =
            vec![dated("c", Some("2022-04-09")), dated("a", Some("2022-03-08")), dated("b", Some("2022-04-09"))];
        let names: Vec<String> = order(items).unwrap().into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["a", "c", "b"]);
    }

    #[test]
    fn a_scenario_without_a_date_is_named_in_the_error() {
        let e = order(vec![dated("a", Some("2022-03-08")), dated("nodate", None)]).unwrap_err();
        let text = e.to_string();
        assert_eq!(e.exit_code(), 2);
        assert!(text.starts_with("nodate.toml: [scenario] of \"nodate\", key `date`: is missing"), "{text}");
    }

    #[test]
    fn a_date_that_would_not_sort_is_rejected() {
        assert!(is_iso_date("2022-03-08") && !is_iso_date("8 March 2022") && !is_iso_date("2022-3-8"));
        assert!(!is_iso_date("2022-13-01"));
        assert!(order(vec![dated("a", Some("March 2022"))]).unwrap_err().to_string().contains("YYYY-MM-DD"));
    }

    #[test]
    fn entries_carry_the_forecast_and_the_threshold() {
        let (_, s) = dated("a", Some("2022-03-08"));
        let e = Estimate::exact(vec![0.25, 0.5, 0.25], 0.25);
        let rows = entries(&[s], &[e]);
        assert_eq!((rows[0].pass.p_pass, rows[0].needed, rows[0].pass.yes_median), (0.25, Some(2), 1));
    }
}
