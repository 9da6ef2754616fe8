//! Where a 1-D sweep's curve crosses 50% and 90%.
//!
//! A crossing is reported only where P(pass) moves from one side of the level to
//! the other between two neighbouring points (at or above the level counts as
//! above), in either direction, at the value found by linear interpolation between
//! those two points. A curve that never changes side is "above" or "below" the
//! level throughout the range swept.

use super::Plan;
use super::Point;
use super::range::Value;
use serde::Serialize;

/// The levels reported.
pub const LEVELS: [f64; 2] = [0.5, 0.9];

/// Which way the curve crosses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// From below the level to at or above it.
    Up,
    /// From at or above the level to below it.
    Down,
}

/// Where a curve that never crosses lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// At or above the level at every point.
    Above,
    /// Below the level at every point.
    Below,
}

/// One crossing of a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crossing {
    /// The swept value where the straight line between the two points meets the level.
    pub at: f64,
    /// Up or down.
    pub direction: Direction,
    /// The point before the crossing.
    #[serde(serialize_with = "number")]
    pub from: Value,
    /// The point after the crossing.
    #[serde(serialize_with = "number")]
    pub to: Value,
}

fn number<S: serde::Serializer>(v: &Value, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(v.number)
}

/// Every crossing of one level, or the side the curve keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// The level, 0.5 or 0.9.
    pub level: f64,
    /// The crossings, in the order of the sweep.
    pub crossings: Vec<Crossing>,
    /// Where the curve lies when it never crosses (`None` when it does, or has no points).
    pub throughout: Option<Side>,
}

/// For a 1-D sweep, each level of [`LEVELS`] with its crossings (over the points finished).
pub fn crossings(plan: &Plan, results: &[Point]) -> Option<Vec<Level>> {
    if plan.axes.len() != 1 {
        return None;
    }
    let points: Vec<(&Value, f64)> =
        plan.points.iter().zip(results).map(|((v, _), e)| (&v[0], e.pass.p_pass)).collect();
    Some(LEVELS.iter().map(|&level| of_level(&points, level)).collect())
}

fn of_level(points: &[(&Value, f64)], level: f64) -> Level {
    let above = |p: f64| p >= level;
    let crossings: Vec<Crossing> = points
        .windows(2)
        .filter(|w| above(w[0].1) != above(w[1].1))
        .map(|w| {
            let ((a, pa), (b, pb)) = (w[0], w[1]);
            let at = a.number + (level - pa) / (pb - pa) * (b.number - a.number);
            let direction = if pb > pa { Direction::Up } else { Direction::Down };
            Crossing { at, direction, from: a.clone(), to: b.clone() }
        })
        .collect();
    let throughout = match points.first() {
        Some(&(_, p)) if crossings.is_empty() => Some(if above(p) { Side::Above } else { Side::Below }),
        _ => None,
    };
    Level { level, crossings, throughout }
}

impl Crossing {
    /// The crossing value with one decimal more than the sweep's values print with.
    pub fn text(&self) -> String {
        let decimals = [&self.from, &self.to].iter().map(|v| v.text.split_once('.').map_or(0, |(_, f)| f.len())).max();
        format!("{:.*}", decimals.unwrap_or(0) + 1, self.at)
    }
}

impl Level {
    /// Lines for people: "P(pass) crosses 50% upward at X ≈ 7.4 (between 7 and 8)".
    pub fn describe(&self, label: &str) -> Vec<String> {
        let pct = self.level * 100.0;
        match self.throughout {
            Some(Side::Above) => vec![format!("P(pass) is at or above {pct:.0}% throughout this range of {label}")],
            Some(Side::Below) => vec![format!("P(pass) is below {pct:.0}% throughout this range of {label}")],
            None => self
                .crossings
                .iter()
                .map(|c| {
                    let way = if c.direction == Direction::Up { "upward" } else { "downward" };
                    format!(
                        "P(pass) crosses {pct:.0}% {way} at {label} ≈ {} (between {} and {})",
                        c.text(),
                        c.from.text,
                        c.to.text
                    )
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(x: f64) -> Value {
        Value { number: x, text: format!("{x:.0}") }
    }

    fn level(ps: &[f64], l: f64) -> Level {
        let values: Vec<Value> = (0..ps.len()).map(|i| value(i as f64)).collect();
        let points: Vec<(&Value, f64)> = values.iter().zip(ps.iter().copied()).collect();
        of_level(&points, l)
    }

    #[test]
    fn a_rising_curve_crosses_once_between_its_bracketing_points() {
        let l = level(&[0.1, 0.3, 0.7, 0.95], 0.5);
        assert_eq!(l.crossings.len(), 1);
        assert!((l.crossings[0].at - 1.5).abs() < 1e-12);
        assert_eq!(l.crossings[0].direction, Direction::Up);
        assert_eq!(l.throughout, None);
    }

    #[test]
    fn a_curve_that_starts_above_the_level_does_not_cross_it() {
        let l = level(&[0.556, 0.7, 0.9], 0.5);
        assert!(l.crossings.is_empty());
        assert_eq!(l.throughout, Some(Side::Above));
        assert!(l.describe("x")[0].contains("throughout"));
    }

    #[test]
    fn a_falling_curve_crosses_downward() {
        let l = level(&[0.95, 0.85, 0.2], 0.9);
        assert_eq!(l.crossings[0].direction, Direction::Down);
        assert!((l.crossings[0].at - 0.5).abs() < 1e-12);
        assert_eq!(level(&[0.1, 0.2], 0.9).throughout, Some(Side::Below));
    }

    #[test]
    fn the_crossing_prints_one_decimal_finer_than_the_sweep() {
        let l = level(&[0.1, 0.3, 0.7], 0.5);
        assert_eq!(l.crossings[0].text(), "1.5");
        assert!(l.describe("seats")[0].contains("upward at seats ≈ 1.5 (between 1 and 2)"));
    }
}
