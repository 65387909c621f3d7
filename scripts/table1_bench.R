# Times R on the same work as benches/table1.rs: Table 1 of 20 variables on 100 000 rows
# (mean, sd, quantiles, t.test / wilcox.test per continuous column; table + chisq.test per
# categorical column) and fisher.test on the 7 x 2 table with n = 200 (which needs
# workspace = 2e7: with the default workspace R stops with FEXACT error 7).
# Run `cargo bench --bench table1` first (it writes target/table1_bench.csv), then
# Rscript scripts/table1_bench.R
d <- read.csv("target/table1_bench.csv")
cont <- paste0("c", 1:10)
categ <- paste0("k", 1:10)
table1_r <- function(d) {
  for (v in cont) {
    for (g in split(d[[v]], d$arm)) {
      y <- g[!is.na(g)]
      c(mean(y), sd(y), quantile(y, c(.25, .5, .75)), min(y), max(y))
    }
    if (v %in% c("c9", "c10")) wilcox.test(d[[v]] ~ d$arm) else t.test(d[[v]] ~ d$arm)
  }
  for (v in categ) chisq.test(table(d[[v]], d$arm), correct = FALSE)
}
t_read <- system.time(for (i in 1:3) d2 <- read.csv("target/table1_bench.csv"))[["elapsed"]] / 3
t_table <- system.time(for (i in 1:5) table1_r(d))[["elapsed"]] / 5
f <- read.csv("tests/data/table1_fisher200.csv")
tab <- table(f$category, f$group)
t_fisher <- system.time(for (i in 1:20) fisher.test(tab, workspace = 2e7))[["elapsed"]] / 20
cat(sprintf("R %s\nread.csv: %.1f ms\nTable 1 (20 variables, 1e5 rows): %.1f ms\nfisher.test 7 x 2, n = 200: %.2f ms (p = %.10g)\n",
            getRversion(), 1000 * t_read, 1000 * t_table, 1000 * t_fisher, fisher.test(tab, workspace = 2e7)$p.value))
