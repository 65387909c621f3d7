#!/usr/bin/env bash
# Times R's coxph and survcalc's Cox fit on the same generated CSVs (3 covariates, Efron,
# heavy ties; 10^5 and 10^6 rows) on this machine, and prints the ratios: the fit on numbers
# (criterion) against coxph on a data frame, and whole processes that read the CSV, fit and
# print (Rscript with read.csv + coxph + summary against `survcalc cox --json`).
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

# Median of criterion's estimate for one benchmark id, in seconds.
criterion_secs() {
  local line mid value unit
  line=$(grep -A1 "cox_efron_3_covariates/$1\$" "$dir/criterion.txt" | grep "time:" | head -1)
  mid=$(echo "$line" | sed -E 's/.*\[[^ ]+ [^ ]+ ([^ ]+) ([^ ]+) .*/\1 \2/')
  value=${mid% *}; unit=${mid#* }
  case "$unit" in
    ns) echo "$value / 1000000000" | bc -l ;;
    µs|us) echo "$value / 1000000" | bc -l ;;
    ms) echo "$value / 1000" | bc -l ;;
    *) echo "$value" ;;
  esac
}

echo
echo "Wall-clock medians on this machine (R: coxph on a data frame, 3 runs; survcalc: criterion)."
echo "fit = the Cox fit on numbers; from_table = all the command's work after reading the file."
while read -r _ n r_secs; do
  fit=$(criterion_secs "fit/$n")
  whole=$(criterion_secs "from_table/$n")
  printf "n = %7d   R coxph: %7.3f s   survcalc fit: %7.4f s (%5.1fx)   from table: %7.4f s (%5.1fx)\n" \
    "$n" "$r_secs" "$fit" "$(echo "$r_secs / $fit" | bc -l)" "$whole" "$(echo "$r_secs / $whole" | bc -l)"
done < "$dir/r_times.txt"

cargo build --release --bin survcalc 2>/dev/null
# Median wall-clock seconds of three runs of a command.
median_secs() {
  local runs=()
  for _ in 1 2 3; do
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    runs+=("$(echo "$end - $start" | bc -l)")
  done
  printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p
}

echo
echo "Whole processes (read the CSV, fit, print), median of 3 wall-clock runs."
for n in 100000 1000000; do
  csv="$dir/cox_bench_$n.csv"
  r_whole=$(median_secs Rscript -e "suppressPackageStartupMessages(library(survival)); d <- read.csv('$csv'); print(summary(coxph(Surv(time, status) ~ x1 + x2 + x3, data = d, ties = 'efron')))")
  s_whole=$(median_secs target/release/survcalc cox "$csv" --time time --event status \
    --covariate x1 --covariate x2 --covariate x3 --json)
  printf "n = %7d   Rscript: %7.3f s   survcalc cox: %7.3f s (%5.1fx)\n" \
    "$n" "$r_whole" "$s_whole" "$(echo "$r_whole / $s_whole" | bc -l)"
done
