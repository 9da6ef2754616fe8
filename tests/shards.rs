//! Shards and `merge` from the command line (docs/reference.md §9): N shards run
//! as separate processes at once, as a scheduler would run them, and their merge
//! is byte for byte the unsharded run; parts that do not make up one run are
//! refused with exit status 2, naming the file, and nothing is written.

use assert_cmd::cargo::cargo_bin;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SCENARIO: &str = "tests/scenarios/every-path.toml";
/// Eight batches, the last one partial.
const TRIALS: &str = "500000";

fn whipcount(dir: &Path, args: &[&str]) -> Output {
    Command::new(cargo_bin("whipcount")).current_dir(dir).args(args).output().unwrap()
}

fn scenario() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO).to_string_lossy().into_owned()
}

/// Runs shards 1..=n of `args` at once, each writing `part-K.json`; returns the parts.
fn run_shards(dir: &Path, args: &[&str], n: u64) -> Vec<String> {
    let children: Vec<_> = (1..=n)
        .map(|k| {
            let (shard, out) = (format!("{k}/{n}"), format!("part-{k}.json"));
            let mut all: Vec<&str> = args.to_vec();
            all.extend(["--shard", &shard, "--out", &out, "--quiet"]);
            Command::new(cargo_bin("whipcount")).current_dir(dir).args(&all).stdout(Stdio::null()).spawn().unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    (1..=n).map(|k| format!("part-{k}.json")).collect()
}

/// The JSON summary without the fields that describe the machine, not the result.
fn without_timing(json: &[u8]) -> Value {
    let mut v: Value = serde_json::from_slice(json).unwrap();
    for key in ["threads", "elapsed_s", "votes_per_s"] {
        v.as_object_mut().unwrap().remove(key).expect(key);
    }
    v
}

#[test]
fn merged_shards_are_byte_for_byte_the_unsharded_run() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario();
    let run = ["simulate", &s, "--trials", TRIALS, "--seed", "7", "--threads", "1"];
    let whole = whipcount(dir.path(), &[&run[..], &["--out", "whole.csv", "--plot", "whole.svg", "--json"]].concat());
    assert!(whole.status.success());
    let expected_svg = std::fs::read(dir.path().join("whole.svg")).unwrap();
    let expected_csv = std::fs::read(dir.path().join("whole.csv")).unwrap();
    for n in [1, 3, 7] {
        let mut parts = run_shards(dir.path(), &run, n);
        parts.reverse();
        let merged: Vec<&str> = ["merge"].into_iter().chain(parts.iter().map(String::as_str)).collect();
        let out =
            whipcount(dir.path(), &[&merged[..], &["--out", "merged.csv", "--plot", "merged.svg", "--json"]].concat());
        assert!(out.status.success(), "{n} shards: {}", String::from_utf8_lossy(&out.stderr));
        assert!(std::fs::read(dir.path().join("merged.csv")).unwrap() == expected_csv, "{n} shards: the CSV differs");
        assert!(std::fs::read(dir.path().join("merged.svg")).unwrap() == expected_svg, "{n} shards: the plot differs");
        assert_eq!(without_timing(&out.stdout), without_timing(&whole.stdout), "{n} shards");
        let text = |o: &Output| String::from_utf8_lossy(&o.stdout).lines().next().map(str::to_string);
        let plain = whipcount(dir.path(), &merged);
        assert_eq!(text(&plain), Some("Every sampling path of the fast kernel".to_string()));
    }
}

#[test]
fn merged_sweep_shards_are_the_whole_sweep_by_monte_carlo_and_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario();
    let vary = "Switching.switch=0..=1:0.1";
    for method in [&["--trials", "20000", "--seed", "3"][..], &["--exact"][..]] {
        let sweep = [&["sweep", &s, "--vary", vary][..], method].concat();
        let whole = whipcount(dir.path(), &[&sweep[..], &["--out", "whole.csv", "--json"]].concat());
        assert!(whole.status.success());
        let parts = run_shards(dir.path(), &sweep, 4);
        let merged: Vec<&str> = ["merge"].into_iter().chain(parts.iter().map(String::as_str)).collect();
        let out = whipcount(dir.path(), &[&merged[..], &["--out", "merged.csv", "--json"]].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let read = |f: &str| std::fs::read(dir.path().join(f)).unwrap();
        assert!(read("merged.csv") == read("whole.csv"), "{method:?}: the sweep CSV differs");
        assert_eq!(out.stdout, whole.stdout, "{method:?}");
    }
}

#[test]
fn a_set_edit_is_part_of_the_run_and_of_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = scenario();
    let run = ["simulate", &s, "--trials", "200000", "--seed", "5", "--set", "Switching.switch=0.25"];
    let whole = whipcount(d, &[&run[..], &["--out", "whole.csv", "--json"]].concat());
    assert!(whole.status.success());
    let parts = run_shards(d, &run, 3);
    let out = whipcount(d, &["merge", &parts[0], &parts[1], &parts[2], "--out", "edited.csv", "--json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(d.join("edited.csv")).unwrap() == std::fs::read(d.join("whole.csv")).unwrap());
    assert_eq!(without_timing(&out.stdout), without_timing(&whole.stdout));
    assert!(without_timing(&out.stdout)["scenario"].as_str().unwrap().ends_with("[Switching.switch=0.25]"));
    let other = [&run[..6], &["--set", "Switching.switch=0.5", "--shard", "2/3", "--out", "other.json", "-q"]].concat();
    assert!(whipcount(d, &other).status.success());
    assert_refused(
        d,
        &["merge", &parts[0], "other.json", &parts[2], "--out", "merged.csv"],
        &["other.json", "scenario (hash)"],
    );
}

/// Asserts exit status 2 with a message containing each of `needles`, and no `merged.csv`.
fn assert_refused(dir: &Path, args: &[&str], needles: &[&str]) {
    let out = whipcount(dir, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    for needle in needles {
        assert!(err.contains(needle), "{args:?}: {err} lacks {needle}");
    }
    assert!(!dir.join("merged.csv").exists(), "{args:?} wrote an output");
}

#[test]
fn parts_that_do_not_make_up_one_run_are_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let s = scenario();
    let run = ["simulate", &s, "--trials", "200000", "--seed", "7"];
    let parts = run_shards(d, &run, 3);
    let (p1, p2, p3) = (parts[0].as_str(), parts[1].as_str(), parts[2].as_str());
    let other = |args: &[&str], name: &str| {
        let full: Vec<&str> = [args, &["--shard", "2/3", "--out", name, "-q"]].concat();
        assert!(whipcount(d, &full).status.success());
    };
    other(&["simulate", &s, "--trials", "200000", "--seed", "8"], "seed.json");
    other(&["simulate", &s, "--trials", "300000", "--seed", "7"], "trials.json");
    other(&["simulate", "--trials", "200000", "--seed", "7"], "scenario.json");
    let four: Vec<&str> = [&run[..], &["--shard", "2/4", "--out", "four.json", "-q"]].concat();
    assert!(whipcount(d, &four).status.success());
    let text = std::fs::read_to_string(d.join(p2)).unwrap();
    let write = |name: &str, body: &str| std::fs::write(d.join(name), body).unwrap();
    write("truncated.json", &text[..text.len() - 40]);
    write("edited.json", &text.replacen("\"passes\": ", "\"passes\": 1", 1));
    write("version.json", &text.replacen("\"version\": 2", "\"version\": 3", 1));
    write("other.json", "{\"p_pass\": 0.5}");
    fn merge<'a>(files: &[&'a str]) -> Vec<&'a str> {
        [&["merge"][..], files, &["--out", "merged.csv"]].concat()
    }
    assert_refused(d, &merge(&[p1, p3]), &["missing shard 2/3"]);
    assert_refused(d, &merge(&[p1, p2, p2, p3]), &["shard 2/3 given 2 times"]);
    assert_refused(d, &merge(&[p1, "seed.json", p3]), &["seed.json", "seed is 8, not 7"]);
    assert_refused(d, &merge(&[p1, "trials.json", p3]), &["trials.json", "number of trials"]);
    assert_refused(d, &merge(&[p1, "scenario.json", p3]), &["scenario.json", "scenario (hash)"]);
    assert_refused(d, &merge(&[p1, "four.json", p3]), &["four.json", "shard count is 4, not 3"]);
    assert_refused(d, &merge(&[p1, "truncated.json", p3]), &["truncated.json", "truncated"]);
    assert_refused(d, &merge(&[p1, "edited.json", p3]), &["edited.json", "checksum"]);
    assert_refused(d, &merge(&[p1, "version.json", p3]), &["version.json", "version 3"]);
    assert_refused(d, &merge(&["other.json"]), &["other.json", "not a whipcount part file"]);
    assert_refused(d, &merge(&["missing.json"]), &["missing.json"]);
}

#[test]
fn impossible_shards_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fn part(shard: &str) -> Vec<&str> {
        vec!["simulate", "--trials", "1000", "--shard", shard, "--out", "merged.csv"]
    }
    assert_refused(d, &part("0/3"), &["0/3", "numbered from 1"]);
    assert_refused(d, &part("4/3"), &["4/3", "only 3 shards"]);
    assert_refused(d, &[&part("1/3")[..], &["--precision", "0.01"]].concat(), &["--precision"]);
    assert_refused(d, &["simulate", "--trials", "1000", "--shard", "1/3"], &["--out PART.json"]);
    let sweep = ["sweep", "--vary", "swing.sd=0.1,0.2", "--precision", "0.01", "--shard", "1/2", "--out", "p.json"];
    assert_refused(d, &sweep, &["--precision"]);
    let exists: Vec<PathBuf> = std::fs::read_dir(d).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(exists.is_empty(), "{exists:?}");
}
