//! Criterion benchmark: the permutation log-rank test (`km --exact`) per call for n = 15, 40, 50, 200 and 1000 in two groups of 2 : 1.
//!
//! By default the data are generated here; `scripts/bench_exact_vs_coin.sh` sets
//! `EXACT_BENCH_DIR` to a folder holding `exact_bench_<n>.csv` so that coin and survcalc
//! test the same files. Which method each size gets (exact, or Monte Carlo with 10^5
//! resamples) is printed before the timings.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use survcalc::data::prepare::{SurvivalData, SurvivalSpec, TimeSpec};
use survcalc::data::{read_table, ReadOptions};
use survcalc::exact::{logrank_permutation, PermutationOptions};

const SIZES: [usize; 5] = [15, 40, 50, 200, 1000];

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

/// Months with one decimal (exponential, median about 28, censored uniformly between 12 and
/// 110), two thirds in group "a": the seed paper's shape at other sizes.
fn generate(n: usize) -> String {
    let mut rng = Lcg(20240613 + n as u64);
    let mut csv = String::from("time,status,group\n");
    let first = (2 * n).div_ceil(3);
    for i in 0..n {
        let t = -40.0 * rng.uniform().ln();
        let c = 12.0 + 98.0 * rng.uniform();
        let group = if i < first { "a" } else { "b" };
        csv.push_str(&format!("{:.1},{},{group}\n", t.min(c), u8::from(t <= c)));
    }
    csv
}

fn data(n: usize) -> SurvivalData {
    let text = match std::env::var("EXACT_BENCH_DIR") {
        Ok(dir) => std::fs::read_to_string(format!("{dir}/exact_bench_{n}.csv")).unwrap(),
        Err(_) => generate(n),
    };
    let table = read_table(text.as_bytes(), None, &ReadOptions::default()).unwrap();
    let spec = SurvivalSpec {
        time: TimeSpec::Column("time".into()),
        event: "status".into(),
        event_values: vec![],
    };
    SurvivalData::from_table(&table, &spec, Some("group"), None).unwrap()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("exact_logrank");
    group.sample_size(10);
    for n in SIZES {
        let d = data(n);
        let g = d.group.as_ref().unwrap();
        let run = || {
            logrank_permutation(
                &d.time,
                &d.event,
                &g.codes,
                2,
                None,
                &PermutationOptions::default(),
            )
            .unwrap()
        };
        let test = run();
        println!(
            "n = {n}: {:?}, p = {}, statistic = {}",
            test.method, test.p, test.statistic
        );
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| b.iter(run));
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
