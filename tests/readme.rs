//! The README's quick start shows the tool's real output: the block under
//! "Quick start" must be what `whipcount` prints for the default scenario, but for
//! the thread count, time and speed on its last line, which vary by machine.

use assert_cmd::Command;

/// The first ```text block after the "## Quick start" heading.
fn quick_start_sample(readme: &str) -> String {
    let section = &readme[readme.find("## Quick start").expect("a Quick start section")..];
    let start = section.find("```text\n").expect("a text block in Quick start") + "```text\n".len();
    let end = section[start..].find("```").expect("the text block ends");
    section[start..start + end].to_string()
}

/// Replaces every figure after the seed on the timing line by `#` (and "threads" by
/// "thread", for a one-core machine).
fn without_timing(text: &str) -> String {
    text.lines()
        .map(|line| timing_cut(line).map_or(line.to_string(), |cut| masked(line, cut)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where the figures that vary start on the timing line: after "seed S, ".
fn timing_cut(line: &str) -> Option<usize> {
    let seed = line.find(" simulated votes, seed ")? + " simulated votes, seed ".len();
    line[seed..].find(", ").map(|i| seed + i)
}

fn masked(line: &str, cut: usize) -> String {
    let mut out = line[..cut].to_string();
    for c in line[cut..].chars() {
        let figure = c.is_ascii_digit() || c == '.';
        if !(figure && out.ends_with('#')) {
            out.push(if figure && c != '.' { '#' } else { c });
        }
    }
    out.replace("threads", "thread")
}

#[test]
fn the_quick_start_sample_is_what_the_default_run_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let out = Command::cargo_bin("whipcount").unwrap().env("NO_COLOR", "1").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(without_timing(&quick_start_sample(&readme)), without_timing(&printed));
}

#[test]
fn masking_keeps_everything_but_the_timing_line_figures() {
    let a = "P(pass) = 0.96\n1000 simulated votes, seed 7, 2 threads, 0.62 s, 1.6 million votes/s";
    let b = "P(pass) = 0.96\n1000 simulated votes, seed 7, 16 threads, 10.2 s, 21.5 million votes/s";
    assert_eq!(without_timing(a), without_timing(b));
    assert_ne!(without_timing(a), without_timing(&b.replace("seed 7", "seed 8")));
    assert_ne!(without_timing(a), without_timing(&a.replace("0.96", "0.97")));
    assert_eq!(
        without_timing("1 simulated votes, seed 7, 1 thread, 123.45 s"),
        "1 simulated votes, seed 7, # thread, # s"
    );
}

#[test]
fn the_readme_states_the_minimum_rust_version_of_cargo_toml() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let version = env!("CARGO_PKG_RUST_VERSION");
    assert!(!version.is_empty(), "Cargo.toml states rust-version");
    assert!(readme.contains(&format!("Rust {version} or newer")), "the README names Rust {version}");
}
