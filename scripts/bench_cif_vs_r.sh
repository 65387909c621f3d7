#!/usr/bin/env bash
# Times R's cmprsk (cuminc with Gray's test, crr) and survcalc's cumulative incidence and
# Fine-Gray fit on the same generated CSVs (two causes, 3 groups, 3 covariates, whole days up
# to 1000: heavy ties) on this machine, and prints the ratios.
#
# cuminc runs on 10^5 and 10^6 rows. crr is O(n^2) per iteration and its robust variance
# about O(n^3) with tied times (4000 rows: 24 s here; 10^5 rows would take hours), so crr
# with its variance is timed on 4000 rows, and crr without the variance (variance = FALSE:
# coefficients only) on 10^5 rows; neither runs on 10^6 rows. survcalc's fit always
# includes the robust variance. Then whole processes: `survcalc cif --json` against Rscript
# reading the CSV with read.csv and running cuminc and timepoints.
# Usage: scripts/bench_cif_vs_r.sh            (from the repository root; needs Rscript, cmprsk)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

Rscript - "$dir" <<'RS'
suppressPackageStartupMessages(library(cmprsk))
dir <- commandArgs(TRUE)[1]
gen <- function(n) {
  set.seed(20240515)
  x1 <- rnorm(n); x2 <- rbinom(n, 1, 0.5); x3 <- round(runif(n, 20, 80))
  group <- sample(c("A", "B", "C"), n, replace = TRUE)
  shift <- c(A = 0, B = 0.3, C = -0.2)[group]
  t1 <- rexp(n, 0.002 * exp(0.4 * x1 - 0.3 * x2 + shift))
  t2 <- rexp(n, 0.0005 * exp(0.03 * x3))
  cens <- runif(n, 0, 1000)
  t <- pmin(t1, t2, cens)
  status <- ifelse(t == cens, 0L, ifelse(t == t1, 1L, 2L))
  data.frame(time = ceiling(t), status = status, group = unname(group),
             x1 = round(x1, 6), x2 = x2, x3 = x3)
}
out <- file.path(dir, "r_times.txt")
timed <- function(label, n, runs, expr) {
  e <- substitute(expr)
  env <- parent.frame()
  secs <- replicate(runs, system.time(eval(e, env))[["elapsed"]])
  cat(sprintf("%s %d %.4f\n", label, as.integer(n), median(secs)), file = out, append = TRUE)
}
for (n in c(4000, 1e5, 1e6)) {
  d <- gen(n)
  write.csv(d, file.path(dir, sprintf("cif_bench_%d.csv", as.integer(n))), row.names = FALSE)
  x <- as.matrix(d[, c("x1", "x2", "x3")])
  if (n == 4000) timed("crr", n, 1, crr(d$time, d$status, x))
  if (n == 1e5) {
    timed("cuminc", n, 3, cuminc(d$time, d$status, d$group))
    timed("crr_novar", n, 1, crr(d$time, d$status, x, variance = FALSE))
  }
  if (n == 1e6) timed("cuminc", n, 3, cuminc(d$time, d$status, d$group))
}
RS

CIF_BENCH_DIR="$dir" cargo bench --bench cif -- --noplot 2>&1 | tee "$dir/criterion.txt" | grep -E "time:|^cif|^finegray" || true

# Median of criterion's estimate for one benchmark id, in seconds.
criterion_secs() {
  local line mid value unit
  # The estimate is on the id's line, or on the next one when the id is long.
  line=$(grep -A1 -E "^$1( |\$)" "$dir/criterion.txt" | grep "time:" | head -1)
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
echo "Wall-clock medians on this machine (R: cmprsk on vectors in memory; survcalc: criterion)."
echo "cif = curves of 3 groups, limits and Gray's test from prepared data; from_table = the same"
echo "with reading the columns from the parsed table; finegray = 3 covariates with the robust variance."
while read -r what n r_secs; do
  case "$what" in
    cuminc) id="cif/analyse/$n"; label="cuminc + Gray (3 groups)" ;;
    crr) id="finegray_3_covariates/fit/$n"; label="crr with variance" ;;
    crr_novar) id="finegray_3_covariates/fit/$n"; label="crr, variance = FALSE" ;;
  esac
  ours=$(criterion_secs "$id")
  printf "n = %7d   R %-26s %8.3f s   survcalc %-30s %8.4f s (%6.1fx)\n" \
    "$n" "$label:" "$r_secs" "$id:" "$ours" "$(echo "$r_secs / $ours" | bc -l)"
done < "$dir/r_times.txt"
for id in cif/from_table/100000 cif/from_table/1000000 finegray_3_covariates/fit/1000000; do
  printf "survcalc %-38s %8.4f s (no R run at this size)\n" "$id:" "$(criterion_secs "$id")"
done

cargo build --release --quiet --bin survcalc
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
echo "Whole processes (read the CSV, curves of 3 groups, Gray's test, print), median of 3 runs."
for n in 100000 1000000; do
  csv="$dir/cif_bench_$n.csv"
  r_whole=$(median_secs Rscript -e "suppressPackageStartupMessages(library(cmprsk)); d <- read.csv('$csv'); f <- cuminc(d\$time, d\$status, d\$group); print(f\$Tests); invisible(timepoints(f, c(100, 500)))")
  s_whole=$(median_secs target/release/survcalc cif "$csv" --time time --event status \
    --event-value 1 --competing-value 2 --group group --at 100,500 --json)
  printf "n = %7d   Rscript cuminc: %7.3f s   survcalc cif: %7.3f s (%5.1fx)\n" \
    "$n" "$r_whole" "$s_whole" "$(echo "$r_whole / $s_whole" | bc -l)"
done
csv="$dir/cif_bench_1000000.csv"
s_whole=$(median_secs target/release/survcalc finegray "$csv" --time time --event status \
  --event-value 1 --competing-value 2 --covariate x1 --covariate x2 --covariate x3 --json)
printf "n = %7d   survcalc finegray (3 covariates, robust variance): %7.3f s (no R run at this size)\n" \
  1000000 "$s_whole"
