//! Every explain column by Monte Carlo, with common random numbers: the cross-check.
//!
//! **Method.** Each simulated vote draws the swing, every bloc's switch and every
//! member's uniform once, and counts each bloc's (yes, other) as stated, leaned
//! down and leaned up, and each named member's vote as stated and leaned, all from
//! those same numbers: a member votes yes when u < P(yes), other when
//! u < P(yes) + P(other), so a lean moves only the members near the line. (A
//! cohesive bloc's drawn probabilities come from one sub-stream reused for each
//! lean.) An intervention replaces one unit's counts in the chamber's total, so
//! every figure of every unit is judged on the same votes, and differences between
//! figures are far more precise than each figure alone.
//!
//! **Uncertainty.** Each figure is a proportion of n votes, standard error
//! √(p(1 − p)/n). `p_decisive` = p_max − p_min is a mean of paired differences
//! I_max − I_min, with variance p_max + p_min − 2·p_both − (p_max − p_min)².
//! Votes run in batches seeded from (seed, batch); each thread adds the batches it
//! takes to integer tallies of its own, which are then added, so the result does
//! not depend on the number of threads.

use super::{Errors, Explanation, Figures, Sampling, units};
use crate::error::{Error, Result};
use crate::model::{self, Lift, State, concentration};
use crate::rules::{Category, PassTest};
use crate::sampler::dirichlet::dirichlet;
use crate::sampler::rng::{batch_rng, uniform};
use crate::sampler::{BATCH, Config, Controls};
use crate::scenario::{Bloc, Outcome, Probs, Scenario, Whip};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;
use std::sync::atomic::Ordering;

/// The four forced outcomes' pairs, for the covariance of `p_decisive`.
const PAIRS: [(usize, usize); 6] = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)];
/// Counters per unit: 4 forced, 2 leaned, 6 pairs of forced.
const PER_UNIT: usize = 12;

/// Counted (yes, other) votes.
type Count = (u32, u32);

fn add(a: Count, b: Count) -> Count {
    (a.0 + b.0, a.1 + b.1)
}

struct Sim<'a> {
    s: &'a Scenario,
    test: PassTest,
    lean: f64,
    members: bool,
}

/// One bloc's draws in one vote: counts as stated, leaned down, leaned up, and per
/// named member its count as stated, leaned down, leaned up; and the effective whip.
struct Draw {
    bloc: [Count; 3],
    members: Vec<[Count; 3]>,
    whip: Whip,
}

impl Sim<'_> {
    fn category(&self, o: Outcome, whip: Whip) -> Category {
        self.s.rule.category(o, whip)
    }

    fn count_of(c: Category, n: u32) -> Count {
        match c {
            Category::Yes => (n, 0),
            Category::Other => (0, n),
            Category::Neither => (0, 0),
        }
    }

    /// Category probabilities [yes, other, neither] of `p` under `whip`.
    fn cats(&self, p: &Probs, whip: Whip) -> [f64; 3] {
        let mut q = [0.0; 3];
        for o in Outcome::ALL {
            q[self.category(o, whip) as usize] += p.of(o);
        }
        q
    }

    fn pick(u: f64, q: &[f64; 3]) -> Category {
        if u < q[0] {
            Category::Yes
        } else if u < q[0] + q[1] {
            Category::Other
        } else {
            Category::Neither
        }
    }

    fn draw(&self, b: &Bloc, lift: Lift, rng: &mut Xoshiro256PlusPlus) -> Draw {
        let switched = uniform(rng) < b.switch;
        let state = State::of(b, switched);
        let whip = state.whip;
        let f = model::moves(self.s, b).then_some(lift);
        let leaned = |lean: f64| Some(f.unwrap_or(Lift::NONE).then(lean));
        let factors = [f, leaned(-self.lean), leaned(self.lean)];
        let versions = |p: &Probs| factors.map(|x| self.cats(&state.probs(p, x), whip));
        let q = versions(&b.probs);
        let mut bloc = [(0, 0); 3];
        let u = b.unnamed();
        if b.cohesion >= 1.0 {
            let r = uniform(rng);
            for v in 0..3 {
                bloc[v] = Self::count_of(Self::pick(r, &q[v]), u);
            }
        } else {
            let drawn = match concentration(b.cohesion) {
                Some(c) => {
                    let seed = rng.next_u64();
                    q.map(|means| dirichlet(&mut Xoshiro256PlusPlus::seed_from_u64(seed), &means, c))
                }
                None => q,
            };
            for _ in 0..u {
                let r = uniform(rng);
                for v in 0..3 {
                    bloc[v] = add(bloc[v], Self::count_of(Self::pick(r, &drawn[v]), 1));
                }
            }
        }
        let members = b
            .members
            .iter()
            .map(|m| {
                let (r, q) = (uniform(rng), versions(&m.probs));
                let c = [0, 1, 2].map(|v| Self::count_of(Self::pick(r, &q[v]), 1));
                (0..3).for_each(|v| bloc[v] = add(bloc[v], c[v]));
                c
            })
            .collect();
        Draw { bloc, members, whip }
    }

    /// Adds one vote's indicators to `tally` ([pass, then PER_UNIT per unit]).
    fn vote(&self, rng: &mut Xoshiro256PlusPlus, tally: &mut [u64]) {
        let lift = if self.s.has_swing() {
            let z: f64 = StandardNormal.sample(rng);
            Lift::at(self.s.swing_sd, z)
        } else {
            Lift::NONE
        };
        let draws: Vec<Draw> = self.s.blocs.iter().map(|b| self.draw(b, lift, rng)).collect();
        let total = draws.iter().fold((0, 0), |t, d| add(t, d.bloc[0]));
        let passes = |c: Count, out: Count, inn: Count| {
            let (y, o) = (c.0 - out.0 + inn.0, c.1 - out.1 + inn.1);
            self.test.passes(y, o)
        };
        tally[0] += u64::from(self.test.passes(total.0, total.1));
        let mut slot = 1;
        for (b, d) in self.s.blocs.iter().zip(&draws) {
            let forced = Outcome::ALL.map(|o| Self::count_of(self.category(o, b.whip), b.seats));
            let leaned = [d.bloc[1], d.bloc[2]];
            record(
                &mut tally[slot..slot + PER_UNIT],
                forced.map(|c| passes(total, d.bloc[0], c)),
                leaned.map(|c| passes(total, d.bloc[0], c)),
            );
            slot += PER_UNIT;
            if self.members {
                for m in &d.members {
                    let forced = Outcome::ALL.map(|o| Self::count_of(self.category(o, d.whip), 1));
                    let leaned = [m[1], m[2]];
                    record(
                        &mut tally[slot..slot + PER_UNIT],
                        forced.map(|c| passes(total, m[0], c)),
                        leaned.map(|c| passes(total, m[0], c)),
                    );
                    slot += PER_UNIT;
                }
            }
        }
    }
}

fn record(t: &mut [u64], forced: [bool; 4], leaned: [bool; 2]) {
    for (k, &p) in forced.iter().enumerate() {
        t[k] += u64::from(p);
    }
    t[4] += u64::from(leaned[0]);
    t[5] += u64::from(leaned[1]);
    for (k, &(a, b)) in PAIRS.iter().enumerate() {
        t[6 + k] += u64::from(forced[a] && forced[b]);
    }
}

/// Estimates every unit's figures from `config.trials` simulated votes.
pub fn explain(s: &Scenario, lean: f64, members: bool, config: &Config, controls: &Controls) -> Result<Explanation> {
    let list = units(s, members);
    let sim = Sim { s, test: s.rule.test(s.chamber.seats), lean, members };
    let pool = crate::sampler::pool(config.threads)?;
    let width = 1 + PER_UNIT * list.len();
    let batches = config.trials.div_ceil(BATCH);
    // Each thread adds the batches it takes to a tally of its own (None once stopped).
    let total: Option<Vec<u64>> = pool.install(|| {
        (0..batches)
            .into_par_iter()
            .fold(
                || Some(vec![0u64; width]),
                |tally, b| {
                    let mut tally = tally.filter(|_| !controls.stop.load(Ordering::Relaxed))?;
                    let mut rng = batch_rng(config.seed, b);
                    for _ in 0..BATCH.min(config.trials - b * BATCH) {
                        sim.vote(&mut rng, &mut tally);
                    }
                    Some(tally)
                },
            )
            .reduce_with(|a, b| {
                let (mut a, b) = (a?, b?);
                a.iter_mut().zip(&b).for_each(|(a, b)| *a += b);
                Some(a)
            })
            .unwrap_or(Some(vec![0u64; width]))
    });
    let total = total.ok_or_else(|| Error::Other("interrupted: explain has no partial result".into()))?;
    Ok(summarise(s, lean, list, &total, config))
}

fn summarise(s: &Scenario, lean: f64, list: Vec<super::Unit>, total: &[u64], config: &Config) -> Explanation {
    let n = config.trials as f64;
    let p = |k: u64| k as f64 / n;
    let se = |q: f64| (q * (1.0 - q) / n).sqrt();
    let (mut figures, mut errors) = (Vec::new(), Vec::new());
    for t in total[1..].chunks(PER_UNIT) {
        let f = Figures { if_outcome: [0, 1, 2, 3].map(|k| p(t[k])), lean: [p(t[4]), p(t[5])] };
        let (hi, lo) = f.extremes();
        let (hi, lo) = (hi as usize, lo as usize);
        let both = PAIRS.iter().position(|&(a, b)| (a, b) == (hi.min(lo), hi.max(lo))).map_or(0.0, |k| p(t[6 + k]));
        let (a, b) = (f.if_outcome[hi], f.if_outcome[lo]);
        let var = if hi == lo { 0.0 } else { (a + b - 2.0 * both - (a - b) * (a - b)).max(0.0) };
        errors.push(Errors { if_outcome: f.if_outcome.map(se), decisive: (var / n).sqrt(), lean: f.lean.map(se) });
        figures.push(f);
    }
    let p_pass = p(total[0]);
    Explanation {
        scenario: s.name.clone(),
        p_pass,
        lean,
        units: list,
        figures,
        sampling: Some(Sampling { trials: config.trials, seed: config.seed, se_pass: se(p_pass), errors }),
    }
}
