//! Criterion benchmarks: cumulative incidence per group with Gray's test (3 groups), and a
//! 3-covariate Fine-Gray fit with its robust variance, on 10^5 and 10^6 rows (and the fit on
//! 4000 rows, as large as R's crr with its variance runs in half a minute).
//!
//! By default the data are generated here; `scripts/bench_cif_vs_r.sh` sets `CIF_BENCH_DIR`
//! to a folder holding `cif_bench_<n>.csv` so R and survcalc work on the same file.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use survcalc::cif::{analyse, CifOptions};
use survcalc::data::competing::{CompetingData, CompetingSpec};
use survcalc::data::design::Term;
use survcalc::data::design::{CovariateKind, CovariateSpec};
use survcalc::data::event::Cause;
use survcalc::data::prepare::TimeSpec;
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::finegray::{finegray, fit_matrix, FineGraySpec};

/// A small deterministic generator (64-bit LCG), enough for benchmark data.
struct Lcg(u64);

impl Lcg {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
}

/// Two causes with hazards depending on the covariates and the group, uniform censoring,
/// times in whole days up to 1000 (heavy ties); the same design as the R script's.
fn generate(n: usize) -> Table {
    let mut rng = Lcg(20240515);
    let rows: Vec<Vec<String>> = (0..n)
        .map(|_| {
            let x1 =
                (-2.0 * rng.uniform().ln()).sqrt() * (std::f64::consts::TAU * rng.uniform()).cos();
            let x2 = f64::from(u8::from(rng.uniform() < 0.5));
            let x3 = (20.0 + 60.0 * rng.uniform()).round();
            let group = ["A", "B", "C"][(3.0 * rng.uniform()) as usize];
            let shift = match group {
                "A" => 0.0,
                "B" => 0.3,
                _ => -0.2,
            };
            let t1 = -rng.uniform().ln() / (0.002 * (0.4 * x1 - 0.3 * x2 + shift).exp());
            let t2 = -rng.uniform().ln() / (0.0005 * (0.03 * x3).exp());
            let c = 1000.0 * rng.uniform();
            let t = t1.min(t2).min(c);
            let status = if t == c {
                0
            } else if t == t1 {
                1
            } else {
                2
            };
            vec![
                t.ceil().to_string(),
                status.to_string(),
                group.to_string(),
                format!("{x1:.6}"),
                x2.to_string(),
                x3.to_string(),
            ]
        })
        .collect();
    let headers: Vec<String> = ["time", "status", "group", "x1", "x2", "x3"]
        .map(String::from)
        .to_vec();
    Table::from_rows(&headers, &rows).expect("generated table")
}

fn load(n: usize) -> Table {
    match std::env::var("CIF_BENCH_DIR") {
        Ok(dir) => {
            let path = format!("{dir}/cif_bench_{n}.csv");
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            read_table(&bytes, Some(&path), &ReadOptions::default()).expect("benchmark CSV")
        }
        Err(_) => generate(n),
    }
}

fn spec() -> CompetingSpec {
    CompetingSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec!["1".into()],
        competing_values: vec!["2".into()],
    }
}

/// Times, causes and the row-major design matrix of x1, x2, x3.
fn numeric(table: &Table) -> (Vec<f64>, Vec<Cause>, Vec<f64>) {
    let col = |name: &str| -> Vec<f64> {
        let c = table.column_index(name).expect("column");
        (0..table.n_rows())
            .map(|r| table.cell(c, r).parse().expect("number"))
            .collect()
    };
    let (x1, x2, x3) = (col("x1"), col("x2"), col("x3"));
    let x = (0..table.n_rows())
        .flat_map(|i| [x1[i], x2[i], x3[i]])
        .collect();
    let cause = col("status")
        .iter()
        .map(|&s| match s as u8 {
            1 => Cause::Event,
            2 => Cause::Competing,
            _ => Cause::Censored,
        })
        .collect();
    (col("time"), cause, x)
}

/// `cif/analyse`: curves, limits and Gray's test from prepared data (what cuminc times on
/// vectors); `cif/from_table`: the same with reading the columns from the parsed table;
/// `finegray/fit`: the Fine-Gray fit with its robust variance on numbers (what crr times);
/// `finegray/from_table`: the same with reading the columns from the parsed table.
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cif");
    group.sample_size(10);
    let mut tables = vec![(4_000, load(4_000))];
    for n in [100_000, 1_000_000] {
        let table = load(n);
        let data = CompetingData::from_table(&table, &spec(), Some("group")).expect("data");
        let options = CifOptions::default();
        group.bench_with_input(BenchmarkId::new("analyse", n), &data, |b, data| {
            b.iter(|| analyse(data, &options).expect("cif"))
        });
        group.bench_with_input(BenchmarkId::new("from_table", n), &table, |b, table| {
            b.iter(|| {
                let data = CompetingData::from_table(table, &spec(), Some("group")).expect("data");
                analyse(&data, &options).expect("cif")
            })
        });
        tables.push((n, table));
    }
    group.finish();

    let mut group = c.benchmark_group("finegray_3_covariates");
    group.sample_size(10);
    let terms = ["x1", "x2", "x3"].map(Term::numeric);
    let spec = FineGraySpec {
        outcome: spec(),
        covariates: ["x1", "x2", "x3"]
            .map(|c| CovariateSpec {
                column: c.into(),
                kind: CovariateKind::Numeric,
            })
            .to_vec(),
        conf_level: 0.95,
        per: Vec::new(),
    };
    for (n, table) in &tables {
        let (time, cause, x) = numeric(table);
        group.bench_with_input(BenchmarkId::new("fit", n), &x, |b, x| {
            b.iter(|| fit_matrix(&time, &cause, x, &terms, 0.95).expect("fit"))
        });
        if *n > 4_000 {
            group.bench_with_input(BenchmarkId::new("from_table", n), table, |b, table| {
                b.iter(|| finegray(table, &spec).expect("fit"))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
