//! What a member can do in a vote and what a whip asks of them: the vocabulary
//! that the rule ([`crate::rules`]), the scenario ([`crate::scenario`]) and the
//! model ([`crate::model`]) share. It depends on nothing, so none of them
//! depends on another through it.

/// One of the four things a member can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// Votes for the motion.
    Yes = 0,
    /// Votes against the motion.
    No = 1,
    /// Present, not voting.
    Abstain = 2,
    /// Away.
    Absent = 3,
}

impl Outcome {
    /// All four, in the order of [`crate::scenario::Probs`].
    pub const ALL: [Outcome; 4] = [Outcome::Yes, Outcome::No, Outcome::Abstain, Outcome::Absent];
}

/// A party's direction on the motion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Whip {
    /// Vote for the motion.
    Yes,
    /// Vote against the motion.
    No,
    /// Abstain.
    Abstain,
}

impl Whip {
    /// The outcome that follows this whip.
    pub fn outcome(self) -> Outcome {
        match self {
            Whip::Yes => Outcome::Yes,
            Whip::No => Outcome::No,
            Whip::Abstain => Outcome::Abstain,
        }
    }

    /// The outcome that counts as defection: `no` under a yes whip, otherwise `yes`.
    pub fn defection(self) -> Outcome {
        match self {
            Whip::Yes => Outcome::No,
            Whip::No | Whip::Abstain => Outcome::Yes,
        }
    }

    /// The direction after a switch: yes and no trade places.
    pub fn switched(self) -> Whip {
        match self {
            Whip::Yes => Whip::No,
            Whip::No => Whip::Yes,
            Whip::Abstain => Whip::Abstain,
        }
    }

    /// The lower-case keyword of the scenario format.
    pub fn as_str(self) -> &'static str {
        match self {
            Whip::Yes => "yes",
            Whip::No => "no",
            Whip::Abstain => "abstain",
        }
    }
}
