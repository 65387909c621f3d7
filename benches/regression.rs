//! Criterion benchmark: linear and logistic regression on 10^5 and 10^6 rows, three numeric
//! covariates and a four-level categorical one.
//!
//! By default the data are generated here; `scripts/bench_regression_vs_r.sh` sets
//! `REGRESSION_BENCH_DIR` to a folder holding `regression_bench_<n>.csv` so R and survcalc
//! fit the same file.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use survcalc::data::design::{CovariateKind, CovariateSpec, Covariates};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::options::Family;
use survcalc::regression::{fit_linear, fit_logistic, regression, RegressionSpec};

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

/// y = 1 + 0.5 x1 - 0.3 x2 + 0.02 x3 + group effect + N(0, 1); b ~ Bernoulli(logit^-1 of
/// the same linear predictor less 1.5); x1 normal, x2 0/1, x3 whole numbers 20-80, g A-D.
fn generate(n: usize) -> Table {
    let mut rng = Lcg(20240601);
    let normal = |rng: &mut Lcg| {
        (-2.0 * rng.uniform().ln()).sqrt() * (std::f64::consts::TAU * rng.uniform()).cos()
    };
    let rows: Vec<Vec<String>> = (0..n)
        .map(|_| {
            let x1 = normal(&mut rng);
            let x2 = f64::from(u8::from(rng.uniform() < 0.5));
            let x3 = (20.0 + 60.0 * rng.uniform()).round();
            let g = (4.0 * rng.uniform()).floor() as usize;
            let eta = 1.0 + 0.5 * x1 - 0.3 * x2 + 0.02 * x3 + [0.0, 0.2, -0.4, 0.6][g];
            let y = eta + normal(&mut rng);
            let b = rng.uniform() < 1.0 / (1.0 + (1.5 - eta).exp());
            vec![
                format!("{y:.6}"),
                u8::from(b).to_string(),
                format!("{x1:.6}"),
                x2.to_string(),
                x3.to_string(),
                ["A", "B", "C", "D"][g].to_string(),
            ]
        })
        .collect();
    let headers: Vec<String> = ["y", "b", "x1", "x2", "x3", "g"].map(String::from).to_vec();
    Table::from_rows(&headers, &rows).expect("generated table")
}

fn load(n: usize) -> Table {
    match std::env::var("REGRESSION_BENCH_DIR") {
        Ok(dir) => {
            let path = format!("{dir}/regression_bench_{n}.csv");
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            read_table(&bytes, Some(&path), &ReadOptions::default()).expect("benchmark CSV")
        }
        Err(_) => generate(n),
    }
}

fn covariates() -> Vec<CovariateSpec> {
    let numeric = |c: &str| CovariateSpec {
        column: c.into(),
        kind: CovariateKind::Numeric,
    };
    vec![
        numeric("x1"),
        numeric("x2"),
        numeric("x3"),
        CovariateSpec {
            column: "g".into(),
            kind: CovariateKind::Categorical { reference: None },
        },
    ]
}

fn spec(family: Family, outcome: &str) -> RegressionSpec {
    RegressionSpec {
        outcome: outcome.into(),
        family,
        event_values: vec![],
        covariates: covariates(),
        conf_level: 0.95,
        firth: false,
        residuals: false,
    }
}

fn column(table: &Table, name: &str) -> Vec<f64> {
    let c = table.column_index(name).expect("column");
    (0..table.n_rows())
        .map(|r| table.cell(c, r).parse().expect("number"))
        .collect()
}

/// `*_fit`: the fit on numbers (what R's lm and glm time on a data frame);
/// `*_from_table`: the whole command's work from the parsed text table.
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("regression");
    group.sample_size(10);
    for n in [100_000, 1_000_000] {
        let table = load(n);
        let kept: Vec<usize> = (0..n).collect();
        let design = Covariates::read(&table, &covariates())
            .and_then(|c| c.design(&table, &[0, 1, 2, 3], &kept, &mut Vec::new()))
            .expect("design");
        let rows: Vec<usize> = (1..=n).collect();
        let y = column(&table, "y");
        let b: Vec<bool> = column(&table, "b").iter().map(|&v| v == 1.0).collect();
        group.bench_with_input(BenchmarkId::new("linear_fit", n), &design, |bench, d| {
            bench.iter(|| fit_linear(&y, d, &rows, 0.95, false))
        });
        group.bench_with_input(BenchmarkId::new("logistic_fit", n), &design, |bench, d| {
            bench.iter(|| fit_logistic(&b, d, 0.95, false))
        });
        let linear = spec(Family::Linear, "y");
        group.bench_with_input(
            BenchmarkId::new("linear_from_table", n),
            &table,
            |bench, t| bench.iter(|| regression(t, &linear).expect("fit")),
        );
        let logistic = spec(Family::Logistic, "b");
        group.bench_with_input(
            BenchmarkId::new("logistic_from_table", n),
            &table,
            |bench, t| bench.iter(|| regression(t, &logistic).expect("fit")),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
