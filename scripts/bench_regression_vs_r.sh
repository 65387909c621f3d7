#!/usr/bin/env bash
# Times R's lm and glm(binomial) and survcalc's regression on the same generated CSVs (three
# numeric covariates and a four-level categorical one; 10^5 and 10^6 rows) on this machine,
# and prints the ratios: the fit on numbers (criterion) against lm / glm on a data frame,
# and whole processes that read the CSV, fit and print (Rscript with read.csv + summary
# against `survcalc regression --json`).
# Usage: scripts/bench_regression_vs_r.sh     (from the repository root; needs Rscript)
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

Rscript - "$dir" <<'RS'
dir <- commandArgs(TRUE)[1]
set.seed(20240601)
for (n in c(1e5, 1e6)) {
  x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.5); x3 <- round(runif(n, 20, 80))
  g <- sample(c("A", "B", "C", "D"), n, replace = TRUE)
  eta <- 1 + 0.5 * x1 - 0.3 * x2 + 0.02 * x3 + c(A = 0, B = 0.2, C = -0.4, D = 0.6)[g]
  d <- data.frame(y = round(eta + rnorm(n), 6), b = rbinom(n, 1, plogis(eta - 1.5)),
                  x1 = round(x1, 6), x2 = x2, x3 = x3, g = g)
  write.csv(d, file.path(dir, sprintf("regression_bench_%d.csv", as.integer(n))), row.names = FALSE)
  lm_secs <- replicate(3, system.time(summary(lm(y ~ x1 + x2 + x3 + g, data = d)))[["elapsed"]])
  glm_secs <- replicate(3, system.time(
    summary(glm(b ~ x1 + x2 + x3 + g, family = binomial, data = d)))[["elapsed"]])
  cat(sprintf("R %d %.4f %.4f\n", as.integer(n), median(lm_secs), median(glm_secs)),
      file = file.path(dir, "r_times.txt"), append = TRUE)
}
RS

REGRESSION_BENCH_DIR="$dir" cargo bench --bench regression -- --noplot 2>&1 | tee "$dir/criterion.txt" | grep -E "time:|regression/" || true

# Median of criterion's estimate for one benchmark id, in seconds.
criterion_secs() {
  local line mid value unit
  line=$(grep -A1 "regression/$1\$" "$dir/criterion.txt" | grep "time:" | head -1)
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
echo "Wall-clock medians on this machine (R: lm / glm + summary on a data frame, 3 runs; survcalc: criterion)."
echo "fit = the fit on numbers; from_table = all the command's work after reading the file."
while read -r _ n r_lm r_glm; do
  for fam in linear logistic; do
    if [ "$fam" = linear ]; then r=$r_lm; name=lm; else r=$r_glm; name=glm; fi
    fit=$(criterion_secs "${fam}_fit/$n")
    whole=$(criterion_secs "${fam}_from_table/$n")
    printf "n = %7d  %-8s R %-3s: %7.3f s   survcalc fit: %7.4f s (%5.1fx)   from table: %7.4f s (%5.1fx)\n" \
      "$n" "$fam" "$name" "$r" "$fit" "$(echo "$r / $fit" | bc -l)" "$whole" "$(echo "$r / $whole" | bc -l)"
  done
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
  csv="$dir/regression_bench_$n.csv"
  covs=(--covariate x1 --covariate x2 --covariate x3 --categorical g)
  r_lm=$(median_secs Rscript -e "d <- read.csv('$csv'); print(summary(lm(y ~ x1 + x2 + x3 + g, data = d)))")
  s_lm=$(median_secs target/release/survcalc regression "$csv" --outcome y "${covs[@]}" --json)
  r_glm=$(median_secs Rscript -e "d <- read.csv('$csv'); print(summary(glm(b ~ x1 + x2 + x3 + g, family = binomial, data = d)))")
  s_glm=$(median_secs target/release/survcalc regression "$csv" --outcome b --family logistic "${covs[@]}" --json)
  printf "n = %7d   linear:   Rscript %7.3f s   survcalc %7.3f s (%5.1fx)\n" \
    "$n" "$r_lm" "$s_lm" "$(echo "$r_lm / $s_lm" | bc -l)"
  printf "n = %7d   logistic: Rscript %7.3f s   survcalc %7.3f s (%5.1fx)\n" \
    "$n" "$r_glm" "$s_glm" "$(echo "$r_glm / $s_glm" | bc -l)"
done
