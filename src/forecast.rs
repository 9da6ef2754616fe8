//! One forecast per scenario, by the exact engine or the sampler: what `timeline` and
//! `backtest` score and tabulate.
//!
//! The scenarios run as the points of a sweep with no axes ([`crate::sweep::run`]): exact
//! ones in parallel, Monte Carlo ones one after another on all threads, each with the
//! same seed, so every forecast is reproducible on its own.

use crate::error::{Error, Result};
use crate::sampler::Controls;
use crate::scenario::Scenario;
use crate::stats::Estimate;
use crate::sweep::{self, Method, Plan};

/// The forecast distribution of every scenario, in order; an interrupted run is an error.
pub fn forecasts(scenarios: &[Scenario], method: &Method, controls: &Controls) -> Result<Vec<Estimate>> {
    let plan = Plan {
        scenario: String::new(),
        axes: Vec::new(),
        points: scenarios.iter().map(|s| (Vec::new(), s.clone())).collect(),
    };
    let estimates = sweep::run(&plan, method, controls)?;
    if estimates.len() < scenarios.len() {
        return Err(Error::Other(format!(
            "interrupted after {} of {} scenarios; nothing was written",
            estimates.len(),
            scenarios.len()
        )));
    }
    Ok(estimates)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sampler::Config;
    use std::sync::atomic::AtomicBool;

    #[test]
    fn each_forecast_belongs_to_its_scenario_in_order() {
        let names = ["pakistan-2022-04-09", "uk-2019-01-16"];
        let scenarios: Vec<Scenario> = names.iter().map(|n| crate::scenario::load(Some(n)).unwrap()).collect();
        let stop = AtomicBool::new(false);
        let controls = Controls { progress: &|_| {}, stop: &stop };
        let exact = forecasts(&scenarios, &Method::Exact, &controls).unwrap();
        assert_eq!(exact[0].probability.len(), 343);
        assert_eq!(exact[1].probability.len(), 651);
        let config = Config { trials: 20_000, ..Config::default() };
        let mc = forecasts(&scenarios, &Method::MonteCarlo(config), &controls).unwrap();
        assert_eq!(mc.iter().map(|e| e.pass.trials).collect::<Vec<_>>(), [20_000, 20_000]);
    }

    #[test]
    fn a_stopped_run_is_an_error_not_a_short_list() {
        let scenarios = vec![crate::scenario::load(None).unwrap()];
        let stop = AtomicBool::new(true);
        let controls = Controls { progress: &|_| {}, stop: &stop };
        assert!(forecasts(&scenarios, &Method::Exact, &controls).is_err());
    }
}
