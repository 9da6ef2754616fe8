//! Where in a scenario file a problem sits, from the TOML parser's own spans.
//!
//! On failure only, the text is parsed once more into `toml::de::DeTable`, which keeps the
//! byte span of every key, value and table header. A validation error names a [`Place`]
//! (a top-level table, a bloc or a member, by index) and a key, and is located at the key,
//! or at the table's header when the key is not written there ([`location`]). A serde
//! error carries a span, and [`Document::place_at`] finds the deepest table, bloc or member
//! that holds it, so a message names the right one whatever the comments, layout or order
//! of the file. Turning serde's wording into advice is [`super::hints`]'s concern.

use crate::error::Location;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A table of the scenario format, found by position rather than by text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The document itself (top-level keys).
    Top,
    /// A top-level table such as `[chamber]`.
    Table(String),
    /// The `i`-th `[[bloc]]`, from 0.
    Bloc(usize),
    /// Member `j` of bloc `i`, both from 0.
    Member(usize, usize),
}

impl Place {
    /// How the table at this place is named in messages, given the `name` written in a
    /// bloc or member: `[chamber]`, `bloc "PML-N"`, `bloc "PTI rebels", member "Raja Riaz"`,
    /// or by position (`[[bloc]] number 3`) where no name is written.
    pub fn describe<'n>(&self, name: impl Fn(&Place) -> Option<&'n str>) -> Option<String> {
        let named = |place: &Place, what: &str, n: usize| match name(place).filter(|n| !n.trim().is_empty()) {
            Some(written) => format!("{what} \"{written}\""),
            None if what == "bloc" => format!("[[bloc]] number {}", n + 1),
            None => format!("[[bloc.member]] number {}", n + 1),
        };
        match self {
            Place::Top => None,
            Place::Table(t) => Some(format!("[{t}]")),
            Place::Bloc(i) => Some(named(self, "bloc", *i)),
            Place::Member(i, j) => {
                Some(format!("{}, {}", named(&Place::Bloc(*i), "bloc", *i), named(self, "member", *j)))
            }
        }
    }
}

/// The location of `key` in the table at `place` of `text`: the key if it is written
/// there, else the table's header, else the file alone.
pub fn location(text: &str, origin: &str, place: &Place, key: Option<&str>) -> Location {
    Document::parse(text)
        .and_then(|d| d.span(place, key))
        .map_or_else(|| Location::file(origin), |s| Location::at(origin, text, s.start))
}

/// The parsed document, with spans.
pub struct Document<'a> {
    root: Spanned<DeTable<'a>>,
}

impl<'a> Document<'a> {
    /// Parses `text`; where it is not TOML, as much as the parser recovers, so that a
    /// syntax error is still placed in its table.
    pub fn parse(text: &'a str) -> Option<Self> {
        Some(Document { root: DeTable::parse_recoverable(text).0 })
    }

    /// The top-level table.
    pub fn top(&self) -> &DeTable<'a> {
        self.root.get_ref()
    }

    /// The value of the table at `place` (with its header's span); `None` for [`Place::Top`].
    pub fn value(&self, place: &Place) -> Option<&Spanned<DeValue<'a>>> {
        let top = self.top();
        match place {
            Place::Top => None,
            Place::Table(name) => top.get(name.as_str()),
            Place::Bloc(i) => element(top.get("bloc")?, *i),
            Place::Member(i, j) => element(element(top.get("bloc")?, *i)?.get_ref().as_table()?.get("member")?, *j),
        }
    }

    fn table(&self, place: &Place) -> Option<&DeTable<'a>> {
        match place {
            Place::Top => Some(self.top()),
            _ => self.value(place)?.get_ref().as_table(),
        }
    }

    /// The span of `key` in the table at `place`, or of the table's header.
    pub fn span(&self, place: &Place, key: Option<&str>) -> Option<Range<usize>> {
        let written = key.and_then(|k| self.table(place)?.get_key_value(k)).map(|(k, _)| k.span());
        written.or_else(|| self.value(place).map(Spanned::span))
    }

    /// The `name` written in the table at `place`, if it is a string.
    pub fn name(&self, place: &Place) -> Option<&str> {
        self.table(place)?.get("name")?.get_ref().as_str()
    }

    /// How the table at `place` is named in messages, by the names written in the file.
    pub fn context(&self, place: &Place) -> Option<String> {
        place.describe(|p| self.name(p))
    }

    /// The table whose header is the last before byte `at`: where a line that does not
    /// parse would have belonged (TOML gives a key to the nearest header above it).
    pub fn place_before(&self, at: usize) -> Place {
        let mut tables = Vec::new();
        headers(self.top(), &Place::Top, &mut tables);
        tables.into_iter().filter(|(start, _)| *start <= at).max_by_key(|(start, _)| *start).map_or(Place::Top, |t| t.1)
    }

    /// The deepest table holding byte `at`, and the key there when `at` is on a key or
    /// its value (`None` when `at` is on the table's header).
    pub fn place_at(&self, at: usize) -> (Place, Option<String>) {
        search(self.top(), &Place::Top, at).unwrap_or((Place::Top, None))
    }
}

/// Every table of the document with a place, and where its header starts.
fn headers(table: &DeTable, place: &Place, out: &mut Vec<(usize, Place)>) {
    for (k, v) in table.iter() {
        let elements: Vec<(Option<usize>, &Spanned<DeValue>)> = match v.get_ref() {
            DeValue::Array(a) => a.iter().enumerate().map(|(i, e)| (Some(i), e)).collect(),
            _ => vec![(None, v)],
        };
        for (i, e) in elements {
            if let (Some(t), Some(p)) = (e.get_ref().as_table(), child(place, k.get_ref(), i)) {
                out.push((e.span().start, p.clone()));
                headers(t, &p, out);
            }
        }
    }
}

fn element<'v, 'i>(value: &'v Spanned<DeValue<'i>>, i: usize) -> Option<&'v Spanned<DeValue<'i>>> {
    value.get_ref().as_array()?.get(i)
}

/// The place of a table under `key` of the table at `place` (`index` within an array of tables).
fn child(place: &Place, key: &str, index: Option<usize>) -> Option<Place> {
    match (place, key, index) {
        (Place::Top, "bloc", Some(i)) => Some(Place::Bloc(i)),
        (Place::Top, _, _) => Some(Place::Table(key.to_string())),
        (Place::Bloc(i), "member", Some(j)) => Some(Place::Member(*i, j)),
        _ => None,
    }
}

fn search(table: &DeTable, place: &Place, at: usize) -> Option<(Place, Option<String>)> {
    for (k, v) in table.iter() {
        let key = k.get_ref().as_ref();
        if k.span().contains(&at) {
            return Some((place.clone(), Some(key.to_string())));
        }
        let elements: Vec<(Option<usize>, &Spanned<DeValue>)> = match v.get_ref() {
            DeValue::Array(a) => a.iter().enumerate().map(|(i, e)| (Some(i), e)).collect(),
            _ => vec![(None, v)],
        };
        for (i, e) in elements {
            let (Some(t), Some(p)) = (e.get_ref().as_table(), child(place, key, i)) else { continue };
            if let Some(found) = search(t, &p, at) {
                return Some(found);
            }
            if e.span().contains(&at) {
                return Some((p, None));
            }
        }
        if v.span().contains(&at) {
            return Some((place.clone(), Some(key.to_string())));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "[scenario]\nname = \"x\"\n\n[chamber] # the house\nseats = 3\n\n[[bloc]]\nname = \"a\"\nseats = 1\n\n  [[bloc.member]]\n  name = \"m\"\n  yes = 1\nwhip = \"yes\"\n\n[[bloc]]\nname = \"b\"\n";

    fn line_column(place: &Place, key: Option<&str>) -> (Option<usize>, Option<usize>) {
        let l = location(TEXT, "f", place, key);
        (l.line, l.column)
    }

    #[test]
    fn a_key_is_found_in_its_own_table_even_after_a_commented_header() {
        assert_eq!(line_column(&Place::Table("chamber".into()), Some("seats")), (Some(5), Some(1)));
        assert_eq!(line_column(&Place::Member(0, 0), Some("yes")), (Some(13), Some(3)));
        assert_eq!(line_column(&Place::Member(0, 0), Some("whip")), (Some(14), Some(1)));
    }

    #[test]
    fn a_key_not_written_is_located_at_its_table_header() {
        assert_eq!(line_column(&Place::Table("chamber".into()), Some("vacancies")), (Some(4), Some(1)));
        assert_eq!(line_column(&Place::Bloc(1), Some("whip")), (Some(16), Some(1)));
        assert_eq!(line_column(&Place::Table("rule".into()), Some("needed")), (None, None));
    }

    #[test]
    fn a_position_belongs_to_the_deepest_table_that_holds_it() {
        let doc = Document::parse(TEXT).unwrap();
        let at = |line: &str| TEXT.find(line).unwrap();
        assert_eq!(doc.place_at(at("[[bloc]]\nname = \"b\"")), (Place::Bloc(1), None));
        assert_eq!(doc.place_at(at("[chamber]")), (Place::Table("chamber".into()), None));
        assert_eq!(doc.place_at(at("whip")), (Place::Member(0, 0), Some("whip".into())));
        assert_eq!(doc.place_at(at("\"x\"")), (Place::Table("scenario".into()), Some("name".into())));
    }

    #[test]
    fn a_line_that_does_not_parse_belongs_to_the_header_above_it() {
        let text = TEXT.replace("  yes = 1\n", "  yes = = 1\n");
        let doc = Document::parse(&text).unwrap();
        let at = text.find("= = 1").unwrap() + 2;
        assert_eq!(doc.place_at(at), (Place::Top, None));
        assert_eq!(doc.place_before(at), Place::Member(0, 0));
        assert_eq!(doc.place_before(text.find("seats = 3").unwrap()), Place::Table("chamber".into()));
        assert_eq!(doc.place_before(0), Place::Table("scenario".into()));
        assert_eq!(Document::parse("x = = 1").unwrap().place_before(4), Place::Top);
    }

    #[test]
    fn tables_are_named_by_their_names_or_positions() {
        let doc = Document::parse(TEXT).unwrap();
        assert_eq!(doc.context(&Place::Member(0, 0)).unwrap(), "bloc \"a\", member \"m\"");
        assert_eq!(Place::Bloc(2).describe(|_| Some(" ")).unwrap(), "[[bloc]] number 3");
        assert_eq!(Place::Member(0, 1).describe(|_| None).unwrap(), "[[bloc]] number 1, [[bloc.member]] number 2");
        assert_eq!(doc.context(&Place::Top), None);
    }
}
