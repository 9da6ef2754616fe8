//! Messages a user can trust, through the real binary: the right
//! table, bloc or member and line; advice for the usual mistakes; limits named; every error
//! printed once; no control character from a scenario file reaching the terminal.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const CHAMBER: &str = "[chamber]\nseats = 3\n";

fn whipcount() -> Command {
    Command::cargo_bin("whipcount").unwrap()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], files: &[&Path]) -> Run {
    let out = whipcount().args(args).args(files).output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    Run { code: out.status.code(), stdout: text(&out.stdout), stderr: text(&out.stderr) }
}

/// Writes `bytes` as `name` in a fresh directory kept alive by the returned guard.
fn file(name: &str, bytes: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// `check` on `text`: exit 2 and the one error line, without "error: ".
fn check_error(text: &str) -> String {
    let (_dir, path) = file("s.toml", text);
    let r = run(&["check"], &[&path]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error, printed once: {}", r.stderr);
    lines[0].strip_prefix("error: ").unwrap().replace(path.to_str().unwrap(), "s.toml")
}

#[test]
fn a_missing_whip_names_its_own_bloc_not_the_one_before() {
    let text =
        format!("{CHAMBER}[[bloc]]\nname = \"a\"\nseats = 1\nwhip = \"yes\"\n[[bloc]]\nname = \"b\"\nseats = 2\n");
    assert!(check_error(&text).starts_with("s.toml:7:1: bloc \"b\": missing field `whip`"));
}

#[test]
fn missing_seats_are_blamed_on_the_table_that_lacks_them() {
    let text =
        "[scenario]\nname = \"x\"\n[chamber]\nvacancies = 0\n[[bloc]]\nname = \"a\"\nseats = 1\nwhip = \"yes\"\n";
    assert!(check_error(text).starts_with("s.toml:3:1: [chamber]: missing field `seats`"));
    let text = format!("{CHAMBER}[[bloc]]\nname = \"a\"\nwhip = \"yes\"\n");
    assert!(check_error(&text).starts_with("s.toml:3:1: bloc \"a\": missing field `seats`"));
}

#[test]
fn single_brackets_or_a_plural_ask_for_double_bracketed_bloc() {
    let e = check_error(&format!("{CHAMBER}[bloc]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n"));
    assert!(e.starts_with("s.toml:3:1: key `bloc`:") && e.contains("write [[bloc]]"), "{e}");
    let e = check_error(&format!("{CHAMBER}[[blocs]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n"));
    assert!(e.starts_with("s.toml:3:3: key `blocs`:") && e.contains("did you mean [[bloc]]?"), "{e}");
}

#[test]
fn a_commented_table_header_keeps_the_line_of_its_key() {
    let e = check_error("[chamber] # the house\nseats = 0\n[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n");
    assert!(e.starts_with("s.toml:2:1: [chamber], key `seats`: is 0"), "{e}");
}

#[test]
fn a_bloc_key_written_below_a_member_is_said_to_belong_to_the_bloc() {
    let text = format!(
        "{CHAMBER}[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n  [[bloc.member]]\n  name = \"m\"\n  yes = 0.5\nswitch = 0.3\n"
    );
    let e = check_error(&text);
    assert!(e.starts_with("s.toml:10:1: bloc \"a\", member \"m\", key `switch`"), "{e}");
    assert!(e.contains("probably belongs to bloc \"a\" above"), "{e}");
}

#[test]
fn a_file_that_is_not_utf8_gives_the_line_and_column_of_the_bad_byte() {
    let (_dir, path) = file("s.toml", b"[chamber]\nseats = 3\n[[bloc]]\nname = \"a\xff\"\nseats = 3\nwhip = \"yes\"\n");
    let r = run(&["check"], &[&path]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("s.toml:4:10: byte 0xFF is not UTF-8"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_path_that_cannot_be_read_is_not_reported_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.toml"), dir.path().join("b.toml"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let r = run(&["check"], &[&a]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("cannot read the scenario file"), "{}", r.stderr);
    assert!(!r.stderr.contains("no such file"), "{}", r.stderr);
}

#[test]
fn a_toml_date_is_accepted_as_the_scenario_date() {
    let text = format!("[scenario]\ndate = 1972-04-27\n{CHAMBER}[[bloc]]\nname = \"a\"\nseats = 3\nwhip = \"yes\"\n");
    let (_dir, path) = file("s.toml", text);
    let r = run(&["check"], &[&path]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("date: 1972-04-27"), "{}", r.stdout);
}

#[test]
fn check_prints_each_error_once_and_counts_the_invalid() {
    let (_dir, bad) = file("bad.toml", "[chamber]\nseats = 0\n");
    let r = run(&["check", "spain-2018-06-01"], &[&bad, Path::new("uk-2019-01-16")]);
    assert_eq!(r.code, Some(2));
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].contains("bad.toml:2:1: [chamber], key `seats`: is 0"), "{}", r.stderr);
    assert_eq!(lines[1], "error: 1 of the 3 scenarios is invalid");
    assert_eq!(r.stdout.matches("chamber:").count(), 2, "{}", r.stdout);
}

#[test]
fn too_many_trials_names_the_limit() {
    let r = run(&["simulate", "spain-2018-06-01", "--trials", "1e19"], &[]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("more than the most trials a run may ask for, 10^18 (1e18)"), "{}", r.stderr);
}

#[test]
fn a_vanishing_sweep_step_says_too_many_points() {
    let r = run(&["sweep", "spain-2018-06-01", "--exact", "--vary", "swing.sd=0..=1:1e-320"], &[]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("gives more than 10000 points"), "{}", r.stderr);
}

#[test]
fn a_swept_value_with_hundreds_of_decimals_stays_a_number() {
    let value = format!("swing.sd=0.{}", "1".repeat(400));
    let r = run(&["sweep", "spain-2018-06-01", "--exact", "--json", "--vary", &value], &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(!r.stdout.contains("NaN"), "{}", r.stdout);
    assert!(r.stdout.contains("\"swing.sd\": 0.111111111111111\n"), "{}", r.stdout);
}

const HOSTILE: &str = "\u{1b}]0;pwned\u{7}\u{1b}[2J";

fn hostile_scenario(extra: &str) -> String {
    format!(
        "[scenario]\ntitle = \"t\\u001b]0;pwned\\u0007\"\ndate = \"d\\u001b[2J\"\n{CHAMBER}[[bloc]]\nname = \"a\\u001b]0;pwned\\u0007\\u001b[2J\"\nparty = \"p\\u009b31m\"\nseats = 3\nwhip = \"yes\"\n{extra}  [[bloc.member]]\n  name = \"m\\u001b[2J\"\n"
    )
}

#[test]
fn control_characters_from_a_scenario_never_reach_the_terminal() {
    let (_dir, good) = file("good.toml", hostile_scenario(""));
    for args in [&["check"][..], &["exact"][..], &["explain", "--members"][..]] {
        let r = run(args, &[&good]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        let shown = format!("{}{}", r.stdout, r.stderr);
        assert!(!shown.contains(HOSTILE) && !shown.chars().any(|c| c.is_control() && c != '\n'), "{shown:?}");
        assert!(r.stdout.contains("\\u{1b}]0;pwned\\u{7}"), "{}", r.stdout);
    }
    let (_dir, bad) = file("bad.toml", hostile_scenario("cohesion = 2\n"));
    let r = run(&["check"], &[&bad]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("bloc \"a\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\", key `cohesion`"), "{}", r.stderr);
    assert!(!r.stderr.trim_end().chars().any(char::is_control), "{:?}", r.stderr);
}
