# Times R reading the CSV that benches/read.rs reads (10^6 rows x 10 columns, about 56 MB).
# Write the file first:  SURVCALC_BENCH_CSV=/tmp/read_bench.csv cargo bench --bench read
# Then:                  Rscript scripts/bench_read.R /tmp/read_bench.csv
args <- commandArgs(trailingOnly = TRUE)
path <- if (length(args) > 0) args[1] else "/tmp/read_bench.csv"
mb <- file.size(path) / 1e6
report <- function(what, t) {
  cat(sprintf("%s: %.1f MB in %.2f s elapsed (%.1f MB/s), %.2f s CPU (%.1f MB/s per CPU second)\n",
              what, mb, t[["elapsed"]], mb / t[["elapsed"]],
              t[["user.self"]] + t[["sys.self"]], mb / (t[["user.self"]] + t[["sys.self"]])))
}
report("R read.csv", system.time(d <- read.csv(path, stringsAsFactors = FALSE)))
stopifnot(nrow(d) == 1e6, ncol(d) == 10)
cat(sprintf("R data.frame size: %.1f MB\n", as.numeric(object.size(d)) / 1e6))
