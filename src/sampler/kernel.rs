//! One simulated vote: the per-vote loop over blocs, with per-bloc state prepared once.
//!
//! Each bloc is simulated in one of three ways, all exact in law:
//! - **table** (fast path): a bloc the swing does not move has a fixed law of
//!   (counted yes, other) counts, which the exact engine computes once, switch
//!   mixture and Dirichlet-multinomial included; such blocs are packed into
//!   composite tables of their joint outcomes ([`super::composite`]), each drawn
//!   with one 32-bit uniform (two tables share a 64-bit draw) and a guide-table
//!   inversion ([`super::inverse`]);
//! - **groups** (fast path): blocs the swing moves, with few named members, under a
//!   rule that needs only counted yes votes, are drawn together, up to 500 seats
//!   and 64 blocs a group ([`super::swing_group`], [`super::path::GROUP_SEATS`]):
//!   two words of the batch stream per group and vote;
//! - **member blocs** (fast path): a bloc the swing moves whose vote is one draw
//!   from its named members' z-binned table (no switch, a certain unnamed count,
//!   counted yes votes only) is drawn by that draw alone ([`super::member_blocs`]);
//! - **direct** ([`super::direct`]): the model simulated as written (with z-binned
//!   tables where they apply), for the other blocs the swing moves and for every
//!   bloc when the fast paths are turned off.
//!
//! Which way each bloc goes depends on the scenario alone, never on the length
//! of the run or on what is recorded, so the votes of batch b depend only on
//! (scenario, seed, b) (docs/reference.md §9). The units take their words of
//! the batch stream in that order: tables, groups, member blocs, other direct
//! blocs. (Until 26 November 2026 member blocs were direct blocs and took their
//! words in scenario order among them: the votes of a scenario where another
//! directly drawn bloc comes before a member bloc changed then; no pinned one.
//! Until later that day a scenario had one group at most, and the blocs that
//! did not fit were drawn directly: the votes of such scenarios changed then,
//! those of every scenario whose group blocs fit in one group did not.)
//!
//! Every way is a [`VoteUnit`] ([`super::unit`]) with its own share of the batch
//! stream, so the vote is one loop per kind of unit through that one interface.
//!
//! Per-bloc counts stay available inside the vote (see [`Kernel::sample_blocs`])
//! for analyses that need them, without changing the vote: grouped blocs then
//! split the group's total by a draw from a substream of their own; the plain
//! run passes a no-op and pays nothing.

use super::composite::{Composite, pack};
use super::direct::DirectBloc;
use super::grouped::Grouped;
use super::member_blocs::{self, MemberBloc};
use super::path::{self, Direct, Path, Paths};
use super::swing_cache::GroupCache as TableCache;
use super::swing_group::SwingGroup;
use super::unit::{Each, Paired, Unseen, Visitor, VoteSwing, add_votes};
use crate::model::{self, bloc_joint};
use crate::rules::PassTest;
use crate::scenario::{Bloc, Scenario};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use rayon::prelude::*;

/// Everything needed to simulate votes of one scenario.
#[derive(Debug, Clone)]
pub struct Kernel {
    test: PassTest,
    swing_sd: f64,
    /// Blocs with a fixed law, packed into tables sampled two per 64-bit draw.
    tables: Vec<Composite>,
    /// Swing-moved blocs drawn together, a group at a time.
    groups: Vec<Grouped>,
    /// Blocs drawn as one member-table draw each.
    members: Vec<MemberBloc>,
    /// Blocs simulated one by one.
    direct: Vec<DirectBloc>,
    /// Whether some directly drawn bloc uses the swing's lift on its usual path.
    direct_lift: bool,
    seats: usize,
}

impl Kernel {
    /// Prepares `scenario` for sampling along `paths`, each bloc by the path
    /// [`path::plan`] gives it. Tables are built in parallel on the current
    /// rayon pool (the run's own, inside [`super::run`]).
    pub fn new(scenario: &Scenario, paths: Paths) -> Kernel {
        Kernel::reusing(scenario, paths, &TableCache::once())
    }

    /// Like [`Kernel::new`], reusing the swing group's per-bloc tables that
    /// `cache` holds from an earlier scenario (the previous point of a sweep):
    /// the same tables, so the same votes, as [`Kernel::new`] would give.
    pub fn reusing(scenario: &Scenario, paths: Paths, cache: &TableCache) -> Kernel {
        let test = scenario.rule.test(scenario.chamber.seats);
        let with_other = test.needs_other();
        let direct = |(i, b): (usize, &Bloc), how: Direct| {
            let swing_sd = model::moves(scenario, b).then_some(scenario.swing_sd);
            DirectBloc::new((i, b), &scenario.rule, with_other, swing_sd, how)
        };
        let plan = path::plan(scenario, paths);
        let count = plan.iter().map(|p| if let Path::Group(g) = p { g + 1 } else { 0 }).max().unwrap_or(0);
        let mut grouped: Vec<Vec<&Bloc>> = vec![Vec::new(); count];
        for (b, path) in scenario.blocs.iter().zip(&plan) {
            if let Path::Group(g) = *path {
                grouped[g].push(b);
            }
        }
        // Each bloc's tables (and the swing group's) are built on their own, in
        // parallel, and kept in scenario order: the same on any number of threads.
        let (built, tables) = rayon::join(
            || {
                // One bloc at a time, so that a thread that finishes early can take any.
                let blocs = scenario.blocs.par_iter().zip(&plan).enumerate().with_max_len(1);
                blocs
                    .map(|(i, (b, path))| match *path {
                        Path::Empty => Built::Nothing,
                        Path::Composite => Built::Law(i, bloc_joint(b, &scenario.rule, with_other, None)),
                        // A grouped bloc is simulated directly only when |z| ≥ 6 or for a
                        // visitor: the literal path, which needs no tables.
                        Path::Group(g) => Built::Grouped(g, direct((i, b), Direct::LITERAL)),
                        Path::Direct(how) => Built::Direct(direct((i, b), how)),
                    })
                    .collect::<Vec<_>>()
            },
            || SwingGroup::all(&grouped, &scenario.rule, scenario.swing_sd, cache),
        );
        // Sized once: with thousands of blocs, growing these lists copied them
        // over and over, on one thread, into memory touched for the first time.
        let (mut laws, mut direct_blocs) = (Vec::new(), Vec::with_capacity(built.len()));
        let mut literal: Vec<Vec<DirectBloc>> = (0..count).map(|_| Vec::new()).collect();
        for b in built {
            match b {
                Built::Nothing => {}
                Built::Law(i, law) => laws.push((i, law)),
                Built::Grouped(g, bloc) => literal[g].push(bloc),
                Built::Direct(bloc) => direct_blocs.push(bloc),
            }
        }
        let groups = match tables {
            Some(tables) => tables.into_iter().zip(literal).map(|(t, blocs)| Grouped::new(t, blocs)).collect(),
            None => {
                // No group to draw (or, should the paths and the groups ever
                // disagree, their blocs drawn literally rather than lost).
                direct_blocs.extend(literal.into_iter().flatten());
                Vec::new()
            }
        };
        let (members, direct) = member_blocs::separate(direct_blocs);
        let swing_sd = if scenario.has_swing() { scenario.swing_sd } else { 0.0 };
        let seats = scenario.chamber.seats as usize;
        let direct_lift = direct.iter().any(DirectBloc::needs_lift);
        Kernel { test, swing_sd, tables: pack(laws), groups, members, direct, direct_lift, seats }
    }

    /// Drops the kernel's tables on the current pool's threads, all taking part.
    pub fn free(self) {
        let Kernel { tables, groups, members, direct, .. } = self;
        rayon::join(
            || rayon::join(|| super::free(tables), || groups.into_par_iter().for_each(Grouped::free)),
            || rayon::join(|| super::free(members), || super::free(direct)),
        );
    }

    /// The rule's test.
    pub fn test(&self) -> PassTest {
        self.test
    }

    /// The number of seats, so histograms have `seats + 1` bins.
    pub fn seats(&self) -> usize {
        self.seats
    }

    /// Which kinds of unit the kernel has ([`Parts`]): the batch loop is
    /// compiled for the common combinations apart ([`Kernel::sample_as`]).
    pub fn parts(&self) -> u8 {
        let flag = |has: bool, part: u8| if has { part } else { 0 };
        flag(!self.tables.is_empty(), Parts::TABLES)
            | flag(!self.groups.is_empty(), Parts::GROUP)
            | flag(!self.members.is_empty(), Parts::MEMBERS)
            | flag(!self.direct.is_empty(), Parts::DIRECT)
    }

    /// Counted (yes, other) in one simulated vote. Always inlined into the
    /// batch loop: when it was not (after the swing group's code grew), a call per
    /// vote cost about 14 instructions of 157 on `bench/independent-blocs`.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> (u32, u32) {
        self.vote::<_, _, { Parts::ALL }>(rng, &mut Unseen)
    }

    /// [`Kernel::sample`] compiled for a kernel whose units are among `PARTS`
    /// (a mask of [`Parts`]; the others are not looked at): the same vote.
    #[inline(always)]
    pub fn sample_as<const PARTS: u8, R: Rng + ?Sized>(&self, rng: &mut R) -> (u32, u32) {
        debug_assert_eq!(self.parts() & !PARTS, 0, "a part the loop was not compiled for");
        self.vote::<_, _, PARTS>(rng, &mut Unseen)
    }

    /// One simulated vote, calling `each(bloc index, (yes, other))` for every bloc
    /// with seats; returns the chamber's totals.
    #[inline]
    pub fn sample_blocs<R: Rng + ?Sized>(&self, rng: &mut R, each: impl FnMut(usize, (u32, u32))) -> (u32, u32) {
        self.vote::<_, _, { Parts::ALL }>(rng, &mut Each(each))
    }

    #[inline(always)]
    fn vote<R: Rng + ?Sized, V: Visitor, const PARTS: u8>(&self, rng: &mut R, visitor: &mut V) -> (u32, u32) {
        let z: f64 = if self.swing_sd > 0.0 { StandardNormal.sample(rng) } else { 0.0 };
        // The lift (an exp) is computed once for the directly drawn blocs that use
        // it; blocs whose tables need only z never pay for it.
        let swing = VoteSwing::new(z, self.swing_sd);
        let swing = if self.direct_lift { swing.with_factor() } else { swing };
        let mut counts = (0, 0);
        if PARTS & Parts::TABLES != 0 {
            add_votes(&mut counts, self.tables.chunks(2).map(Paired), rng, swing, visitor);
        }
        if PARTS & Parts::GROUP != 0 {
            add_votes(&mut counts, &self.groups, rng, swing, visitor);
        }
        if PARTS & Parts::MEMBERS != 0 {
            add_votes(&mut counts, &self.members, rng, swing, visitor);
        }
        if PARTS & Parts::DIRECT != 0 {
            add_votes(&mut counts, &self.direct, rng, swing, visitor);
        }
        counts
    }
}

/// The kinds of unit a kernel has, as bits of a mask (a const parameter of the
/// batch loop). With every kind in one loop, adding a kind moved the cost of
/// votes that never use it by 2–8% (register allocation over the whole loop,
/// measured under cachegrind), so the common combinations get loops of their own.
pub struct Parts;

impl Parts {
    /// Composite tables.
    pub const TABLES: u8 = 1;
    /// Swing groups.
    pub const GROUP: u8 = 2;
    /// Blocs drawn as one member-table draw.
    pub const MEMBERS: u8 = 4;
    /// Other directly drawn blocs.
    pub const DIRECT: u8 = 8;
    /// Every kind.
    pub const ALL: u8 = 15;
}

/// One bloc's part of a kernel, built on its own.
enum Built {
    Nothing,
    Law(usize, model::Joint),
    Grouped(usize, DirectBloc),
    Direct(DirectBloc),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::path::{GROUP_BLOCS, GROUP_SEATS};
    use crate::sampler::rng::batch_rng;
    use crate::scenario::load;

    /// Per-bloc counts decoded from composite tables add up to the vote's totals,
    /// and each bloc's mean matches its exact mean.
    #[test]
    fn per_bloc_counts_add_up_and_have_the_exact_means() {
        let s = load(Some("bench/independent-blocs")).unwrap();
        let kernel = Kernel::new(&s, Paths::Fast);
        let mut rng = batch_rng(3, 0);
        let mut sums = vec![0u64; s.blocs.len()];
        let n = 100_000;
        for _ in 0..n {
            let mut seen = 0;
            let (yes, _) = kernel.sample_blocs(&mut rng, |b, (y, _)| {
                sums[b] += u64::from(y);
                seen += y;
            });
            assert_eq!(seen, yes);
        }
        for (b, bloc) in s.blocs.iter().enumerate() {
            let law = bloc_joint(bloc, &s.rule, false, None).yes_marginal();
            let mean: f64 = law.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
            let sd = law.iter().enumerate().map(|(k, p)| (k as f64 - mean).powi(2) * p).sum::<f64>().sqrt();
            let got = sums[b] as f64 / n as f64;
            assert!((got - mean).abs() <= 5.0 * sd / (n as f64).sqrt() + 1e-9, "{}: {got} vs {mean}", bloc.name);
        }
    }

    /// Each batch loop compiled for fewer kinds of unit draws, from the same
    /// stream, the votes of the loop for every kind.
    #[test]
    fn loops_for_fewer_kinds_of_unit_draw_the_same_votes() {
        fn same<const PARTS: u8>(s: &Scenario) {
            let kernel = Kernel::new(s, Paths::Fast);
            assert_eq!(kernel.parts() & !PARTS, 0, "{}: parts {}", s.name, kernel.parts());
            let (mut a, mut b) = (batch_rng(5, 1), batch_rng(5, 1));
            for _ in 0..20_000 {
                assert_eq!(kernel.sample_as::<PARTS, _>(&mut a), kernel.sample(&mut b), "{}", s.name);
            }
        }
        let fixed_and_moved = "[chamber]\nseats = 100\n[swing]\nsd = 0.3\n\
            [[bloc]]\nname = \"Fixed\"\nseats = 40\nwhip = \"yes\"\ndefect = 0.1\nswing = false\n\
            [[bloc]]\nname = \"Moved\"\nseats = 60\nwhip = \"no\"\ndefect = 0.2\ncohesion = 0.1\n";
        same::<{ Parts::TABLES }>(&load(Some("bench/independent-blocs")).unwrap());
        same::<{ Parts::GROUP }>(&load(Some("pakistan-2022-03-30")).unwrap());
        same::<{ Parts::TABLES | Parts::GROUP }>(&crate::scenario::parse(fixed_and_moved, "t.toml", "t").unwrap());
        same::<{ Parts::MEMBERS }>(&load(Some("bench/members")).unwrap());
    }

    /// A chamber too large for one swing group (10,000 one-seat blocs
    /// once needed 3.7 GB of group tables) groups blocs in scenario order, each
    /// in the first group with room for it, and draws directly only a bloc too
    /// large for any group.
    #[test]
    fn swing_groups_stay_within_their_budget() {
        let one_seat =
            (0..150).map(|i| format!("[[bloc]]\nname = \"B{i}\"\nseats = 1\nwhip = \"yes\"\ndefect = 0.2\n"));
        let big = |seats| {
            format!("[[bloc]]\nname = \"Big {seats}\"\nseats = {seats}\nwhip = \"no\"\ndefect = 0.1\ncohesion = 0.3\n")
        };
        let blocs: String = [big(400), big(GROUP_SEATS + 1)].into_iter().chain(one_seat).collect();
        let text = format!("[chamber]\nseats = {}\n[swing]\nsd = 0.3\n{blocs}", 550 + GROUP_SEATS + 1);
        let s = crate::scenario::parse(&text, "many.toml", "many").unwrap();
        let kernel = Kernel::new(&s, Paths::Fast);
        let seats = |g: &Grouped| g.blocs().iter().map(|d| s.blocs[d.place].seats).collect::<Vec<u32>>();
        let groups: Vec<Vec<u32>> = kernel.groups.iter().map(seats).collect();
        assert_eq!(
            groups.iter().map(Vec::len).collect::<Vec<_>>(),
            [GROUP_BLOCS, GROUP_BLOCS, 150 + 1 - 2 * GROUP_BLOCS]
        );
        assert_eq!(
            groups[0].iter().sum::<u32>(),
            400 + 63,
            "the first big bloc, then one-seat blocs up to the bloc limit"
        );
        assert_eq!(kernel.direct.iter().map(|d| s.blocs[d.place].seats).collect::<Vec<_>>(), [GROUP_SEATS + 1]);
    }

    /// The test scenario of tests/shards.rs and tests/value_stability.rs takes
    /// every way: composite tables, the swing group, and blocs drawn directly.
    #[test]
    fn the_every_path_scenario_takes_every_path() {
        let s = load(Some("tests/scenarios/every-path.toml")).unwrap();
        let kernel = Kernel::new(&s, Paths::Fast);
        let names = |blocs: &[DirectBloc]| blocs.iter().map(|d| s.blocs[d.place].name.clone()).collect();
        assert_eq!(kernel.tables.len(), 1, "the two fixed blocs share one composite table");
        let grouped: Vec<String> = names(kernel.groups[0].blocs());
        assert_eq!(grouped, ["Small", "Switching"]);
        let direct: Vec<String> = names(&kernel.direct);
        assert_eq!(direct, ["Named, binomial", "Named, cohesive", "Named, all or none"]);
    }

    /// Blocs of named members only, drawn from member tables, need z but not its
    /// exp; unnamed members under the swing, or no member tables, need both.
    #[test]
    fn the_lift_is_computed_per_vote_only_when_a_direct_bloc_uses_it() {
        let members = load(Some("bench/members")).unwrap();
        assert!(!Kernel::new(&members, Paths::Fast).direct_lift);
        assert!(Kernel::new(&members, Paths::Direct).direct_lift);
        assert!(Kernel::new(&load(Some("tests/scenarios/every-path.toml")).unwrap(), Paths::Fast).direct_lift);
    }
}
