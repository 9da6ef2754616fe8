//! The layering of docs/architecture.md, checked on the source: among the
//! library's top-level modules (who names whom as `crate::…` outside comments
//! and tests) there is no cycle, and no result module uses a format module.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The binary's modules, which may use anything.
const BINARY: [&str; 6] = ["main", "cli", "outputs", "parts", "dated", "progress"];
/// The modules that write results.
const FORMATS: [&str; 2] = ["export", "plot"];
/// The modules whose results the formats write.
const RESULTS: [&str; 6] = ["stats", "sweep", "bench", "explain", "timeline", "backtest"];

/// The code of `text` without comments and without its tests (the `#[cfg(test)]` tail).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The top-level modules that `code` names: `crate::x` and `crate::{x, y}`.
fn named(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in code.split("crate::").skip(1) {
        let group = part.strip_prefix('{').map(|g| g.split('}').next().unwrap_or(""));
        let heads: Vec<&str> = match group {
            Some(g) => g.split(',').map(|s| s.trim().split("::").next().unwrap_or("")).collect(),
            None => vec![part],
        };
        for head in heads {
            let name: String = head.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
            out.insert(name);
        }
    }
    out
}

/// Every `.rs` file under `dir`, with the top-level module it belongs to.
fn files(dir: &Path, top: Option<&str>, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        let module = top.map_or(stem.clone(), str::to_string);
        if path.is_dir() {
            files(&path, Some(&module), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((module, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

/// Who uses whom among the library's top-level modules.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut sources = Vec::new();
    files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), None, &mut sources);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in &sources {
        if module != "lib" && !BINARY.contains(&module.as_str()) {
            uses.entry(module.clone()).or_default().extend(named(&code(text)));
        }
    }
    let modules: BTreeSet<String> = uses.keys().cloned().collect();
    for (module, names) in uses.iter_mut() {
        names.retain(|n| n != module && modules.contains(n));
    }
    uses
}

/// A cycle through `from`, if there is one: the path back to it.
fn cycle(uses: &BTreeMap<String, BTreeSet<String>>, from: &str) -> Option<Vec<String>> {
    let mut stack = vec![vec![from.to_string()]];
    let mut seen = BTreeSet::new();
    while let Some(path) = stack.pop() {
        for next in &uses[path.last().unwrap()] {
            let longer = [&path[..], std::slice::from_ref(next)].concat();
            if next == from {
                return Some(longer);
            }
            if seen.insert(next.clone()) {
                stack.push(longer);
            }
        }
    }
    None
}

#[test]
fn the_library_modules_use_each_other_without_a_cycle() {
    let uses = graph();
    assert!(uses.len() > 15 && uses["sweep"].contains("sampler"), "the graph was not read: {uses:?}");
    for module in uses.keys() {
        assert_eq!(cycle(&uses, module), None, "a cycle through {module}");
    }
}

#[test]
fn no_result_module_uses_a_format_module() {
    let uses = graph();
    assert!(uses["export"].contains("sweep"), "the graph was not read: {uses:?}");
    for result in RESULTS {
        for format in FORMATS {
            assert!(!uses[result].contains(format), "{result} uses {format}");
        }
    }
}

#[test]
fn module_names_are_read_from_paths_and_groups() {
    let text =
        "use crate::a::b;\nuse crate::{c, d::e};\n// crate::f\nfn g() { crate::h::i() }\n#[cfg(test)]\nuse crate::j;";
    let names: Vec<String> = named(&code(text)).into_iter().collect();
    assert_eq!(names, ["a", "c", "d", "h"]);
}

#[test]
fn a_cycle_is_found_and_a_chain_is_not_one() {
    let edges = |pairs: &[(&str, &str)]| {
        let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (a, b) in pairs {
            uses.entry(a.to_string()).or_default().insert(b.to_string());
            uses.entry(b.to_string()).or_default();
        }
        uses
    };
    let ring = edges(&[("a", "b"), ("b", "c"), ("c", "a")]);
    assert_eq!(cycle(&ring, "a").unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(cycle(&edges(&[("a", "b"), ("b", "c"), ("a", "c")]), "a"), None);
}
