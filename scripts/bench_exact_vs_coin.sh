#!/usr/bin/env bash
# Times R's coin::logrank_test and survcalc's permutation log-rank test (`km --exact`) on
# the same generated CSVs (two groups of 2 : 1, months with one decimal; n = 15, 40, 50,
# 200, 1000) on this machine, and prints both with the method each used.
#
# coin is asked for its exact distribution (van de Wiel's split-up) where it finishes within
# COIN_LIMIT seconds (default 300; it needs memory like C(n/2, m) and stops being usable
# between 40 and 50 subjects), and for approximate(nresample = 1e5) at every size, the
# Monte Carlo that survcalc falls back to. survcalc: criterion (benches/exact.rs).
# Usage: scripts/bench_exact_vs_coin.sh            (from the repository root; needs Rscript, coin)
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
limit=${COIN_LIMIT:-300}

Rscript - "$dir" "$limit" <<'RS'
suppressPackageStartupMessages(library(coin))
args <- commandArgs(TRUE)
dir <- args[1]
limit <- as.numeric(args[2])
for (n in c(15, 40, 50, 200, 1000)) {
  set.seed(20240613 + n)
  t <- rexp(n, 1 / 40)
  c <- runif(n, 12, 110)
  m <- ceiling(2 * n / 3)
  d <- data.frame(time = round(pmin(t, c), 1), status = as.integer(t <= c),
                  group = rep(c("a", "b"), c(m, n - m)))
  write.csv(d, file.path(dir, sprintf("exact_bench_%d.csv", n)), row.names = FALSE)
  d <- read.csv(file.path(dir, sprintf("exact_bench_%d.csv", n)))
  d$group <- factor(d$group)
  f <- Surv(time, status) ~ group
  timed <- function(expr) {
    setTimeLimit(elapsed = limit)
    on.exit(setTimeLimit(elapsed = Inf))
    out <- try(system.time(p <- expr)[["elapsed"]], silent = TRUE)
    if (inherits(out, "try-error")) c(NA, NA) else c(out, p)
  }
  exact <- if (n <= 50) timed(pvalue(logrank_test(f, data = d, distribution = "exact"))) else c(NA, NA)
  mc <- timed(pvalue(logrank_test(f, data = d, distribution = approximate(nresample = 1e5))))
  cat(sprintf("n = %4d   coin exact: %s   coin approximate(1e5): %.3f s (p %.5f)\n", n,
              if (n > 50) "not attempted (memory like C(n/2, n/3))"
              else if (is.na(exact[1])) sprintf("over %g s, stopped", limit)
              else sprintf("%.3f s (p %.6f)", exact[1], exact[2]),
              mc[1], mc[2]))
}
RS

echo
echo "survcalc (criterion, default settings: exact when it fits about a second, else 1e5 resamples):"
EXACT_BENCH_DIR="$dir" cargo bench --bench exact -- --noplot 2>&1 | grep -E "^n = |exact_logrank/|time:" || true
