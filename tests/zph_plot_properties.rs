//! Invariants of the proportional-hazards plot's smooth on random data: a straight line is reproduced, a shift of the residuals shifts the smooth and leaves its band's width, and the order of the events does not matter.

use proptest::prelude::*;
use survcalc::cox::{zph_smooth, ChisqTest, Zph, ZphResiduals, SMOOTH_DF, SMOOTH_POINTS};
use survcalc::options::ZphTransform;

fn zph(points: &[(f64, f64)], variance: f64) -> Zph {
    Zph {
        transform: ZphTransform::Identity,
        terms: vec![],
        global: ChisqTest {
            chisq: None,
            df: 1,
            p: None,
        },
        x: points.iter().map(|p| p.0).collect(),
        time: points.iter().map(|p| p.0).collect(),
        residuals: vec![ZphResiduals {
            term: "x".into(),
            values: points.iter().map(|p| Some(p.1)).collect(),
            coefficient: 0.0,
            variance,
        }],
    }
}

/// 8 to 60 events at times on a grid of 0.5 in [0, 100) (ties included), residuals in
/// [-3, 3], plus ten events at 0, 10, ..., 90: times across the whole range, so every basis
/// function has events under it and the fit has full rank.
fn events() -> impl Strategy<Value = Vec<(f64, f64)>> {
    prop::collection::vec((0u32..200, -300i32..=300), 8..60).prop_map(|v| {
        v.into_iter()
            .map(|(t, y)| (f64::from(t) / 2.0, f64::from(y) / 100.0))
            .chain((0..10).map(|k| (f64::from(k) * 10.0, 0.1 * f64::from(k % 3))))
            .collect::<Vec<_>>()
    })
}

proptest! {
    /// Residuals on a line a + b t: the smooth is that line (a natural cubic spline holds
    /// every line), wherever the knots fall.
    #[test]
    fn a_line_is_reproduced(ev in events(), a in -2.0f64..2.0, b in -0.1f64..0.1) {
        let line: Vec<(f64, f64)> = ev.iter().map(|&(t, _)| (t, a + b * t)).collect();
        let Some(s) = zph_smooth(&zph(&line, 1.0), 0, SMOOTH_DF, SMOOTH_POINTS) else {
            return Err(TestCaseError::fail("times across the range give a smooth"));
        };
        for (x, f) in s.x.iter().zip(&s.fit) {
            prop_assert!((f - (a + b * x)).abs() < 1e-8, "at {x}: {f}");
        }
    }

    /// Adding c to every residual adds c to the smooth and both limits (least squares with
    /// a basis that holds the constants; the band does not depend on the residuals).
    #[test]
    fn a_shift_moves_the_smooth_not_the_band(ev in events(), c in -5.0f64..5.0) {
        let shifted: Vec<(f64, f64)> = ev.iter().map(|&(t, y)| (t, y + c)).collect();
        let one = zph_smooth(&zph(&ev, 0.3), 0, SMOOTH_DF, SMOOTH_POINTS);
        let two = zph_smooth(&zph(&shifted, 0.3), 0, SMOOTH_DF, SMOOTH_POINTS);
        let (Some(one), Some(two)) = (one, two) else {
            return Err(TestCaseError::fail("no smooth"));
        };
        for i in 0..SMOOTH_POINTS {
            prop_assert!((two.fit[i] - one.fit[i] - c).abs() < 1e-8);
            prop_assert!((two.upper[i] - two.lower[i] - (one.upper[i] - one.lower[i])).abs() < 1e-8);
        }
    }

    /// The events' order changes nothing (the knots are quantiles; least squares sums).
    #[test]
    fn event_order_does_not_matter(ev in events(), seed in any::<u64>()) {
        let mut shuffled = ev.clone();
        // A fixed permutation from the seed: rotate, then reverse the first half.
        let k = (seed as usize) % shuffled.len();
        shuffled.rotate_left(k);
        let half = shuffled.len() / 2;
        shuffled[..half].reverse();
        let one = zph_smooth(&zph(&ev, 1.0), 0, SMOOTH_DF, SMOOTH_POINTS);
        let two = zph_smooth(&zph(&shuffled, 1.0), 0, SMOOTH_DF, SMOOTH_POINTS);
        let (Some(one), Some(two)) = (one, two) else {
            return Err(TestCaseError::fail("no smooth"));
        };
        for i in 0..SMOOTH_POINTS {
            prop_assert!((one.fit[i] - two.fit[i]).abs() < 1e-9);
            prop_assert!((one.upper[i] - two.upper[i]).abs() < 1e-9);
        }
    }
}
