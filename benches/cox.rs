//! Criterion benchmark: a 3-covariate Efron Cox fit on 10^5 and 10^6 rows with heavy ties.
//!
//! By default the data are generated here; `scripts/bench_cox_vs_r.sh` sets
//! `COX_BENCH_DIR` to a folder holding `cox_bench_<n>.csv` so R and survcalc fit the same file.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use survcalc::cox::{cox, fit_matrix, CovariateKind, CovariateSpec, CoxMatrix, CoxSpec};
use survcalc::data::prepare::{SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions, Table};
use survcalc::options::Ties;

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

/// Exponential times with hazard exp(0.5 x1 - 0.4 x2 + 0.02 x3), censored uniformly, in
/// whole days up to 300: at most 300 distinct times, so thousands of ties at each.
fn generate(n: usize) -> Table {
    let mut rng = Lcg(20240601);
    let rows: Vec<Vec<String>> = (0..n)
        .map(|_| {
            let x1 =
                (-2.0 * rng.uniform().ln()).sqrt() * (std::f64::consts::TAU * rng.uniform()).cos();
            let x2 = f64::from(u8::from(rng.uniform() < 0.5));
            let x3 = (20.0 + 60.0 * rng.uniform()).round();
            let rate = 0.01 * (0.5 * x1 - 0.4 * x2 + 0.02 * x3).exp();
            let t = -rng.uniform().ln() / rate;
            let c = 300.0 * rng.uniform();
            let time = t.min(c).ceil();
            vec![
                time.to_string(),
                u8::from(t <= c).to_string(),
                format!("{x1:.6}"),
                x2.to_string(),
                x3.to_string(),
            ]
        })
        .collect();
    let headers: Vec<String> = ["time", "status", "x1", "x2", "x3"]
        .map(String::from)
        .to_vec();
    Table::from_rows(&headers, &rows).expect("generated table")
}

fn load(n: usize) -> Table {
    match std::env::var("COX_BENCH_DIR") {
        Ok(dir) => {
            let path = format!("{dir}/cox_bench_{n}.csv");
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            read_table(&bytes, Some(&path), &ReadOptions::default()).expect("benchmark CSV")
        }
        Err(_) => generate(n),
    }
}

fn spec() -> CoxSpec {
    let numeric = |c: &str| CovariateSpec {
        column: c.into(),
        kind: CovariateKind::Numeric,
    };
    CoxSpec {
        outcome: SurvivalSpec {
            time: TimeSpec::Column("time".into()),
            event: "status".into(),
            event_values: vec![],
        },
        covariates: vec![numeric("x1"), numeric("x2"), numeric("x3")],
        strata: None,
        ties: Ties::Efron,
        conf_level: 0.95,
        univariate: false,
        zph: None,
        firth: false,
        per: Vec::new(),
    }
}

/// The same data as numbers: times, events and the row-major design matrix.
fn numeric(table: &Table) -> (Vec<f64>, Vec<bool>, Vec<f64>) {
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
    (
        col("time"),
        col("status").iter().map(|&s| s == 1.0).collect(),
        x,
    )
}

/// `fit`: the Cox fit on numbers (what R's coxph times on a data frame);
/// `from_table`: the whole command's work from the parsed text table.
fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("cox_efron_3_covariates");
    group.sample_size(10);
    let names = ["x1", "x2", "x3"].map(String::from);
    for n in [100_000, 1_000_000] {
        let table = load(n);
        let (time, event, x) = numeric(&table);
        let m = CoxMatrix {
            time: &time,
            event: &event,
            x: &x,
            names: &names,
            strata: None,
        };
        group.bench_with_input(BenchmarkId::new("fit", n), &m, |b, m| {
            b.iter(|| fit_matrix(m, Ties::Efron, 0.95).expect("fit"))
        });
        let spec = spec();
        group.bench_with_input(BenchmarkId::new("from_table", n), &table, |b, table| {
            b.iter(|| cox(table, &spec).expect("fit"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
