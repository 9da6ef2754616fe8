//! Text from scenario files made safe to print.
//!
//! Names, titles and keys come from files a user may not have written. Printed raw,
//! a control character such as `ESC ] 0 ;` retitles the terminal and `ESC [ 2 J`
//! clears it. Every message and table passes such text through [`escape`], which
//! writes control characters (and the bidirectional overrides that reorder what a
//! terminal shows) as Rust-style `\u{…}` escapes and leaves everything else as is.

use std::borrow::Cow;

/// Whether `c` would change what a terminal shows rather than show itself.
fn unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as an escape: `\n`, `\t`, `\r`
/// as themselves escaped, the others as `\u{1b}`; borrowed when nothing changes.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escape_sequences_are_written_out() {
        assert_eq!(escape("a\u{1b}]0;pwned\u{7}\u{1b}[2Jb"), "a\\u{1b}]0;pwned\\u{7}\\u{1b}[2Jb");
        assert_eq!(escape("two\nlines\r\t"), "two\\nlines\\r\\t");
        assert_eq!(escape("\u{9b}31m \u{202e}evil"), "\\u{9b}31m \\u{202e}evil");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "PTI rebels / Raja Riaz — «ça va» 日本 \\u{1b}";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }
}
