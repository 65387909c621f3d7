//! Checks on analysis inputs handed to the core as numbers (rather than read from a table,
//! where each cell is checked as it is read).

use crate::error::{Error, Hint, Result};

/// Checks that times and events pair up and that every time is finite and non-negative.
pub fn check_observations(time: &[f64], event: &[bool]) -> Result<()> {
    check_times(time, event.len(), "event indicators")
}

/// Checks that there are as many times as `outcomes` (`n_outcomes` of them: event
/// indicators, causes) and that every time is finite and non-negative.
pub fn check_times(time: &[f64], n_outcomes: usize, outcomes: &str) -> Result<()> {
    if time.len() != n_outcomes {
        return Err(Error::usage(format!(
            "{} times but {n_outcomes} {outcomes}; give one of each per subject",
            time.len()
        )));
    }
    if let Some(i) = time.iter().position(|t| !(t.is_finite() && *t >= 0.0)) {
        return Err(
            Error::data(format!("time {} is not a non-negative number", time[i]))
                .row(i + 1)
                .hint(Hint::FixCell),
        );
    }
    Ok(())
}
