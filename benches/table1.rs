//! Table 1 speed: 20 variables on 100 000 rows, and Fisher's exact test on a 7 x 2 table with n = 200.
//!
//! The generated table is also written to target/table1_bench.csv so that
//! scripts/table1_bench.R times R on the same data.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use survcalc::data::{read_table, ReadOptions};
use survcalc::describe::{fisher, table1, Table1Options};

const ROWS: usize = 100_000;

/// A deterministic generator (SplitMix64) so that every run and R see the same data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Approximately normal: the sum of 12 uniforms minus 6.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.next()).sum::<f64>() - 6.0
    }
}

/// 100 000 patients in 2 arms: 10 continuous columns (c1..c10, 2% missing) and 10 categorical
/// (k1..k10, 2 to 6 levels).
fn generate_csv() -> String {
    let mut rng = Rng(42);
    let mut out = String::from("arm");
    for i in 1..=10 {
        out.push_str(&format!(",c{i}"));
    }
    for i in 1..=10 {
        out.push_str(&format!(",k{i}"));
    }
    out.push('\n');
    for _ in 0..ROWS {
        let arm = if rng.next() < 0.5 { "A" } else { "B" };
        out.push_str(arm);
        for i in 0..10 {
            if rng.next() < 0.02 {
                out.push_str(",NA");
            } else {
                let x = 50.0 + 10.0 * rng.normal() + i as f64;
                out.push_str(&format!(",{x:.1}"));
            }
        }
        for i in 0..10 {
            let levels = 2 + i % 5;
            let k = (rng.next() * levels as f64) as usize;
            out.push_str(&format!(",L{k}"));
        }
        out.push('\n');
    }
    out
}

fn options() -> Table1Options {
    let variables: Vec<String> = (1..=10)
        .map(|i| format!("c{i}"))
        .chain((1..=10).map(|i| format!("k{i}")))
        .collect();
    Table1Options {
        group: "arm".into(),
        nonnormal: vec!["c9".into(), "c10".into()],
        variables,
        ..Table1Options::default()
    }
}

fn bench(c: &mut Criterion) {
    let csv = generate_csv();
    let target = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    let _ = std::fs::write(target.join("table1_bench.csv"), &csv);
    let table = read_table(csv.as_bytes(), None, &ReadOptions::default()).expect("table");
    let options = options();
    let mut group = c.benchmark_group("table1");
    group.sample_size(20);
    group.bench_function("20 variables x 100k rows (analysis)", |b| {
        b.iter(|| table1(black_box(&table), &options).expect("table1"))
    });
    group.bench_function("20 variables x 100k rows (read CSV + analysis)", |b| {
        b.iter(|| {
            let t = read_table(black_box(csv.as_bytes()), None, &ReadOptions::default())
                .expect("table");
            table1(&t, &options).expect("table1")
        })
    });
    group.finish();
    // 200 patients in 7 categories, as tests/data/table1_fisher200.csv (R: fisher.test on it).
    let seven_by_two: Vec<Vec<u64>> = vec![
        vec![34, 16],
        vec![19, 18],
        vec![20, 13],
        vec![10, 8],
        vec![12, 11],
        vec![9, 13],
        vec![6, 11],
    ];
    c.bench_function("fisher exact 7 x 2, n = 200", |b| {
        b.iter(|| fisher::fisher_exact(black_box(&seven_by_two)).expect("fisher"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
