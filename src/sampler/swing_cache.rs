//! The swing group's tables, kept between the points of a sweep.
//!
//! A group is built from its parts (each bloc's bounds L_bj per bin,
//! [`super::swing_part`]) and, per bin, the bound ⊛_b L_bj on their total.
//! The total is a balanced tree of convolutions over the parts in group order:
//! a node is its left half ⊛ its right half (split at half the parts, rounded
//! down), trimmed of negligible ends. Every node is a pure function of the keys
//! of the parts below it ([`Part::key`]), so a node is kept under those keys and
//! a later point whose parts have the same keys gets the same bits: a point that
//! changes one bloc rebuilds that bloc's part and the ⌈log₂ n⌉ nodes above it,
//! and its votes are those of a standalone run, which builds the same tree.
//! A rebuilt part mixes its switch states' bounds, kept under keys without the
//! switch probability ([`StatePart::key`]), so a switch sweep reuses them.
//!
//! Only the latest point's parts, nodes and the states of the parts it rebuilt
//! are kept, so memory stays that of one group (a few times its parts' bounds).
//!
//! What is not kept is built in parallel: the states of all rebuilt parts at
//! once, then the parts, then the tree, both halves of each node at once. Each
//! entry is a pure function of its key, so the bits are the same on any number
//! of threads, and an entry two blocs share is built once.

use super::binned::ZGrid;
use super::swing_part::{Bound, Part, StatePart};
use crate::model::{self, State};
use crate::rules::Rule;
use crate::scenario::Bloc;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Bounds per bin: a part's L_bj, or a node's bound on the total of its parts.
type Bounds = Arc<[Bound]>;

/// Parts, their states and convolution-tree nodes of the swing groups, kept
/// between the points of a sweep: a point reuses those whose keys the previous
/// point had. A cache made by [`GroupCache::once`] keeps nothing, so that a
/// single run holds no tree node or state beyond the moment it is used.
#[derive(Debug, Default)]
pub struct GroupCache {
    kept: Mutex<Kept>,
    /// For a single run: no entry is kept for a later scenario.
    once: bool,
}

/// The entries of one group, by key.
#[derive(Debug, Default)]
struct Kept {
    parts: HashMap<String, Arc<Part>>,
    /// The states of the parts built for the group.
    states: HashMap<String, Arc<StatePart>>,
    /// Nodes by the keys of their parts, in order.
    nodes: HashMap<Vec<String>, Bounds>,
}

/// What a swing group is built from.
pub struct Tables {
    /// One part per bloc, in group order.
    pub parts: Vec<Arc<Part>>,
    /// Per bin, the bound ⊛_b L_bj on the group's total.
    pub total: Bounds,
}

/// What every entry of one group depends on besides its blocs.
struct Swing<'a> {
    rule: &'a Rule,
    sd: f64,
    step: f64,
    grid: &'a ZGrid,
}

impl GroupCache {
    /// The parts of each group's blocs and their total, from the cache where it
    /// has them, the others built in parallel (module doc); the cache then holds
    /// exactly the entries these need, and the entries it held before are freed
    /// in parallel too.
    pub fn tables(&self, groups: &[Vec<&Bloc>], rule: &Rule, sd: f64, step: f64, grid: &ZGrid) -> Vec<Tables> {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        let swing = Swing { rule, sd, step, grid };
        // Keys are formatted once each, in parallel (thousands of blocs took a
        // noticeable serial stretch, and each state's key was formatted twice).
        let keys: Vec<Vec<String>> =
            groups.par_iter().map(|g| g.iter().map(|&b| Part::key(b, rule, sd, step)).collect()).collect();
        let keyed = keys.iter().flatten().zip(groups.iter().flatten().copied());
        let rebuilt: Vec<(String, Rebuilt)> = keyed
            .filter(|(key, _)| !kept.parts.contains_key(*key))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(key, bloc)| (key.clone(), rebuilt(bloc, &swing)))
            .collect();
        let states = state_parts(&rebuilt, &swing, &kept.states);
        let mut parts = built(&rebuilt, &kept.parts, |(bloc, weighted)| {
            let weighted: Vec<_> = weighted.iter().map(|(w, _, key)| (*w, Arc::clone(&states[key]))).collect();
            Arc::new(Part::new(bloc, &weighted))
        });
        let reused = keys.iter().flatten().filter_map(|key| Some((key.clone(), Arc::clone(kept.parts.get(key)?))));
        parts.extend(reused);
        let nodes = Mutex::default();
        let record = (!self.once).then_some(&nodes);
        let group = |keys: &Vec<String>| {
            let leaves: Vec<Bounds> = keys.iter().map(|key| Arc::clone(&parts[key].bounds)).collect();
            let total = node(keys, &leaves, &kept.nodes, record);
            Tables { parts: keys.iter().map(|key| Arc::clone(&parts[key])).collect(), total }
        };
        let tables = keys.par_iter().with_max_len(1).map(group).collect();
        let now = Kept { parts, states, nodes: nodes.into_inner().unwrap_or_else(|e| e.into_inner()) };
        let unused = if self.once { now } else { std::mem::replace(&mut *kept, now) };
        unused.free();
        tables
    }

    /// A cache for one scenario only: it keeps no entry once its tables are built.
    pub fn once() -> GroupCache {
        GroupCache { kept: Mutex::default(), once: true }
    }

    /// Drops the entries held on the current pool's threads.
    pub fn free(self) {
        self.kept.into_inner().unwrap_or_else(|e| e.into_inner()).free();
    }

    /// The number of parts, states and nodes held.
    #[cfg(test)]
    pub fn len(&self) -> (usize, usize, usize) {
        let kept = self.kept.lock().unwrap();
        (kept.parts.len(), kept.states.len(), kept.nodes.len())
    }
}

impl Kept {
    /// Drops the entries on the current pool's threads (a part or node the
    /// group still uses is only released).
    fn free(self) {
        let Kept { parts, states, nodes } = self;
        rayon::join(
            || {
                rayon::join(
                    || super::free(parts.into_values().collect()),
                    || super::free(states.into_values().collect()),
                )
            },
            || super::free(nodes.into_values().collect()),
        );
    }
}

/// The value of each distinct key of `items`: `kept`'s where it has one, the
/// others built from their item by `build`, in parallel.
fn built<T: Sync, V: Clone + Send + Sync>(
    items: &[(String, T)],
    kept: &HashMap<String, V>,
    build: impl Fn(&T) -> V + Sync,
) -> HashMap<String, V> {
    let mut distinct: HashMap<&str, &T> = HashMap::new();
    for (key, item) in items {
        distinct.entry(key.as_str()).or_insert(item);
    }
    let distinct: Vec<(&str, &T)> = distinct.into_iter().collect();
    let value = |(key, item): (&str, &T)| (key.to_owned(), kept.get(key).cloned().unwrap_or_else(|| build(item)));
    distinct.into_par_iter().with_max_len(1).map(value).collect()
}

/// A part to build: its bloc and each of its switch states with the state's
/// probability and key.
type Rebuilt<'b> = (&'b Bloc, Vec<(f64, State, String)>);

/// The part of `bloc` to build, its states keyed.
fn rebuilt<'b>(bloc: &'b Bloc, swing: &Swing) -> Rebuilt<'b> {
    let Swing { rule, sd, step, .. } = *swing;
    let keyed = |(w, state)| (w, state, StatePart::key(bloc, state, rule, sd, step));
    (bloc, model::states(bloc).into_iter().map(keyed).collect())
}

/// The switch states' bounds of the parts `rebuilt` (keyed).
fn state_parts(
    rebuilt: &[(String, Rebuilt)],
    swing: &Swing,
    kept: &HashMap<String, Arc<StatePart>>,
) -> HashMap<String, Arc<StatePart>> {
    let Swing { rule, sd, grid, .. } = *swing;
    let states: Vec<(String, (&Bloc, State))> = rebuilt
        .iter()
        .flat_map(|(_, (bloc, states))| states.iter().map(move |(_, state, key)| (key.clone(), (*bloc, *state))))
        .collect();
    built(&states, kept, |&(bloc, state)| Arc::new(StatePart::new(bloc, state, rule, sd, grid)))
}

/// The node over `leaves` (keyed by `keys`): from `kept` where it holds it,
/// else built from its halves (the two built at once); it and every node below
/// it are recorded in `now`, if given.
fn node(
    keys: &[String],
    leaves: &[Bounds],
    kept: &HashMap<Vec<String>, Bounds>,
    now: Option<&Mutex<HashMap<Vec<String>, Bounds>>>,
) -> Bounds {
    if leaves.len() == 1 {
        return Arc::clone(&leaves[0]);
    }
    let mid = leaves.len() / 2;
    let (left, right) =
        rayon::join(|| node(&keys[..mid], &leaves[..mid], kept, now), || node(&keys[mid..], &leaves[mid..], kept, now));
    let had = kept.get(keys).cloned().or_else(|| now.and_then(|now| lock(now).get(keys).cloned()));
    let value = had.unwrap_or_else(|| convolve(&left, &right));
    if let Some(now) = now {
        lock(now).insert(keys.to_vec(), Arc::clone(&value));
    }
    value
}

/// The map behind `mutex`, also after a panic elsewhere (its entries are whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Bin by bin, the bound on the sum of the two halves' totals.
fn convolve(left: &[Bound], right: &[Bound]) -> Bounds {
    left.par_iter().zip(right).map(|(a, b)| a.convolve(b)).collect::<Vec<_>>().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::swing_group::tests::features;

    const STEP: f64 = 0.05;

    fn tables(cache: &GroupCache, blocs: &[Bloc], rule: &Rule, sd: f64) -> Tables {
        let grid = ZGrid::new(sd, STEP, 4800);
        cache.tables(&[blocs.iter().collect()], rule, sd, STEP, &grid).remove(0)
    }

    /// A second group reuses the cached parts of every bloc whose law did not
    /// change and the nodes above only such blocs, rebuilds the rest, and gets
    /// the bits a fresh build gets; the cache keeps only the latest entries.
    #[test]
    fn a_cached_group_rebuilds_only_what_a_changed_bloc_touches() {
        let s = features();
        let cache = GroupCache::default();
        let first = tables(&cache, &s.blocs, &s.rule, s.swing_sd);
        let mut changed = s.blocs.clone();
        changed[1].cohesion = 0.5;
        changed[2].name = "renamed".into();
        let second = tables(&cache, &changed, &s.rule, s.swing_sd);
        let shared: Vec<bool> = first.parts.iter().zip(&second.parts).map(|(a, b)| Arc::ptr_eq(a, b)).collect();
        assert_eq!(shared, [true, false, true, true]);
        // States: the two of the rebuilt part (it switches), none of the parts
        // reused. Nodes: [0, 1] (changed), [2, 3] (kept) and the root (changed).
        assert_eq!(cache.len(), (4, 2, 3));
        assert!(!Arc::ptr_eq(&first.total, &second.total));
        let fresh = tables(&GroupCache::default(), &changed, &s.rule, s.swing_sd);
        assert_eq!(fresh.total, second.total);
        assert!(fresh.parts.iter().zip(&second.parts).all(|(a, b)| a.bounds == b.bounds));
        assert_ne!(first.total, second.total, "the change moves the total's bounds");
    }

    /// Built in parallel (states, parts and both halves of every node at once),
    /// the tables and the cache's entries are those built on one thread, also
    /// when two blocs share a key (their part is built once and used twice).
    #[test]
    fn tables_built_on_three_threads_are_those_built_on_one() {
        let s = features();
        let blocs: Vec<Bloc> = s.blocs.iter().chain(&s.blocs[..2]).cloned().collect();
        let build = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            let cache = GroupCache::default();
            let built = pool.install(|| tables(&cache, &blocs, &s.rule, s.swing_sd));
            (built, cache.len())
        };
        let ((one, held_one), (three, held_three)) = (build(1), build(3));
        assert_eq!(one.total, three.total);
        let same =
            |(a, b): (&Arc<Part>, &Arc<Part>)| a.bounds == b.bounds && a.masses == b.masses && a.fixed == b.fixed;
        assert!(one.parts.iter().zip(&three.parts).all(same));
        assert_eq!(held_one, held_three);
        assert!(Arc::ptr_eq(&three.parts[0], &three.parts[4]), "a repeated bloc's part is built once");
    }

    /// A cache for one run builds the same tables and keeps no entry after.
    #[test]
    fn a_cache_for_one_run_keeps_nothing() {
        let s = features();
        let once = GroupCache::once();
        let built = tables(&once, &s.blocs, &s.rule, s.swing_sd);
        assert_eq!(once.len(), (0, 0, 0));
        let kept = GroupCache::default();
        assert_eq!(built.total, tables(&kept, &s.blocs, &s.rule, s.swing_sd).total);
        assert_ne!(kept.len(), (0, 0, 0));
    }

    /// Changing any one bloc of a longer group, its switch probability (its
    /// states' bounds are reused) or its cohesion (they are not), gives the
    /// bits of a fresh build: no entry outlives a change below it.
    #[test]
    fn no_stale_entry_survives_a_change_of_any_bloc() {
        let s = features();
        let mut blocs: Vec<Bloc> = s.blocs.iter().chain(&s.blocs).cloned().collect();
        let cache = GroupCache::default();
        tables(&cache, &blocs, &s.rule, s.swing_sd);
        for i in 0..2 * blocs.len() {
            let bloc = &mut blocs[i % 8];
            match i < 8 {
                true => bloc.switch = if bloc.switch == 0.2 { 0.6 } else { 0.2 },
                false => bloc.cohesion = if bloc.cohesion == 0.5 { 0.6 } else { 0.5 },
            }
            let cached = tables(&cache, &blocs, &s.rule, s.swing_sd);
            let fresh = tables(&GroupCache::default(), &blocs, &s.rule, s.swing_sd);
            assert_eq!(cached.total, fresh.total, "after change {i}");
            assert!(cached.parts.iter().zip(&fresh.parts).all(|(a, b)| a.bounds == b.bounds), "after change {i}");
        }
        let other_swing = tables(&cache, &blocs, &s.rule, 0.5);
        assert_eq!(other_swing.total, tables(&GroupCache::default(), &blocs, &s.rule, 0.5).total);
    }
}
