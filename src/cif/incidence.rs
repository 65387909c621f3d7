//! The Aalen-Johansen estimate of one cause's cumulative incidence and its variance, as
//! `cmprsk::cuminc` computes them (Robert Gray's Fortran `cinc`, cmprsk 2.2).

use crate::data::event::Cause;

/// Counts of one group at each distinct observed time, ascending.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CauseCounts {
    pub time: Vec<f64>,
    pub n_event: Vec<u64>,
    pub n_competing: Vec<u64>,
    pub n_censor: Vec<u64>,
}

impl CauseCounts {
    /// Adds one observation; times must arrive in ascending order.
    pub fn push(&mut self, time: f64, cause: Cause) {
        if self.time.last() != Some(&time) {
            self.time.push(time);
            self.n_event.push(0);
            self.n_competing.push(0);
            self.n_censor.push(0);
        }
        let last = self.time.len() - 1;
        match cause {
            Cause::Event => self.n_event[last] += 1,
            Cause::Competing => self.n_competing[last] += 1,
            Cause::Censored => self.n_censor[last] += 1,
        }
    }

    /// Observations counted.
    pub fn n(&self) -> u64 {
        self.n_event.iter().sum::<u64>()
            + self.n_competing.iter().sum::<u64>()
            + self.n_censor.iter().sum::<u64>()
    }

    /// Observations at time index `j`.
    fn at(&self, j: usize) -> u64 {
        self.n_event[j] + self.n_competing[j] + self.n_censor[j]
    }
}

/// The estimate after each distinct time of a [`CauseCounts`]: the number at risk just
/// before it, the cumulative incidence F(t) and cuminc's variance of F(t).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncidencePoint {
    pub n_risk: u64,
    /// Exactly 1 where everyone has had the event of interest: the sum of S(u-) d1 / n then
    /// leaves 1 - 1e-16, as cuminc's does, and this is what it means.
    pub cif: f64,
    pub var: f64,
}

/// Aalen-Johansen F(t) = sum over event times u <= t of S(u-) d1(u) / n(u), S the
/// Kaplan-Meier estimate of being free of any event, with the delta-method variance of
/// Gray's `cinc`.
///
/// The variance is Gray's three running sums: at a time with d events of a cause (d1 of
/// interest, d2 competing) among n at risk, with S- = S(u-), S = S(u), F = F(u) and the tie
/// correction c(d) = 1 - (d - 1) / (n - 1),
///   competing (d2 > 0, S > 0):  w = S-^2 c(d2) d2 / n^2, a = F / S, b = 1 / S
///   interest (d1 > 0):          w = S-^2 c(d1) d1 / n^2, a = 1 + F / S, b = 1 / S (0 if S = 0)
/// each adds a^2 w to v1, a b w to v2 and b^2 w to v3, and at a time with d1 > 0 the
/// variance becomes v1 + F^2 v3 - 2 F v2. Like `cuminc`, the variance changes only at times
/// of the cause of interest (competing events update the sums, which the next such time
/// uses).
pub fn aalen_johansen(counts: &CauseCounts) -> Vec<IncidencePoint> {
    let mut out = Vec::with_capacity(counts.time.len());
    let mut at_risk = counts.n();
    let (mut surv, mut cif, mut var) = (1.0f64, 0.0f64, 0.0f64);
    let mut any_competing = false;
    let (mut v1, mut v2, mut v3) = (0.0f64, 0.0f64, 0.0f64);
    for j in 0..counts.time.len() {
        let n = at_risk as f64;
        let d1 = counts.n_event[j] as f64;
        let d2 = counts.n_competing[j] as f64;
        if d1 + d2 > 0.0 {
            let surv_after = surv * (n - d1 - d2) / n;
            cif += surv * d1 / n;
            let tie = |d: f64| {
                if d > 1.0 {
                    1.0 - (d - 1.0) / (n - 1.0)
                } else {
                    1.0
                }
            };
            let mut add = |a: f64, b: f64, w: f64| {
                v1 += a * a * w;
                v2 += a * b * w;
                v3 += b * b * w;
            };
            if d2 > 0.0 && surv_after > 0.0 {
                let w = surv * surv * tie(d2) * d2 / (n * n);
                add(cif / surv_after, 1.0 / surv_after, w);
            }
            if d1 > 0.0 {
                let w = surv * surv * tie(d1) * d1 / (n * n);
                let b = if surv_after > 0.0 {
                    1.0 / surv_after
                } else {
                    0.0
                };
                add(1.0 + b * cif, b, w);
                var = v1 + cif * cif * v3 - 2.0 * cif * v2;
            }
            surv = surv_after;
            any_competing |= d2 > 0.0;
            // No one left event-free and no competing event: F = 1 - S - (competing) = 1.
            if surv == 0.0 && !any_competing {
                cif = 1.0;
            }
        }
        out.push(IncidencePoint {
            n_risk: at_risk,
            cif,
            var,
        });
        at_risk -= counts.at(j);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(obs: &[(f64, Cause)]) -> CauseCounts {
        let mut c = CauseCounts::default();
        for &(t, cause) in obs {
            c.push(t, cause);
        }
        c
    }

    #[test]
    fn two_causes_by_hand() {
        use Cause::*;
        // 4 at risk: at 1 an event (F = 1/4), at 2 a competing event (S = 3/4 * 2/3 = 1/2),
        // at 3 an event among 2 (F = 1/4 + 1/2 * 1/2 = 1/2), then a censoring.
        let c = counts(&[
            (1.0, Event),
            (2.0, Competing),
            (3.0, Event),
            (4.0, Censored),
        ]);
        let p = aalen_johansen(&c);
        let cif: Vec<f64> = p.iter().map(|p| p.cif).collect();
        assert_eq!(cif, [0.25, 0.25, 0.5, 0.5]);
        let n_risk: Vec<u64> = p.iter().map(|p| p.n_risk).collect();
        assert_eq!(n_risk, [4, 3, 2, 1]);
        // At 1: S = 3/4, w = 1/16, a = 1 + (1/4)/(3/4) = 4/3, b = 4/3:
        // v1 = v2 = v3 = 16/9 / 16 = 1/9, var = 1/9 (1 + 1/16 - 1/2) = 1/16.
        assert!((p[0].var - 1.0 / 16.0).abs() < 1e-15);
        // At 2 (competing) the reported variance stays.
        assert_eq!(p[1].var, p[0].var);
    }
}
