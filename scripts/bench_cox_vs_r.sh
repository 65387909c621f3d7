#!/usr/bin/env bash
# Times R's coxph and survcalc's Cox fit on the same generated CSVs (3 covariates, Efron,
# heavy ties; 10^5 and 10^6 rows) on this machine, and prints the ratio.
# Usage: scripts/bench_cox_vs_r.sh            (from the repository root; needs Rscript)
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

Rscript - "$dir" <<'RS'
suppressPackageStartupMessages(library(survival))
dir <- commandArgs(TRUE)[1]
set.seed(20240601)
for (n in c(1e5, 1e6)) {
  x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.5); x3 <- round(runif(n, 20, 80))
  t <- rexp(n, 0.01 * exp(0.5 * x1 - 0.4 * x2 + 0.02 * x3))
  cens <- runif(n, 0, 300)
  d <- data.frame(time = ceiling(pmin(t, cens)), status = as.integer(t <= cens),
                  x1 = round(x1, 6), x2 = x2, x3 = x3)
  write.csv(d, file.path(dir, sprintf("cox_bench_%d.csv", as.integer(n))), row.names = FALSE)
  secs <- replicate(3, system.time(
    coxph(Surv(time, status) ~ x1 + x2 + x3, data = d, ties = "efron"))[["elapsed"]])
  cat(sprintf("R %d %.4f\n", as.integer(n), median(secs)), file = file.path(dir, "r_times.txt"), append = TRUE)
}
RS

COX_BENCH_DIR="$dir" cargo bench --bench cox -- --noplot 2>&1 | tee "$dir/criterion.txt" | grep -E "time:|cox_efron" || true

while read -r _ n r_secs; do
  # criterion prints: cox_efron_3_covariates/<n>  time: [low mid high]
  line=$(grep -A1 "cox_efron_3_covariates/$n" "$dir/criterion.txt" | grep "time:" | head -1)
  mid=$(echo "$line" | sed -E 's/.*\[[^ ]+ [^ ]+ ([^ ]+) ([^ ]+) .*/\1 \2/')
  value=${mid% *}; unit=${mid#* }
  case "$unit" in
    ns) secs=$(echo "$value / 1000000000" | bc -l) ;;
    µs|us) secs=$(echo "$value / 1000000" | bc -l) ;;
    ms) secs=$(echo "$value / 1000" | bc -l) ;;
    *) secs=$value ;;
  esac
  printf "n = %7d   R coxph: %8.3f s   survcalc: %8.4f s   ratio R/survcalc: %6.1fx\n" \
    "$n" "$r_secs" "$secs" "$(echo "$r_secs / $secs" | bc -l)"
done < "$dir/r_times.txt"
