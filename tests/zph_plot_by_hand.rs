//! Hand-derived checks of the natural-spline basis and of the proportional-hazards plot's smooth on tiny data (derivations in the comments).

use survcalc::cox::{zph_smooth, ChisqTest, Zph, ZphResiduals};
use survcalc::engine::linalg::Qr;
use survcalc::engine::spline::{bsplines, NaturalSpline};
use survcalc::options::ZphTransform;

/// Least-squares fit of `y` on the basis at `x`, evaluated at `at` (QR as everywhere).
fn fit_at(spline: &NaturalSpline, x: &[f64], y: &[f64], df: usize, at: &[f64]) -> Vec<f64> {
    let rows: Vec<Vec<f64>> = x.iter().map(|&v| spline.basis(v)).collect();
    let design: Vec<f64> = (0..df)
        .flat_map(|j| rows.iter().map(move |r| r[j]))
        .collect();
    let qr = Qr::new(design, x.len(), df, 1e-7);
    assert_eq!(qr.rank, df);
    let coef = qr.coefficients(&qr.qty(y));
    at.iter()
        .map(|&a| spline.basis(a).iter().zip(&coef).map(|(b, c)| b * c).sum())
        .collect()
}

/// A natural cubic spline contains every straight line (its second derivative, zero at the
/// ends, is zero everywhere for a line), so least squares on y = 2 + 3x fits it exactly, at
/// the data and between them.
#[test]
fn the_basis_reproduces_a_straight_line() {
    let x: Vec<f64> = (0..9).map(|i| f64::from(i) * 0.75).collect();
    let y: Vec<f64> = x.iter().map(|v| 2.0 + 3.0 * v).collect();
    let spline = NaturalSpline::new(&x, 4).unwrap();
    let at = [0.0, 0.3, 2.9, 5.1, 6.0];
    for (a, f) in at.iter().zip(fit_at(&spline, &x, &y, 4, &at)) {
        assert!((f - (2.0 + 3.0 * a)).abs() < 1e-12, "at {a}: {f}");
    }
}

/// With df = 2 there are no interior knots: one cubic on [a, b] whose second derivative is
/// zero at both ends, hence everywhere, so the basis spans the lines only and the smooth is
/// the least-squares line. x = 0, 1, 2, 3 and y = 1, 3, 2, 5: mean x 1.5, mean y 2.75,
/// sum (x - 1.5)(y - 2.75) = 2.625 - 0.125 - 0.375 + 3.375 = 5.5, sum (x - 1.5)^2 = 5, so the
/// slope is 1.1 and the intercept 2.75 - 1.1 * 1.5 = 1.1: 1.1 at 0, 4.4 at 3.
#[test]
fn two_degrees_of_freedom_give_the_least_squares_line() {
    let x = [0.0, 1.0, 2.0, 3.0];
    let spline = NaturalSpline::new(&x, 2).unwrap();
    let got = fit_at(&spline, &x, &[1.0, 3.0, 2.0, 5.0], 2, &[0.0, 1.5, 3.0]);
    for (g, w) in got.iter().zip([1.1, 2.75, 4.4]) {
        assert!((g - w).abs() < 1e-12, "{got:?}");
    }
}

/// Each basis function is a cubic on [a, k_1] and on [k_m, b] with zero second derivative
/// at a and b (the constraints ns imposes). For a cubic f and step h, the forward
/// differences give f''(a) exactly: D2 = h^2 f''(a) + h^3 f'''(a) and D3 = h^3 f'''(a), so
/// f''(a) = (D2 - D3) / h^2; at b the same with steps of -h.
#[test]
fn second_derivatives_vanish_at_the_boundary_knots() {
    let x = [1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0];
    let spline = NaturalSpline::new(&x, 4).unwrap();
    let (a, b) = spline.boundary_knots();
    // Both steps stay within the outer intervals: the interior knots are 3 and 8.
    let h = 0.4;
    let at = |v: f64| spline.basis(v);
    for j in 0..4 {
        let f = |k: f64| at(a + k * h)[j];
        let d2 = f(2.0) - 2.0 * f(1.0) + f(0.0);
        let d3 = f(3.0) - 3.0 * f(2.0) + 3.0 * f(1.0) - f(0.0);
        assert!(((d2 - d3) / (h * h)).abs() < 1e-9, "f''(a) of column {j}");
        let g = |k: f64| at(b - k * h)[j];
        let d2 = g(2.0) - 2.0 * g(1.0) + g(0.0);
        let d3 = g(3.0) - 3.0 * g(2.0) + 3.0 * g(1.0) - g(0.0);
        assert!(((d2 - d3) / (h * h)).abs() < 1e-9, "f''(b) of column {j}");
    }
}

/// The cubic B-splines under the basis sum to one everywhere on [a, b] (a partition of
/// unity), at the knots too; and the basis continues as a straight line beyond the ends.
#[test]
fn bsplines_partition_unity_and_the_basis_extends_linearly() {
    let t = [0.0, 0.0, 0.0, 0.0, 2.0, 3.0, 7.0, 7.0, 7.0, 7.0];
    for x in [0.0, 1.0, 2.0, 2.5, 3.0, 6.99, 7.0] {
        let sum: f64 = bsplines(&t, 4, x).iter().sum();
        assert!((sum - 1.0).abs() < 1e-14, "at {x}");
    }
    let spline = NaturalSpline::new(&[0.0, 1.0, 2.0, 4.0, 7.0], 4).unwrap();
    let (p1, p2, p3) = (spline.basis(8.0), spline.basis(9.0), spline.basis(10.0));
    for j in 0..4 {
        // Equal steps along a line: the middle value is the mean of its neighbours.
        assert!((p2[j] - 0.5 * (p1[j] + p3[j])).abs() < 1e-12);
    }
}

fn tiny_zph(values: Vec<Option<f64>>, variance: f64) -> Zph {
    let n = values.len();
    Zph {
        transform: ZphTransform::Identity,
        terms: vec![],
        global: ChisqTest {
            chisq: None,
            df: 1,
            p: None,
        },
        x: (0..n).map(|i| i as f64).collect(),
        time: (0..n).map(|i| i as f64).collect(),
        residuals: vec![ZphResiduals {
            term: "age".into(),
            values,
            coefficient: 0.5,
            variance,
        }],
    }
}

/// Residuals on a line beta(t) = 0.5 + 0.1 t give that line as the smooth, through 40 points
/// from the first time (0) to the last (9); with variance 0 the band has no width. A missing
/// residual (a stratum where the covariate is constant) is left out, not read as zero.
#[test]
fn the_smooth_of_residuals_on_a_line_is_that_line() {
    let mut values: Vec<Option<f64>> = (0..10).map(|i| Some(0.5 + 0.1 * f64::from(i))).collect();
    values[3] = None;
    let s = zph_smooth(&tiny_zph(values, 0.0), 0, 4, 40).unwrap();
    assert_eq!(s.x.len(), 40);
    assert_eq!((s.x[0], s.x[39]), (0.0, 9.0));
    for (x, f) in s.x.iter().zip(&s.fit) {
        assert!((f - (0.5 + 0.1 * x)).abs() < 1e-12);
    }
    assert_eq!(s.lower, s.fit);
    assert_eq!(s.upper, s.fit);
}

/// The band is the fit plus and minus two standard errors: symmetric, and four times as wide
/// when the variance is sixteen times as large (its half-width grows as its square root).
#[test]
fn the_band_scales_with_the_square_root_of_the_variance() {
    let values: Vec<Option<f64>> = (0..12).map(|i| Some(f64::from(i % 3))).collect();
    let one = zph_smooth(&tiny_zph(values.clone(), 1.0), 0, 4, 40).unwrap();
    let sixteen = zph_smooth(&tiny_zph(values, 16.0), 0, 4, 40).unwrap();
    for i in 0..40 {
        let half = one.upper[i] - one.fit[i];
        assert!(half > 0.0 && ((one.fit[i] - one.lower[i]) - half).abs() < 1e-12);
        assert!(((sixteen.upper[i] - sixteen.fit[i]) - 4.0 * half).abs() < 1e-12);
    }
}

/// Fewer events with a residual than degrees of freedom: no smooth (R skips the term).
#[test]
fn too_few_residuals_give_no_smooth() {
    let values = vec![Some(1.0), None, Some(2.0), None, Some(0.0), None];
    assert!(zph_smooth(&tiny_zph(values, 1.0), 0, 4, 40).is_none());
    assert!(zph_smooth(&tiny_zph(vec![Some(1.0); 6], 1.0), 1, 4, 40).is_none());
}

/// Degenerate checks draw without a panic: no event, one event, every residual missing, all
/// events at one time (no smooth: the times do not vary), a huge time range on a log axis.
#[test]
fn degenerate_checks_draw_without_panic() {
    use survcalc::plot::zph::{zph_caption, zph_svg, ZphOptions};
    let cases = [
        tiny_zph(vec![], 1.0),
        tiny_zph(vec![Some(0.3)], 1.0),
        tiny_zph(vec![None; 8], 1.0),
        Zph {
            x: vec![2.0; 8],
            time: vec![2.0; 8],
            ..tiny_zph(vec![Some(0.1); 8], 1.0)
        },
        Zph {
            transform: ZphTransform::Log,
            x: (0..8).map(|i| f64::from(i) * 5.0).collect(),
            time: (0..8).map(|i| (f64::from(i) * 5.0).exp()).collect(),
            ..tiny_zph((0..8).map(|i| Some(f64::from(i % 3))).collect(), 1.0)
        },
        Zph {
            transform: ZphTransform::Km,
            ..tiny_zph(vec![Some(f64::NAN), Some(1.0), None], f64::NAN)
        },
    ];
    for zph in &cases {
        let svg = zph_svg(zph, &ZphOptions::default()).expect("drawn");
        assert!(svg.contains("<desc>"));
        zph_caption(zph, &ZphOptions::default()).expect("caption");
    }
    assert!(
        zph_smooth(&cases[3], 0, 4, 40).is_none(),
        "no variation in time"
    );
}
