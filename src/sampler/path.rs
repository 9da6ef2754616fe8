//! Which way the sampler draws each bloc: the one place that decides it, from
//! the scenario alone (never from the length of the run or what is recorded), so
//! that a batch's votes depend only on (scenario, seed, batch index).
//!
//! - a bloc the swing does not move has a fixed law and joins a **composite**
//!   table (`sampler::composite`);
//! - a moved bloc with fewer than [`MEMBERS_FOR_TABLE`] named members, under a
//!   rule decided by counted yes votes alone, joins a **swing group**
//!   (`sampler::swing_group`): the first in which it keeps the group within
//!   [`GROUP_SEATS`] and [`GROUP_BLOCS`], or a new one, up to [`GROUPS`] groups;
//! - any other bloc is drawn **directly** (`sampler::direct`): its unnamed
//!   members from z-binned binomial or Beta-binomial tables where only counted
//!   yes votes matter (or, for a large bloc whose tables would not fit in cache,
//!   from the exact law at each vote's swing: `sampler::large`), its named members from Poisson-binomial tables when there
//!   are enough of them, and literally otherwise;
//! - with [`Paths::Direct`] every bloc is drawn literally.
//!
//! [`plan`] lists each bloc's [`Path`]; `whipcount check --paths` prints it.

use super::large::is_large;
use crate::model::{self, State};
use crate::scenario::{Bloc, Scenario};
use std::fmt;

/// The most seats of a bloc whose fixed joint law of (yes, other) goes into a
/// composite table: that law has (k + 1)² cells to build (about 80 MB at 2,000
/// seats), so a larger bloc under a rule that counts the other votes is drawn
/// literally instead (a Dirichlet and two binomials per vote: exact, no tables).
/// Under a rule of yes votes alone its law has k + 1 cells and stays composite.
pub const COMPOSITE_SEATS: u32 = 2000;

/// Named members from which a directly drawn bloc uses Poisson-binomial tables
/// rather than one draw per member (and from which a moved bloc leaves the swing group).
pub const MEMBERS_FOR_TABLE: usize = 8;

/// Which simulation paths the kernel may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paths {
    /// Inverse-CDF tables wherever a bloc's law is fixed (the default).
    #[default]
    Fast,
    /// The literal simulation everywhere.
    Direct,
}

/// How one bloc is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// No seats: nothing to draw.
    Empty,
    /// A fixed law, in a composite table.
    Composite,
    /// With the other swing-moved blocs of swing group n (from 0).
    Group(usize),
    /// On its own, member by member or from its own tables.
    Direct(Direct),
}

/// How a directly drawn bloc draws its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Direct {
    /// The unnamed members' table in the unswitched and the switched state, or
    /// `None` for the literal draw (a Dirichlet and two binomials).
    pub unnamed: Option<[Unnamed; 2]>,
    /// Whether the named members come from Poisson-binomial tables.
    pub member_tables: bool,
}

/// The table of a directly drawn bloc's unnamed members in one switch state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unnamed {
    /// The switch state never happens.
    Never,
    /// The count is certain.
    Fixed(u32),
    /// Binomial swing tables (no cohesion).
    Binomial,
    /// Beta-binomial swing tables (cohesion).
    BetaBinomial,
    /// A large bloc: binomial counts drawn at each vote's own swing, no tables.
    LargeBinomial,
    /// A large cohesive bloc: Beta-binomial counts drawn at each vote's own swing.
    LargeBetaBinomial,
}

impl Direct {
    /// Literally: no tables.
    pub const LITERAL: Direct = Direct { unnamed: None, member_tables: false };

    /// Whether a vote of `bloc`, drawn this way, is one draw from its named
    /// members' tables: a certain unnamed count (none, or fixed) and no switch
    /// (`sampler::member_blocs`).
    pub fn one_table_draw(&self, bloc: &Bloc) -> bool {
        let certain = match self.unnamed {
            None => bloc.unnamed() == 0,
            Some([plain, _]) => matches!(plain, Unnamed::Fixed(_)),
        };
        self.member_tables && certain && bloc.switch == 0.0
    }
}

/// The path of every bloc of `scenario`, in scenario order: blocs that may join
/// a swing group do so in scenario order, each the first group with room for it
/// ([`GROUP_SEATS`], [`GROUP_BLOCS`]) or a new one while there are fewer than
/// [`GROUPS`]; the rest are drawn directly. The first group is the one swing
/// group of a scenario that fits in one, so its votes do not change with the others.
pub fn plan(scenario: &Scenario, paths: Paths) -> Vec<Path> {
    let mut groups = Groups::default();
    let path = |b: &Bloc| match choose(scenario, b, paths) {
        Path::Group(_) => groups.admit(b).map_or_else(|| Path::Direct(direct(scenario, b)), Path::Group),
        path => path,
    };
    scenario.blocs.iter().map(path).collect()
}

/// The path of `bloc` in `scenario` if the swing group had room for it.
fn choose(scenario: &Scenario, bloc: &Bloc, paths: Paths) -> Path {
    let yes_only = !scenario.rule.test(scenario.chamber.seats).needs_other();
    match () {
        _ if bloc.seats == 0 => Path::Empty,
        _ if paths == Paths::Direct => Path::Direct(Direct::LITERAL),
        _ if !model::moves(scenario, bloc) => match yes_only || bloc.seats <= COMPOSITE_SEATS {
            true => Path::Composite,
            false => Path::Direct(Direct::LITERAL),
        },
        _ if yes_only && bloc.members.len() < MEMBERS_FOR_TABLE => Path::Group(0),
        _ => Path::Direct(direct(scenario, bloc)),
    }
}

/// The tables of a moved bloc drawn directly.
fn direct(scenario: &Scenario, bloc: &Bloc) -> Direct {
    let yes_only = !scenario.rule.test(scenario.chamber.seats).needs_other();
    let tables = yes_only && bloc.unnamed() >= 2 && bloc.cohesion < 1.0;
    let unnamed = tables.then(|| [false, true].map(|switched| unnamed(scenario, bloc, switched)));
    Direct { unnamed, member_tables: yes_only && bloc.members.len() >= MEMBERS_FOR_TABLE }
}

/// The most seats a swing group draws together: its tables cost about
/// bins × seats²/2 to build (each bin convolves the blocs' bounds), so a
/// scenario with more seats in such blocs gets several groups (for example
/// 10,000 one-seat blocs, 200 blocs of 10 seats), and a larger bloc is drawn
/// directly from its own z-binned tables. Every shipped chamber fits in one.
pub const GROUP_SEATS: u32 = 500;
/// The most blocs in a swing group: each adds to the chance of its slow branch
/// (about 2.5e-4 per one-seat bloc), and to its tables' memory.
pub const GROUP_BLOCS: usize = 64;
/// The most swing groups: each is one table draw a vote (and a slow branch in a
/// few per cent of votes) where its blocs drawn directly would be one each, and
/// holds up to about 10 MB of tables, so 64 groups (32,000 seats, 4,096 blocs)
/// keep a chamber's tables under a gigabyte (755 MB at the peak for the 4,000
/// blocs of 8 seats of `benches/chambers/table-blocs-4000.toml`); later blocs
/// are drawn directly.
pub const GROUPS: usize = 64;

/// Admits blocs to swing groups, in scenario order: (seats, blocs) per group.
#[derive(Default)]
struct Groups(Vec<(u32, usize)>);

impl Groups {
    /// The group `b` joins: the first with room for it, or a new one.
    fn admit(&mut self, b: &Bloc) -> Option<usize> {
        let fits = |&(seats, blocs): &(u32, usize)| blocs < GROUP_BLOCS && seats + b.seats <= GROUP_SEATS;
        let open = self.0.len() < GROUPS && b.seats <= GROUP_SEATS;
        let g = self.0.iter().position(fits).or_else(|| open.then_some(self.0.len()))?;
        if g == self.0.len() {
            self.0.push((0, 0));
        }
        self.0[g].0 += b.seats;
        self.0[g].1 += 1;
        Some(g)
    }
}

/// The unnamed members' table of `bloc` in one switch state.
fn unnamed(scenario: &Scenario, bloc: &Bloc, switched: bool) -> Unnamed {
    let y = State::of(bloc, switched).categories(&bloc.probs, &scenario.rule, false, None)[0];
    match model::concentration(bloc.cohesion) {
        _ if !model::possible(bloc, switched) => Unnamed::Never,
        _ if y <= 0.0 => Unnamed::Fixed(0),
        _ if y >= 1.0 => Unnamed::Fixed(bloc.unnamed()),
        None if is_large(bloc.unnamed(), y, 0.0) => Unnamed::LargeBinomial,
        None => Unnamed::Binomial,
        Some(_) if is_large(bloc.unnamed(), y, bloc.cohesion) => Unnamed::LargeBetaBinomial,
        Some(_) => Unnamed::BetaBinomial,
    }
}

/// A bloc's path as `check --paths` shows it: the path, and what the bloc
/// settles itself (no unnamed members; a vote that is one member-table draw,
/// [`super::member_blocs`]).
struct Shown<'a>(&'a Bloc, Path);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let Shown(bloc, path) = *self;
        let Path::Direct(d) = path else { return write!(f, "{path}") };
        if bloc.unnamed() == 0 && d.unnamed.is_none() {
            write!(f, "direct, no unnamed members, named members {}", named(&d))?;
        } else {
            write!(f, "{path}")?;
        }
        if d.one_table_draw(bloc) {
            write!(f, "; a vote is one draw from those tables")?;
        }
        Ok(())
    }
}

/// How a directly drawn bloc's named members are drawn.
fn named(d: &Direct) -> &'static str {
    if d.member_tables { "from Poisson-binomial tables" } else { "one by one" }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Path::Empty => write!(f, "no seats, nothing to draw"),
            Path::Composite => write!(f, "composite table (a fixed law)"),
            Path::Group(0) => write!(f, "swing group (drawn with the other swing-moved blocs)"),
            Path::Group(g) => write!(f, "swing group {} (drawn with the other blocs of that group)", g + 1),
            Path::Direct(d) => {
                write!(f, "direct")?;
                match d.unnamed {
                    None => write!(f, ", unnamed members literally")?,
                    Some([a, b]) if a == b => write!(f, ", unnamed members {a}")?,
                    Some([a, Unnamed::Never]) | Some([Unnamed::Never, a]) => write!(f, ", unnamed members {a}")?,
                    Some([a, b]) => write!(f, ", unnamed members {a} (switched: {b})")?,
                }
                write!(f, ", named members {}", named(d))
            }
        }
    }
}

impl fmt::Display for Unnamed {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Unnamed::Never => write!(f, "never drawn"),
            Unnamed::Fixed(n) => write!(f, "fixed at {n}"),
            Unnamed::Binomial => write!(f, "from binomial swing tables"),
            Unnamed::BetaBinomial => write!(f, "from Beta-binomial swing tables"),
            Unnamed::LargeBinomial => write!(f, "binomial, drawn at each vote's swing (a large bloc: no tables)"),
            Unnamed::LargeBetaBinomial => {
                write!(f, "Beta-binomial, drawn at each vote's swing (a large bloc: no tables)")
            }
        }
    }
}

/// The paths of `scenario`'s blocs, one line each ("name: path"), for `check --paths`.
pub fn describe(scenario: &Scenario, paths: Paths) -> String {
    let blocs = scenario.blocs.iter().zip(plan(scenario, paths));
    blocs.map(|(b, path)| format!("  {}: {}\n", crate::text::escape(&b.name), Shown(b, path))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load;

    /// An unmoved bloc past [`COMPOSITE_SEATS`] stays composite under a rule of
    /// yes votes alone and is drawn literally under one that counts the others.
    #[test]
    fn a_large_unmoved_bloc_is_drawn_literally_where_its_joint_law_is_quadratic() {
        let text = |rule: &str, seats: u32| {
            format!(
                "[scenario]\nname = \"x\"\n[chamber]\nseats = {seats}\n[rule]\n{rule}\n[[bloc]]\nname = \"all\"\nseats = {seats}\nwhip = \"yes\"\ndefect = 0.4\nabsent = 0.1\n"
            )
        };
        let path =
            |rule, seats| plan(&crate::scenario::parse(&text(rule, seats), "x.toml", "x").unwrap(), Paths::Fast)[0];
        assert_eq!(path("majority-of = \"present\"", COMPOSITE_SEATS), Path::Composite);
        assert_eq!(path("majority-of = \"present\"", COMPOSITE_SEATS + 1), Path::Direct(Direct::LITERAL));
        assert_eq!(path("majority-of = \"membership\"", 50_000), Path::Composite);
    }

    /// The test scenario of tests/shards.rs and tests/value_stability.rs takes
    /// every path (see the comments in the file).
    #[test]
    fn the_every_path_scenario_takes_every_path() {
        let s = load(Some("tests/scenarios/every-path.toml")).unwrap();
        let direct = |unnamed| Path::Direct(Direct { unnamed, member_tables: true });
        let expected = [
            Path::Composite,
            Path::Composite,
            Path::Group(0),
            Path::Group(0),
            direct(Some([Unnamed::Binomial, Unnamed::Never])),
            direct(Some([Unnamed::BetaBinomial, Unnamed::Never])),
            direct(None),
        ];
        assert_eq!(plan(&s, Paths::Fast), expected);
        assert!(plan(&s, Paths::Direct).iter().all(|p| *p == Path::Direct(Direct::LITERAL)));
        let text = describe(&s, Paths::Fast);
        assert!(text.contains("  Named, cohesive: direct, unnamed members from Beta-binomial swing tables, named members from Poisson-binomial tables\n"), "{text}");
    }

    /// A bloc of named members only says so, and that a vote of it is one
    /// member-table draw; one with unnamed members drawn too does not.
    #[test]
    fn a_bloc_of_named_members_only_is_shown_as_one_table_draw() {
        let text = describe(&load(Some("bench/members")).unwrap(), Paths::Fast);
        let shown = "direct, no unnamed members, named members from Poisson-binomial tables; a vote is one draw from those tables";
        assert_eq!(text.matches(shown).count(), 2, "{text}");
        let every = describe(&load(Some("tests/scenarios/every-path.toml")).unwrap(), Paths::Fast);
        assert!(!every.contains("one draw from those tables"), "{every}");
    }

    #[test]
    fn a_bloc_that_switches_for_sure_never_builds_its_unswitched_table() {
        let mut s = load(Some("tests/scenarios/every-path.toml")).unwrap();
        let i =
            s.blocs.iter().position(|b| matches!(choose(&s, b, Paths::Fast), Path::Direct(d) if d.unnamed.is_some()));
        let i = i.expect("a bloc with unnamed tables");
        s.blocs[i].switch = 1.0;
        let Path::Direct(Direct { unnamed: Some([plain, _]), .. }) = plan(&s, Paths::Fast)[i] else {
            panic!("still direct with tables")
        };
        assert_eq!(plain, Unnamed::Never);
    }

    /// Blocs join the first swing group with room for them, or open a new one
    /// while there are fewer than [`GROUPS`]; the rest are drawn directly.
    #[test]
    fn blocs_fill_swing_groups_in_order_up_to_the_last() {
        let blocs: String = (0..GROUPS * GROUP_BLOCS + 2)
            .map(|i| format!("[[bloc]]\nname = \"B{i}\"\nseats = 1\nwhip = \"yes\"\ndefect = 0.2\n"))
            .collect();
        let text = format!("[chamber]\nseats = {}\n[swing]\nsd = 0.3\n{blocs}", GROUPS * GROUP_BLOCS + 2);
        let plan = plan(&crate::scenario::parse(&text, "x.toml", "x").unwrap(), Paths::Fast);
        let group = |i: usize| Path::Group(i / GROUP_BLOCS);
        assert!(plan[..GROUPS * GROUP_BLOCS].iter().enumerate().all(|(i, p)| *p == group(i)));
        assert_eq!(plan[GROUPS * GROUP_BLOCS..], [Path::Direct(Direct { unnamed: None, member_tables: false }); 2]);
        assert_eq!(Path::Group(1).to_string(), "swing group 2 (drawn with the other blocs of that group)");
    }

    /// In a 3,000-seat chamber only the largest bloc's count (variance 100) is
    /// drawn at each vote's swing; the others' tables stay small, and the blocs
    /// that do not fit in the first swing group join a second.
    #[test]
    fn only_a_bloc_whose_tables_would_not_fit_in_cache_goes_without_them() {
        let s = load(Some("benches/chambers/moved-3000.toml")).unwrap();
        let text = describe(&s, Paths::Fast);
        let large = "direct, unnamed members binomial, drawn at each vote's swing (a large bloc: no tables)";
        assert!(text.contains(&format!("  PTI: {large}, named members one by one\n")), "{text}");
        assert_eq!(text.matches("a large bloc").count(), 1, "{text}");
        assert!(text.contains("  PML-N: direct, unnamed members from binomial swing tables"), "{text}");
        assert!(text.contains("  MQM-P: swing group 2 (drawn with the other blocs of that group)\n"), "{text}");
    }
}
