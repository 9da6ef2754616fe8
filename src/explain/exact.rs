//! Every explain column exactly, for the price of a few solves.
//!
//! **Method.** Given the swing z, blocs are independent and the rule is a threshold
//! on one statistic, s = w_yes·yes − w_other·other ≥ t (see [`crate::rules`]; for a
//! vote-based base less P(no yes and no other vote at all) when s = 0 passes).
//! With the blocs' laws of s in scenario order, the prefix convolutions P_i (blocs
//! before i) and suffix laws S_i (blocs after i) give, for every bloc,
//! G_i(x) = P(rest ≥ t − x) = Σ_a P_i(a)·S̄_{i+1}(t − x − a) over the bloc's own
//! range of x, with S̄ the suffix's tail sums; the sum runs only where the tail is
//! neither 0 nor 1. An intervention on bloc i is then a law L' of its statistic
//! and P(pass) = Σ_x L'(x)·G_i(x): a single lookup for a forced outcome (a shift
//! of the rest's law), one short dot product for a lean.
//!
//! A named member inside bloc i is done the same way one level down, per switch
//! state: with the bloc's unnamed law U and members m_1…m_n as three-point laws,
//! forward prefixes F_j = U ⊛ m_1 ⊛ … ⊛ m_{j−1} and backward
//! V_j(a) = E[G_i(a + m_j + … + m_n)] (a recursion on three terms) give
//! P(pass | member j has law q) = Σ_c q_c · Σ_a F_j(a)·V_{j+1}(a + c): linear in q,
//! so three dot products serve every intervention on the member.
//!
//! **Cost** per swing node: two passes of convolutions (prefix and suffix) and the
//! windows G_i, each about one exact solve; members add O(n·k) per bloc of k seats
//! and n named members. The swing is integrated with the engine's nested
//! trapezoid rules ([`crate::exact::quadrature`]), halving the step until no
//! figure moves by more than [`PASS_TOLERANCE`] (at most 16,385 nodes).
//!
//! **Error.** Sums of products of non-negative terms: rounding stays within
//! O(seats·ε) of each figure. Entries below [`NEGLIGIBLE`] (1e-30) are dropped from
//! the ends of every law, which moves no figure by more than seats·1e-30 per
//! convolution. Add the quadrature error, below the tolerance.

use super::{Explanation, Figures, units};
use crate::exact::{PASS_TOLERANCE, quadrature};
use crate::model::{self, Lift, State, bloc_counts, categories, convolve, states};
use crate::rules::{Category, PassTest};
use crate::scenario::{Bloc, Outcome, Probs, Scenario, Whip};

/// Entries of a law below this are dropped from its ends (see the error bound).
pub const NEGLIGIBLE: f64 = 1e-30;

/// The law of a statistic: `p[k]` = P(s = k − offset); `empty` = P(no yes and no other vote).
#[derive(Debug, Clone)]
struct Law {
    p: Vec<f64>,
    offset: i64,
    empty: f64,
}

impl Law {
    fn unit() -> Law {
        Law { p: vec![1.0], offset: 0, empty: 1.0 }
    }

    /// The law without entries below [`NEGLIGIBLE`] at either end.
    fn trimmed(mut self) -> Law {
        let first = self.p.iter().position(|&q| q >= NEGLIGIBLE).unwrap_or(0);
        let last = self.p.iter().rposition(|&q| q >= NEGLIGIBLE).unwrap_or(0).max(first);
        self.p.truncate(last + 1);
        self.p.drain(..first);
        self.offset -= first as i64;
        self
    }

    fn then(&self, other: &Law) -> Law {
        let p = convolve(&self.p, &other.p);
        Law { p, offset: self.offset + other.offset, empty: self.empty * other.empty }.trimmed()
    }

    /// The smallest and largest statistic it holds.
    fn support(&self) -> (i64, i64) {
        (-self.offset, self.p.len() as i64 - 1 - self.offset)
    }

    /// Tail sums: `tail[k]` = P(index ≥ k), with a final 0.
    fn tails(&self) -> Vec<f64> {
        let mut tail = vec![0.0; self.p.len() + 1];
        for k in (0..self.p.len()).rev() {
            tail[k] = tail[k + 1] + self.p[k];
        }
        tail
    }
}

fn tail_at(tail: &[f64], x: i64) -> f64 {
    tail[x.clamp(0, tail.len() as i64 - 1) as usize]
}

/// G(x) = P(pass | the unit's statistic is x, without the empty correction), x ≥ `lo`.
struct Window {
    lo: i64,
    g: Vec<f64>,
}

impl Window {
    fn at(&self, x: i64) -> f64 {
        self.g[(x - self.lo) as usize]
    }

    fn expect(&self, law: &Law) -> f64 {
        law.p.iter().enumerate().map(|(k, p)| p * self.at(k as i64 - law.offset)).sum()
    }
}

/// The rest of the chamber without one bloc: the blocs before it and the tails of those after.
struct Rest<'a> {
    prefix: &'a Law,
    prefix_tail: Vec<f64>,
    suffix_tail: Vec<f64>,
    offset: i64,
}

/// The scenario's rule as a threshold on s, and the lean.
struct Setup<'a> {
    s: &'a Scenario,
    with_other: bool,
    wy: usize,
    wo: usize,
    t: i64,
    empty_passes: bool,
    lean: f64,
}

/// A bloc's laws at one swing node: as stated, leaned down, leaned up.
type BlocLaws = [Law; 3];

impl<'a> Setup<'a> {
    fn new(s: &'a Scenario, lean: f64) -> Self {
        let test = s.rule.test(s.chamber.seats);
        let (wy, wo) = match test {
            PassTest::AtLeast(_) => (1, 0),
            PassTest::Balance { yes_weight, other_weight, .. } => (yes_weight as usize, other_weight as usize),
        };
        let (t, empty_passes) = match test {
            PassTest::AtLeast(n) => (i64::from(n), false),
            PassTest::Balance { .. } if test.passes_statistic(0) => (0, true),
            PassTest::Balance { .. } => (1, false),
        };
        Setup { s, with_other: test.needs_other(), wy, wo, t, empty_passes, lean }
    }

    fn swing_lift(&self, b: &Bloc, lift: Lift) -> Option<Lift> {
        model::moves(self.s, b).then_some(lift)
    }

    fn law(&self, b: &Bloc, factor: Option<Lift>) -> Law {
        let (p, empty) = crate::exact::bloc_statistic(self.s, b, factor);
        Law { p, offset: (self.wo * b.seats as usize) as i64, empty }.trimmed()
    }

    fn bloc_laws(&self, b: &Bloc, lift: Lift) -> BlocLaws {
        let f = self.swing_lift(b, lift);
        let leaned = |lean: f64| Some(f.unwrap_or(Lift::NONE).then(lean));
        [self.law(b, f), self.law(b, leaned(-self.lean)), self.law(b, leaned(self.lean))]
    }

    fn category(&self, outcome: Outcome, whip: Whip) -> Category {
        match self.s.rule.category(outcome, whip) {
            Category::Other if !self.with_other => Category::Neither,
            c => c,
        }
    }

    /// The statistic of `seats` members all casting `outcome` under `whip`, and
    /// whether they cast no yes and no other vote.
    fn forced(&self, outcome: Outcome, whip: Whip, seats: usize) -> (i64, bool) {
        match self.category(outcome, whip) {
            Category::Yes => ((self.wy * seats) as i64, seats == 0),
            Category::Other => (-((self.wo * seats) as i64), seats == 0),
            Category::Neither => (0, true),
        }
    }

    /// P(pass) from the chamber's whole law.
    fn pass(&self, total: &Law) -> f64 {
        let tail = total.tails();
        tail_at(&tail, self.t + total.offset) - self.correction(total.empty)
    }

    fn correction(&self, empty: f64) -> f64 {
        if self.empty_passes { empty } else { 0.0 }
    }

    /// G(x) = P(rest ≥ t − x): P(a + b ≥ m) for prefix index a and suffix index b.
    fn g(&self, rest: &Rest, x: i64) -> f64 {
        let (p, tail) = (&rest.prefix.p, &rest.suffix_tail);
        let m = self.t - x + rest.offset;
        let (lp, ls) = (p.len() as i64, tail.len() as i64 - 1);
        let (from, to) = ((m - ls + 1).max(0), m.clamp(0, lp));
        let partial: f64 = (from..to).map(|a| p[a as usize] * tail[(m - a) as usize]).sum();
        partial + tail[0] * tail_at(&rest.prefix_tail, m.max(0))
    }

    fn window(&self, rest: &Rest, lo: i64, hi: i64) -> Window {
        Window { lo, g: (lo..=hi).map(|x| self.g(rest, x)).collect() }
    }

    /// P(pass) and every unit's six figures at the swing lift `lift`, flattened:
    /// [p_pass, then per unit if_yes, if_no, if_abstain, if_absent, lean_down, lean_up].
    fn node(&self, lift: Lift, fixed: &[Option<BlocLaws>], members: bool) -> Vec<f64> {
        let blocs = &self.s.blocs;
        let laws: Vec<std::borrow::Cow<BlocLaws>> = blocs
            .iter()
            .zip(fixed)
            .map(|(b, f)| {
                f.as_ref().map_or_else(|| std::borrow::Cow::Owned(self.bloc_laws(b, lift)), std::borrow::Cow::Borrowed)
            })
            .collect();
        let (prefixes, suffixes) = chains(&laws);
        let mut out = vec![self.pass(&prefixes[blocs.len()])];
        for (i, b) in blocs.iter().enumerate() {
            let suffix = &suffixes[i + 1];
            let rest = Rest {
                prefix: &prefixes[i],
                prefix_tail: prefixes[i].tails(),
                suffix_tail: suffix.tails(),
                offset: prefixes[i].offset + suffix.offset,
            };
            let e_rest = prefixes[i].empty * suffix.empty;
            let members = members && !b.members.is_empty();
            self.bloc_figures(b, &laws[i], &rest, e_rest, members.then_some(lift), &mut out);
        }
        out
    }

    /// Bloc `b`'s six figures, then its members' (given `member_z`, the swing lift), into `out`.
    fn bloc_figures(
        &self,
        b: &Bloc,
        laws: &BlocLaws,
        rest: &Rest,
        e_rest: f64,
        member_z: Option<Lift>,
        out: &mut Vec<f64>,
    ) {
        for o in Outcome::ALL {
            let (x, empty) = self.forced(o, b.whip, b.seats as usize);
            out.push(self.g(rest, x) - if empty { self.correction(e_rest) } else { 0.0 });
        }
        let seats = b.seats as i64;
        let (lo, hi) = if member_z.is_some() {
            (-(self.wo as i64) * seats, self.wy as i64 * seats)
        } else {
            let (a, b) = (laws[1].support(), laws[2].support());
            (a.0.min(b.0), a.1.max(b.1))
        };
        let w = self.window(rest, lo, hi);
        for l in &laws[1..] {
            out.push(w.expect(l) - self.correction(e_rest * l.empty));
        }
        if let Some(lift) = member_z {
            for f in self.members(b, self.swing_lift(b, lift), &w, e_rest) {
                out.extend(f);
            }
        }
    }

    /// Each named member's six figures, given the rest of the chamber through `w`.
    fn members(&self, b: &Bloc, factor: Option<Lift>, w: &Window, e_rest: f64) -> Vec<[f64; 6]> {
        let mut out = vec![[0.0; 6]; b.members.len()];
        for (weight, state) in states(b) {
            for (acc, f) in out.iter_mut().zip(self.members_in_state(b, factor, state, w, e_rest)) {
                acc.iter_mut().zip(f).for_each(|(a, v)| *a += weight * v);
            }
        }
        out
    }

    fn members_in_state(&self, b: &Bloc, factor: Option<Lift>, state: State, w: &Window, e_rest: f64) -> Vec<[f64; 6]> {
        let whip = state.whip;
        let adjust = |p: &Probs| state.probs(p, factor);
        let cats = |p: &Probs| categories(p, whip, &self.s.rule, self.with_other);
        let joint = bloc_counts(b.unnamed(), cats(&adjust(&b.probs)), b.cohesion, self.with_other);
        let unnamed = joint.statistic(self.wy, self.wo);
        let qs: Vec<[f64; 3]> = b.members.iter().map(|m| cats(&adjust(&m.probs))).collect();
        let (step, stay) = (self.wy + self.wo, self.wo);
        let offset = self.wo * b.seats as usize;
        let v = backward(w, unnamed.len(), &qs, (step, stay), offset as i64);
        // Empty: unnamed, times every other member's "neither".
        let mut after = vec![1.0; qs.len() + 1];
        for j in (0..qs.len()).rev() {
            after[j] = after[j + 1] * qs[j][2];
        }
        let mut before = joint.get(0, 0);
        let mut forward = unnamed;
        let mut out = Vec::with_capacity(qs.len());
        for (j, m) in b.members.iter().enumerate() {
            let next = &v[j + 1];
            let dot = |shift: usize| forward.iter().enumerate().map(|(a, p)| p * next[a + shift]).sum::<f64>();
            let a = [dot(step), dot(0), dot(stay)];
            let empty = self.correction(e_rest * before * after[j + 1]);
            let value = |q: [f64; 3]| a[0] * q[0] + a[1] * q[1] + a[2] * q[2] - empty * q[2];
            let mut f = [0.0; 6];
            for (slot, o) in f.iter_mut().zip(Outcome::ALL) {
                let mut q = [0.0; 3];
                q[self.category(o, whip) as usize] = 1.0;
                *slot = value(q);
            }
            f[4] = value(cats(&adjust(&m.probs).swung(Lift::NONE.then(-self.lean))));
            f[5] = value(cats(&adjust(&m.probs).swung(Lift::NONE.then(self.lean))));
            out.push(f);
            forward = advance(&forward, qs[j], step, stay);
            before *= qs[j][2];
        }
        out
    }
}

/// Prefix laws P_0 = δ, P_{i+1} = P_i ⊛ L_i, and suffix laws S_i = L_i ⊛ … ⊛ L_{n−1}.
fn chains(laws: &[std::borrow::Cow<BlocLaws>]) -> (Vec<Law>, Vec<Law>) {
    let mut prefixes = vec![Law::unit()];
    for l in laws {
        let next = prefixes.last().expect("starts with one").then(&l[0]);
        prefixes.push(next);
    }
    let mut suffixes = vec![Law::unit(); laws.len() + 1];
    for i in (0..laws.len()).rev() {
        suffixes[i] = laws[i][0].then(&suffixes[i + 1]);
    }
    (prefixes, suffixes)
}

/// v\[j\](a) = E\[G(a + m_j + … + m_n)\] over the indices a of F_j (unnamed law of
/// length `unnamed` and the members before j); a member's yes moves by `step`, its
/// "neither" by `stay`.
fn backward(w: &Window, unnamed: usize, qs: &[[f64; 3]], (step, stay): (usize, usize), offset: i64) -> Vec<Vec<f64>> {
    let mut v = vec![Vec::new(); qs.len() + 1];
    v[qs.len()] = (0..unnamed + step * qs.len()).map(|a| w.at(a as i64 - offset)).collect();
    for j in (0..qs.len()).rev() {
        let (next, q) = (&v[j + 1], qs[j]);
        v[j] = (0..next.len() - step).map(|a| q[0] * next[a + step] + q[1] * next[a] + q[2] * next[a + stay]).collect();
    }
    v
}

/// F ⊛ (member law q) in statistic indices: yes moves by `step`, neither by `stay`.
fn advance(f: &[f64], q: [f64; 3], step: usize, stay: usize) -> Vec<f64> {
    let mut out = vec![0.0; f.len() + step];
    for (a, &p) in f.iter().enumerate() {
        out[a + step] += q[0] * p;
        out[a] += q[1] * p;
        out[a + stay] += q[2] * p;
    }
    out
}

/// Every unit's figures given the swing draw z (no integration), for tests.
pub fn conditional(s: &Scenario, lean: f64, members: bool, z: f64) -> Explanation {
    let setup = Setup::new(s, lean);
    let fixed = vec![None; s.blocs.len()];
    assemble(s, lean, members, &setup.node(Lift::at(s.swing_sd, z), &fixed, members))
}

/// Every unit's figures, exactly (the swing integrated).
pub fn explain(s: &Scenario, lean: f64, members: bool) -> Explanation {
    let setup = Setup::new(s, lean);
    let moved = |b: &Bloc| model::moves(s, b);
    let fixed: Vec<Option<BlocLaws>> =
        s.blocs.iter().map(|b| (!moved(b)).then(|| setup.bloc_laws(b, Lift::NONE))).collect();
    if !s.has_swing() {
        return assemble(s, lean, members, &setup.node(Lift::NONE, &fixed, members));
    }
    let node = |z: f64| setup.node(Lift::at(s.swing_sd, z), &fixed, members);
    let settled = |a: &[f64], b: &[f64]| a.iter().zip(b).all(|(x, y)| (x - y).abs() < PASS_TOLERANCE);
    assemble(s, lean, members, &quadrature::nested(node, settled))
}

fn assemble(s: &Scenario, lean: f64, members: bool, values: &[f64]) -> Explanation {
    let clamp = |x: f64| x.clamp(0.0, 1.0);
    let figures = values[1..]
        .chunks(6)
        .map(|c| Figures { if_outcome: [c[0], c[1], c[2], c[3]].map(clamp), lean: [clamp(c[4]), clamp(c[5])] })
        .collect();
    Explanation {
        scenario: s.name.clone(),
        p_pass: clamp(values[0]),
        lean,
        units: units(s, members),
        figures,
        sampling: None,
    }
}
