//! Every bad input of issue 2 through the real binary: exit status 2, a message
//! naming the key (and line where TOML knows it), and no output file touched.

use assert_cmd::Command;

const GOOD: &str = r#"
[chamber]
seats = 10
vacancies = 1

[[bloc]]
name = "Government"
seats = 5
whip = "no"
defect = 0.1

[[bloc]]
name = "Opposition"
seats = 4
whip = "yes"
"#;

fn whipcount() -> Command {
    Command::cargo_bin("whipcount").unwrap()
}

/// Runs `simulate` on `text` with `--out`; asserts exit 2, every `needles` in
/// stderr, and that the output file neither appeared nor changed.
fn rejects(text: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, text).unwrap();
    for existing in [false, true] {
        let out = dir.path().join("out.csv");
        if existing {
            std::fs::write(&out, "precious").unwrap();
        }
        let assert = whipcount().arg("simulate").arg(&file).arg("--trials").arg("1000").arg("--out").arg(&out).assert();
        let output = assert.get_output();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("bad.toml"), "names no file: {stderr}");
        for needle in needles {
            assert!(stderr.contains(needle), "`{needle}` not in: {stderr}");
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        if existing {
            assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
        } else {
            assert!(!out.exists(), "an output file appeared");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1 + usize::from(existing));
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(GOOD.contains(from), "{from}");
    GOOD.replacen(from, to, 1)
}

#[test]
fn the_good_scenario_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("good.toml");
    std::fs::write(&file, GOOD).unwrap();
    whipcount().arg("check").arg(&file).assert().success();
}

#[test]
fn rejects_text_that_is_not_toml() {
    rejects("this is [not toml", &[":1:"]);
}

#[test]
fn rejects_an_empty_file() {
    rejects("  \n", &["empty", "[chamber]"]);
}

#[test]
fn rejects_a_scenario_without_a_chamber() {
    rejects(&GOOD.replace("[chamber]\nseats = 10\nvacancies = 1\n", ""), &["[chamber]"]);
}

#[test]
fn rejects_a_scenario_without_blocs() {
    rejects("[chamber]\nseats = 10\n", &["no blocs", "[[bloc]]"]);
}

#[test]
fn rejects_an_unknown_key_and_suggests_the_nearest() {
    rejects(&with("defect = 0.1", "cohesoin = 0.1"), &["cohesoin", "did you mean `cohesion`", ":10:"]);
}

#[test]
fn rejects_a_value_of_the_wrong_type() {
    rejects(&with("seats = 5", "seats = \"five\""), &["bloc \"Government\"", "key `seats`", "whole number", ":8:"]);
}

#[test]
fn rejects_a_probability_outside_zero_and_one() {
    rejects(&with("defect = 0.1", "defect = 1.5"), &["bloc \"Government\"", "`defect`", "[0, 1]", ":10:"]);
}

#[test]
fn rejects_a_nan_probability() {
    rejects(&with("defect = 0.1", "defect = nan"), &["`defect`", "NaN"]);
}

#[test]
fn rejects_probabilities_that_do_not_sum_to_one() {
    rejects(&with("defect = 0.1", "yes = 0.5\nno = 0.3"), &["`yes`", "0.8", "sum to 1"]);
}

#[test]
fn rejects_relative_probabilities_that_exceed_one() {
    rejects(&with("defect = 0.1", "defect = 0.6\nabsent = 0.6"), &["`defect`", "1.2"]);
}

#[test]
fn rejects_both_spellings_in_one_bloc() {
    rejects(&with("defect = 0.1", "defect = 0.1\nyes = 0.2"), &["`defect`", "mixes the two spellings"]);
}

#[test]
fn rejects_both_spellings_in_one_member() {
    let text = format!("{GOOD}\n  [[bloc.member]]\n  name = \"X\"\n  defect = 0.1\n  no = 0.2\n");
    rejects(&text, &["member \"X\"", "`defect`", "mixes"]);
}

#[test]
fn rejects_seats_that_do_not_add_up_and_says_by_how_much() {
    rejects(&with("seats = 4", "seats = 6"), &["`seats`", "2 more than the chamber"]);
    rejects(&with("seats = 4", "seats = 1"), &["3 fewer than the chamber"]);
}

#[test]
fn rejects_negative_and_absurd_counts() {
    rejects(&with("seats = 4", "seats = -4"), &["bloc \"Opposition\"", "`seats`", "-4"]);
    rejects(&with("seats = 10", "seats = 100000000"), &["[chamber]", "`seats`", "100000"]);
    rejects(&with("vacancies = 1", "vacancies = -1"), &["`vacancies`"]);
}

#[test]
fn rejects_duplicate_bloc_names() {
    rejects(
        &with("name = \"Opposition\"", "name = \"Government\"\nparty = \"Other\""),
        &["bloc \"Government\"", "`name`", "unique"],
    );
}

#[test]
fn rejects_duplicate_member_names() {
    let text = format!("{GOOD}\n  [[bloc.member]]\n  name = \"X\"\n  [[bloc.member]]\n  name = \"X\"\n");
    rejects(&text, &["member \"X\"", "`name`", "twice"]);
}

#[test]
fn rejects_more_named_members_than_seats() {
    let members: String = (0..5).map(|i| format!("  [[bloc.member]]\n  name = \"M{i}\"\n")).collect();
    rejects(&format!("{GOOD}{members}"), &["bloc \"Opposition\"", "`member`", "names 5 members but holds only 4"]);
}

#[test]
fn rejects_blocs_of_one_party_with_different_whips() {
    rejects(
        &with("name = \"Opposition\"", "name = \"Opposition\"\nparty = \"Government\""),
        &["`whip`", "same party", "share"],
    );
}

#[test]
fn rejects_a_switch_on_an_abstaining_bloc() {
    rejects(&with("whip = \"yes\"", "whip = \"abstain\"\nswitch = 0.2"), &["`switch`", "abstain"]);
}

#[test]
fn rejects_cohesion_and_switch_outside_zero_and_one() {
    rejects(&with("defect = 0.1", "cohesion = 1.2"), &["`cohesion`", "[0, 1]"]);
    rejects(&with("defect = 0.1", "switch = -0.1"), &["`switch`", "[0, 1]"]);
}

#[test]
fn rejects_a_negative_swing() {
    rejects(&format!("[swing]\nsd = -0.5\n{GOOD}"), &["[swing]", "`sd`", "≥ 0", ":2:"]);
}

#[test]
fn rejects_a_fraction_outside_zero_and_one() {
    rejects(&format!("[rule]\nfraction = 1.5\n{GOOD}"), &["[rule]", "`fraction`", "(0, 1]"]);
    rejects(&format!("[rule]\nfraction = 0\n{GOOD}"), &["`fraction`"]);
}

#[test]
fn rejects_a_fraction_of_votes_that_is_no_small_ratio() {
    rejects(&format!("[rule]\nmajority-of = \"present\"\nfraction = 0.6667\n{GOOD}"), &["`fraction`", "\"2/3\""]);
}

#[test]
fn rejects_needed_above_the_seats() {
    rejects(&format!("[rule]\nneeded = 11\n{GOOD}"), &["`needed`", "11", "10 seats"]);
}

#[test]
fn rejects_an_unknown_whip_naming_the_valid_ones() {
    rejects(&with("whip = \"yes\"", "whip = \"maybe\""), &["maybe", "`yes`", "`abstain`"]);
}

#[test]
fn warns_when_the_motion_can_never_pass() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("odd.toml");
    std::fs::write(&file, format!("[rule]\nneeded = 10\n{GOOD}")).unwrap();
    let out = whipcount().arg("check").arg(&file).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("can never pass"));
}

#[test]
fn an_unknown_scenario_name_lists_the_built_ins() {
    let out = whipcount().arg("exact").arg("no-such-scenario").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pakistan-2022-03-30"));
}

#[test]
fn a_usage_error_exits_with_status_two() {
    let out = whipcount().args(["simulate", "--trials", "lots"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("1e6"));
}

/// The output's directory is a regular file: nothing can be written there.
/// Status 1, a message naming the path, and the directory around it untouched
/// (no directory made, no temporary file left).
#[test]
fn an_unwritable_output_fails_with_status_one_and_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "precious").unwrap();
    for out in [blocker.join("out.csv"), dir.path().join("missing-dir").join("out.csv")] {
        let result = whipcount().args(["exact", "spain-2018-06-01", "--out"]).arg(&out).output().unwrap();
        assert_eq!(result.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&result.stderr).contains(out.to_str().unwrap()));
        let entries: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(entries, ["not-a-dir"]);
        assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "precious");
    }
}

/// A 60,000-seat cohesive bloc under a votes-cast rule and a swing, beyond the
/// exact engine's documented cost limit (about 140 s of work).
const TOO_COSTLY: &str = r#"
[chamber]
seats = 60000

[rule]
majority-of = "cast"

[swing]
sd = 0.3

[[bloc]]
name = "Big"
seats = 60000
whip = "yes"
defect = 0.3
cohesion = 0.3
"#;

/// `exact`, `sweep --exact` and `explain` refuse it at once with status 2, naming
/// the file, the line of the bloc's cohesion, the limit and the Monte Carlo way,
/// and write nothing; `check` reports the estimate.
#[test]
fn the_exact_engine_refuses_a_scenario_beyond_its_cost_limit_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.toml");
    std::fs::write(&file, TOO_COSTLY).unwrap();
    let out = dir.path().join("out.csv");
    let runs: [&[&str]; 2] = [&["exact"], &["sweep", "--exact", "--vary", "Big.defect=0.2..=0.3:0.1"]];
    for run in runs {
        let started = std::time::Instant::now();
        let result = whipcount().args(run).arg(&file).arg("--out").arg(&out).output().unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{stderr}");
        for needle in ["bloc \"Big\"", "cohesion", "limit of 3.0e11", "simulate"] {
            assert!(stderr.contains(needle), "`{needle}` not in {stderr}");
        }
        assert!(started.elapsed().as_secs() < 30, "it worked before refusing");
        assert!(!out.exists(), "an output file appeared");
    }
    let exact = whipcount().arg("exact").arg(&file).output().unwrap();
    assert!(String::from_utf8_lossy(&exact.stderr).contains("big.toml:16:"));
    let check = whipcount().arg("check").arg(&file).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "check only reports it");
    assert!(String::from_utf8_lossy(&check.stdout).contains("limit 3.0e11); beyond it, so `exact` refuses"));
    let explain = whipcount().arg("explain").arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&explain.stderr);
    assert_eq!(explain.status.code(), Some(2), "{stderr}");
    for needle in ["big.toml:16:", "`explain` by the exact method", "explain --trials"] {
        assert!(stderr.contains(needle), "`{needle}` not in {stderr}");
    }
    let default = whipcount().arg("check").arg("pakistan-2022-03-30").output().unwrap();
    assert!(String::from_utf8_lossy(&default.stdout).contains("under 0.1 s on 2 cores (limit 4.5e10)\n"));
}
