//! From [`RawScenario`] to [`Scenario`]: every check of docs/reference.md §1–2, each failure
//! a [`ScenarioError`] that names the file, line, bloc or member, key and the fix.

use super::locate::{self, Place};
use super::probs::{self, Probs, ProbsError};
use super::raw::{RawBase, RawBloc, RawFraction, RawScenario, RawTie, RawWhip};
use super::{Bloc, Chamber, Member, Scenario, Whip};
use crate::error::{Result, ScenarioError};
use crate::rules::{Base, Rule, Threshold, decimal_ratio};
use std::collections::{BTreeMap, HashSet};

/// The largest chamber accepted; larger counts are taken for typos.
pub const MAX_SEATS: i64 = 100_000;

/// The largest denominator of a fraction of those present or voting.
pub const MAX_DENOMINATOR: u64 = 64;

/// The scenario being validated and its text, for naming and locating errors.
struct Ctx<'a> {
    raw: &'a RawScenario,
    text: &'a str,
    origin: &'a str,
}

impl Ctx<'_> {
    /// The error about `key` of the table at `place`, located by the parser's spans.
    fn error(&self, place: Place, key: &str, message: impl Into<String>) -> ScenarioError {
        let location = locate::location(self.text, self.origin, &place, Some(key));
        let error = ScenarioError::new(location, message).with_key(key);
        match self.context(&place) {
            Some(context) => error.with_context(context),
            None => error,
        }
    }

    fn fail<T>(&self, place: Place, key: &str, message: impl Into<String>) -> Result<T> {
        Err(self.error(place, key, message).into())
    }

    /// An error about `key` of the top-level table `[table]`.
    fn table<T>(&self, table: &str, key: &str, message: impl Into<String>) -> Result<T> {
        self.fail(Place::Table(table.to_string()), key, message)
    }

    /// A probability error of the table at `place`.
    fn probs(&self, place: Place, e: ProbsError) -> ScenarioError {
        self.error(place, e.key, e.message)
    }

    /// How `place` is named, by the names in the scenario being validated.
    fn context(&self, place: &Place) -> Option<String> {
        let bloc = |i: usize| self.raw.bloc.get(i).map(|b| b.get_ref());
        place.describe(|p| match *p {
            Place::Bloc(i) => bloc(i).map(|b| b.name.as_str()),
            Place::Member(i, j) => bloc(i)?.member.get(j).map(|m| m.get_ref().name.as_str()),
            _ => None,
        })
    }
}

/// Validates `raw`, parsed from `text` (named `origin`); `stem` is the default name.
pub fn from_raw(raw: &RawScenario, text: &str, origin: &str, stem: &str) -> Result<Scenario> {
    let ctx = Ctx { raw, text, origin };
    let chamber = chamber(&ctx, raw)?;
    let rule = rule(&ctx, raw, chamber.seats)?;
    let swing_sd = raw.swing.sd.unwrap_or(0.0);
    if !(swing_sd.is_finite() && swing_sd >= 0.0) {
        return ctx.table(
            "swing",
            "sd",
            format!("is {swing_sd}; the swing's standard deviation must be a finite number ≥ 0"),
        );
    }
    if raw.bloc.is_empty() {
        return ctx.fail(
            Place::Top,
            "bloc",
            "the scenario has no blocs; add at least one [[bloc]] with name, seats and whip",
        );
    }
    let blocs = raw
        .bloc
        .iter()
        .enumerate()
        .map(|(i, b)| bloc(&ctx, i, b.get_ref(), chamber.seats))
        .collect::<Result<Vec<_>>>()?;
    unique_names(&ctx, raw)?;
    party_whips(&ctx, raw)?;
    seat_total(&ctx, &blocs, chamber)?;
    Ok(Scenario {
        name: raw.scenario.name.clone().unwrap_or_else(|| stem.to_string()),
        title: raw.scenario.title.clone().unwrap_or_else(|| stem.to_string()),
        date: raw.scenario.date.clone(),
        sources: raw.scenario.sources.clone(),
        chamber,
        rule,
        swing_sd,
        blocs,
        result: super::result::validate(raw.result.as_ref(), &rule, chamber, text, origin)?,
    })
}

fn chamber(ctx: &Ctx, raw: &RawScenario) -> Result<Chamber> {
    let Some(c) = &raw.chamber else {
        return ctx.fail(
            Place::Top,
            "chamber",
            "the scenario has no [chamber] table; add one with `seats = N` (and `vacancies` if any)",
        );
    };
    if !(1..=MAX_SEATS).contains(&c.seats) {
        return ctx.table("chamber", "seats", format!("is {}; a chamber has between 1 and {MAX_SEATS} seats", c.seats));
    }
    if !(0..=c.seats).contains(&c.vacancies) {
        return ctx.table(
            "chamber",
            "vacancies",
            format!("is {}; vacancies must be between 0 and the {} seats", c.vacancies, c.seats),
        );
    }
    Ok(Chamber { seats: c.seats as u32, vacancies: c.vacancies as u32 })
}

fn rule(ctx: &Ctx, raw: &RawScenario, seats: u32) -> Result<Rule> {
    let r = &raw.rule;
    let base = match r.majority_of.unwrap_or(RawBase::Membership) {
        RawBase::Membership => Base::Membership,
        RawBase::Present => Base::Present,
        RawBase::Cast => Base::Cast,
    };
    let threshold = match (&r.fraction, r.needed) {
        (Some(_), Some(_)) => {
            return ctx.table("rule", "needed", "give either `fraction` or `needed`, not both");
        }
        (None, Some(n)) => needed(ctx, r.majority_of.is_some(), n, seats)?,
        (Some(f), None) => fraction(ctx, f, base)?,
        (None, None) => Threshold::Majority,
    };
    Ok(Rule {
        base,
        threshold,
        tie_passes: r.tie == Some(RawTie::Passes),
        count_defectors: r.count_defectors.unwrap_or(true),
    })
}

fn needed(ctx: &Ctx, has_base: bool, n: i64, seats: u32) -> Result<Threshold> {
    if has_base {
        return ctx.table(
            "rule",
            "needed",
            "`needed` is a fixed count and takes no base; remove `majority-of`, or use `fraction` instead of `needed`",
        );
    }
    if !(0..=i64::from(seats)).contains(&n) {
        return ctx.table("rule", "needed", format!("is {n}; it must be between 0 and the chamber's {seats} seats"));
    }
    Ok(Threshold::Needed(n as u32))
}

fn fraction(ctx: &Ctx, f: &RawFraction, base: Base) -> Result<Threshold> {
    let (value, ratio) = match f {
        RawFraction::Number(v) => (*v, rationalise(*v)),
        RawFraction::Ratio(text) => match parse_ratio(text) {
            Some((p, q)) => (p as f64 / q as f64, Some((p, q))),
            None => {
                return ctx.table(
                    "rule",
                    "fraction",
                    format!(
                        "is \"{text}\"; write a ratio of whole numbers with a denominator from 1 to 1,000,000 such as \"2/3\", or a number such as 0.6"
                    ),
                );
            }
        },
    };
    if !(value > 0.0 && value <= 1.0) {
        return ctx.table("rule", "fraction", format!("is {value}; a fraction must lie in (0, 1]"));
    }
    if base != Base::Membership && ratio.is_none_or(|(_, den)| den > MAX_DENOMINATOR) {
        let (p, q) = nearest_ratio(value);
        return ctx.table("rule", "fraction", format!(
            "is {value}; a fraction of the votes {} is tested exactly, so it must be a ratio with a denominator of at most {MAX_DENOMINATOR}, such as \"2/3\" or 0.6; did you mean \"{p}/{q}\"?",
            if base == Base::Present { "present" } else { "cast" }
        ));
    }
    Ok(Threshold::Fraction { value, ratio })
}

/// p/q in lowest terms with q ≤ 64 that is `v` exactly: the decimal as written
/// ([`decimal_ratio`]), or the double nearest p/q (0.6666666666666666 is 2/3).
/// Never a nearby ratio: 0.5000000004 is not 1/2.
fn rationalise(v: f64) -> Option<(u64, u64)> {
    let small = |(p, q): (u128, u128)| (q <= u128::from(MAX_DENOMINATOR)).then_some((p as u64, q as u64));
    decimal_ratio(v).and_then(small).or_else(|| {
        (1..=MAX_DENOMINATOR).find_map(|q| {
            let p = (v * q as f64).round();
            (p >= 0.0 && p / q as f64 == v).then_some((p as u64, q))
        })
    })
}

/// The ratio with denominator at most 64 nearest `v` (the smallest denominator
/// on a tie), for messages.
fn nearest_ratio(v: f64) -> (u64, u64) {
    let candidates = (1..=MAX_DENOMINATOR).map(|q| ((v * q as f64).round().clamp(1.0, q as f64) as u64, q));
    let distance = |&(p, q): &(u64, u64)| (v - p as f64 / q as f64).abs();
    let best = candidates.min_by(|a, b| distance(a).total_cmp(&distance(b))).unwrap_or((1, 2));
    let g = gcd(best.0, best.1).max(1);
    (best.0 / g, best.1 / g)
}

fn parse_ratio(text: &str) -> Option<(u64, u64)> {
    let (p, q) = text.split_once('/')?;
    let (p, q): (u64, u64) = (p.trim().parse().ok()?, q.trim().parse().ok()?);
    if q == 0 || q > 1_000_000 {
        return None;
    }
    let g = gcd(p, q);
    Some((p / g.max(1), q / g.max(1)))
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 { a } else { gcd(b, a % b) }
}

fn whip(w: RawWhip) -> Whip {
    match w {
        RawWhip::Yes => Whip::Yes,
        RawWhip::No => Whip::No,
        RawWhip::Abstain => Whip::Abstain,
    }
}

fn bloc(ctx: &Ctx, i: usize, b: &RawBloc, chamber_seats: u32) -> Result<Bloc> {
    if b.name.trim().is_empty() {
        return ctx.fail(Place::Bloc(i), "name", "is empty; every bloc needs a unique, non-empty name");
    }
    if !(0..=i64::from(chamber_seats)).contains(&b.seats) {
        return ctx.fail(
            Place::Bloc(i),
            "seats",
            format!("is {}; a bloc holds between 0 and the chamber's {chamber_seats} seats", b.seats),
        );
    }
    let w = whip(b.whip);
    let probs =
        probs::resolve(&b.probs(), w).map_err(|e| ctx.probs(Place::Bloc(i), e))?.unwrap_or_else(|| Probs::follow(w));
    let cohesion = unit(ctx, i, "cohesion", b.cohesion)?;
    let switch = unit(ctx, i, "switch", b.switch)?;
    if switch > 0.0 && w == Whip::Abstain {
        return ctx.fail(Place::Bloc(i), "switch", "a bloc whose whip is `abstain` cannot switch; switching swaps yes and no, so give the bloc whip \"yes\" or \"no\", or remove `switch`");
    }
    let members = members(ctx, i, b, w, probs)?;
    Ok(Bloc {
        name: b.name.clone(),
        party: b.party.clone().unwrap_or_else(|| b.name.clone()),
        seats: b.seats as u32,
        whip: w,
        probs,
        cohesion,
        switch,
        swing: b.swing.unwrap_or(true),
        members,
    })
}

fn unit(ctx: &Ctx, i: usize, key: &str, v: Option<f64>) -> Result<f64> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => {
            ctx.fail(Place::Bloc(i), key, format!("is {x}; `{key}` must lie in [0, 1]"))
        }
        Some(x) => Ok(x),
        None => Ok(0.0),
    }
}

fn members(ctx: &Ctx, i: usize, b: &RawBloc, w: Whip, bloc_probs: Probs) -> Result<Vec<Member>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(b.member.len());
    for (j, m) in b.member.iter().map(|m| m.get_ref()).enumerate() {
        if !seen.insert(m.name.as_str()) {
            return ctx.fail(
                Place::Member(i, j),
                "name",
                "is used twice in this bloc; member names must be unique within their bloc",
            );
        }
        let probs = probs::resolve(&m.probs(), w).map_err(|e| ctx.probs(Place::Member(i, j), e))?.unwrap_or(bloc_probs);
        out.push(Member { name: m.name.clone(), probs });
    }
    if out.len() as i64 > b.seats {
        let message = format!(
            "the bloc names {} members but holds only {} seats; named members count inside `seats`",
            out.len(),
            b.seats
        );
        let error = ctx.error(Place::Member(i, b.seats as usize), "member", message);
        let bloc = ctx.context(&Place::Bloc(i)).unwrap_or_default();
        return Err(error.with_context(bloc).into());
    }
    Ok(out)
}

fn unique_names(ctx: &Ctx, raw: &RawScenario) -> Result<()> {
    let mut seen = HashSet::new();
    for (i, b) in raw.bloc.iter().enumerate() {
        if !seen.insert(b.get_ref().name.as_str()) {
            return ctx.fail(Place::Bloc(i), "name", "is used by an earlier bloc; bloc names must be unique");
        }
    }
    Ok(())
}

fn party_whips(ctx: &Ctx, raw: &RawScenario) -> Result<()> {
    let mut first: BTreeMap<String, (&str, RawWhip)> = BTreeMap::new();
    for (i, b) in raw.bloc.iter().enumerate() {
        let r = b.get_ref();
        let party = r.party.clone().unwrap_or_else(|| r.name.clone());
        let (other, w) = *first.entry(party.clone()).or_insert((&r.name, r.whip));
        if w != r.whip {
            let message = format!(
                "is \"{}\", but bloc \"{other}\" of the same party \"{party}\" has whip \"{}\"; blocs of one party share its whip",
                whip(r.whip).as_str(),
                whip(w).as_str()
            );
            return ctx.fail(Place::Bloc(i), "whip", message);
        }
    }
    Ok(())
}

fn seat_total(ctx: &Ctx, blocs: &[Bloc], chamber: Chamber) -> Result<()> {
    let held: u64 = blocs.iter().map(|b| u64::from(b.seats)).sum();
    let total = held + u64::from(chamber.vacancies);
    if total == u64::from(chamber.seats) {
        return Ok(());
    }
    let diff = total.abs_diff(u64::from(chamber.seats));
    let (word, fix) = if total > u64::from(chamber.seats) { ("more", "remove") } else { ("fewer", "add") };
    ctx.table("chamber", "seats", format!(
        "is {}, but the blocs hold {held} seats and {} are vacant, {total} in all: {diff} {word} than the chamber; {fix} {diff} seats in the blocs or vacancies",
        chamber.seats, chamber.vacancies
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rationalises_decimals_into_small_ratios() {
        assert_eq!(rationalise(0.6), Some((3, 5)));
        assert_eq!(rationalise(2.0 / 3.0), Some((2, 3)));
        assert_eq!(rationalise(0.6667), None);
        assert_eq!(rationalise(0.5000000004), None);
        assert_eq!(nearest_ratio(0.6667), (2, 3));
        assert_eq!(nearest_ratio(0.5000000004), (1, 2));
    }

    #[test]
    fn parses_ratio_strings_in_lowest_terms() {
        assert_eq!(parse_ratio("4/6"), Some((2, 3)));
        assert_eq!(parse_ratio("1/0"), None);
        assert_eq!(parse_ratio("two thirds"), None);
    }
}
