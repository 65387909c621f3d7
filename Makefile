# survcalc: `make serve` builds and serves the page, `make test` runs every test.
# Each set-up step installs what it needs and skips what is already there.

SHELL := /bin/bash
PORT ?= 8080
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
WASM_BINDGEN_ROOT ?= $(HOME)/.local/wasm-bindgen-$(WASM_BINDGEN_VERSION)
export PATH := $(WASM_BINDGEN_ROOT)/bin:$(HOME)/.cargo/bin:$(PATH)
WASM := target/wasm32-unknown-unknown/release/survcalc.wasm

.PHONY: serve web test lint test-native test-wasm test-web setup-rust setup-wasm-bindgen setup-browser setup-node bench

serve: web
	@echo "survcalc: http://127.0.0.1:$(PORT)/"
	python3 -m http.server $(PORT) --bind 127.0.0.1 --directory www

web: setup-rust setup-wasm-bindgen
	cargo build --release --lib --target wasm32-unknown-unknown
	wasm-bindgen --target web --no-typescript --out-dir www/pkg $(WASM)

test: lint test-native test-wasm test-web

lint: setup-rust
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

test-native:
	cargo test --all-targets

test-wasm: setup-rust setup-wasm-bindgen setup-browser
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
	  cargo test --target wasm32-unknown-unknown --lib --test wasm

test-web: web setup-browser setup-node
	node --test tests/web/

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

setup-node:
	@[ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund

bench:
	cargo bench
