//! Invariants of linear and logistic regression on random data: covariate scale, row order,
//! and the least-squares residuals' orthogonality to the design.

use proptest::prelude::*;
use survcalc::data::design::{Design, Term};
use survcalc::regression::{fit_linear, fit_logistic, LinearFit, LogisticFit};

/// Rows of (x1, x2, continuous outcome, binary outcome), on grids so ties happen.
fn data() -> impl Strategy<Value = Vec<(f64, f64, f64, bool)>> {
    prop::collection::vec((-20i32..=20, 0u8..=3, -50i32..=50, any::<bool>()), 8..40).prop_map(|v| {
        v.into_iter()
            .map(|(a, b, y, e)| (f64::from(a) / 4.0, f64::from(b), f64::from(y) / 8.0, e))
            .collect()
    })
}

fn design(rows: &[(f64, f64, f64, bool)], scale: f64) -> Design {
    Design {
        x: rows.iter().flat_map(|r| [r.0 * scale, r.1]).collect(),
        terms: vec![Term::numeric("x1"), Term::numeric("x2")],
    }
}

fn linear(rows: &[(f64, f64, f64, bool)], scale: f64) -> LinearFit {
    let y: Vec<f64> = rows.iter().map(|r| r.2).collect();
    let rows_used: Vec<usize> = (1..=rows.len()).collect();
    fit_linear(&y, &design(rows, scale), &rows_used, 0.95, true)
}

fn logistic(rows: &[(f64, f64, f64, bool)], scale: f64) -> LogisticFit {
    let y: Vec<bool> = rows.iter().map(|r| r.3).collect();
    fit_logistic(&y, &design(rows, scale), 0.95, false)
}

fn close(a: Option<f64>, b: Option<f64>, tol: f64) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= tol * b.abs().max(1e-6),
        (None, None) => true,
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// x1 measured in units c times smaller: its coefficient and SE are divided by c;
    /// t, P, the other terms and the fit's summaries do not move.
    #[test]
    fn linear_coefficients_follow_the_covariate_scale(rows in data(), c in prop::sample::select(vec![0.001, 0.5, 7.0, 1e4])) {
        let a = linear(&rows, 1.0);
        let b = linear(&rows, c);
        prop_assume!(!a.terms[1].aliased && !b.terms[1].aliased);
        prop_assert!(close(b.terms[1].estimate.map(|e| e * c), a.terms[1].estimate, 1e-8));
        prop_assert!(close(b.terms[1].se.map(|e| e * c), a.terms[1].se, 1e-8));
        prop_assert!(close(b.terms[1].p, a.terms[1].p, 1e-6));
        prop_assert!(close(b.terms[2].estimate, a.terms[2].estimate, 1e-8));
        prop_assert!(close(b.r_squared, a.r_squared, 1e-8));
    }

    /// The same for the logistic model, away from separation.
    #[test]
    fn logistic_coefficients_follow_the_covariate_scale(rows in data(), c in prop::sample::select(vec![0.001, 0.5, 7.0, 1e4])) {
        let a = logistic(&rows, 1.0);
        prop_assume!(a.events > 0 && a.events < a.n && !a.separation && a.converged);
        let b = logistic(&rows, c);
        prop_assert_eq!(b.separation, false);
        prop_assert!(close(b.terms[1].term.estimate.map(|e| e * c), a.terms[1].term.estimate, 1e-6));
        prop_assert!(close(b.terms[1].term.se.map(|e| e * c), a.terms[1].term.se, 1e-6));
        prop_assert!(close(Some(b.deviance), Some(a.deviance), 1e-9));
    }

    /// Row order changes nothing.
    #[test]
    fn row_order_is_irrelevant(rows in data(), seed in any::<u64>()) {
        let mut shuffled = rows.clone();
        // A seeded Fisher-Yates shuffle (xorshift), so a failure replays.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let (a, b) = (linear(&rows, 1.0), linear(&shuffled, 1.0));
        for (x, y) in a.terms.iter().zip(&b.terms) {
            prop_assert!(close(x.estimate, y.estimate, 1e-8) && close(x.se, y.se, 1e-8), "{:?} {:?}", x, y);
        }
        let (a, b) = (logistic(&rows, 1.0), logistic(&shuffled, 1.0));
        prop_assume!(a.events > 0 && a.events < a.n && !a.separation);
        for (x, y) in a.terms.iter().zip(&b.terms) {
            prop_assert!(close(x.term.estimate, y.term.estimate, 1e-6), "{:?} {:?}", x, y);
        }
        prop_assert!(close(Some(a.deviance), Some(b.deviance), 1e-9));
    }

    /// Least-squares residuals sum to zero and are orthogonal to every covariate (the
    /// normal equations X'(y - Xb) = 0), and fitted + residual = y.
    #[test]
    fn residuals_are_orthogonal_to_the_design(rows in data()) {
        let fit = linear(&rows, 1.0);
        let res = fit.residuals.unwrap();
        let scale: f64 = rows.iter().map(|r| r.2.abs()).sum::<f64>().max(1.0) * 40.0;
        let sum: f64 = res.iter().map(|r| r.residual).sum();
        prop_assert!(sum.abs() <= 1e-10 * scale, "{}", sum);
        for k in 0..2 {
            let dot: f64 = res.iter().zip(&rows).map(|(r, row)| r.residual * if k == 0 { row.0 } else { row.1 }).sum();
            prop_assert!(dot.abs() <= 1e-10 * scale * 20.0, "{} {}", k, dot);
        }
        for (r, row) in res.iter().zip(&rows) {
            prop_assert!((r.fitted + r.residual - row.2).abs() <= 1e-12 * scale);
        }
    }
}
