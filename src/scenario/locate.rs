//! Turning TOML parser errors and validation failures into located messages.

use crate::error::{Location, ScenarioError};
use std::ops::Range;

/// A TOML parse or type error, with its line and column and, for an unknown key,
/// the nearest valid one.
pub fn toml_error(e: &toml::de::Error, text: &str, origin: &str) -> ScenarioError {
    let location = match e.span() {
        Some(span) => Location::at(origin, text, span.start),
        None => Location::file(origin),
    };
    let mut message = plain_types(e.message().trim());
    if let Some(hint) = suggestion(&message) {
        message.push_str(&format!("; did you mean `{hint}`?"));
    }
    if message.contains("missing field `seats`") || message.contains("missing field `whip`") {
        message.push_str(" (every [[bloc]] needs `name`, `seats` and `whip`)");
    }
    let line = e.span().map(|s| line_at(text, s.start));
    let key = unknown_key(&message).or_else(|| line.and_then(key_of_line));
    let context = e.span().and_then(|s| table_before(text, s.start));
    ScenarioError { location, context, key, message }
}

/// serde's type names in words a scenario author knows.
fn plain_types(message: &str) -> String {
    message
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
}

fn line_at(text: &str, offset: usize) -> &str {
    let start = text[..offset.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    text[start..].lines().next().unwrap_or("")
}

/// `key` of a line `key = value`.
fn key_of_line(line: &str) -> Option<String> {
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && !key.starts_with('[')).then(|| key.to_string())
}

/// The header of the table that holds `offset`, with the bloc's name if given.
fn table_before(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind("\n[").map(|i| i + 1).or_else(|| text.starts_with('[').then_some(0))?;
    let header = text[start..].lines().next()?.trim().to_string();
    let name = text[start..offset].lines().find_map(|l| {
        let value = l.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    });
    Some(match (header.as_str(), name) {
        ("[[bloc]]", Some(n)) => format!("bloc \"{n}\""),
        _ => header,
    })
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

/// The location of `key = …` inside the table whose header starts at `header`,
/// or of the header itself when the key is not written there.
pub fn key_location(text: &str, origin: &str, header: &Range<usize>, key: Option<&str>) -> Location {
    let body_start = text[header.start..].find('\n').map_or(text.len(), |i| header.start + i + 1);
    let Some(key) = key else {
        return Location::at(origin, text, header.start);
    };
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if trimmed.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with('=')) {
            return Location::at(origin, text, offset + (line.len() - trimmed.len()));
        }
        offset += line.len();
    }
    Location::at(origin, text, header.start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_nearest_valid_key() {
        let m = "unknown field `cohesoin`, expected one of `name`, `seats`, `cohesion`, `switch`";
        assert_eq!(suggestion(m).as_deref(), Some("cohesion"));
    }

    #[test]
    fn does_not_suggest_a_key_that_is_nothing_alike() {
        let m = "unknown field `zzzzzzzz`, expected one of `name`, `seats`";
        assert_eq!(suggestion(m), None);
    }

    #[test]
    fn finds_the_line_of_a_key_inside_its_table() {
        let text = "[[bloc]]\nname = \"a\"\nyes = 2\n[[bloc]]\nyes = 3\n";
        let loc = key_location(text, "f", &(0..8), Some("yes"));
        assert_eq!((loc.line, loc.column), (Some(3), Some(1)));
    }
}
