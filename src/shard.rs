//! Runs split over machines: shards, part files and their merge (docs/reference.md §9).
//!
//! A batch's votes depend only on (scenario, seed, batch index) ([`crate::sampler`]),
//! so shard K of N simulates the K-th of N contiguous ranges of a run's batches
//! (a sweep: of its grid points) and writes a **part file**; [`merge`] checks that
//! the parts make up one run exactly once each and adds their integer counts,
//! which gives the unsharded run's histogram exactly (and so byte-identical CSV
//! and JSON). Exact sweep points keep their probabilities as shortest round-trip
//! decimals, which read back to the same doubles.
//!
//! **Part file.** JSON: `format`, `version`, `draws` (the sampler's
//! [`sampler::DRAWS`]: Monte Carlo parts drawn by different versions are
//! refused), `command` (`simulate` or `sweep`),
//! the scenario's name and `scenario_sha256`, the `inputs` it was resolved from
//! (so that `merge` needs no other file and validates the scenario again), the
//! method, seed and total trials, `shard` of `shards`, the `range` of batches or
//! grid points, and per point the counts of every yes tally and the passes.
//! `checksum` is the SHA-256 of the rest, written compactly with sorted keys:
//! an edited or damaged part is refused.
//!
//! **Hashes.** SHA-256 (the `sha2` crate) of a canonical serialisation of the
//! validated scenario: every resolved field, as JSON with sorted keys and
//! shortest round-trip numbers, so the same scenario hashes the same on every
//! platform and however its file was written. SHA-256 rather than a 64-bit
//! FNV-1a: parts are kept and compared across machines and time, and a
//! cryptographic digest makes a collision between two different runs a
//! non-event rather than merely unlikely.

use crate::error::{Error, Result};
use crate::rules::{Rule, Threshold};
use crate::sampler;
use crate::scenario::{Bloc, Scenario, Source};
use crate::stats::Estimate;
use crate::sweep::Plan;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The `format` of every part file.
pub const FORMAT: &str = "whipcount part";
/// The part format this version writes; it reads this one and version 1
/// (which had no `draws`: its parts were drawn by [`sampler::DRAWS`] 1).
pub const VERSION: u32 = 2;

/// Shard K of N (1 ≤ K ≤ N).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// K, from 1.
    pub index: u64,
    /// N.
    pub count: u64,
}

impl Shard {
    /// Parses `K/N`.
    pub fn parse(text: &str) -> std::result::Result<Shard, String> {
        let bad = |why: &str| format!("`{text}` is not a shard: {why}; write K/N with 1 ≤ K ≤ N, e.g. 1/3, 2/3, 3/3");
        let (k, n) = text.split_once('/').ok_or_else(|| bad("no `/`"))?;
        let number = |t: &str| t.trim().parse::<u64>().map_err(|_| bad(&format!("`{t}` is not a whole number")));
        let (index, count) = (number(k)?, number(n)?);
        match () {
            _ if count == 0 => Err(bad("there must be at least one shard")),
            _ if index == 0 => Err(bad("shards are numbered from 1")),
            _ if index > count => Err(bad(&format!("there are only {count} shards"))),
            _ => Ok(Shard { index, count }),
        }
    }

    /// This shard's contiguous range of `0..len`: the ranges of shards 1..=N tile it.
    pub fn range(&self, len: u64) -> Range<u64> {
        let cut = |k: u64| (u128::from(len) * u128::from(k) / u128::from(self.count)) as u64;
        cut(self.index - 1)..cut(self.index)
    }
}

/// What a part's scenario (or sweep) was resolved from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inputs {
    /// The file path or `built-in:NAME` it was read from.
    pub origin: String,
    /// Its default name.
    pub stem: String,
    /// The TOML text.
    pub text: String,
    /// `--set` edits, in order.
    pub edits: Vec<String>,
    /// `--balance`.
    pub balance: Option<String>,
    /// `--vary` of a sweep.
    pub vary: Vec<String>,
}

impl Inputs {
    /// Inputs from a source and the command line's edits.
    pub fn new(source: &Source, edits: &[String], balance: Option<&str>, vary: &[String]) -> Inputs {
        Inputs {
            origin: source.origin.clone(),
            stem: source.stem.clone(),
            text: source.text.clone(),
            edits: edits.to_vec(),
            balance: balance.map(str::to_string),
            vary: vary.to_vec(),
        }
    }

    /// The source again.
    pub fn source(&self) -> Source {
        Source { origin: self.origin.clone(), stem: self.stem.clone(), text: self.text.clone() }
    }
}

/// Which command wrote a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Command {
    /// `simulate --shard`: a range of batches.
    Simulate,
    /// `sweep --shard`: a range of grid points.
    Sweep,
}

/// One point's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged, deny_unknown_fields)]
pub enum Tally {
    /// Monte Carlo: simulated votes per yes count, and passes.
    MonteCarlo {
        /// Votes with exactly k counted yes votes, k = 0..=seats.
        counts: Vec<u64>,
        /// Votes that passed.
        passes: u64,
    },
    /// Exact: the distribution and P(pass).
    Exact {
        /// P(exactly k counted yes votes).
        probability: Vec<f64>,
        /// P(pass).
        p_pass: f64,
    },
}

impl Tally {
    /// The tally of an estimate.
    pub fn of(e: &Estimate) -> Tally {
        match &e.counts {
            Some(counts) => Tally::MonteCarlo { counts: counts.clone(), passes: e.pass.passes },
            None => Tally::Exact { probability: e.probability.clone(), p_pass: e.pass.p_pass },
        }
    }

    /// The estimate again.
    pub fn estimate(&self) -> Estimate {
        match self {
            Tally::MonteCarlo { counts, passes } => Estimate::monte_carlo(counts.clone(), *passes),
            Tally::Exact { probability, p_pass } => Estimate::exact(probability.clone(), *p_pass),
        }
    }
}

/// A part file's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Part {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] when written by this version.
    pub version: u32,
    /// The sampler's [`sampler::DRAWS`] that drew its votes: parts drawn by
    /// different ones are not one run.
    #[serde(default = "first_draws")]
    pub draws: u32,
    /// What wrote it.
    pub command: Command,
    /// The scenario's name.
    pub scenario: String,
    /// [`scenario_hash`] (or [`plan_hash`] for a sweep).
    pub scenario_sha256: String,
    /// What the scenario was resolved from.
    pub inputs: Inputs,
    /// `monte-carlo` or `exact`.
    pub method: String,
    /// The seed (Monte Carlo).
    pub seed: Option<u64>,
    /// The whole run's trials (Monte Carlo).
    pub trials: Option<u64>,
    /// K.
    pub shard: u64,
    /// N.
    pub shards: u64,
    /// The batches (simulate) or grid points (sweep) of this shard, [start, end).
    pub range: [u64; 2],
    /// Worker threads of this shard.
    pub threads: usize,
    /// Wall-clock seconds of this shard.
    pub elapsed_s: f64,
    /// One tally (simulate) or one per grid point of the range (sweep).
    pub results: Vec<Tally>,
}

/// The draws of a version 1 part.
fn first_draws() -> u32 {
    1
}

/// The part as written: pretty JSON with its checksum.
pub fn to_bytes(part: &Part) -> Vec<u8> {
    let mut value = serde_json::to_value(part).expect("a part always serialises");
    let checksum = sha256_hex(value.to_string().as_bytes());
    value.as_object_mut().expect("a part is an object").insert("checksum".into(), Value::String(checksum));
    let mut text = serde_json::to_string_pretty(&value).expect("a part always serialises");
    text.push('\n');
    text.into_bytes()
}

/// Reads and checks one part file: exit status 2 naming the file if it is not a
/// complete, unedited part of this format version.
pub fn read(path: &Path) -> Result<Part> {
    let bad = |why: String| Error::Usage(format!("{}: {why}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read the part file: {e}")))?;
    let mut value: Value = serde_json::from_str(&text).map_err(|e| {
        bad(format!("not a whipcount part file: it is not complete JSON ({e}); was it truncated or overwritten?"))
    })?;
    let object = value.as_object_mut().filter(|o| o.get("format").and_then(Value::as_str) == Some(FORMAT));
    let object = object.ok_or_else(|| bad(format!("not a whipcount part file (no \"format\": \"{FORMAT}\")")))?;
    match object.get("version").and_then(Value::as_u64) {
        Some(v) if v == 1 || v == u64::from(VERSION) => {}
        v => {
            let found = v.map_or("no version".into(), |v| format!("version {v}"));
            return Err(bad(format!("written in part format {found}; this whipcount reads versions 1 and {VERSION}")));
        }
    }
    let recorded = object.remove("checksum");
    if recorded.as_ref().and_then(Value::as_str) != Some(sha256_hex(value.to_string().as_bytes()).as_str()) {
        return Err(bad("edited or damaged since it was written: its checksum does not match its content".into()));
    }
    serde_json::from_value(value).map_err(|e| bad(format!("a malformed part file: {e}")))
}

/// The SHA-256 of a validated scenario's canonical serialisation, in hex.
pub fn scenario_hash(s: &Scenario) -> String {
    sha256_hex(canonical(s).to_string().as_bytes())
}

/// The SHA-256 of a sweep: its axes and values and every grid point's scenario.
pub fn plan_hash(plan: &Plan) -> String {
    let mut hasher = Sha256::new();
    let axes: Vec<Value> = plan
        .axes
        .iter()
        .map(|a| json!({ "label": a.label, "values": a.values.iter().map(|v| &v.text).collect::<Vec<_>>() }))
        .collect();
    hasher.update(json!({ "scenario": plan.scenario, "axes": axes }).to_string());
    for (_, s) in &plan.points {
        hasher.update(canonical(s).to_string());
    }
    hex(&hasher.finalize())
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Every resolved field of `s`, as JSON (sorted keys, shortest round-trip numbers).
fn canonical(s: &Scenario) -> Value {
    json!({
        "name": s.name,
        "title": s.title,
        "date": s.date,
        "sources": s.sources,
        "chamber": { "seats": s.chamber.seats, "vacancies": s.chamber.vacancies },
        "rule": canonical_rule(&s.rule),
        "swing_sd": s.swing_sd,
        "blocs": s.blocs.iter().map(canonical_bloc).collect::<Vec<_>>(),
        "result": s.result.as_ref().map(|r| json!({
            "yes": r.yes, "no": r.no, "abstain": r.abstain, "absent": r.absent, "passed": r.passed, "source": r.source,
        })),
    })
}

fn canonical_rule(r: &Rule) -> Value {
    let threshold = match r.threshold {
        Threshold::Majority => json!("majority"),
        Threshold::Fraction { value, ratio } => {
            // A decimal without a ratio keeps its recorded form: num = den = 0.
            let (num, den) = ratio.unwrap_or((0, 0));
            json!({ "fraction": value, "num": num, "den": den })
        }
        Threshold::Needed(n) => json!({ "needed": n }),
    };
    json!({
        "base": r.base.as_str(),
        "threshold": threshold,
        "tie_passes": r.tie_passes,
        "count_defectors": r.count_defectors,
    })
}

fn canonical_bloc(b: &Bloc) -> Value {
    json!({
        "name": b.name,
        "party": b.party,
        "seats": b.seats,
        "whip": b.whip.as_str(),
        "probs": b.probs.0,
        "cohesion": b.cohesion,
        "switch": b.switch,
        "swing": b.swing,
        "members": b.members.iter().map(|m| json!({ "name": m.name, "probs": m.probs.0 })).collect::<Vec<_>>(),
    })
}

/// Parts that make up one run, checked and in shard order.
#[derive(Debug, Clone)]
pub struct Merged {
    /// The first shard's part (its inputs rebuild the scenario).
    pub first: Part,
    /// The file of the first shard.
    pub file: PathBuf,
    /// Every shard's results, in order: one estimate for `simulate`, one per grid point for a sweep.
    pub results: Vec<Estimate>,
    /// Threads of all shards together.
    pub threads: usize,
    /// The longest shard's wall-clock seconds (all shards at once).
    pub elapsed_s: f64,
}

/// Reads `files`, checks that they are the shards of one run, each exactly once,
/// and combines them; any problem is exit status 2 naming the file(s).
pub fn merge(files: &[PathBuf]) -> Result<Merged> {
    let parts: Vec<(PathBuf, Part)> = files.iter().map(|f| Ok((f.clone(), read(f)?))).collect::<Result<_>>()?;
    let (file0, first) = parts.first().ok_or_else(|| Error::Usage("merge: give the part files to merge".into()))?;
    for (file, part) in &parts[1..] {
        same_run(file0, first, file, part)?;
    }
    let ordered = in_shard_order(&parts)?;
    let total = match first.command {
        Command::Simulate => sampler::batches(first.trials.unwrap_or(0)),
        Command::Sweep => ordered.last().map_or(0, |(_, p)| p.range[1]),
    };
    for (file, part) in &ordered {
        check_range(file, part, total)?;
    }
    let results = combine(first.command, &ordered);
    let threads = ordered.iter().map(|(_, p)| p.threads).sum();
    let elapsed_s = ordered.iter().map(|(_, p)| p.elapsed_s).fold(0.0, f64::max);
    Ok(Merged { first: first.clone(), file: file0.clone(), results, threads, elapsed_s })
}

/// Whether `part` belongs to the run of `first`.
fn same_run(file0: &Path, first: &Part, file: &Path, part: &Part) -> Result<()> {
    let differs = |what: &str, a: String, b: String| {
        Err(Error::Usage(format!(
            "{}: not a part of the same run as {}: its {what} is {b}, not {a}",
            file.display(),
            file0.display()
        )))
    };
    let shown = |x: Option<u64>| x.map_or("none".into(), |x| x.to_string());
    if part.command != first.command {
        return differs("command", format!("{:?}", first.command), format!("{:?}", part.command));
    }
    if part.scenario_sha256 != first.scenario_sha256 {
        let (a, b) = (&first.scenario_sha256, &part.scenario_sha256);
        return differs("scenario (hash)", format!("{} {a}", first.scenario), format!("{} {b}", part.scenario));
    }
    if part.method != first.method {
        return differs("method", first.method.clone(), part.method.clone());
    }
    if part.seed != first.seed {
        return differs("seed", shown(first.seed), shown(part.seed));
    }
    if part.method == "monte-carlo" && part.draws != first.draws {
        return Err(Error::Usage(format!(
            "{}: not a part of the same run as {}: a whipcount whose sampler draws other votes wrote it \
             (sampler version {}, not {}); run every shard with one version of whipcount",
            file.display(),
            file0.display(),
            part.draws,
            first.draws
        )));
    }
    if part.trials != first.trials {
        return differs("number of trials", shown(first.trials), shown(part.trials));
    }
    if part.shards != first.shards {
        return differs("shard count", first.shards.to_string(), part.shards.to_string());
    }
    Ok(())
}

/// The parts sorted by shard; every shard 1..=N exactly once, or an error naming
/// the missing and repeated ones.
fn in_shard_order(parts: &[(PathBuf, Part)]) -> Result<Vec<&(PathBuf, Part)>> {
    let n = parts[0].1.shards;
    if let Some((file, part)) = parts.iter().find(|(_, p)| p.shard == 0 || p.shard > n) {
        return Err(Error::Usage(format!("{}: a malformed part file: shard {} of {n}", file.display(), part.shard)));
    }
    let mut problems = Vec::new();
    let missing: Vec<String> =
        (1..=n).filter(|k| parts.iter().all(|(_, p)| p.shard != *k)).map(|k| format!("{k}/{n}")).collect();
    if !missing.is_empty() {
        problems.push(format!("missing shard{} {}", if missing.len() > 1 { "s" } else { "" }, missing.join(", ")));
    }
    for k in 1..=n {
        let files: Vec<String> =
            parts.iter().filter(|(_, p)| p.shard == k).map(|(f, _)| f.display().to_string()).collect();
        if files.len() > 1 {
            problems.push(format!("shard {k}/{n} given {} times ({})", files.len(), files.join(", ")));
        }
    }
    if !problems.is_empty() {
        return Err(Error::Usage(format!("merge: the parts do not make up one whole run: {}", problems.join("; "))));
    }
    let mut ordered: Vec<&(PathBuf, Part)> = parts.iter().collect();
    ordered.sort_by_key(|(_, p)| p.shard);
    Ok(ordered)
}

/// Whether a part covers exactly its shard's range, with one consistent tally per unit.
fn check_range(file: &Path, part: &Part, total: u64) -> Result<()> {
    let bad = |why: String| Err(Error::Usage(format!("{}: a malformed part file: {why}", file.display())));
    let expected = Shard { index: part.shard, count: part.shards }.range(total);
    if part.range != [expected.start, expected.end] {
        return bad(format!("shard {}/{} should cover {expected:?}, not {:?}", part.shard, part.shards, part.range));
    }
    let points = match part.command {
        Command::Simulate => 1,
        Command::Sweep => (expected.end - expected.start) as usize,
    };
    if part.results.len() != points {
        return bad(format!("{} results for {points} points", part.results.len()));
    }
    if let (Command::Simulate, Some(trials), [Tally::MonteCarlo { counts, passes }]) =
        (part.command, part.trials, part.results.as_slice())
    {
        let votes = (expected.end * sampler::BATCH).min(trials) - (expected.start * sampler::BATCH).min(trials);
        let sum: u64 = counts.iter().sum();
        if sum != votes || *passes > sum {
            return bad(format!("its counts add up to {sum} votes (passes {passes}), not the {votes} of its batches"));
        }
    }
    Ok(())
}

fn combine(command: Command, ordered: &[&(PathBuf, Part)]) -> Vec<Estimate> {
    match command {
        Command::Sweep => ordered.iter().flat_map(|(_, p)| p.results.iter().map(Tally::estimate)).collect(),
        Command::Simulate => {
            let (mut counts, mut passes) = (Vec::<u64>::new(), 0);
            for (_, part) in ordered {
                if let [Tally::MonteCarlo { counts: c, passes: p }] = part.results.as_slice() {
                    counts.resize(counts.len().max(c.len()), 0);
                    counts.iter_mut().zip(c).for_each(|(t, c)| *t += c);
                    passes += p;
                }
            }
            vec![Estimate::monte_carlo(counts, passes)]
        }
    }
}

impl Merged {
    /// Checks that `s`, rebuilt from the parts' inputs, is the scenario they were
    /// simulated with, and that their tallies have one entry per yes count.
    pub fn check_scenario(&self, s: &Scenario) -> Result<()> {
        self.check_hash(&scenario_hash(s))?;
        self.check_seats(s.chamber.seats)
    }

    /// Checks that `plan`, rebuilt from the parts' inputs, is the sweep they ran.
    pub fn check_plan(&self, plan: &Plan) -> Result<()> {
        self.check_hash(&plan_hash(plan))?;
        if self.results.len() != plan.len() {
            return Err(self.error(format!("the parts hold {} grid points, not {}", self.results.len(), plan.len())));
        }
        plan.points.iter().try_for_each(|(_, s)| self.check_seats(s.chamber.seats))
    }

    fn check_hash(&self, hash: &str) -> Result<()> {
        if hash == self.first.scenario_sha256 {
            return Ok(());
        }
        Err(self.error(
            "its scenario no longer resolves to the recorded hash (edited, or written by another version of whipcount)"
                .into(),
        ))
    }

    fn check_seats(&self, seats: u32) -> Result<()> {
        let bins = seats as usize + 1;
        match self.results.iter().find(|e| e.probability.len() != bins) {
            Some(e) => {
                Err(self.error(format!("a tally has {} yes counts; the chamber has {bins}", e.probability.len())))
            }
            None => Ok(()),
        }
    }

    fn error(&self, why: String) -> Error {
        Error::Usage(format!("{}: {why}", self.file.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    #[test]
    fn shards_are_numbered_from_one_and_tile_the_range() {
        assert_eq!(Shard::parse("2/3"), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/3", "1/-3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let ranges: Vec<Range<u64>> = (1..=7).map(|k| Shard { index: k, count: 7 }.range(16)).collect();
        assert_eq!(ranges.first().unwrap().start, 0);
        assert_eq!(ranges.last().unwrap().end, 16);
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn the_hash_sees_any_resolved_change_and_nothing_else() {
        let s = load(None).unwrap();
        assert_eq!(scenario_hash(&s), scenario_hash(&s.clone()));
        let mut t = s.clone();
        t.blocs[0].probs.0[0] = f64::from_bits(t.blocs[0].probs.0[0].to_bits() + 1);
        assert_ne!(scenario_hash(&s), scenario_hash(&t));
        assert_eq!(scenario_hash(&s).len(), 64);
        let recorded = load(Some("pakistan-2022-04-09")).unwrap();
        let mut unrecorded = recorded.clone();
        unrecorded.result = None;
        assert!(recorded.result.is_some());
        assert_ne!(scenario_hash(&recorded), scenario_hash(&unrecorded));
    }

    fn part() -> Part {
        Part {
            format: FORMAT.into(),
            version: VERSION,
            draws: sampler::DRAWS,
            command: Command::Sweep,
            scenario: "x".into(),
            scenario_sha256: "00".into(),
            inputs: Inputs::new(&Source { origin: "o".into(), stem: "s".into(), text: "t".into() }, &[], None, &[]),
            method: "exact".into(),
            seed: None,
            trials: None,
            shard: 1,
            shards: 1,
            range: [0, 1],
            threads: 1,
            elapsed_s: 0.5,
            results: vec![Tally::Exact { probability: vec![0.1, 0.2, 0.7000000000000001], p_pass: 1.0 / 3.0 }],
        }
    }

    #[test]
    fn a_part_reads_back_exactly_and_an_edited_one_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        std::fs::write(&path, to_bytes(&part())).unwrap();
        assert_eq!(read(&path).unwrap(), part());
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("0.2,", "0.25,")).unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("checksum"));
        std::fs::write(&path, &text[..text.len() / 2]).unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("truncated"));
        std::fs::write(&path, text.replace("\"version\": 2", "\"version\": 3")).unwrap();
        assert!(read(&path).unwrap_err().to_string().contains("version 3"));
    }

    /// A part of format version 1 (no `draws`) reads as drawn by sampler
    /// version 1; Monte Carlo parts drawn by different versions are not one run,
    /// exact ones (no votes drawn) are.
    #[test]
    fn parts_drawn_by_different_samplers_do_not_merge() {
        let mut old = serde_json::to_value(part()).unwrap();
        let object = old.as_object_mut().unwrap();
        object.remove("draws");
        object.insert("version".into(), 1.into());
        let checksum = sha256_hex(old.to_string().as_bytes());
        old.as_object_mut().unwrap().insert("checksum".into(), Value::String(checksum));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.json");
        std::fs::write(&path, old.to_string()).unwrap();
        assert_eq!(read(&path).unwrap().draws, 1);
        let (a, b) = (Path::new("a.json"), Path::new("b.json"));
        let drawn = |draws: u32, method: &str| Part { draws, method: method.into(), ..part() };
        assert!(same_run(a, &drawn(1, "exact"), b, &drawn(2, "exact")).is_ok());
        let error = same_run(a, &drawn(1, "monte-carlo"), b, &drawn(2, "monte-carlo")).unwrap_err().to_string();
        assert!(error.contains("b.json") && error.contains("(sampler version 2, not 1)"), "{error}");
        assert!(same_run(a, &drawn(2, "monte-carlo"), b, &drawn(2, "monte-carlo")).is_ok());
    }
}
