# survcalc: `make serve` builds and serves the page, `make test` runs every test.
# Each set-up step installs what it needs and skips what is already there.

SHELL := /bin/bash
PORT ?= 8080
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
WASM_BINDGEN_ROOT ?= $(HOME)/.local/wasm-bindgen-$(WASM_BINDGEN_VERSION)
export PATH := $(WASM_BINDGEN_ROOT)/bin:$(HOME)/.cargo/bin:$(PATH)
# The page's two wasm modules, from this one crate: the main one without calamine (CSV/TSV and
# every analysis), and the spreadsheet reader, which the page loads only when a workbook is opened.
WASM := target/wasm32-unknown-unknown/release/survcalc.wasm
WASM_SHEETS := target/wasm32-unknown-unknown/wasm-sheets/survcalc.wasm
WASM_EXPORT := target/wasm32-unknown-unknown/wasm-export/survcalc.wasm
BINDGEN := wasm-bindgen --target web --no-typescript --remove-name-section --remove-producers-section --out-dir www/pkg

.PHONY: serve web test lint test-native test-wasm test-web setup setup-rust setup-wasm-bindgen setup-browser setup-node setup-node-bin bench bench-web

serve: web
	PORT=$(PORT) node scripts/serve.mjs www dist

# The page in www/ (with www/pkg/assets.js, the files its service worker keeps for offline use) and
# the same page as one self-contained file, dist/survcalc.html, with its SHA-256 beside it.
web: setup-rust setup-wasm-bindgen setup-node-bin
	cargo build --release --lib --target wasm32-unknown-unknown --no-default-features
	$(BINDGEN) --out-name survcalc $(WASM)
	cargo build --profile wasm-sheets --lib --target wasm32-unknown-unknown --no-default-features --features sheets-module
	$(BINDGEN) --out-name survcalc_sheets $(WASM_SHEETS)
	cargo build --profile wasm-export --lib --target wasm32-unknown-unknown --no-default-features --features export-module
	$(BINDGEN) --out-name survcalc_export $(WASM_EXPORT)
	@for f in www/pkg/survcalc_bg.wasm www/pkg/survcalc_sheets_bg.wasm www/pkg/survcalc_export_bg.wasm; do \
	  printf '%s: %s bytes, %s gzipped\n' "$$f" "$$(wc -c < $$f)" "$$(gzip -9c $$f | wc -c)"; done
	node scripts/offline_assets.mjs
	node scripts/single_file.mjs

test: lint test-native test-wasm test-web

lint: setup-rust
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features sheets-module -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features export-module -- -D warnings

test-native:
	cargo test --all-targets

# The core built for wasm32 as the page's main module (no spreadsheet reader): the library's
# tests in headless chromium (drawing needs a DOM), tests/wasm.rs (the page's boundary) under node.
# The spreadsheet module is exercised by the browser tests, which open workbooks.
test-wasm: setup-rust setup-wasm-bindgen setup-browser setup-node
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver \
	  cargo test --target wasm32-unknown-unknown --no-default-features --lib --test wasm

# The browser tests compare the page's numbers with the command line's (target/debug/survcalc).
test-web: web setup-browser setup-node
	cargo build --bin survcalc
	node --test --test-concurrency=1 tests/web/

setup: setup-rust setup-wasm-bindgen setup-browser setup-node

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

setup-wasm-bindgen:
	@wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$" || \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --root $(WASM_BINDGEN_ROOT)

setup-browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -q && apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium chromium-driver; }

setup-node: setup-node-bin node_modules/.package-lock.json

setup-node-bin:
	@command -v node >/dev/null && command -v npm >/dev/null || { \
	  apt-get update -q && apt-get -o DPkg::Lock::Timeout=600 install -y -q nodejs npm; }

node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

bench:
	cargo bench

# Times a dropped CSV to a drawn curve in headless chromium (10^5 and 10^6 rows).
bench-web: web setup-browser setup-node
	node scripts/bench_web.mjs
