//! The deciding margin of a vote-based rule (`present`, `cast`).
//!
//! Under such a rule the yes count alone does not decide: the motion passes on
//! the statistic s = w_yes·yes − w_other·other of [`crate::rules`] (for a simple
//! majority, yes − no or yes − (no + abstain)), at s > 0 (or s = 0 by the tie and
//! fraction rules). A [`Margin`] is the law of s, from the exact engine or counted
//! by the sampler, for charts and reports.

use crate::rules::{Base, PassTest, Rule};

/// The distribution of the rule's statistic s.
#[derive(Debug, Clone, PartialEq)]
pub struct Margin {
    /// What the rule's "other" votes are.
    pub base: Base,
    /// The compiled test.
    pub test: PassTest,
    /// The value of s at index 0.
    pub lowest: i64,
    /// P(s = lowest + i).
    pub probability: Vec<f64>,
}

/// The values s can take under `test` in a chamber of `seats`: (lowest, how many),
/// or `None` when the rule counts yes votes alone.
pub fn range(test: PassTest, seats: u32) -> Option<(i64, usize)> {
    match test {
        PassTest::AtLeast(_) => None,
        PassTest::Balance { yes_weight, other_weight, .. } => {
            let (wy, wo, n) = (u64::from(yes_weight), u64::from(other_weight), u64::from(seats));
            Some((-((wo * n) as i64), ((wy + wo) * n + 1) as usize))
        }
    }
}

impl Margin {
    /// The margin of `rule` from a table of P(s) starting at `lowest`; `None` for
    /// a rule that counts yes votes alone.
    pub fn new(rule: &Rule, seats: u32, lowest: i64, probability: Vec<f64>) -> Option<Margin> {
        let test = rule.test(seats);
        test.needs_other().then_some(Margin { base: rule.base, test, lowest, probability })
    }

    /// The margin from counts of simulated votes per value of s.
    pub fn from_counts(rule: &Rule, seats: u32, lowest: i64, counts: &[u64]) -> Option<Margin> {
        let n = counts.iter().sum::<u64>().max(1) as f64;
        Margin::new(rule, seats, lowest, counts.iter().map(|&c| c as f64 / n).collect())
    }

    /// (s, P(s)) for every value held, in increasing s.
    pub fn values(&self) -> impl Iterator<Item = (i64, f64)> + '_ {
        self.probability.iter().enumerate().map(|(i, &p)| (self.lowest + i as i64, p))
    }

    /// Whether the motion passes at s (given at least one yes vote).
    pub fn passes(&self, s: i64) -> bool {
        self.test.passes_statistic(s)
    }

    /// What s counts, e.g. `yes − no` or `yes − 2·(no + abstain)`.
    pub fn label(&self) -> String {
        let (wy, wo) = match self.test {
            PassTest::Balance { yes_weight, other_weight, .. } => (yes_weight, other_weight),
            PassTest::AtLeast(_) => (1, 0),
        };
        let other = if self.base == Base::Present { "(no + abstain)" } else { "no" };
        let weighted = |w: u32, what: &str| if w == 1 { what.to_string() } else { format!("{w}·{what}") };
        format!("{} − {}", weighted(wy, "yes"), weighted(wo, other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Threshold;

    fn rule(base: Base, threshold: Threshold) -> Rule {
        Rule { base, threshold, tie_passes: false, count_defectors: true }
    }

    #[test]
    fn a_membership_rule_has_no_margin() {
        let r = rule(Base::Membership, Threshold::Majority);
        assert_eq!(range(r.test(10), 10), None);
        assert!(Margin::new(&r, 10, 0, vec![1.0]).is_none());
    }

    #[test]
    fn a_cast_majority_runs_from_all_no_to_all_yes() {
        let r = rule(Base::Cast, Threshold::Majority);
        assert_eq!(range(r.test(10), 10), Some((-10, 21)));
        let m = Margin::new(&r, 10, -10, vec![0.0; 21]).unwrap();
        assert_eq!(m.label(), "yes − no");
        assert!(!m.passes(0) && m.passes(1));
    }

    #[test]
    fn a_two_thirds_rule_of_those_present_weighs_the_votes() {
        let t = Threshold::Fraction { value: 2.0 / 3.0, ratio: Some((2, 3)) };
        let m = Margin::from_counts(&rule(Base::Present, t), 3, -6, &[0; 10]).unwrap();
        assert_eq!(m.label(), "yes − 2·(no + abstain)");
        assert!(m.passes(0), "at least 2/3: equality passes");
    }
}
