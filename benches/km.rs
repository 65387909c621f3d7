//! Reading a CSV, Kaplan-Meier per group and all four tests, for 10^4 to 10^6 rows.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use survcalc::analysis::{analyse, KmAnalysis};
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};

/// A CSV like scripts/bench_km_vs_r.sh writes: 3 groups, integer months 1..120 (heavy ties),
/// exponential event times censored uniformly; a fixed linear congruential generator keeps it
/// the same on every run.
fn csv(rows: usize) -> Vec<u8> {
    let mut state: u64 = 20_261_126;
    let mut uniform = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    };
    let mut out = String::from("\"time\",\"status\",\"group\"\n");
    for _ in 0..rows {
        let g = (uniform() * 3.0) as usize % 3;
        let mean = [30.0, 40.0, 55.0][g];
        let event_time = (-mean * uniform().ln()).ceil().max(1.0);
        let censor_time = (uniform() * 120.0).ceil().max(1.0);
        let status = u8::from(event_time <= censor_time);
        let time = event_time.min(censor_time);
        out.push_str(&format!("{time},{status},\"{}\"\n", ["A", "B", "C"][g]));
    }
    out.into_bytes()
}

fn km_end_to_end(c: &mut Criterion) {
    let spec = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    let mut group = c.benchmark_group("km_read_fit_test");
    group.sample_size(10);
    for rows in [10_000, 100_000, 1_000_000] {
        let bytes = csv(rows);
        group.throughput(Throughput::Elements(rows as u64));
        group.bench_with_input(BenchmarkId::from_parameter(rows), &bytes, |b, bytes| {
            b.iter(|| {
                let table = read_table(bytes, None, &ReadOptions::default()).unwrap();
                let data = SurvivalData::from_table(&table, &spec, Some("group"), None).unwrap();
                analyse(&data, &KmAnalysis::default()).unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, km_end_to_end);
criterion_main!(benches);
