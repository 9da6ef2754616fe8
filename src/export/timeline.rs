//! The timeline's outputs ([`crate::timeline`]): CSV and JSON (docs/reference.md §7)
//! and a table for people.

use super::text::{SPREAD_HEADER, spread};
use crate::stats::PassRow;
use crate::timeline::Entry;
use serde::Serialize;
use std::fmt::Write;

/// The timeline CSV.
pub fn csv(entries: &[Entry]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = ["date", "scenario", "title"].into_iter().chain(PassRow::COLUMNS).chain(["needed"]);
    w.write_record(header).expect("writing to memory");
    for e in entries {
        let mut record = vec![e.date.clone(), e.scenario.clone(), e.title.clone()];
        record.extend(e.pass.fields());
        record.push(e.needed.map_or(String::new(), |n| n.to_string()));
        w.write_record(&record).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

/// The timeline JSON: `{"method", "entries"}`.
pub fn json(method: &str, entries: &[Entry]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        method: &'a str,
        entries: &'a [Entry],
    }
    super::json::pretty(&Out { method, entries })
}

/// The timeline as a table, with the change in P(pass) from one date to the next.
pub fn table(entries: &[Entry]) -> String {
    let mut t = String::new();
    let width = entries.iter().map(|e| e.scenario.len()).max().unwrap_or(8).max(8);
    let _ = writeln!(
        t,
        "{:<10} {:<width$} {:>8} {:>8} {SPREAD_HEADER} {:>6}",
        "date", "scenario", "P(pass)", "change", "needed"
    );
    let mut previous: Option<f64> = None;
    for e in entries {
        let p = e.pass.p_pass;
        let change = previous.map_or("".into(), |before| format!("{:+.4}", p - before));
        previous = Some(p);
        let needed = e.needed.map_or("-".into(), |n| n.to_string());
        let (date, scenario, spread) = (&e.date, &e.scenario, spread(&e.pass));
        let _ = writeln!(t, "{date:<10} {scenario:<width$} {p:>8.4} {change:>8} {spread} {needed:>6}");
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Estimate;

    #[test]
    fn an_entry_is_one_csv_row_and_one_table_line() {
        let text = "[scenario]\nname = \"a\"\ndate = \"2022-03-08\"\n[chamber]\nseats = 2\n[[bloc]]\nname = \"A\"\nseats = 2\nwhip = \"yes\"\ndefect = 0.5\n";
        let s = crate::scenario::parse(text, "x", "a").unwrap();
        let rows = crate::timeline::entries(&[s], &[Estimate::exact(vec![0.25, 0.5, 0.25], 0.25)]);
        let text = String::from_utf8(csv(&rows)).unwrap();
        assert_eq!(text.lines().nth(1).unwrap(), "2022-03-08,a,a,0.25,0.25,0.25,1,0,1,2,2");
        assert!(table(&rows).contains("2022-03-08"));
    }
}
