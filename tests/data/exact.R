# Writes exact_fixtures.json: what R's coin 1.4-2 gives for the permutation log-rank test
# (logrank_test with its default log-rank scores and ties handling), and the made-up data
# sets it is computed on.
#
# Run from the repository root:  Rscript tests/data/exact.R
#
# Every statistic and P comes from coin's own logrank_test: "exact" (van de Wiel's split-up
# algorithm, two groups) or approximate(nresample = 1e6) (Monte Carlo, seed 20240613), with
# the R call in `r_call`. `statistic` is coin's statistic(x)^2 for two groups (the square of
# its standardised statistic) and statistic(x) for more (its quadratic form).

suppressPackageStartupMessages({
  library(survival)
  library(coin)
  library(jsonlite)
})
stopifnot(packageVersion("coin") == "1.4.2", packageVersion("survival") == "3.5.3")
invisible(Sys.setlocale("LC_COLLATE", "C"))

out_dir <- "tests/data"

# --- made-up data (fixed seeds; no real patients) -------------------------------------------
# 15 patients shaped like the seed paper's operated metastatic GIST: 10 after an R0/1
# resection, 5 after R2, overall survival in months (one decimal), administrative censoring.
set.seed(15)
months <- function(n, median, follow) {
  t <- rexp(n, log(2) / median)
  c <- runif(n, 12, follow)
  data.frame(time = round(pmin(t, c), 1), status = as.integer(t <= c))
}
cohort15 <- rbind(
  cbind(months(10, 70, 110), resection = "R0/1"),
  cbind(months(5, 18, 110), resection = "R2")
)

# Heavily tied: 30 patients, whole years 1 to 6, events and censorings at the same times.
set.seed(30)
ties <- data.frame(
  time = sample(1:6, 30, replace = TRUE),
  status = rbinom(30, 1, 0.7),
  arm = rep(c("A", "B"), c(14, 16))
)

# Unbalanced: 3 patients against 20, no tied times.
set.seed(23)
unbalanced <- data.frame(
  time = round(rexp(23, 1 / 40), 2),
  status = rbinom(23, 1, 0.75),
  cohort = rep(c("small", "large"), c(3, 20))
)

# Three groups: lung's ECOG performance score 0, 1, 2 (survival's lung, LGPL; the one
# patient with ECOG 3 and the one without a score left out), status recoded 0/1.
lung <- survival::lung
ecog <- subset(lung, ph.ecog %in% 0:2, select = c(time, status, sex, ph.ecog))
ecog$status <- ecog$status - 1L
# The women alone: three groups of 27, 42 and 21 with a moderate P.
women <- subset(ecog, sex == 2)

write.csv(cohort15, file.path(out_dir, "exact_cohort15.csv"), row.names = FALSE)
write.csv(ties, file.path(out_dir, "exact_ties.csv"), row.names = FALSE)
write.csv(unbalanced, file.path(out_dir, "exact_unbalanced.csv"), row.names = FALSE)
write.csv(ecog, file.path(out_dir, "exact_ecog.csv"), row.names = FALSE)
write.csv(women, file.path(out_dir, "exact_ecog_women.csv"), row.names = FALSE)
read_set <- function(file) read.csv(file.path(out_dir, file), stringsAsFactors = FALSE)

# --- cases ----------------------------------------------------------------------------------
run <- function(name, file, group, strata = NULL, distribution = "exact") {
  d <- read_set(file)
  d$g <- factor(d[[group]])
  rhs <- if (is.null(strata)) "g" else {
    d$s <- factor(d[[strata]])
    "g | s"
  }
  f <- as.formula(paste("Surv(time, status) ~", rhs))
  mc <- distribution != "exact"
  if (mc) set.seed(20240613)
  dist <- if (mc) approximate(nresample = 1e6) else "exact"
  lt <- logrank_test(f, data = d, distribution = dist)
  stat <- statistic(lt)
  k <- nlevels(d$g)
  list(
    name = name,
    file = file,
    group = group,
    strata = strata,
    method = if (mc) "monte-carlo" else "exact",
    resamples = if (mc) 1e6 else NULL,
    statistic = if (k == 2) unname(stat)^2 else unname(stat),
    p = as.numeric(pvalue(lt)),
    r_call = sprintf(
      "d <- read.csv('%s'); d$g <- factor(d$%s)%s; %slogrank_test(Surv(time, status) ~ %s, data = d, distribution = %s)",
      file, group,
      if (is.null(strata)) "" else sprintf("; d$s <- factor(d$%s)", strata),
      if (mc) "set.seed(20240613); " else "",
      rhs,
      if (mc) "approximate(nresample = 1e6)" else "\"exact\""
    )
  )
}

cases <- list(
  run("aml", "aml.csv", "x"),
  run("cohort15", "exact_cohort15.csv", "resection"),
  run("ties", "exact_ties.csv", "arm"),
  run("unbalanced", "exact_unbalanced.csv", "cohort"),
  run("ecog_three_groups", "exact_ecog.csv", "ph.ecog", distribution = "approximate"),
  run("ecog_women", "exact_ecog_women.csv", "ph.ecog", distribution = "approximate"),
  run("lung_sex_monte_carlo", "exact_ecog.csv", "sex", distribution = "approximate"),
  run("sex_within_ecog", "exact_ecog.csv", "sex", strata = "ph.ecog", distribution = "approximate")
)

writeLines(
  toJSON(list(coin = as.character(packageVersion("coin")), cases = cases),
         auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
  file.path(out_dir, "exact_fixtures.json")
)
