//! Helpers shared by the integration tests: small scenarios and brute force.
#![allow(dead_code)]

use whipcount::rules::{Base, Threshold};
use whipcount::scenario::{self, Outcome, Probs, Scenario, Whip};

/// Parses a scenario written inline in a test.
pub fn scenario(text: &str) -> Scenario {
    scenario::parse(text, "test.toml", "test").unwrap_or_else(|e| panic!("{e}"))
}

/// The rules every cross-check runs through.
pub const RULES: &[&str] = &[
    "majority-of = \"membership\"",
    "majority-of = \"present\"",
    "majority-of = \"cast\"",
    "majority-of = \"cast\"\ntie = \"passes\"",
    "majority-of = \"present\"\ntie = \"passes\"",
    "majority-of = \"present\"\nfraction = \"2/3\"",
    "majority-of = \"cast\"\nfraction = 0.6",
    "majority-of = \"membership\"\nfraction = \"2/3\"",
    "needed = 3",
    "majority-of = \"cast\"\ncount-defectors = false",
    "majority-of = \"membership\"\ncount-defectors = false",
];

/// Blocs exercising each feature; every set totals 6 seats (with one vacancy).
pub const BLOC_SETS: &[(&str, &str)] = &[
    (
        "plain",
        r#"
[[bloc]]
name = "A"
seats = 3
whip = "yes"
defect = 0.2
abstain = 0.1
absent = 0.1
[[bloc]]
name = "B"
seats = 2
whip = "no"
yes = 0.3
no = 0.5
abstain = 0.15
"#,
    ),
    (
        "cohesion",
        r#"
[[bloc]]
name = "A"
seats = 3
whip = "yes"
defect = 0.2
abstain = 0.1
absent = 0.1
cohesion = 0.4
[[bloc]]
name = "B"
seats = 2
whip = "abstain"
yes = 0.3
no = 0.2
abstain = 0.4
cohesion = 1.0
"#,
    ),
    (
        "switch",
        r#"
[[bloc]]
name = "A"
seats = 2
whip = "yes"
defect = 0.1
abstain = 0.2
switch = 0.3
[[bloc]]
name = "B"
seats = 3
whip = "no"
defect = 0.25
absent = 0.1
switch = 0.2
cohesion = 0.3
"#,
    ),
    (
        "members",
        r#"
[[bloc]]
name = "A"
seats = 3
whip = "abstain"
yes = 0.2
no = 0.1
abstain = 0.5
cohesion = 0.5
  [[bloc.member]]
  name = "m1"
  yes = 0.7
  no = 0.2
  abstain = 0.1
  [[bloc.member]]
  name = "m2"
  defect = 0.4
  absent = 0.2
[[bloc]]
name = "B"
seats = 2
whip = "yes"
defect = 0.3
switch = 0.25
  [[bloc.member]]
  name = "m3"
  yes = 0.5
  no = 0.3
  abstain = 0.2
"#,
    ),
];

/// The swing sections a cross-check combines with each bloc set.
pub const SWINGS: &[&str] = &["", "[swing]\nsd = 0.8\n"];

/// A complete scenario text of 6 seats, one vacant.
pub fn compose(rule: &str, blocs: &str, swing: &str, no_swing_bloc: bool) -> String {
    let mut text = format!("[chamber]\nseats = 6\nvacancies = 1\n[rule]\n{rule}\n{swing}{blocs}");
    if no_swing_bloc {
        text = text.replacen("name = \"B\"", "name = \"B\"\nswing = false", 1);
    }
    text
}

/// One member's outcome probabilities in a state.
struct Voter {
    bloc: usize,
    probs: Probs,
    cohesive: bool,
}

/// [`brute_force`] integrated over the swing z ~ N(0, 1) by a Riemann sum: z on
/// the grid −half·h, …, half·h, weights e^{−z²/2} normalised to 1, the factor
/// e^{sd·z} with the scenario's sd. The law of counted yes votes and P(pass).
pub fn brute_force_over_swing(s: &Scenario, h: f64, half: i32) -> (Vec<f64>, f64) {
    let (mut law, mut p, mut total) = (vec![0.0; s.chamber.seats as usize + 1], 0.0, 0.0);
    for i in -half..=half {
        let z = i as f64 * h;
        let w = (-0.5 * z * z).exp();
        let (l, q) = brute_force(s, (s.swing_sd * z).exp());
        law.iter_mut().zip(&l).for_each(|(a, b)| *a += w * b);
        p += w * q;
        total += w;
    }
    law.iter_mut().for_each(|v| *v /= total);
    (law, p / total)
}

/// `p` with the odds of yes against each other outcome multiplied by `factor`
/// (docs/reference.md §1, "Swing"), written out here rather than borrowed from the
/// library.
fn lifted(p: Probs, factor: f64) -> Probs {
    let [y, n, a, s] = p.0;
    let total = y * factor + n + a + s;
    Probs([y * factor / total, n / total, a / total, s / total])
}

/// Brute force: the law of counted yes votes and P(pass) given the swing factor,
/// by enumerating every outcome of every member and every switch combination.
/// Written from docs/reference.md §1 without the library's rule compiler or engine.
pub fn brute_force(s: &Scenario, factor: f64) -> (Vec<f64>, f64) {
    let seats = s.chamber.seats as usize;
    let mut yes_law = vec![0.0; seats + 1];
    let mut p_pass = 0.0;
    let nb = s.blocs.len();
    for mask in 0..(1u32 << nb) {
        let mut w = 1.0;
        for (i, b) in s.blocs.iter().enumerate() {
            w *= if mask >> i & 1 == 1 { b.switch } else { 1.0 - b.switch };
        }
        if w == 0.0 {
            continue;
        }
        let switched = |i: usize| mask >> i & 1 == 1;
        let mut voters = Vec::new();
        for (i, b) in s.blocs.iter().enumerate() {
            let adjust = |p: Probs| {
                let p = if switched(i) { p.switched() } else { p };
                if b.swing { lifted(p, factor) } else { p }
            };
            for _ in 0..b.unnamed() {
                voters.push(Voter { bloc: i, probs: adjust(b.probs), cohesive: true });
            }
            for m in &b.members {
                voters.push(Voter { bloc: i, probs: adjust(m.probs), cohesive: false });
            }
        }
        let n = voters.len();
        for code in 0..4usize.pow(n as u32) {
            let outcomes: Vec<Outcome> = (0..n).map(|v| Outcome::ALL[code / 4usize.pow(v as u32) % 4]).collect();
            let p = w * sequence_probability(s, &voters, &outcomes);
            if p == 0.0 {
                continue;
            }
            let (yes, no, abstain) = count(s, &voters, &outcomes, &switched);
            yes_law[yes] += p;
            if passes(s, yes, no, abstain) {
                p_pass += p;
            }
        }
    }
    (yes_law, p_pass)
}

/// P(this sequence of outcomes): independent members, and a Pólya urn for the
/// unnamed members of a cohesive bloc (the Dirichlet-multinomial's sequential form).
fn sequence_probability(s: &Scenario, voters: &[Voter], outcomes: &[Outcome]) -> f64 {
    let mut p = 1.0;
    let mut seen = vec![[0usize; 4]; s.blocs.len()];
    let mut drawn = vec![0usize; s.blocs.len()];
    for (v, &o) in voters.iter().zip(outcomes) {
        let q = v.probs.of(o);
        let rho = s.blocs[v.bloc].cohesion;
        if !v.cohesive || rho == 0.0 {
            p *= q;
        } else if rho == 1.0 {
            let first = drawn[v.bloc] == 0;
            p *= if first {
                q
            } else if seen[v.bloc][o as usize] == drawn[v.bloc] {
                1.0
            } else {
                0.0
            };
        } else {
            let c = (1.0 - rho) / rho;
            p *= (c * q + seen[v.bloc][o as usize] as f64) / (c + drawn[v.bloc] as f64);
        }
        if v.cohesive {
            seen[v.bloc][o as usize] += 1;
            drawn[v.bloc] += 1;
        }
    }
    p
}

/// Counted (yes, no, abstain), dropping votes against the effective whip when
/// defectors do not count.
fn count(
    s: &Scenario,
    voters: &[Voter],
    outcomes: &[Outcome],
    switched: &dyn Fn(usize) -> bool,
) -> (usize, usize, usize) {
    let (mut yes, mut no, mut abstain) = (0, 0, 0);
    for (v, &o) in voters.iter().zip(outcomes) {
        let b = &s.blocs[v.bloc];
        let whip = if switched(v.bloc) { b.whip.switched() } else { b.whip };
        let defecting = match whip {
            Whip::Yes => o == Outcome::No,
            Whip::No | Whip::Abstain => o == Outcome::Yes,
        };
        if defecting && !s.rule.count_defectors {
            continue;
        }
        match o {
            Outcome::Yes => yes += 1,
            Outcome::No => no += 1,
            Outcome::Abstain => abstain += 1,
            Outcome::Absent => {}
        }
    }
    (yes, no, abstain)
}

/// docs/reference.md §1's rule table, in exact rational arithmetic.
fn passes(s: &Scenario, yes: usize, no: usize, abstain: usize) -> bool {
    let seats = s.chamber.seats as usize;
    let base = match s.rule.base {
        Base::Membership => seats,
        Base::Present => yes + no + abstain,
        Base::Cast => yes + no,
    };
    match s.rule.threshold {
        Threshold::Needed(n) => yes >= n as usize,
        Threshold::Majority if s.rule.base == Base::Membership => 2 * yes > base,
        Threshold::Majority => yes > 0 && (2 * yes > base || (2 * yes == base && s.rule.tie_passes)),
        Threshold::Fraction { ratio: Some((num, den)), .. } if s.rule.base == Base::Membership => {
            yes as u64 * den >= num * base as u64
        }
        Threshold::Fraction { ratio: Some((num, den)), .. } => yes > 0 && yes as u64 * den >= num * base as u64,
        Threshold::Fraction { value, ratio: None } => yes as f64 >= value * base as f64,
    }
}
