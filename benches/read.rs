//! Reading a 10^6-row, 10-column CSV (about 50 MB) into a table: throughput and memory.
//!
//! Goal (issue 3): at least 200 MB/s natively, and the table within 2x the file's size.
//! Memory is the table's own cell buffers (`Table::heap_bytes`), printed once per run.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use survcalc::data::{read_table, ReadOptions};

/// A clinical-looking CSV: id, dates, times, codes, measurements (deterministic).
fn generate(rows: usize) -> Vec<u8> {
    let mut out = String::with_capacity(rows * 56);
    out.push_str("id,start,end,time,status,arm,age,sex,stage,crp\n");
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..rows {
        let r = next();
        let day = 1 + r % 28;
        let month = 1 + (r >> 8) % 12;
        let time = (r >> 16) % 3000;
        out.push_str(&format!(
            "P{i:07},2019-{month:02}-{day:02},2021-{month:02}-{day:02},{time},{},{},{}.{},{},{},{}.{:02}\n",
            (r >> 28) & 1,
            ["A", "B", "C"][((r >> 29) % 3) as usize],
            30 + (r >> 32) % 60,
            (r >> 40) % 10,
            ["F", "M"][((r >> 44) & 1) as usize],
            ["I", "II", "III", "IV"][((r >> 45) % 4) as usize],
            (r >> 48) % 200,
            (r >> 56) % 100,
        ));
    }
    out.into_bytes()
}

fn bench_read(c: &mut Criterion) {
    let rows = 1_000_000;
    let csv = generate(rows);
    let options = ReadOptions::default();
    let table = read_table(&csv, None, &options).expect("generated CSV reads");
    assert_eq!(table.n_rows(), rows);
    eprintln!(
        "file {:.1} MB, table {:.1} MB ({:.2}x the file)",
        csv.len() as f64 / 1e6,
        table.heap_bytes() as f64 / 1e6,
        table.heap_bytes() as f64 / csv.len() as f64
    );
    drop(table);
    let mut group = c.benchmark_group("read");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function("csv_1e6x10", |b| {
        b.iter(|| read_table(&csv, None, &options).expect("reads"))
    });
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
