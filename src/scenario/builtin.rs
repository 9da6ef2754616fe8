//! The scenarios built into the binary: every file under `configs/`.

include!(concat!(env!("OUT_DIR"), "/builtin.rs"));

/// The scenario used when none is named: Pakistan, 30 March 2022.
pub const DEFAULT_SCENARIO: &str = "pakistan-2022-03-30";

/// The TOML text of the built-in scenario `name`.
pub fn find_builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// The names of all built-in scenarios, sorted.
pub fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}
