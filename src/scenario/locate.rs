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
    let mut message = e.message().trim().to_string();
    if let Some(hint) = suggestion(&message) {
        message.push_str(&format!("; did you mean `{hint}`?"));
    }
    if message.contains("missing field `seats`") || message.contains("missing field `whip`") {
        message.push_str(" (every [[bloc]] needs `name`, `seats` and `whip`)");
    }
    ScenarioError {
        location,
        context: None,
        key: unknown_key(&message),
        message,
    }
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
            let next = (diagonal + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// The location of `key = …` inside the table whose header starts at `header`,
/// or of the header itself when the key is not written there.
pub fn key_location(
    text: &str,
    origin: &str,
    header: &Range<usize>,
    key: Option<&str>,
) -> Location {
    let body_start = text[header.start..]
        .find('\n')
        .map_or(text.len(), |i| header.start + i + 1);
    let Some(key) = key else {
        return Location::at(origin, text, header.start);
    };
    let mut offset = body_start;
    for line in text[body_start..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            break;
        }
        if trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('='))
        {
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
