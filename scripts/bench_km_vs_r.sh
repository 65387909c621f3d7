#!/usr/bin/env bash
# Times the whole `survcalc km --json` process against R's survfit + survdiff on the same
# generated CSV (3 groups, integer months, heavy ties), side by side on this machine.
#
# Usage: scripts/bench_km_vs_r.sh [ROWS...]   (default: 10000 100000 1000000)
# Needs: cargo, Rscript with survival. Prints one line per size and the R/survcalc ratio of
# wall-clock seconds (best of REPEAT runs each, default 3).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then rows=("$@"); else rows=(10000 100000 1000000); fi
repeat="${REPEAT:-3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin survcalc
bin="target/release/survcalc"

cat >"$work/generate.R" <<'R'
args <- commandArgs(trailingOnly = TRUE)
n <- as.integer(args[1])
set.seed(20261126)
group <- sample(c("A", "B", "C"), n, replace = TRUE)
rate <- c(A = 1 / 30, B = 1 / 40, C = 1 / 55)[group]
event_time <- ceiling(rexp(n, rate))
censor_time <- sample(1:120, n, replace = TRUE)
d <- data.frame(time = pmin(event_time, censor_time),
                status = as.integer(event_time <= censor_time), group = group)
write.csv(d, args[2], row.names = FALSE)
R

# The same work in R: read the file, Kaplan-Meier per group with its table (median, CI,
# restricted mean), log-rank (rho = 0) and Peto-Peto (rho = 1).
cat >"$work/km.R" <<'R'
suppressPackageStartupMessages(library(survival))
d <- read.csv(commandArgs(trailingOnly = TRUE)[1])
fit <- survfit(Surv(time, status) ~ group, data = d)
tab <- summary(fit, rmean = "individual")$table
lr <- survdiff(Surv(time, status) ~ group, data = d, rho = 0)
pp <- survdiff(Surv(time, status) ~ group, data = d, rho = 1)
invisible(list(tab, lr$chisq, pp$chisq))
R

# Best wall-clock seconds of $repeat runs of a command.
best_of() {
  local best="" start end secs
  for _ in $(seq "$repeat"); do
    start=$(date +%s.%N)
    "$@" >/dev/null
    end=$(date +%s.%N)
    secs=$(echo "$end - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$secs < $best" | bc -l)" = 1 ]; then best=$secs; fi
  done
  printf '%.3f' "$best"
}

printf '%10s %14s %10s %8s\n' rows survcalc_s R_s ratio
for n in "${rows[@]}"; do
  csv="$work/km_$n.csv"
  Rscript "$work/generate.R" "$n" "$csv"
  ours=$(best_of "$bin" km "$csv" --time time --event status --group group --json)
  theirs=$(best_of Rscript "$work/km.R" "$csv")
  ratio=$(echo "$theirs / $ours" | bc -l)
  printf '%10s %14s %10s %8.1f\n' "$n" "$ours" "$theirs" "$ratio"
done
