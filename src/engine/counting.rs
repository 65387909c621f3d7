//! Event and censoring counts at each distinct time, per group: the sufficient statistics of
//! Kaplan-Meier curves and of the log-rank family, tabulated once from a radix ordering.
//!
//! [`tabulate`] orders the times once (a stable radix sort, [`crate::engine::order`]) and
//! counts, in one pass, the pooled table of every group and, with strata, one table per
//! stratum. A group's own curve reads [`Counts::group`]; the tests between groups read the
//! stratum tables; the survival of everyone together reads [`Counts::total`]. The command
//! line, the page and the property tests all come through here.

use crate::data::validate::check_observations;
use crate::engine::order::{ascending_key, order_by};
use crate::error::{Error, Result};

/// Events and censorings per group at each distinct time, ascending.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    n_groups: usize,
    /// The distinct times, strictly ascending.
    pub time: Vec<f64>,
    /// Row-major: `n_event[j * n_groups + g]` is group g's events at `time[j]` (with one
    /// group, simply the events at `time[j]`).
    pub n_event: Vec<u64>,
    /// Censorings, laid out as `n_event`.
    pub n_censor: Vec<u64>,
}

impl Default for Counts {
    /// An empty table of one group.
    fn default() -> Counts {
        Counts::new(1)
    }
}

impl Counts {
    pub fn new(n_groups: usize) -> Counts {
        Counts {
            n_groups,
            time: Vec::new(),
            n_event: Vec::new(),
            n_censor: Vec::new(),
        }
    }

    /// A one-group table from its columns (checked by [`Counts::check`] where used).
    pub fn from_columns(time: Vec<f64>, n_event: Vec<u64>, n_censor: Vec<u64>) -> Counts {
        Counts {
            n_groups: 1,
            time,
            n_event,
            n_censor,
        }
    }

    pub fn n_groups(&self) -> usize {
        self.n_groups
    }

    /// Adds one observation; times must arrive in ascending order and `group < n_groups`
    /// (the callers in this crate guarantee both).
    pub fn push(&mut self, time: f64, group: usize, event: bool) {
        let row = self.row_at(time);
        self.count(row, group, event);
    }

    /// The start of the row of `time` in the cells, opening it when `time` is new (it is then
    /// the largest so far).
    #[inline]
    fn row_at(&mut self, time: f64) -> usize {
        if self.time.last() != Some(&time) {
            self.time.push(time);
            self.n_event.resize(self.n_event.len() + self.n_groups, 0);
            self.n_censor.resize(self.n_censor.len() + self.n_groups, 0);
        }
        (self.time.len() - 1) * self.n_groups
    }

    #[inline]
    fn count(&mut self, row: usize, group: usize, event: bool) {
        let cells = if event {
            &mut self.n_event
        } else {
            &mut self.n_censor
        };
        cells[row + group] += 1;
    }

    /// Each time's events and censorings, one entry per group.
    pub fn rows(&self) -> impl Iterator<Item = (&[u64], &[u64])> + Clone {
        self.n_event
            .chunks(self.n_groups)
            .zip(self.n_censor.chunks(self.n_groups))
    }

    /// The number of observations.
    pub fn n(&self) -> u64 {
        self.n_event.iter().sum::<u64>() + self.n_censor.iter().sum::<u64>()
    }

    /// The same table seen through a subset of groups (in the order given): the times at
    /// which none of them has an observation are dropped.
    pub fn restrict(&self, groups: &[usize]) -> Counts {
        let mut out = Counts::new(groups.len());
        for (j, (events, censors)) in self.rows().enumerate() {
            if groups.iter().all(|&g| events[g] + censors[g] == 0) {
                continue;
            }
            out.time.push(self.time[j]);
            for &g in groups {
                out.n_event.push(events[g]);
                out.n_censor.push(censors[g]);
            }
        }
        out
    }

    /// Group `g`'s own counts, a one-group table.
    pub fn group(&self, g: usize) -> Counts {
        self.restrict(&[g])
    }

    /// Every group together, a one-group table.
    pub fn total(&self) -> Counts {
        let sum =
            |v: &[u64]| -> Vec<u64> { v.chunks(self.n_groups).map(|r| r.iter().sum()).collect() };
        Counts::from_columns(self.time.clone(), sum(&self.n_event), sum(&self.n_censor))
    }

    /// The table with events and censorings swapped: the reverse Kaplan-Meier's counts.
    pub fn reversed(&self) -> Counts {
        Counts {
            n_groups: self.n_groups,
            time: self.time.clone(),
            n_event: self.n_censor.clone(),
            n_censor: self.n_event.clone(),
        }
    }

    /// Checks that the columns pair up and the times ascend strictly.
    pub fn check(&self) -> Result<()> {
        let cells = self.time.len() * self.n_groups;
        let aligned = self.n_event.len() == cells && self.n_censor.len() == cells;
        let ascending = self.time.windows(2).all(|w| w[0] < w[1]);
        let valid = self.time.iter().all(|t| t.is_finite() && *t >= 0.0);
        if aligned && ascending && valid {
            Ok(())
        } else {
            Err(Error::usage("Kaplan-Meier counts need one event and one censoring count per time, at strictly ascending non-negative times"))
        }
    }
}

/// Observations to tabulate, one entry per subject.
#[derive(Debug, Clone, Copy)]
pub struct Observations<'a> {
    pub time: &'a [f64],
    pub event: &'a [bool],
    /// Each subject's group and the number of groups; one group when absent.
    pub group: Option<(&'a [usize], usize)>,
    /// Each subject's stratum and the number of strata; none when absent.
    pub stratum: Option<(&'a [usize], usize)>,
}

impl<'a> Observations<'a> {
    /// Times and events of one group, without strata.
    pub fn new(time: &'a [f64], event: &'a [bool]) -> Observations<'a> {
        Observations {
            time,
            event,
            group: None,
            stratum: None,
        }
    }
}

/// The counts of a set of observations.
#[derive(Debug, Clone, PartialEq)]
pub struct Tabulation {
    /// Every stratum together, per group.
    pub pooled: Counts,
    /// One table per stratum (all groups in each), when there are strata.
    pub by_stratum: Option<Vec<Counts>>,
}

impl Tabulation {
    /// The tables the tests between groups stratify over: one per stratum, or the pooled one.
    pub fn into_strata(self) -> Vec<Counts> {
        self.by_stratum.unwrap_or_else(|| vec![self.pooled])
    }
}

/// Counts the observations with one radix ordering of their times.
pub fn tabulate(obs: &Observations) -> Result<Tabulation> {
    check_observations(obs.time, obs.event)?;
    let n = obs.time.len();
    let codes_fit = |codes: Option<(&[usize], usize)>| {
        codes.is_none_or(|(c, k)| c.len() == n && c.iter().all(|&x| x < k))
    };
    if !codes_fit(obs.group) || !codes_fit(obs.stratum) {
        return Err(Error::usage(
            "group and stratum codes must be one per subject and below their counts",
        ));
    }
    let n_groups = obs.group.map_or(1, |(_, k)| k);
    let keys: Vec<u64> = obs.time.iter().map(|&t| ascending_key(t)).collect();
    let order = order_by(&keys);
    drop(keys);
    let mut pooled = Counts::new(n_groups);
    let mut by_stratum = obs.stratum.map(|(_, k)| vec![Counts::new(n_groups); k]);
    // Run by run of equal times: the pooled table's row is opened once per run.
    let mut k = 0;
    while k < n {
        let t = obs.time[order[k]];
        let row = pooled.row_at(t);
        while k < n && obs.time[order[k]] == t {
            let i = order[k];
            let (g, e) = (obs.group.map_or(0, |(codes, _)| codes[i]), obs.event[i]);
            pooled.count(row, g, e);
            if let (Some(tables), Some((codes, _))) = (by_stratum.as_mut(), obs.stratum) {
                tables[codes[i]].push(t, g, e);
            }
            k += 1;
        }
    }
    Ok(Tabulation { pooled, by_stratum })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_merge_ties_and_keep_order() {
        let tab = tabulate(&Observations::new(
            &[3.0, 1.0, 3.0, 2.0],
            &[true, false, false, true],
        ))
        .unwrap();
        let c = tab.pooled;
        assert_eq!(c.time, [1.0, 2.0, 3.0]);
        assert_eq!(c.n_event, [0, 1, 1]);
        assert_eq!(c.n_censor, [1, 0, 1]);
        assert_eq!(tab.by_stratum, None);
    }

    /// Two groups in two strata: the pooled table, each group's own times, the total over
    /// groups, and the stratum tables, written out by hand.
    #[test]
    fn groups_and_strata_by_hand() {
        let time = [2.0, 1.0, 2.0, 4.0, 1.0, 3.0];
        let event = [true, true, false, true, false, true];
        let group = [0, 1, 1, 0, 0, 1];
        let stratum = [0, 0, 1, 1, 1, 0];
        let tab = tabulate(&Observations {
            time: &time,
            event: &event,
            group: Some((&group, 2)),
            stratum: Some((&stratum, 2)),
        })
        .unwrap();
        let p = &tab.pooled;
        assert_eq!(p.time, [1.0, 2.0, 3.0, 4.0]);
        // Rows per time: (group 0, group 1).
        assert_eq!(p.n_event, [0, 1, 1, 0, 0, 1, 1, 0]);
        assert_eq!(p.n_censor, [1, 0, 0, 1, 0, 0, 0, 0]);
        let g0 = p.group(0);
        assert_eq!(
            (g0.time.clone(), g0.n_event.clone(), g0.n_censor.clone()),
            (vec![1.0, 2.0, 4.0], vec![0, 1, 1], vec![1, 0, 0])
        );
        let all = p.total();
        assert_eq!(all.n_event, [1, 1, 1, 1]);
        assert_eq!(all.n_censor, [1, 1, 0, 0]);
        assert_eq!(all.n(), 6);
        let strata = tab.into_strata();
        assert_eq!(strata[0].time, [1.0, 2.0, 3.0]);
        assert_eq!(strata[0].n_event, [0, 1, 1, 0, 0, 1]);
        assert_eq!(strata[1].time, [1.0, 2.0, 4.0]);
        assert_eq!(strata[1].n_censor, [1, 0, 0, 1, 0, 0]);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(tabulate(&Observations::new(&[1.0, -1.0], &[true, true])).is_err());
        assert!(tabulate(&Observations::new(&[1.0], &[true, true])).is_err());
        let codes = [0, 2];
        let obs = Observations {
            group: Some((&codes, 2)),
            ..Observations::new(&[1.0, 2.0], &[true, false])
        };
        assert!(tabulate(&obs).is_err());
    }
}
