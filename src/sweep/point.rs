//! One grid point's result as a sweep's outputs use it (text, CSV, JSON, charts):
//! P(pass), its interval and the counted yes votes' moments, without the
//! distribution. A sweep keeps one [`Point`] per grid point and drops each
//! point's distribution as soon as it is summarised, so its memory no longer
//! grows with points × seats (a 400-point sweep of a 100,000-seat
//! chamber held 633 MB).

use crate::stats::{Estimate, Method, Moments};

/// A summarised grid point: a fixed size, whatever the chamber.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// How it was obtained.
    pub method: Method,
    /// Simulated votes (0 for exact).
    pub trials: u64,
    /// Simulated votes that passed (0 for exact).
    pub passes: u64,
    /// P(pass).
    pub p_pass: f64,
    /// Lower end of the 95% interval on P(pass).
    pub ci_low: f64,
    /// Upper end of the 95% interval on P(pass).
    pub ci_high: f64,
    /// Standard error of P(pass).
    pub std_error: f64,
    moments: Moments,
}

impl Point {
    /// The summary of `e`.
    pub fn of(e: &Estimate) -> Point {
        Point {
            method: e.method,
            trials: e.trials,
            passes: e.passes,
            p_pass: e.p_pass,
            ci_low: e.ci_low,
            ci_high: e.ci_high,
            std_error: e.std_error,
            moments: e.moments(),
        }
    }

    /// Mean, sd and quantiles of the counted yes votes (those of the estimate).
    pub fn moments(&self) -> Moments {
        self.moments
    }
}
