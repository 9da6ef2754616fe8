//! TOML parse and type errors as advice: where, in which table, bloc or member, and
//! what would be valid.
//!
//! The span of the parser's error is placed with [`Document::place_at`]; the wording is
//! serde's, with Rust type names in plain words, the nearest valid key for an unknown
//! one, and a line on the usual mistakes: `[bloc]` for `[[bloc]]`, a bloc's key written
//! below its members, a missing required key.

use super::locate::{Document, Place};
use crate::error::{Location, ScenarioError};

/// Keys a bloc may have and a member may not: written below a `[[bloc.member]]`, they
/// were most likely meant for the bloc above.
const BLOC_ONLY: [&str; 6] = ["seats", "whip", "cohesion", "switch", "swing", "party"];

/// The top-level tables that are single tables, not arrays of tables.
const SINGLE_TABLES: [&str; 4] = ["scenario", "chamber", "rule", "swing"];

/// A TOML parse or type error of `text`, located and explained.
pub fn toml_error(e: &toml::de::Error, text: &str, origin: &str) -> ScenarioError {
    let doc = Document::parse(text);
    if let Some(problem) = doc.as_ref().and_then(|d| shape(d, text, origin)) {
        return problem;
    }
    let Some(span) = e.span() else {
        return ScenarioError::in_file(origin, plain_types(e.message().trim()));
    };
    let location = Location::at(origin, text, span.start);
    let (place, found) = match doc.as_ref().map(|d| (d, d.place_at(span.start))) {
        Some((d, (Place::Top, None))) => (d.place_before(span.start), None),
        Some((_, found)) => found,
        None => (Place::Top, None),
    };
    let message = plain_types(e.message().trim());
    let key = unknown_key(&message).or(found);
    let context = doc.as_ref().and_then(|d| d.context(&place));
    let message = advise(message, &place, doc.as_ref());
    ScenarioError { context, key, ..ScenarioError::new(location, message) }
}

/// A table written with the wrong number of brackets: `[bloc]`, `[bloc.member]`, `[[chamber]]`.
fn shape(doc: &Document, text: &str, origin: &str) -> Option<ScenarioError> {
    if let Some(v) = doc.top().get("bloc").filter(|v| v.get_ref().as_array().is_none()) {
        let at = Location::at(origin, text, v.span().start);
        let message = "`bloc` is an array of tables: write [[bloc]], with two brackets, above each bloc";
        return Some(ScenarioError::new(at, message).with_key("bloc"));
    }
    let blocs = doc.top().get("bloc").and_then(|v| v.get_ref().as_array()).map_or(0, |a| a.len());
    for i in 0..blocs {
        let member = doc.value(&Place::Bloc(i)).and_then(|b| b.get_ref().as_table()?.get("member"));
        if let Some(v) = member.filter(|v| v.get_ref().as_array().is_none()) {
            let at = Location::at(origin, text, v.span().start);
            let message = "`member` is an array of tables: write [[bloc.member]], with two brackets, above each member";
            let context = doc.context(&Place::Bloc(i)).unwrap_or_default();
            return Some(ScenarioError::new(at, message).with_context(context).with_key("member"));
        }
    }
    SINGLE_TABLES.iter().find_map(|&t| {
        let v = doc.top().get(t).filter(|v| v.get_ref().as_array().is_some())?;
        let message = format!("there is one [{t}] table: write [{t}] with single brackets, not [[{t}]]");
        Some(ScenarioError::new(Location::at(origin, text, v.span().start), message).with_key(t))
    })
}

/// `message` with advice for the usual mistake behind it.
fn advise(mut message: String, place: &Place, doc: Option<&Document>) -> String {
    let unknown = unknown_key(&message);
    match (place, unknown.as_deref()) {
        (Place::Member(i, _), Some(k)) if BLOC_ONLY.contains(&k) => {
            let bloc = doc.and_then(|d| d.context(&Place::Bloc(*i))).unwrap_or_else(|| "the bloc".into());
            message.push_str(&format!(
                "; `{k}` is a key of a bloc, not of a member: it probably belongs to {bloc} above, so move it above the bloc's first [[bloc.member]] (a key belongs to the nearest header before it)"
            ));
        }
        (_, Some(_)) => match (place, suggestion(&message).as_deref()) {
            (Place::Top, Some("bloc")) => message.push_str("; did you mean [[bloc]]? write it above each bloc"),
            (Place::Bloc(_), Some("member")) => {
                message.push_str("; did you mean [[bloc.member]]? write it above each named member")
            }
            (_, Some(hint)) => message.push_str(&format!("; did you mean `{hint}`?")),
            (_, None) => {}
        },
        _ => {}
    }
    if message.starts_with("missing field") {
        message.push_str(match place {
            Place::Bloc(_) => " (every [[bloc]] needs `name`, `seats` and `whip`)",
            Place::Member(..) => " (every [[bloc.member]] needs a `name`)",
            Place::Table(t) if t == "chamber" => " (the [chamber] table needs `seats`, the total membership)",
            _ => "",
        });
    }
    message
}

/// serde's type names in words a scenario author knows.
fn plain_types(message: &str) -> String {
    let mut plain = message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false");
    while let Some(start) = plain.find("struct Raw") {
        let name = start + "struct ".len();
        let end = plain[name..].find(|c: char| !c.is_alphanumeric()).map_or(plain.len(), |e| name + e);
        plain.replace_range(start..end, "a table");
    }
    plain
}

fn unknown_key(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_string())
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", the closest of a, b.
fn suggestion(message: &str) -> Option<String> {
    let wrong = unknown_key(message)?;
    let expected = message.split("expected").nth(1)?;
    expected
        .split('`')
        .skip(1)
        .step_by(2)
        .map(|k| (edit_distance(&wrong, k), k))
        .filter(|(d, k)| *d <= wrong.len().max(k.len()) / 2 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        let e = toml::from_str::<super::super::raw::RawScenario>(text).unwrap_err();
        toml_error(&e, text, "f").to_string()
    }

    const HEAD: &str = "[chamber]\nseats = 3\n";

    #[test]
    fn suggests_the_nearest_valid_key() {
        let m = "unknown field `cohesoin`, expected one of `name`, `seats`, `cohesion`, `switch`";
        assert_eq!(suggestion(m).as_deref(), Some("cohesion"));
        let m = "unknown field `zzzzzzzz`, expected one of `name`, `seats`";
        assert_eq!(suggestion(m), None);
    }

    #[test]
    fn a_missing_key_is_blamed_on_its_own_table() {
        let e = error("[[bloc]]\nname = \"a\"\nseats = 1\nwhip = \"yes\"\n\n[[bloc]]\nname = \"b\"\nseats = 2\n");
        assert!(e.starts_with("f:6:1: bloc \"b\": missing field `whip` (every [[bloc]]"), "{e}");
        let e = error("[scenario]\nname = \"x\"\n[chamber]\nvacancies = 0\n");
        assert!(e.starts_with("f:3:1: [chamber]: missing field `seats` (the [chamber] table needs"), "{e}");
        let e = error(&format!("{HEAD}[[bloc]]\nname = \"a\"\nwhip = \"yes\"\n"));
        assert!(e.starts_with("f:3:1: bloc \"a\": missing field `seats` (every [[bloc]]"), "{e}");
    }

    #[test]
    fn single_brackets_around_bloc_ask_for_double_ones() {
        let e = error(&format!("{HEAD}[bloc]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n"));
        assert!(e.starts_with("f:3:1: key `bloc`: `bloc` is an array of tables: write [[bloc]]"), "{e}");
        let e = error(&format!("{HEAD}[[blocs]]\nname = \"a\"\n"));
        assert!(
            e.contains("key `blocs`: unknown field `blocs`")
                && e.ends_with("did you mean [[bloc]]? write it above each bloc"),
            "{e}"
        );
        let e =
            error(&format!("{HEAD}[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n[bloc.member]\nname = \"m\"\n"));
        assert!(
            e.starts_with("f:7:1: bloc \"a\", key `member`: `member` is an array of tables: write [[bloc.member]]"),
            "{e}"
        );
        let e = error("[[chamber]]\nseats = 3\n");
        assert!(e.starts_with("f:1:1: key `chamber`: there is one [chamber] table"), "{e}");
    }

    #[test]
    fn a_bloc_key_below_a_member_is_said_to_belong_to_the_bloc_above() {
        let text = format!(
            "{HEAD}[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n  [[bloc.member]]\n  name = \"m\"\ncohesion = 0.3\n"
        );
        let e = error(&text);
        assert!(e.starts_with("f:9:1: bloc \"a\", member \"m\", key `cohesion`: unknown field `cohesion`"), "{e}");
        assert!(e.contains("it probably belongs to bloc \"a\" above"), "{e}");
    }

    #[test]
    fn a_type_error_inside_a_member_names_the_member() {
        let text = format!(
            "{HEAD}[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n  [[bloc.member]]\n  name = \"m\"\n  yes = \"x\"\n"
        );
        let e = error(&text);
        assert!(
            e.starts_with("f:9:9: bloc \"a\", member \"m\", key `yes`: invalid type: string \"x\", expected a number"),
            "{e}"
        );
    }

    #[test]
    fn a_syntax_error_is_placed_under_the_header_above_it() {
        let e = error(&format!("{HEAD}[[bloc]]\nname = \"a\"\nseats = = 3\n"));
        assert!(e.starts_with("f:5:9: bloc \"a\": "), "{e}");
    }

    #[test]
    fn rust_type_names_never_reach_the_user() {
        assert_eq!(
            plain_types("invalid type: string \"a\", expected struct RawChamber"),
            "invalid type: string \"a\", expected a table"
        );
    }
}
