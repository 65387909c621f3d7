// Times reading the benchmark CSV with survcalc compiled to WebAssembly (Session = read_table),
// in Node, to compare with the native criterion bench (benches/read.rs). From the repository root:
//   SURVCALC_BENCH_CSV=/tmp/read_bench.csv cargo bench --bench read
//   cargo build --release --lib --target wasm32-unknown-unknown
//   wasm-bindgen --target nodejs --no-typescript --out-dir /tmp/wasm_pkg \
//     target/wasm32-unknown-unknown/release/survcalc.wasm
//   node scripts/bench_read_wasm.cjs /tmp/read_bench.csv /tmp/wasm_pkg
const fs = require('fs');
const { Session } = require(`${process.argv[3] || '/tmp/wasm_pkg'}/survcalc.js`);
const bytes = fs.readFileSync(process.argv[2] || '/tmp/read_bench.csv');
const mb = bytes.length / 1e6;
for (let i = 0; i < 4; i++) {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const s = new Session(bytes, 'bench.csv', undefined);
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  console.log(`wasm read ${mb.toFixed(1)} MB: ${wall.toFixed(3)} s wall (${(mb / wall).toFixed(0)} MB/s), ${cpu.toFixed(3)} s CPU (${(mb / cpu).toFixed(0)} MB/s per CPU second)`);
  s.free();
}
