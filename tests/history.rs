//! The library of real votes, `configs/history/`: every scenario validates, records a
//! result and a date, the library spans enough votes and countries, and each file keeps
//! the real tally in `[result]` only (its blocs were written before the vote).

use std::collections::BTreeSet;
use whipcount::scenario::{builtin_names, find_builtin, load};

fn history() -> Vec<&'static str> {
    builtin_names().into_iter().filter(|n| n.starts_with("history/")).collect()
}

#[test]
fn every_history_scenario_validates_with_a_result_and_an_iso_date() {
    for name in history() {
        let s = load(Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(s.name, name, "the [scenario] name is the built-in name");
        let date = s.date.as_deref().unwrap_or_else(|| panic!("{name}: no date"));
        assert!(whipcount::timeline::is_iso_date(date), "{name}: {date}");
        assert!(name.ends_with(date), "{name}: the file is named after its date {date}");
        assert!(s.result.is_some(), "{name}: no [result]");
        assert!(!s.sources.is_empty(), "{name}: no sources");
    }
}

#[test]
fn the_library_holds_at_least_16_votes_from_at_least_7_countries() {
    let names = history();
    let countries: BTreeSet<&str> =
        names.iter().map(|n| n.trim_start_matches("history/").split('-').next().unwrap()).collect();
    assert!(names.len() >= 16, "{names:?}");
    assert!(countries.len() >= 7, "{countries:?}");
}

/// Every number in a history file cites docs/sources, says it is derived, uncertain or
/// judgement: at least one tag per file of each kind that it uses, and a [result] with a source.
#[test]
fn every_history_file_cites_its_sources_and_gives_the_result_a_source() {
    for name in history() {
        let text = find_builtin(name).unwrap();
        assert!(text.contains("[S "), "{name}: cites no source tag");
        assert!(text.contains("judgement"), "{name}: says nothing about judgement");
        assert!(text.contains("docs/sources/"), "{name}: names no facts file");
        let s = load(Some(name)).unwrap();
        assert!(s.result.unwrap().source.is_some_and(|src| src.contains("[S ")), "{name}: result unsourced");
    }
}

/// The forecasts are not the results copied in: no history scenario gives its real
/// tally a probability above 0.6.
#[test]
fn no_history_forecast_is_the_result_written_back() {
    for name in history() {
        let s = load(Some(name)).unwrap();
        let e = whipcount::exact::solve(&s);
        let yes = s.result.as_ref().unwrap().yes as usize;
        assert!(e.yes[yes] < 0.6, "{name}: P(tally) = {}", e.yes[yes]);
    }
}

/// The thresholds the facts give (docs/sources/history.md, "chamber and rule"); `None`
/// for a majority of votes cast or of those present.
#[test]
fn history_scenarios_resolve_to_the_thresholds_of_the_facts() {
    let expected = [
        ("canada-2005-11-28", None),
        ("canada-2011-03-25", None),
        ("germany-1982-10-01", Some(249)),
        ("india-2008-07-22", None),
        ("italy-2007-02-28", None),
        ("italy-2008-01-24", None),
        ("nepal-2024-07-12", Some(138)),
        ("pakistan-1989-11-01", Some(119)),
        ("pakistan-2006-08-29", Some(172)),
        ("romania-2009-10-13", Some(236)),
        ("romania-2012-04-27", Some(231)),
        ("romania-2021-10-05", Some(234)),
        ("spain-2017-06-14", Some(176)),
        ("spain-2020-01-07", None),
        ("sweden-2021-07-07", Some(175)),
        ("uk-1979-03-28", None),
    ];
    assert_eq!(history().len(), expected.len(), "a new history scenario needs its threshold here");
    for (name, needed) in expected {
        let s = load(Some(&format!("history/{name}"))).unwrap();
        assert_eq!(s.rule.needed(s.chamber.seats), needed, "{name}");
    }
}
