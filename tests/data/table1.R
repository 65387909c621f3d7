# Writes the Table 1 golden fixtures (tests/data/table1_fixtures.json) and the CSVs they use.
# Run from the repository root: Rscript tests/data/table1.R
# R 4.2, survival 3.5.3, jsonlite. Each case carries the exact R call that produced it (r_call)
# and where the number comes from (source): R package (stats' tests, quantile, sd, table) for
# every case, the exact and Monte Carlo Fisher cases; R from the definition for the
# standardised mean differences (tableone's formula, written out below: tableone is not used).
# The percent cases (`percent`) are base R's table() and prop.table() on the same rows, one
# case per basis: column (prop.table(tab, 2)), row (prop.table(tab, 1)) and total
# (prop.table(tab)); table() leaves out missing values, so no percentage includes them.
suppressPackageStartupMessages({ library(survival); library(jsonlite) })
out <- "tests/data"

# --- data sets, written to CSV so that Rust reads exactly these values ---
lung_d <- survival::lung
colon_d <- survival::colon[survival::colon$etype == 1,
                           c("rx", "sex", "age", "obstruct", "differ", "extent", "nodes")]
colon_d$rx <- as.character(colon_d$rx)
pbc_d <- survival::pbc[, c("trt", "age", "sex", "stage", "edema", "bili", "ascites", "albumin")]
pbc_d$sex <- as.character(pbc_d$sex)
mtcars_d <- datasets::mtcars

# Small tables like the reference study: 15 patients, a 7-level diagnosis with many zero cells.
small_d <- data.frame(
  arm = c("A", "A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B", "B", "B"),
  diagnosis = c("d1", "d1", "d2", "d3", "d3", "d3", "d4", "d5", "d5", "d6", "d7", "d7", "d1", "d6", "d5"),
  smoker = c("yes", "no", "no", "no", "yes", "no", "no", "yes", "yes", "yes", "no", "yes", "yes", "no", "yes"),
  score = c(12.1, 14.3, 9.8, 11.0, 15.2, 13.3, 10.4, 17.9, 16.2, 12.8, 18.4, 19.6, 14.9, 20.3, 15.7),
  age = c(61, 54, NA, 70, 66, 59, 72, 48, 53, 67, 58, 49, NA, 62, 57))

# A 7 x 2 table with 200 patients (the Fisher speed case) and ranks without ties.
set.seed(20240601)
fisher200_d <- data.frame(
  group = rep(c("control", "treated"), c(110, 90)),
  category = c(sample(paste0("c", 1:7), 110, TRUE, prob = c(.3, .2, .15, .12, .1, .08, .05)),
               sample(paste0("c", 1:7), 90, TRUE, prob = c(.15, .15, .2, .15, .15, .1, .1))))
noties_d <- data.frame(
  group = rep(c("g1", "g2"), c(23, 31)),
  x = round(c(rnorm(23, 10, 2), rnorm(31, 11.5, 3)), 6))
stopifnot(!anyDuplicated(noties_d$x))
large_noties_d <- data.frame(
  group = rep(c("g1", "g2"), c(60, 55)),
  x = round(c(rnorm(60, 0, 1), rnorm(55, 0.4, 1)), 6))
stopifnot(!anyDuplicated(large_noties_d$x))

# Missing values in the variables and in the group (3 rows without an arm), a grade coded
# 1-3, a 2 x 2 table for Yates' correction and a three-group site.
set.seed(20240602)
n_missing <- 120
missing_d <- data.frame(
  arm = sample(c("control", "treated"), n_missing, TRUE),
  site = sample(c("north", "south", "west"), n_missing, TRUE),
  grade = sample(1:3, n_missing, TRUE, prob = c(.3, .5, .2)),
  smoker = sample(c("no", "yes"), n_missing, TRUE, prob = c(.6, .4)),
  stringsAsFactors = FALSE)
missing_d$grade[sample(n_missing, 9)] <- NA
missing_d$smoker[sample(n_missing, 7)] <- NA
missing_d$arm[sample(n_missing, 3)] <- NA

datasets <- list(lung = "lung_d", colon = "colon_d", pbc = "pbc_d", mtcars = "mtcars_d",
                 small = "small_d", fisher200 = "fisher200_d", noties = "noties_d",
                 large_noties = "large_noties_d", missing = "missing_d")
for (nm in names(datasets)) {
  write.csv(get(datasets[[nm]]), file.path(out, sprintf("table1_%s.csv", nm)),
            row.names = FALSE, na = "NA")
}

# --- summaries as survcalc defines them (quantile type 7, SD with n - 1) ---
cont_summary <- function(x) {
  y <- x[!is.na(x)]
  q <- if (length(y)) unname(quantile(y, c(.25, .5, .75), type = 7)) else c(NA, NA, NA)
  list(n = length(y), missing = sum(is.na(x)),
       mean = if (length(y)) mean(y) else NA, sd = if (length(y) > 1) sd(y) else NA,
       median = q[2], q1 = q[1], q3 = q[3],
       min = if (length(y)) min(y) else NA, max = if (length(y)) max(y) else NA)
}
by_groups <- function(d, group, var, f) {
  g <- d[[group]]
  keep <- !is.na(g)
  lev <- sort(unique(g[keep]))
  list(overall = f(d[[var]][keep]),
       by_group = lapply(lev, function(l) c(list(group = as.character(l)), f(d[[var]][keep & g == l]))))
}
cat_summary <- function(x) {
  y <- x[!is.na(x)]
  tab <- table(as.character(y))
  list(n = length(y), missing = sum(is.na(x)),
       levels = lapply(names(tab), function(l) list(level = l, count = unname(as.integer(tab[l])),
                                                    percent = 100 * unname(as.integer(tab[l])) / length(y))))
}

cases <- list()
add <- function(name, dataset, group, variable, kind, test, r_call, pick) {
  r <- eval(parse(text = r_call))
  res <- pick(r)
  d <- get(datasets[[dataset]])
  summ <- by_groups(d, group, variable, if (kind == "continuous") cont_summary else cat_summary)
  cases[[length(cases) + 1]] <<- c(list(name = name, csv = sprintf("table1_%s.csv", dataset),
    group = group, variable = variable, kind = kind, test = test, r_call = r_call,
    source = "R package: stats (the test in r_call; quantile, sd, table for the summaries)"),
    res, list(summary = summ))
}
htest <- function(r) list(statistic = unname(r$statistic), p = r$p.value)
ptest <- function(r) list(statistic = NA, p = r$p.value)
aovp <- function(r) { s <- summary(r)[[1]]; list(statistic = s[["F value"]][1], p = s[["Pr(>F)"]][1]) }

cont <- function(dataset, group, variable, tests) {
  dn <- datasets[[dataset]]
  for (t in tests) {
    call <- switch(t,
      "welch-t" = sprintf("t.test(`%s` ~ `%s`, data = %s)", variable, group, dn),
      "student-t" = sprintf("t.test(`%s` ~ `%s`, data = %s, var.equal = TRUE)", variable, group, dn),
      "anova" = sprintf("oneway.test(`%s` ~ `%s`, data = %s, var.equal = TRUE)", variable, group, dn),
      "aov" = sprintf("aov(`%s` ~ factor(`%s`), data = %s)", variable, group, dn),
      "welch-anova" = sprintf("oneway.test(`%s` ~ `%s`, data = %s)", variable, group, dn),
      "mann-whitney" = sprintf("suppressWarnings(wilcox.test(`%s` ~ `%s`, data = %s))", variable, group, dn),
      "kruskal-wallis" = sprintf("kruskal.test(`%s` ~ `%s`, data = %s)", variable, group, dn))
    add(sprintf("%s %s by %s: %s", dataset, variable, group, t), dataset, group, variable,
        "continuous", if (t == "aov") "anova" else t, call, if (t == "aov") aovp else htest)
  }
}
categ <- function(dataset, group, variable, tests) {
  dn <- datasets[[dataset]]
  for (t in tests) {
    tab <- sprintf("table(%s$`%s`, %s$`%s`)", dn, variable, dn, group)
    call <- switch(t,
      "chi-square" = sprintf("suppressWarnings(chisq.test(%s, correct = FALSE))", tab),
      "chi-square-yates" = sprintf("suppressWarnings(chisq.test(%s))", tab),
      "fisher-exact" = sprintf("fisher.test(%s, workspace = 2e8)", tab))
    add(sprintf("%s %s by %s: %s", dataset, variable, group, t), dataset, group, variable,
        "categorical", t, call, if (t == "fisher-exact") ptest else htest)
  }
}

two <- c("welch-t", "student-t", "mann-whitney")
many <- c("anova", "aov", "welch-anova", "kruskal-wallis")
cat_all <- c("chi-square", "chi-square-yates", "fisher-exact")

cont("lung", "sex", "age", c(two, many))
cont("lung", "sex", "meal.cal", c(two, "kruskal-wallis"))
cont("lung", "sex", "wt.loss", two)
cont("lung", "sex", "ph.karno", two)
categ("lung", "sex", "ph.ecog", cat_all)
categ("lung", "sex", "status", cat_all)
cont("mtcars", "cyl", "mpg", many)
cont("mtcars", "cyl", "hp", many)
cont("mtcars", "am", "qsec", c(two, many))
categ("mtcars", "cyl", "gear", cat_all)
categ("mtcars", "cyl", "carb", c("chi-square", "fisher-exact"))
categ("mtcars", "am", "vs", cat_all)
cont("colon", "rx", "age", many)
cont("colon", "rx", "nodes", c("kruskal-wallis", "welch-anova"))
categ("colon", "rx", "sex", cat_all)
categ("colon", "rx", "differ", c("chi-square", "fisher-exact"))
categ("colon", "rx", "extent", c("chi-square", "fisher-exact"))
cont("pbc", "trt", "age", c(two, many))
cont("pbc", "trt", "bili", c(two, "kruskal-wallis"))
categ("pbc", "trt", "sex", cat_all)
categ("pbc", "trt", "stage", cat_all)
categ("pbc", "trt", "edema", cat_all)
categ("pbc", "trt", "ascites", cat_all)
cont("pbc", "stage", "albumin", many)
cont("small", "arm", "score", c(two, many))
cont("small", "arm", "age", c(two, many))
categ("small", "arm", "diagnosis", cat_all)
categ("small", "arm", "smoker", cat_all)
categ("fisher200", "group", "category", cat_all)
categ("missing", "arm", "smoker", cat_all)
categ("missing", "arm", "grade", cat_all)
categ("missing", "site", "grade", c("chi-square", "chi-square-yates"))
categ("missing", "site", "smoker", c("chi-square", "chi-square-yates"))
cont("noties", "group", "x", c(two, "kruskal-wallis"))
cont("large_noties", "group", "x", c(two))

# Standardised mean differences as tableone::ExtractSmd defines them (Yang and Dalton):
# continuous |m1 - m2| / sqrt((v1 + v2) / 2); categorical sqrt(T' ginv(S) T) over the levels
# after the first, S the mean of the groups' multinomial covariances.
smd_cont <- function(x, g) {
  lev <- sort(unique(g[!is.na(g)]))
  a <- x[!is.na(x) & !is.na(g) & g == lev[1]]; b <- x[!is.na(x) & !is.na(g) & g == lev[2]]
  abs(mean(a) - mean(b)) / sqrt((var(a) + var(b)) / 2)
}
smd_cat <- function(x, g) {
  ok <- !is.na(x) & !is.na(g)
  tab <- table(as.character(x[ok]), g[ok])
  p <- sweep(tab, 2, colSums(tab), "/")[-1, , drop = FALSE]
  covm <- function(q) { m <- -outer(q, q); diag(m) <- q * (1 - q); m }
  S <- (covm(p[, 1]) + covm(p[, 2])) / 2
  d <- p[, 1] - p[, 2]
  sqrt(drop(t(d) %*% MASS::ginv(S) %*% d))
}
smd_cases <- list(
  list(csv = "table1_lung.csv", group = "sex", variable = "age", kind = "continuous",
       r_call = "smd_cont(lung_d$age, lung_d$sex)"),
  list(csv = "table1_lung.csv", group = "sex", variable = "meal.cal", kind = "continuous",
       r_call = "smd_cont(lung_d$meal.cal, lung_d$sex)"),
  list(csv = "table1_lung.csv", group = "sex", variable = "ph.ecog", kind = "categorical",
       r_call = "smd_cat(lung_d$ph.ecog, lung_d$sex)"),
  list(csv = "table1_pbc.csv", group = "trt", variable = "stage", kind = "categorical",
       r_call = "smd_cat(pbc_d$stage, pbc_d$trt)"),
  list(csv = "table1_small.csv", group = "arm", variable = "diagnosis", kind = "categorical",
       r_call = "smd_cat(small_d$diagnosis, small_d$arm)"))
smd_cases <- lapply(smd_cases, function(cs) c(cs, list(
  smd = eval(parse(text = cs$r_call)),
  source = "R from the definition: tableone::ExtractSmd's formula (smd_cont, smd_cat in table1.R)")))

# Percentages on each basis, with the missing count of each group: table() drops missing values
# of the variable and of the group alike, as survcalc leaves them out of every percentage.
percent_case <- function(dataset, group, variable, basis) {
  dn <- datasets[[dataset]]
  d <- get(dn)
  tab_call <- sprintf("table(%s$`%s`, %s$`%s`)", dn, variable, dn, group)
  call <- switch(basis,
    column = sprintf("100 * prop.table(%s, 2)", tab_call),
    row = sprintf("100 * prop.table(%s, 1)", tab_call),
    total = sprintf("100 * prop.table(%s)", tab_call))
  overall_call <- switch(basis,
    row = sprintf("100 * rowSums(%s) / rowSums(%s)", tab_call, tab_call),
    sprintf("100 * prop.table(rowSums(%s))", tab_call))
  missing_call <- sprintf("sapply(split(is.na(%s$`%s`), %s$`%s`), sum)", dn, variable, dn, group)
  tab <- eval(parse(text = tab_call))
  pct <- eval(parse(text = call))
  overall <- eval(parse(text = overall_call))
  miss <- eval(parse(text = missing_call))
  groups <- colnames(tab)
  list(name = sprintf("%s %s by %s: %s percent", dataset, variable, group, basis),
       csv = sprintf("table1_%s.csv", dataset), group = group, variable = variable,
       percent = basis, r_call = call, overall_r_call = overall_call,
       missing_r_call = missing_call,
       source = "R package: base (table, prop.table, rowSums, split)",
       by_group = lapply(groups, function(g) list(
         group = g, n = sum(tab[, g]), missing = unname(miss[g]),
         levels = lapply(rownames(tab), function(l) list(
           level = l, count = unname(tab[l, g]), percent = unname(pct[l, g]))))),
       overall = list(n = sum(tab), missing = sum(miss),
         levels = lapply(rownames(tab), function(l) list(
           level = l, count = unname(sum(tab[l, ])), percent = unname(overall[l])))))
}
percent_cases <- list()
for (basis in c("column", "row", "total")) {
  percent_cases <- c(percent_cases, list(
    percent_case("missing", "arm", "grade", basis),
    percent_case("missing", "arm", "smoker", basis),
    percent_case("missing", "site", "grade", basis),
    percent_case("colon", "rx", "differ", basis),
    percent_case("lung", "sex", "ph.ecog", basis)))
}

# A 7 x 2 table with n = 2132, still exact in R (about a second) and in survcalc.
large_table <- matrix(c(300, 280, 250, 270, 200, 210, 150, 160, 3, 9, 1, 4, 50, 45), ncol = 2, byrow = TRUE)
large_call <- "fisher.test(large_table, workspace = 2e8)"
fisher_large <- list(table = large_table, r_call = large_call, source = "R package: stats::fisher.test",
                     p = eval(parse(text = large_call))$p.value)

# A 6 x 5 table (n = 400) too large for FEXACT (R stops: hash key > INT_MAX) and for
# survcalc's exact budget: both fall back to Monte Carlo, so compare within sampling error.
mc_table <- matrix(c(12, 8, 15, 9, 11, 10, 14, 9, 12, 7, 3, 6, 2, 8, 4,
                     20, 18, 25, 16, 22, 5, 2, 7, 3, 6, 9, 11, 8, 10, 13), 6, byrow = TRUE)
mc_call <- "{set.seed(1); fisher.test(mc_table, simulate.p.value = TRUE, B = 1e6)}"
monte_carlo <- list(table = mc_table, r_call = mc_call, B = 1e6, source = "R package: stats::fisher.test",
                    p = eval(parse(text = mc_call))$p.value)

writeLines(toJSON(list(r_version = R.version.string, cases = cases, monte_carlo = monte_carlo,
                       fisher_large = fisher_large,
                       smd = smd_cases, percent = percent_cases),
                  digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE),
           file.path(out, "table1_fixtures.json"))
cat(length(cases), "cases\n")
