//! The literal simulation of one bloc in one vote, exactly as docs/reference.md §1 states it:
//! a switch coin, the swing applied to the bloc's mean probabilities, a Dirichlet
//! draw of the unnamed members' probabilities under cohesion (ρ = 1: one
//! categorical draw for the whole bloc), a multinomial count of the unnamed
//! members, then one categorical draw per named member.
//!
//! Every bloc draws from its own substream in each vote: one word of the batch
//! stream seeds a SplitMix64 generator. So a bloc always consumes exactly one word
//! of the batch stream, whatever rejection sampling happens inside, and with the
//! same seed every point of a sweep sees the same randomness in every other bloc
//! (common random numbers). Counts are drawn by binomial inversion, monotone in the
//! uniform, so neighbouring sweep points stay coupled in the varied bloc too
//! ([`super::binomial`]).
//!
//! With [`Direct::LITERAL`] this is the reference path that every fast path is
//! tested against. Otherwise (the bloc's [`super::path`] says which), where only
//! counted yes votes matter, the unnamed members' counts come from z-binned
//! tables ([`super::swing_table`], [`super::cohesive_table`]; a large bloc from
//! the exact law at the vote's swing, [`super::large`]) and the named
//! members' count too ([`super::member_table`]), all through one interface
//! ([`CountTable`]): the same laws, drawn faster.

use super::binomial::binomial;
use super::cohesive_table::CohesiveTable;
use super::dirichlet::{categorical, dirichlet};
use super::large::{LargeBetaBinomial, LargeBinomial};
use super::member_table::MemberTable;
use super::path::{self, Direct};
use super::rng::uniform;
use super::swing_table::SwingTable;
use super::table::{CountTable, Unnamed};
use super::unit::{Visitor, VoteSwing, VoteUnit, Word};
use crate::model::{Lift, State as SwitchState, categories, concentration, possible, swing_odds};
use crate::rules::Rule;
use crate::scenario::{Bloc, Outcome, Probs, Whip};
use rand::{Rng, SeedableRng};
use rand_xoshiro::SplitMix64;

/// Outcome probabilities folded into the rule's categories (yes, other, neither),
/// kept so that the swing can be applied without revisiting the four outcomes:
/// the swing moves only the yes outcome, and the others keep their proportions.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// P(the yes outcome) before the swing.
    yes: f64,
    /// The category a yes vote falls into (yes, or neither when not counted).
    yes_category: usize,
    /// The categories of the other outcomes, conditional on not voting yes.
    rest: [f64; 3],
}

impl Split {
    fn new(p: &Probs, whip: Whip, rule: &Rule, with_other: bool) -> Split {
        let yes = p.of(Outcome::Yes);
        let mut without_yes = *p;
        without_yes.0[0] = 0.0;
        let mut rest = categories(&without_yes, whip, rule, with_other);
        let total: f64 = rest.iter().sum();
        if total > 0.0 {
            rest.iter_mut().for_each(|r| *r /= total);
        }
        let only_yes = Probs([1.0, 0.0, 0.0, 0.0]);
        let yes_category = categories(&only_yes, whip, rule, with_other).iter().position(|&q| q > 0.0).unwrap_or(2);
        Split { yes, yes_category, rest }
    }

    /// Category probabilities after the swing lift `e` (σz; `None`: unmoved).
    #[inline]
    fn categories(&self, e: Option<Lift>) -> [f64; 3] {
        let y = e.map_or(self.yes, |e| swing_odds(self.yes, e));
        let mut q = self.rest.map(|r| r * (1.0 - y));
        q[self.yes_category] += y;
        q
    }
}

/// One switch state of a bloc: its unnamed members' and named members' splits.
#[derive(Debug, Clone)]
struct State {
    bloc: Split,
    members: Vec<Split>,
    /// When the rule needs only counted yes votes: each named member's probability
    /// of a counted yes (0 when their yes would not count), for the tight loop.
    counted_yes: Option<Vec<f64>>,
    /// The same members as z-binned Poisson-binomial tables (fast path, many
    /// members), boxed as [`Unnamed`]'s tables are.
    member_table: Option<Box<MemberTable>>,
}

/// A bloc prepared for direct simulation.
#[derive(Debug, Clone)]
pub struct DirectBloc {
    /// The bloc's index in the scenario, by which visitors know it.
    pub place: usize,
    switch: f64,
    states: [State; 2],
    unnamed: u64,
    cohesion: f64,
    /// Whether the swing moves the bloc.
    swing: bool,
    /// Per switch state, the unnamed members' z-binned table when only counted
    /// yes votes matter (`None`: drawn literally).
    tables: [Option<Unnamed>; 2],
    /// When the bloc never switches, its unnamed members' count is certain and
    /// its named members have a member table: that count. A vote is then one
    /// member table draw ([`super::member_blocs`]).
    certain: Option<u32>,
}

impl DirectBloc {
    /// Prepares `bloc`, at `place` in the scenario, under `rule`; `with_other`
    /// when the rule needs the other count; `swing_sd` is σ when the swing moves
    /// the bloc (`None`: it does not); `path` says which tables to build (see
    /// [`super::path`]).
    pub fn new(
        (place, bloc): (usize, &Bloc),
        rule: &Rule,
        with_other: bool,
        swing_sd: Option<f64>,
        path: Direct,
    ) -> DirectBloc {
        let state = |switched: bool| {
            let state = SwitchState::of(bloc, switched);
            let split = |p: &Probs| Split::new(&state.probs(p, None), state.whip, rule, with_other);
            let members: Vec<Split> = bloc.members.iter().map(|m| split(&m.probs)).collect();
            let counted_yes =
                (!with_other).then(|| members.iter().map(|m| if m.yes_category == 0 { m.yes } else { 0.0 }).collect());
            State { bloc: split(&bloc.probs), members, counted_yes, member_table: None }
        };
        let mut states = [state(false), state(true)];
        // A state that never happens (no switch, or a certain one) gets no tables.
        let possible = [possible(bloc, false), possible(bloc, true)];
        if let Some(swing_sd) = swing_sd.filter(|_| path.member_tables) {
            for (s, _) in states.iter_mut().zip(possible).filter(|(_, p)| *p) {
                s.member_table = s.counted_yes.as_ref().and_then(|ys| MemberTable::new(ys, swing_sd)).map(Box::new);
            }
        }
        let table = |i: usize| {
            let kinds = path.unnamed.zip(swing_sd);
            kinds.and_then(|(kinds, sd)| unnamed_table(bloc, kinds[i], &states[i], sd))
        };
        let tables = [table(0), table(1)];
        let unnamed = match &tables[0] {
            Some(Unnamed::Fixed(n)) => Some(*n),
            None => (bloc.unnamed() == 0).then_some(0),
            Some(_) => None,
        };
        let certain = unnamed.filter(|_| path.one_table_draw(bloc) && states[0].member_table.is_some());
        DirectBloc {
            place,
            switch: bloc.switch,
            states,
            unnamed: u64::from(bloc.unnamed()),
            cohesion: bloc.cohesion,
            swing: swing_sd.is_some(),
            tables,
            certain,
        }
    }

    /// Whether a vote of this bloc computes the swing's lift on its usual path:
    /// the swing moves it and, in a state that can happen, it has unnamed members
    /// drawn from a binomial or Beta-binomial table or literally, or its
    /// named members literally (member tables and certain counts need only z).
    pub fn needs_lift(&self) -> bool {
        let uses_lift = |s: &State, table: &Option<Unnamed>| {
            let unnamed = self.unnamed > 0 && !matches!(table, Some(Unnamed::Fixed(_)));
            unnamed || (!s.members.is_empty() && s.member_table.is_none())
        };
        let possible = [self.switch < 1.0, self.switch > 0.0];
        self.swing && (0..2).any(|i| possible[i] && uses_lift(&self.states[i], &self.tables[i]))
    }

    /// The certain count and the member table of a bloc whose vote is one
    /// draw from that table ([`super::member_blocs`]), taken out of the bloc,
    /// which keeps drawing the same votes otherwise: its members literally
    /// where the table would decline; `None` (the bloc unchanged) for the others.
    pub fn take_member_table(&mut self) -> Option<(u32, MemberTable)> {
        let certain = self.certain.take()?;
        self.states[0].member_table.take().map(|table| (certain, *table))
    }

    /// Counted (yes, other) of this bloc in one vote, drawing from `rng`, at
    /// `swing` (ignored when the swing does not move the bloc).
    #[inline(never)]
    fn counts<R: Rng + ?Sized>(&self, rng: &mut R, swing: VoteSwing) -> (u32, u32) {
        let switched = self.switch > 0.0 && (self.switch >= 1.0 || uniform(rng) < self.switch);
        let state = &self.states[usize::from(switched)];
        // The lift costs an exp: taken only on the paths that use it.
        let e = || self.swing.then(|| swing.lift());
        let from_table = self.tables[usize::from(switched)].as_ref().and_then(|t| t.sample(rng, swing));
        let (mut yes, mut other) = match from_table {
            Some(yes) => (yes, 0),
            None if self.unnamed == 0 => (0, 0),
            None => self.unnamed_counts(rng, state.bloc.categories(e())),
        };
        if let Some(n) = state.member_table.as_ref().and_then(|t| t.sample(rng, swing)) {
            return (yes + n, other);
        }
        if let Some(ys) = &state.counted_yes {
            return (yes + counted_yes_votes(rng, ys, e().unwrap_or(Lift::NONE)), other);
        }
        let e = e();
        for m in &state.members {
            match categorical(rng, &m.categories(e)) {
                0 => yes += 1,
                1 => other += 1,
                _ => {}
            }
        }
        (yes, other)
    }

    /// The unnamed members' counts: a Dirichlet draw of the category probabilities
    /// under cohesion (aggregating outcomes into categories first, which leaves a
    /// Dirichlet with summed parameters), then multinomial counts by two binomials.
    fn unnamed_counts<R: Rng + ?Sized>(&self, rng: &mut R, means: [f64; 3]) -> (u32, u32) {
        if self.unnamed == 0 {
            return (0, 0);
        }
        let q = match self.cohesion {
            rho if rho >= 1.0 => {
                let mut all = [0.0; 3];
                all[categorical(rng, &means)] = 1.0;
                all
            }
            rho => concentration(rho).map_or(means, |c| dirichlet(rng, &means, c)),
        };
        let yes = binomial(rng, self.unnamed, q[0]);
        let rest = q[1] + q[2];
        let other = if rest > 0.0 { binomial(rng, self.unnamed - yes, (q[1] / rest).min(1.0)) } else { 0 };
        (yes as u32, other as u32)
    }
}

impl VoteUnit for DirectBloc {
    /// One word: the seed of the bloc's own substream, whatever it draws from it.
    type Share = Word;

    #[inline]
    fn sample<V: Visitor>(&self, Word(seed): Word, swing: VoteSwing, visitor: &mut V) -> (u32, u32) {
        let counts = self.counts(&mut SplitMix64::seed_from_u64(seed), swing);
        visitor.visit(self.place, counts);
        counts
    }
}

/// How many members vote a counted yes, member i with probability y_i swung by
/// e = e^{σz}: u < y e / (y e + 1 − y) is tested as u (1 + y (e − 1)) < y e, with
/// one 32-bit uniform per member (two per 64-bit draw) and no division. Where e
/// overflows or underflows (|σz| beyond about 709) the swung probability comes
/// from the log-odds ([`swing_odds`]) instead.
fn counted_yes_votes<R: Rng + ?Sized>(rng: &mut R, ys: &[f64], lift: Lift) -> u32 {
    let e = lift.factor();
    if e.is_normal() {
        count_yes(rng, ys, |u, y| u * (1.0 + y * (e - 1.0)) < y * e)
    } else {
        count_yes(rng, ys, |u, y| u < swing_odds(y, lift))
    }
}

/// How many of `ys` pass `yes(u, y)`, u uniform on [0, 1) from 32 bits.
#[inline]
fn count_yes<R: Rng + ?Sized>(rng: &mut R, ys: &[f64], yes: impl Fn(f64, f64) -> bool) -> u32 {
    const SCALE: f64 = 1.0 / 4_294_967_296.0;
    let test = |u: u32, y: f64| u32::from(yes(f64::from(u) * SCALE, y));
    let mut count = 0;
    let mut pairs = ys.chunks_exact(2);
    for pair in &mut pairs {
        let r = rng.next_u64();
        count += test(r as u32, pair[0]) + test((r >> 32) as u32, pair[1]);
    }
    if let [last] = pairs.remainder() {
        count += test(rng.next_u32(), *last);
    }
    count
}

/// The z-binned table of `kind` for a state's unnamed members (counted yes
/// votes only); `None` should the table refuse its inputs (the members are then
/// drawn literally).
fn unnamed_table(bloc: &Bloc, kind: path::Unnamed, state: &State, swing_sd: f64) -> Option<Unnamed> {
    let (k, y) = (bloc.unnamed(), if state.bloc.yes_category == 0 { state.bloc.yes } else { 0.0 });
    match kind {
        path::Unnamed::Never => Some(Unnamed::Fixed(0)),
        path::Unnamed::Fixed(n) => Some(Unnamed::Fixed(n)),
        path::Unnamed::LargeBinomial => LargeBinomial::new(k, y).map(Unnamed::LargeBinomial),
        path::Unnamed::Binomial => SwingTable::new(k, y, swing_sd).map(|t| Unnamed::Binomial(Box::new(t))),
        path::Unnamed::LargeBetaBinomial => LargeBetaBinomial::new(k, y, bloc.cohesion).map(Unnamed::LargeBetaBinomial),
        path::Unnamed::BetaBinomial => {
            CohesiveTable::new(k, y, bloc.cohesion, swing_sd).map(|t| Unnamed::Cohesive(Box::new(t)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_xoshiro::Xoshiro256PlusPlus;

    /// Cohesion 5e-309 (a concentration that overflows) and a subnormal mean under
    /// cohesion 0.9 (a Gamma shape that underflows) once panicked.
    #[test]
    fn extreme_cohesion_and_subnormal_means_draw_without_panicking() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let [a, b] = [5e-309, 0.9].map(|rho| DirectBloc {
            place: 0,
            switch: 0.0,
            states: [0, 1].map(|_| State {
                bloc: Split { yes: 0.5, yes_category: 0, rest: [0.0, 1.0, 0.0] },
                members: Vec::new(),
                counted_yes: None,
                member_table: None,
            }),
            unnamed: 40,
            cohesion: rho,
            swing: false,
            tables: [None, None],
            certain: None,
        });
        let draws: Vec<u32> = (0..20_000).map(|_| a.unnamed_counts(&mut rng, [0.5, 0.5, 0.0]).0).collect();
        let mean = draws.iter().map(|&d| f64::from(d)).sum::<f64>() / 2e4;
        assert!((mean - 20.0).abs() < 0.2, "binomial mean 20, got {mean}");
        for _ in 0..1000 {
            let (y, o) = b.unnamed_counts(&mut rng, [5e-324, 1.0 - 5e-324, 0.0]);
            assert_eq!((y, o), (0, 40));
        }
    }

    #[test]
    fn named_members_keep_their_odds_when_the_swing_factor_overflows() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(4);
        assert_eq!(counted_yes_votes(&mut rng, &[0.2, 0.0, 1e-290, 0.9], Lift::new(800.0)), 3);
        // ln 5e-324 ≈ −744.44: lifted by 744.44, the smallest subnormal is an even chance.
        let yes = counted_yes_votes(&mut rng, &[5e-324; 2000], Lift::new(744.44));
        assert!((yes as f64 - 1000.0).abs() < 4.0 * 22.4, "{yes} of 2000");
    }
}
