//! Outputs through the real binary: standard output, devices, FIFOs, links,
//! read-only files, paths checked before any work, all outputs or none, closed
//! pipes, Ctrl-C, and the precision verdict. Unix only (devices, FIFOs, /proc).
#![cfg(target_os = "linux")]

use assert_cmd::Command;
use serde_json::Value;
use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn whipcount() -> Command {
    Command::cargo_bin("whipcount").unwrap()
}

fn run(args: &[&str], paths: &[&Path]) -> std::process::Output {
    whipcount().args(args).args(paths).timeout(Duration::from_secs(60)).output().unwrap()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_dash_sends_the_csv_to_standard_output_and_the_summary_to_standard_error() {
    let out = run(&["exact", "spain-2018-06-01", "--out", "-"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(text.starts_with("yes,count,probability,cdf,sf\n0,,"), "{text}");
    assert_eq!(text.lines().count(), 1 + 351);
    assert!(stderr(&out).contains("P(pass)"));
    assert!(!Path::new("-").exists(), "a file named - appeared");
}

#[test]
fn two_outputs_on_standard_output_are_a_usage_error() {
    let out = run(&["exact", "spain-2018-06-01", "--out", "-", "--plot", "-"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--out and --plot"), "{}", stderr(&out));
    let out = run(&["exact", "spain-2018-06-01", "--out", "-", "--json"], &[]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_wrong_extension_is_a_usage_error_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&["simulate", "--trials", "1e15", "--out"], &[&dir.path().join("x.svg")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(".csv"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

/// 10^15 trials would run for days: the error must come first.
#[test]
fn a_missing_directory_fails_before_the_run_with_status_one() {
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = run(&["simulate", "--trials", "1e15", "--quiet", "--out"], &[&dir.path().join("missing/out.csv")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(dir.path().exists() && std::fs::read_dir(dir.path()).unwrap().count() == 0);
}

#[test]
fn an_unwritable_plot_leaves_an_existing_csv_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("old.csv");
    std::fs::write(&csv, "precious").unwrap();
    let plot = dir.path().join("missing").join("p.svg");
    let out = run(&["simulate", "--trials", "1e15", "--quiet", "--out"], &[&csv, Path::new("--plot"), &plot]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "precious");
}

#[test]
fn a_full_device_is_an_error_and_no_other_output_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("new.csv");
    let out = run(&["exact", "spain-2018-06-01", "--out"], &[&csv, Path::new("--plot"), Path::new("/dev/full")]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("/dev/full") && stderr(&out).contains("space"), "{}", stderr(&out));
    assert!(is_device("/dev/full"), "/dev/full was replaced");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "the CSV or a temporary file appeared");
}

fn is_device(path: &str) -> bool {
    std::fs::symlink_metadata(path).unwrap().file_type().is_char_device()
}

#[test]
fn dev_null_stays_a_device() {
    let out = run(&["exact", "spain-2018-06-01", "--out", "/dev/null"], &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(is_device("/dev/null"));
}

#[test]
fn a_fifo_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let out = run(&["exact", "spain-2018-06-01", "--out"], &[&fifo]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(reader.join().unwrap().starts_with("yes,count,probability"));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
}

#[test]
fn a_symbolic_link_is_written_through_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::fs::write(&target, "old").unwrap();
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let out = run(&["exact", "spain-2018-06-01", "--out"], &[&link]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link was replaced");
    assert!(std::fs::read_to_string(&target).unwrap().starts_with("yes,count"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn a_read_only_file_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("kept.csv");
    std::fs::write(&csv, "precious").unwrap();
    let mut permissions = std::fs::metadata(&csv).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&csv, permissions).unwrap();
    let out = run(&["simulate", "--trials", "1e15", "--out"], &[&csv]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("read-only"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "precious");
}

#[test]
fn a_file_name_of_255_characters_works() {
    let dir = tempfile::tempdir().unwrap();
    for length in [250, 255] {
        let name = format!("{}.csv", "n".repeat(length - 4));
        let out = run(&["exact", "spain-2018-06-01", "--out"], &[&dir.path().join(&name)]);
        assert!(out.status.success(), "{length}: {}", stderr(&out));
        assert!(std::fs::read_to_string(dir.path().join(&name)).unwrap().starts_with("yes,"));
    }
}

#[test]
fn stale_temporary_files_of_ours_are_removed_and_others_kept() {
    let dir = tempfile::tempdir().unwrap();
    // 4194305 is above Linux's largest PID: no process can have it.
    let stale = dir.path().join(".whipcount-4194305-abcdefghijkl.tmp");
    let other = dir.path().join(".someone-else-4194305.tmp");
    std::fs::write(&stale, "x".repeat(1 << 16)).unwrap();
    std::fs::write(&other, "theirs").unwrap();
    let out = run(&["exact", "spain-2018-06-01", "--out"], &[&dir.path().join("d.csv")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stale.exists() && other.exists());
}

#[test]
fn a_closed_standard_output_ends_the_program_quietly() {
    let names: Vec<&str> = std::iter::repeat_n("pakistan-2022-03-30", 300).collect();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("whipcount"))
        .arg("check")
        .args(&names)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn precision_says_whether_it_was_reached() {
    let args = ["simulate", "spain-2018-06-01", "--precision", "0.01", "--trials", "1000", "--seed", "1"];
    let v: Value = serde_json::from_slice(&run(&[&args[..], &["--json"]].concat(), &[]).stdout).unwrap();
    assert_eq!(v["precision"], 0.01);
    assert_eq!(v["precision_reached"], false, "{v}");
    let text = String::from_utf8(run(&args, &[]).stdout).unwrap();
    assert!(text.contains("precision NOT reached") && !text.contains("precision reached"), "{text}");
    let v: Value = serde_json::from_slice(&run(&["simulate", "--precision", "0.01", "--json"], &[]).stdout).unwrap();
    assert_eq!(v["precision_reached"], true, "{v}");
    let v: Value = serde_json::from_slice(&run(&["simulate", "--trials", "1000", "--json"], &[]).stdout).unwrap();
    assert!(v["precision"].is_null() && v["precision_reached"].is_null(), "{v}");
}

// --- Ctrl-C -----------------------------------------------------------------

/// Starts `args`, waits until its Ctrl-C handler is installed and it has used
/// `cpu` of processor time (so work is under way), then sends SIGINT.
fn interrupted(args: &[&str], cpu: Duration) -> std::process::Output {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("whipcount"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until_busy(&child, cpu);
    let killed = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    child.wait_with_output().unwrap()
}

/// Polls /proc until the child catches SIGINT and has run for `cpu`.
fn wait_until_busy(child: &Child, cpu: Duration) {
    let proc = PathBuf::from(format!("/proc/{}", child.id()));
    let deadline = Instant::now() + Duration::from_secs(120);
    while Instant::now() < deadline {
        if catches_sigint(&proc) && cpu_time(&proc) >= cpu {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the child never got busy");
}

fn catches_sigint(proc: &Path) -> bool {
    let status = std::fs::read_to_string(proc.join("status")).unwrap_or_default();
    let mask = status.lines().find_map(|l| l.strip_prefix("SigCgt:")).unwrap_or("0");
    u64::from_str_radix(mask.trim(), 16).is_ok_and(|m| m & (1 << 1) != 0)
}

/// User plus system time, from /proc/PID/stat (clock ticks of 1/100 s).
fn cpu_time(proc: &Path) -> Duration {
    let stat = std::fs::read_to_string(proc.join("stat")).unwrap_or_default();
    let after_name = stat.rsplit_once(") ").map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after_name.split(' ').skip(11).take(2).filter_map(|f| f.parse().ok()).collect();
    Duration::from_millis(fields.iter().sum::<u64>() * 10)
}

fn partial_json(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(1), "{}", stderr(out));
    assert!(stderr(out).contains("interrupted"), "{}", stderr(out));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Ctrl-C stops a run cleanly: what was simulated is reported, marked partial,
/// with exit status 1 and an error that says so.
#[test]
fn an_interrupted_run_reports_what_it_simulated_as_partial() {
    let out = interrupted(&["simulate", "bench/members", "--trials", "1e10", "--json", "--direct"], CPU);
    let v = partial_json(&out);
    assert_eq!(v["partial"], true);
    assert!(v["trials"].as_u64().unwrap() > 0 && v["trials"].as_u64().unwrap() < 10_000_000_000);
}

const CPU: Duration = Duration::from_millis(300);

#[test]
fn an_interrupted_bench_keeps_the_rows_it_measured() {
    let args = ["bench", "spain-2018-06-01", "--trials", "100000", "--threads", "1", "--runs", "1000", "--json"];
    let v = partial_json(&interrupted(&args, CPU));
    let row = &v[0];
    assert_eq!((row["threads"].as_u64(), row["partial"].as_bool()), (Some(1), Some(true)), "{v}");
    assert!((1..1000).contains(&row["runs"].as_u64().unwrap()), "{v}");
}

#[test]
fn an_interrupted_sweep_is_marked_partial_in_every_format_and_claims_no_crossing() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, svg) = (dir.path().join("s.csv"), dir.path().join("s.svg"));
    let sweep =
        ["sweep", "spain-2018-06-01", "--vary", "PNV.switch=0.0..=1.0:0.001", "--trials", "2e6", "--threads", "1"];
    let files = ["--out", csv.to_str().unwrap(), "--plot", svg.to_str().unwrap()];
    let v = partial_json(&interrupted(&[&sweep[..], &files, &["--json"]].concat(), CPU));
    assert_eq!(v["partial"], true);
    let done = v["points"].as_array().unwrap().len();
    assert!(done < 1001, "{done}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.ends_with(&format!("# partial: interrupted after {done} of 1001 points\n")), "{text}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("PARTIAL"));
    let out = interrupted(&sweep, CPU);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(table.contains("PARTIAL") && !table.contains("never reaches"), "{table}");
}

#[test]
fn an_interrupted_exact_run_exits_with_status_one_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("e.csv");
    let big = dir.path().join("big.toml");
    std::fs::write(&big, big_chamber()).unwrap();
    let out = interrupted(&["exact", big.to_str().unwrap(), "--out", csv.to_str().unwrap()], CPU);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    assert!(!csv.exists());
}

/// A chamber whose exact solution takes a while: many cohesive, switching blocs
/// under a swing and a rule on the votes cast.
fn big_chamber() -> String {
    let blocs: String = (0..60)
        .map(|i| {
            format!(
                "[[bloc]]\nname = \"B{i}\"\nseats = 100\nwhip = \"{}\"\ndefect = 0.1\nabsent = 0.1\ncohesion = 0.3\nswitch = 0.1\n",
                if i % 2 == 0 { "yes" } else { "no" }
            )
        })
        .collect();
    format!("[chamber]\nseats = 6000\n[rule]\nmajority-of = \"cast\"\n[swing]\nsd = 0.3\n{blocs}")
}

/// `backtest` (and `timeline`, through the same layer) writes all its outputs or none.
#[test]
fn a_backtest_whose_plot_cannot_be_written_leaves_no_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (csv, svg) = (dir.path().join("scores.csv"), dir.path().join("missing/cal.svg"));
    let out = whipcount()
        .args(["backtest", "--quiet", "--out"])
        .arg(&csv)
        .arg("--plot")
        .arg(&svg)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("missing"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}
