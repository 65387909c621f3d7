//! Time to draw a Kaplan-Meier figure as SVG from 10^4 to 10^6 steps per group (two groups, bands and censor marks on).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use survcalc::plot::{km_svg, PlotGroup, PlotOptions, PlotStep};

/// A deterministic cohort of `n` distinct times: every third subject censored, the rest die.
fn cohort(name: &str, n: u64) -> PlotGroup {
    let mut surv = 1.0;
    let steps = (0..n)
        .map(|i| {
            let at_risk = n - i;
            let died = i % 3 != 0;
            if died {
                surv *= 1.0 - 1.0 / at_risk as f64;
            }
            let width = 0.1 * surv;
            PlotStep {
                time: (i + 1) as f64,
                n_risk: at_risk,
                n_event: u64::from(died),
                n_censor: u64::from(!died),
                surv,
                lower: Some((surv - width).max(0.0)),
                upper: Some((surv + width).min(1.0)),
            }
        })
        .collect();
    PlotGroup {
        name: name.into(),
        steps,
        median: None,
    }
}

fn svg(c: &mut Criterion) {
    let opts = PlotOptions {
        conf_bands: true,
        median_lines: true,
        annotation: Some("Log-rank P = 0.012".into()),
        ..PlotOptions::default()
    };
    let mut group = c.benchmark_group("km_svg");
    group.sample_size(10);
    for n in [10_000u64, 100_000, 1_000_000] {
        let groups = [cohort("A", n), cohort("B", n / 2)];
        group.bench_with_input(BenchmarkId::from_parameter(n), &groups, |b, groups| {
            b.iter(|| km_svg(groups, &opts).expect("drawn"))
        });
    }
    group.finish();
}

criterion_group!(benches, svg);
criterion_main!(benches);
