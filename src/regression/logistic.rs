//! Logistic regression by iteratively reweighted least squares, as R's `glm(family = binomial)`, with separation detected.
//!
//! The iteration is `glm.fit`'s (R 4.2, src/library/stats/R/glm.R) step for step: start at
//! mu = (y + 1/2) / 2; each step regresses the working response z = eta + (y - mu) / mu'(eta)
//! on X with weights mu'(eta)^2 / (mu (1 - mu)) by the QR of sqrt(w) X (tolerance 1e-11);
//! stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8, at most 25 steps. The logit link clamps
//! eta at -+30 as R's C code does (family.c). Standard errors come from the last QR
//! (`summary.glm`: chol2inv of its R, dispersion 1), Wald limits b -+ z se
//! (`confint.default`). The AIC of a 0/1 outcome is the deviance + 2 rank.
//!
//! Separation: where a combination of covariates predicts the outcome perfectly (or
//! perfectly on one side), the likelihood keeps rising as some coefficients run to
//! infinity, and glm stops wherever its deviance rule happens to. After glm's stop, further
//! Newton steps tell the two apart: finite coefficients settle within a step or two
//! (quadratic convergence), diverging ones keep moving by about one unit of the linear
//! predictor per step, and their weights vanish.

use serde::Serialize;

use super::{aliased_warnings, finite, ChisqTest, Term, WithIntercept};
use crate::data::design::Design;
use crate::data::Exclusion;
use crate::engine::dist::{normal_two_sided, z_two_sided};
use crate::engine::linalg::Qr;
use crate::engine::tolerance::{
    GLM_EPSILON as EPSILON, GLM_TOL, LOGISTIC_INFINITE as RUNNING, LOGISTIC_QUADRATIC as QUADRATIC,
    LOGISTIC_SETTLED as SETTLED,
};

const MAX_ITER: usize = 25;
/// Further Newton steps after glm's stop, to see which coefficients keep moving.
const EXTRA_STEPS: usize = 12;
/// Below this many outcomes of the rarer kind per coefficient, estimates are flagged.
const EVENTS_PER_TERM: f64 = 10.0;

/// One coefficient of the logistic model, with its odds ratio.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticTerm {
    #[serde(flatten)]
    pub term: Term,
    pub odds_ratio: Option<f64>,
    pub or_lower: Option<f64>,
    pub or_upper: Option<f64>,
    /// The coefficient runs to plus or minus infinity (separation).
    pub infinite: bool,
}

/// A fitted logistic model: the `survcalc regression --family logistic` result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LogisticFit {
    pub n: usize,
    /// Rows with the outcome (y = 1).
    pub events: usize,
    pub terms: Vec<LogisticTerm>,
    pub null_deviance: f64,
    pub deviance: f64,
    pub aic: f64,
    /// Null deviance minus deviance, on rank - 1 df.
    pub lr_test: ChisqTest,
    pub df_null: usize,
    pub df_residual: usize,
    pub rank: usize,
    pub iterations: usize,
    pub converged: bool,
    /// Some coefficient runs to infinity (complete or quasi-complete separation).
    pub separation: bool,
    pub conf_level: f64,
    /// Which values of the outcome column meant y = 1, as read from a table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_coding: Option<String>,
    pub excluded: Vec<Exclusion>,
    pub warnings: Vec<String>,
    /// Firth's penalised fit, when asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub firth: Option<super::FirthLogistic>,
}

/// R's logit link (family.c): eta beyond -+30 gives mu = eps / (1 + eps) or 1 / (1 + eps).
fn linkinv(eta: f64) -> f64 {
    const THRESH: f64 = 30.0;
    let t = if eta < -THRESH {
        f64::EPSILON
    } else if eta > THRESH {
        1.0 / f64::EPSILON
    } else {
        eta.exp()
    };
    t / (1.0 + t)
}

/// d mu / d eta, with R's floor of eps beyond -+30.
fn mu_eta(eta: f64) -> f64 {
    if eta.abs() > 30.0 {
        f64::EPSILON
    } else {
        let e = eta.exp();
        e / ((1.0 + e) * (1.0 + e))
    }
}

/// Binomial deviance of one 0/1 observation: 2 (y log(y / mu) + (1 - y) log((1 - y) / (1 - mu))).
fn dev_resid(y: bool, mu: f64) -> f64 {
    if y {
        -2.0 * mu.ln()
    } else {
        -2.0 * (1.0 - mu).ln()
    }
}

fn deviance(y: &[bool], mu: &[f64]) -> f64 {
    y.iter().zip(mu).map(|(&y, &m)| dev_resid(y, m)).sum()
}

/// The state of the iteration at one coefficient vector.
#[derive(Clone)]
struct Iterate {
    beta: Vec<f64>,
    eta: Vec<f64>,
    mu: Vec<f64>,
    dev: f64,
}

impl Iterate {
    fn at(x: &[f64], n: usize, beta: Vec<f64>) -> Iterate {
        let mut eta = vec![0.0; n];
        for (j, b) in beta.iter().enumerate().filter(|(_, b)| **b != 0.0) {
            eta.iter_mut()
                .zip(&x[j * n..(j + 1) * n])
                .for_each(|(e, x)| *e += b * x);
        }
        Iterate::from_eta(beta, eta)
    }

    fn from_eta(beta: Vec<f64>, eta: Vec<f64>) -> Iterate {
        let mu: Vec<f64> = eta.iter().map(|&e| linkinv(e)).collect();
        Iterate {
            beta,
            eta,
            mu,
            dev: f64::NAN,
        }
    }
}

/// One weighted least-squares step from `cur`: the QR of sqrt(w) X and the new coefficients
/// (zero for columns found aliased, as `Cdqrls` leaves them). sqrt(w) X is written into
/// `storage`, the last step's QR's (a million-row design is tens of MB, which a fresh
/// allocation would have the system zero again at every step).
fn irls_step(x: &[f64], y: &[bool], cur: &Iterate, p: usize, storage: Vec<f64>) -> (Qr, Vec<f64>) {
    let n = y.len();
    let mut w = Vec::with_capacity(n);
    let mut zw = Vec::with_capacity(n);
    for ((&y, &eta), &mu) in y.iter().zip(&cur.eta).zip(&cur.mu) {
        let d = mu_eta(eta);
        let wi = (d * d / (mu * (1.0 - mu))).sqrt();
        w.push(wi);
        zw.push((eta + (f64::from(u8::from(y)) - mu) / d) * wi);
    }
    let mut xw = storage;
    xw.clear();
    for j in 0..p {
        xw.extend(x[j * n..(j + 1) * n].iter().zip(&w).map(|(x, w)| x * w));
    }
    let qr = Qr::new(xw, n, p, GLM_TOL);
    let coef = qr.coefficients(&qr.qty(&zw));
    let mut beta = vec![0.0; p];
    for (pos, &col) in qr.pivot[..qr.rank].iter().enumerate() {
        beta[col] = coef[pos];
    }
    (qr, beta)
}

/// Fits `y ~ 1 + design` by maximum likelihood (and Firth's penalised likelihood when asked).
pub fn fit(y: &[bool], design: &Design, conf_level: f64, firth: bool) -> LogisticFit {
    fit_matrix(y, WithIntercept::new(design, y.len()), conf_level, firth)
}

/// [`fit`] on the design with its intercept, column-major.
pub(super) fn fit_matrix(
    y: &[bool],
    x: WithIntercept,
    conf_level: f64,
    firth: bool,
) -> LogisticFit {
    let n = y.len();
    let p = x.terms.len();
    let eta0: Vec<f64> = y
        .iter()
        .map(|&y| if y { 3.0_f64.ln() } else { -(3.0_f64.ln()) })
        .collect();
    let mut cur = Iterate::from_eta(vec![0.0; p], eta0);
    cur.dev = deviance(y, &cur.mu);
    let mut converged = false;
    let mut iterations = 0;
    let mut last_qr = None;
    let mut scale = Vec::new();
    let mut last_step = Vec::new();
    for iter in 1..=MAX_ITER {
        iterations = iter;
        let storage = last_qr.take().map(Qr::into_storage).unwrap_or_default();
        let (qr, beta) = irls_step(&x.columns, y, &cur, p, storage);
        if iter == 1 {
            scale = standard_errors(&qr, p);
        }
        let mut next = Iterate::at(&x.columns, n, beta);
        next.dev = deviance(y, &next.mu);
        let dev_old = cur.dev;
        last_step = relative_steps(&cur.beta, &next.beta, &scale);
        cur = next;
        last_qr = Some(qr);
        if (cur.dev - dev_old).abs() / (cur.dev.abs() + 0.1) < EPSILON {
            converged = true;
            break;
        }
    }
    let qr = last_qr.expect("at least one iteration");
    // IRLS is Newton's method here (the logit is the canonical link): near a finite maximum
    // each step is about the square of the one before, so after a last step below
    // QUADRATIC the next would be below SETTLED and nothing diverges. On separated data the
    // diverging coefficients' last step stays near one unit of the linear predictor.
    let settled = converged && last_step.iter().all(|&s| s <= QUADRATIC);
    let infinite = if settled {
        vec![Direction::Finite; p]
    } else {
        diverging(&x, y, cur.clone(), &scale)
    };
    summarise(Summary {
        x: &x,
        y,
        cur: &cur,
        qr: &qr,
        infinite,
        iterations,
        converged,
        conf_level,
        firth,
    })
}

/// Each coefficient's standard error from a weighted QR (1 where aliased): at the first
/// step, near the null model, a scale for the coefficient free of its covariate's units
/// that does not blow up as separated coefficients do.
fn standard_errors(qr: &Qr, p: usize) -> Vec<f64> {
    let cov = qr.unscaled_covariance();
    let mut se = vec![1.0; p];
    for (pos, &col) in qr.pivot[..qr.rank].iter().enumerate() {
        se[col] = cov[pos * qr.rank + pos].sqrt();
    }
    se
}

/// Which coefficients run to infinity: Newton steps continued from glm's stop (the
/// reported estimates stay glm's) until every coefficient settles, or at most
/// [`EXTRA_STEPS`]; a coefficient whose last step is still large, or whose column loses
/// all its weight (aliased in the weighted fit though not in X), is diverging.
fn diverging(x: &WithIntercept, y: &[bool], from: Iterate, scale: &[f64]) -> Vec<Direction> {
    let n = y.len();
    let p = x.terms.len();
    let mut cur = from;
    let mut step = vec![0.0; p];
    let mut weightless = vec![false; p];
    let mut storage = Vec::new();
    for _ in 0..EXTRA_STEPS {
        let (wqr, beta) = irls_step(&x.columns, y, &cur, p, storage);
        weightless.fill(true);
        wqr.pivot[..wqr.rank]
            .iter()
            .for_each(|&c| weightless[c] = false);
        storage = wqr.into_storage();
        step = relative_steps(&cur.beta, &beta, scale);
        cur = Iterate::at(&x.columns, n, beta);
        if step.iter().all(|&s| s <= SETTLED) {
            return vec![Direction::Finite; p];
        }
    }
    // A column aliased in X itself (collinear) is no sign of separation.
    let aliased_in_x = if weightless.iter().any(|&w| w) {
        let plain = Qr::new(x.columns.clone(), n, p, GLM_TOL);
        let mut a = vec![true; p];
        plain.pivot[..plain.rank].iter().for_each(|&c| a[c] = false);
        a
    } else {
        vec![false; p]
    };
    (0..p)
        .map(|j| {
            if aliased_in_x[j] || !(step[j] > RUNNING || weightless[j]) {
                Direction::Finite
            } else if cur.beta[j] >= 0.0 {
                Direction::Up
            } else {
                Direction::Down
            }
        })
        .collect()
}

/// |new - old| relative to the coefficient or its scale, whichever is larger.
fn relative_steps(old: &[f64], new: &[f64], scale: &[f64]) -> Vec<f64> {
    old.iter()
        .zip(new)
        .zip(scale)
        .map(|((o, n), s)| (n - o).abs() / o.abs().max(*s))
        .collect()
}

/// Where a coefficient goes as the likelihood rises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Finite,
    /// To +infinity (odds ratio infinite).
    Up,
    /// To -infinity (odds ratio zero).
    Down,
}

struct Summary<'a> {
    x: &'a WithIntercept,
    y: &'a [bool],
    cur: &'a Iterate,
    qr: &'a Qr,
    infinite: Vec<Direction>,
    iterations: usize,
    converged: bool,
    conf_level: f64,
    firth: bool,
}

fn summarise(s: Summary) -> LogisticFit {
    let Summary {
        x,
        y,
        cur,
        qr,
        infinite,
        iterations,
        converged,
        conf_level,
        firth,
    } = s;
    let n = y.len();
    let rank = qr.rank;
    let cov = qr.unscaled_covariance();
    let z_crit = z_two_sided(conf_level);
    let mut terms: Vec<LogisticTerm> = x
        .terms
        .iter()
        .map(|info| LogisticTerm {
            term: Term::aliased(info),
            odds_ratio: None,
            or_lower: None,
            or_upper: None,
            infinite: false,
        })
        .collect();
    for (pos, &col) in qr.pivot[..rank].iter().enumerate() {
        let t = &mut terms[col];
        t.term.aliased = false;
        if infinite[col] != Direction::Finite {
            t.infinite = true;
            continue;
        }
        let b = cur.beta[col];
        let se = finite(cov[pos * rank + pos].sqrt());
        let z = se.and_then(|s| finite(b / s));
        let lower = se.map(|s| b - z_crit * s);
        let upper = se.map(|s| b + z_crit * s);
        t.term.estimate = Some(b);
        t.term.se = se;
        t.term.statistic = z;
        t.term.p = z.and_then(normal_two_sided);
        t.term.lower = lower;
        t.term.upper = upper;
        t.odds_ratio = finite(b.exp());
        t.or_lower = lower.and_then(|l| finite(l.exp()));
        t.or_upper = upper.and_then(|u| finite(u.exp()));
    }
    let events = y.iter().filter(|&&y| y).count();
    let ybar = events as f64 / n as f64;
    let null_deviance: f64 = y.iter().map(|&y| dev_resid(y, ybar)).sum();
    let mut warnings = aliased_warnings(&terms.iter().map(|t| t.term.clone()).collect::<Vec<_>>());
    let separation = terms.iter().any(|t| t.infinite);
    warnings.extend(
        terms
            .iter()
            .zip(&infinite)
            .filter(|(t, _)| t.infinite)
            .map(|(t, &d)| separation_warning(&t.term.name, d)),
    );
    let eps = 10.0 * f64::EPSILON;
    if !separation && cur.mu.iter().any(|&m| m > 1.0 - eps || m < eps) {
        warnings.push(
            "Some fitted probabilities are numerically 0 or 1: a few rows are predicted with certainty, so their covariates lie far from the rest".into(),
        );
    }
    if !converged {
        warnings.push(format!(
            "The fit did not converge in {MAX_ITER} iterations; the estimates may not be at the maximum"
        ));
    }
    // Saturating: a caller may hand in no rows (the table path refuses them earlier).
    let df = rank.saturating_sub(1);
    let rarer = events.min(n - events);
    if df > 0 && (rarer as f64) < EVENTS_PER_TERM * df as f64 {
        warnings.push(format!(
            "Only {rarer} rows in the rarer outcome group for {df} estimated coefficients (fewer than {EVENTS_PER_TERM} per coefficient): estimates may be unstable and odds ratios exaggerated"
        ));
    }
    let mut estimable = qr.pivot[..rank].to_vec();
    estimable.sort_unstable();
    let firth_fit = firth
        .then(|| super::firth::fit(&x.columns, y, &x.terms, &estimable, z_crit, &mut warnings))
        .flatten();
    LogisticFit {
        n,
        events,
        terms,
        null_deviance,
        deviance: cur.dev,
        aic: cur.dev + 2.0 * rank as f64,
        lr_test: ChisqTest::new(null_deviance - cur.dev, df),
        df_null: n.saturating_sub(1),
        df_residual: n - rank,
        rank,
        iterations,
        converged,
        separation,
        conf_level,
        event_coding: None,
        excluded: Vec::new(),
        warnings,
        firth: firth_fit,
    }
}

fn separation_warning(name: &str, direction: Direction) -> String {
    let (to, odds) = match direction {
        Direction::Down => ("-infinity", "zero"),
        _ => ("+infinity", "infinite"),
    };
    format!(
        "Separation: the coefficient of '{name}' runs to {to} (odds ratio {odds}), as happens when the outcome is perfectly predicted by it (for example a group in which every row, or no row, has the outcome). Its odds ratio, confidence interval and Wald P cannot be estimated and are left empty (the model's likelihood-ratio test stays valid); Firth's penalised logistic regression gives a finite estimate with a profile-likelihood interval"
    )
}
