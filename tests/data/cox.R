# Golden fixtures for survcalc's Cox regression: R survival's coxph, concordance and cox.zph.
#
# Run from the repository root:  Rscript tests/data/cox.R
# Writes tests/data/cox_*.csv (the data sets, as the CLI reads them) and
# tests/data/cox_fixtures.json. Each case carries the exact R call that produced it
# (`r_call`) and the survcalc arguments that ask the same question (`args`).
# coxph is run with eps = 1e-12 (and a matching toler.chol) so R stops at the maximum,
# not ~1e-8 short of it as with the default eps = 1e-9.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
stopifnot(packageVersion("survival") == "3.5.3")
out <- "tests/data"
ctl <- "coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)"

# Level order of the contract: numeric when every level is a number, else by character code.
sorted_levels <- function(x) {
  lv <- unique(as.character(x[!is.na(x)]))
  num <- suppressWarnings(as.numeric(lv))
  if (all(!is.na(num))) lv[order(num)] else lv[order(lv, method = "radix")]
}
as_factor <- function(x, ref = NULL) {
  lv <- sorted_levels(x)
  if (is.null(ref)) ref <- lv[1]
  factor(as.character(x), levels = c(ref, setdiff(lv, ref)))
}

write_data <- function(d, name) {
  write.csv(d, file.path(out, paste0("cox_", name, ".csv")), row.names = FALSE, na = "")
}

lung <- survival::lung
veteran <- survival::veteran
ovarian <- survival::ovarian
aml <- survival::aml
colon_death <- subset(survival::colon, etype == 2, select = -etype)
mono <- survival::ovarian
# A group with no events (all B are censored late): the coefficient of grp runs to -infinity.
mono$grp <- ifelse(mono$futime > 700 & mono$fustat == 0, "B", "A")
write_data(lung, "lung")
write_data(veteran, "veteran")
write_data(ovarian, "ovarian")
write_data(aml, "aml")
write_data(colon_death, "colon")
write_data(mono, "mono")
# Covariates in very different units (age in seconds beside 0/1 sex; a no-event group coded
# 0 / 100000): the fit must not mistake scale for collinearity or miss the infinite term.
lung_units <- transform(lung, age_seconds = age * 31557600)
write_data(lung_units, "lung_units")
mono_units <- transform(mono, grp_big = ifelse(grp == "B", 1e5, 0))
write_data(mono_units, "mono_units")
# The no-event group as the reference "A", the others split by treatment arm.
mono3 <- transform(mono, grp3 = ifelse(grp == "B", "A", ifelse(rx == 1, "B", "C")))
write_data(mono3, "mono3")

# Term names as survcalc writes them: COL for numeric, COL=LEVEL for a factor's level.
term_names <- function(fit, data) {
  assign <- attr(model.matrix(fit), "assign")
  labels <- attr(terms(fit), "term.labels")
  labels <- labels[!grepl("^strata\\(", labels)]
  vapply(seq_along(coef(fit)), function(j) {
    var <- labels[assign[j]]
    if (is.factor(data[[var]])) {
      lv <- sub(paste0("^", var), "", names(coef(fit))[j])
      paste0(var, "=", lv)
    } else var
  }, "")
}

zph_fixture <- function(fit, transform) {
  z <- cox.zph(fit, transform = transform)
  tbl <- z$table
  list(
    transform = transform,
    r_call = sprintf("cox.zph(fit, transform = \"%s\")", transform),
    terms = lapply(seq_len(nrow(tbl) - 1), function(i)
      list(term = rownames(tbl)[i], chisq = tbl[i, "chisq"], df = tbl[i, "df"], p = tbl[i, "p"])),
    global = list(chisq = tbl[nrow(tbl), "chisq"], df = tbl[nrow(tbl), "df"], p = tbl[nrow(tbl), "p"]),
    x = unname(z$x), time = unname(z$time),
    y = lapply(seq_len(ncol(z$y)), function(j) unname(z$y[, j]))
  )
}

# Per-stratum counts (a matrix when there are strata) summed over strata.
pair_counts <- function(cc) {
  k <- c("concordant", "discordant", "tied.x", "tied.y", "tied.xy")
  if (is.matrix(cc$count)) colSums(cc$count)[k] else cc$count[k]
}
test_of <- function(stat, df) list(chisq = unname(stat), df = df, p = pchisq(unname(stat), df, lower.tail = FALSE))

# A test per covariate, on the rows complete for every variable of the model (the rows
# survcalc fits the model and each smaller model to; drop1 refuses rows that change):
# likelihood ratio from the package (drop1), Wald b' V^-1 b over the covariate's estimable
# terms from its definition (R has no per-term Wald for coxph; SPSS prints it).
covariate_tests_of <- function(call, d, rhs) {
  vars <- all.vars(as.formula(paste("~", rhs)))
  d <- d[complete.cases(d[, vars, drop = FALSE]), , drop = FALSE]
  fit <- eval(parse(text = call))
  dr <- drop1(fit, test = "Chisq")
  assign <- attr(model.matrix(fit), "assign")
  labels <- attr(terms(fit), "term.labels")
  tests <- lapply(which(!grepl("^strata\\(", labels)), function(k) {
    j <- which(assign == k)
    j <- j[!is.na(coef(fit)[j])]
    b <- coef(fit)[j]
    wald <- if (length(j)) drop(t(b) %*% solve(vcov(fit)[j, j, drop = FALSE], b)) else NA
    list(covariate = labels[k], df = length(j), wald_chisq = wald,
         wald_p = pchisq(wald, length(j), lower.tail = FALSE),
         lr_chisq = dr[labels[k], "LRT"], lr_df = dr[labels[k], "Df"], lr_p = dr[labels[k], "Pr(>Chi)"])
  })
  list(r_call = paste0("d <- d[complete.cases(d[, c(", paste0("\"", vars, "\"", collapse = ", "),
                       ")]), ]; fit <- ", call, "; drop1(fit, test = \"Chisq\"); ",
                       "for each covariate's non-NA coefficients j: b <- coef(fit)[j]; ",
                       "t(b) %*% solve(vcov(fit)[j, j], b)"),
       tests = tests)
}

# One case: the data set name, the model's right-hand side, how factors are built, survcalc args.
case <- function(id, dataset, data, rhs, args, ties = "efron", factors = list(), zph = NULL,
                 conf = 0.95, strata = NULL) {
  for (v in names(factors)) data[[v]] <- as_factor(data[[v]], factors[[v]])
  # Strata in survcalc's order (sorted levels), which orders cox.zph's events by stratum.
  for (v in strata) data[[v]] <- as_factor(data[[v]])
  time_event <- if (dataset %in% c("ovarian", "mono", "mono_units", "mono3")) "Surv(futime, fustat)" else "Surv(time, status)"
  call <- sprintf("coxph(%s ~ %s, data = d, ties = \"%s\", control = %s)", time_event, rhs, ties, ctl)
  d <- data
  fit <- eval(parse(text = call))
  s <- summary(fit, conf.int = conf)
  cf <- s$coefficients
  ci <- s$conf.int
  cc <- concordance(fit)
  df <- sum(!is.na(coef(fit)))
  prep <- paste(vapply(c(names(factors), strata), function(v) {
    sprintf("d$%s <- factor(d$%s, levels = c(%s))", v, v,
            paste0("\"", levels(data[[v]]), "\"", collapse = ", "))
  }, ""), collapse = "; ")
  res <- list(
    id = id, csv = paste0("cox_", dataset, ".csv"), args = args,
    r_call = paste0(if (nchar(prep)) paste0(prep, "; ") else "", "fit <- ", call,
                    "; summary(fit, conf.int = ", conf, "); concordance(fit)"),
    n = fit$n, events = fit$nevent,
    terms = lapply(seq_len(nrow(cf)), function(j) list(
      name = term_names(fit, data)[j], coef = cf[j, "coef"],
      se = if (is.na(cf[j, "coef"])) NA else cf[j, "se(coef)"],
      hr = cf[j, "exp(coef)"], hr_lower = ci[j, 3], hr_upper = ci[j, 4],
      z = cf[j, "z"], p = cf[j, "Pr(>|z|)"])),
    loglik = fit$loglik,
    lr_test = test_of(2 * diff(fit$loglik), df),
    wald_test = test_of(fit$wald.test, df),
    score_test = test_of(fit$score, df),
    concordance = unname(cc$concordance),
    concordance_counts = as.list(pair_counts(cc)),
    infinite = FALSE,
    covariate_tests = covariate_tests_of(call, d, rhs)
  )
  if (!is.null(zph)) res$zph <- lapply(zph, function(tr) zph_fixture(fit, tr))
  res
}

base <- function(time, event) c("--time", time, "--event", event)
cases <- list(
  case("lung_efron", "lung", lung, "age + sex + ph.ecog",
       c(base("time", "status"), "--covariate", "age", "--covariate", "sex", "--covariate", "ph.ecog"),
       zph = c("km", "identity", "rank", "log")),
  case("lung_breslow", "lung", lung, "age + sex + ph.ecog",
       c(base("time", "status"), "--covariate", "age", "--covariate", "sex", "--covariate", "ph.ecog",
         "--ties", "breslow"), ties = "breslow", zph = c("km")),
  case("lung_ci90", "lung", lung, "age + wt.loss",
       c(base("time", "status"), "--covariate", "age", "--covariate", "wt.loss", "--conf-level", "0.9"),
       conf = 0.9),
  case("veteran_celltype_ref_large", "veteran", veteran, "celltype + karno + trt",
       c(base("time", "status"), "--categorical", "celltype=large", "--covariate", "karno",
         "--covariate", "trt"), factors = list(celltype = "large"), zph = c("km", "rank")),
  case("veteran_celltype_default_ref", "veteran", veteran, "celltype",
       c(base("time", "status"), "--categorical", "celltype"), factors = list(celltype = NULL)),
  case("veteran_strata_celltype", "veteran", veteran, "karno + age + strata(celltype)",
       c(base("time", "status"), "--covariate", "karno", "--covariate", "age", "--strata", "celltype"),
       zph = c("km", "identity"), strata = "celltype"),
  case("veteran_strata_breslow", "veteran", veteran, "karno + prior + strata(trt)",
       c(base("time", "status"), "--covariate", "karno", "--covariate", "prior", "--strata", "trt",
         "--ties", "breslow"), ties = "breslow", strata = "trt"),
  case("ovarian_efron", "ovarian", ovarian, "rx + age + resid.ds",
       c(base("futime", "fustat"), "--covariate", "rx", "--covariate", "age", "--covariate", "resid.ds"),
       zph = c("km")),
  case("ovarian_ecog_categorical_breslow", "ovarian", ovarian, "ecog.ps + age",
       c(base("futime", "fustat"), "--categorical", "ecog.ps=2", "--covariate", "age", "--ties", "breslow"),
       ties = "breslow", factors = list(ecog.ps = "2")),
  case("aml_x", "aml", aml, "x",
       c(base("time", "status"), "--categorical", "x"), factors = list(x = NULL), zph = c("km")),
  case("aml_x_breslow", "aml", aml, "x",
       c(base("time", "status"), "--categorical", "x", "--ties", "breslow"), ties = "breslow",
       factors = list(x = NULL)),
  case("colon_rx_multi", "colon", colon_death, "rx + sex + age + nodes + obstruct",
       c(base("time", "status"), "--categorical", "rx", "--covariate", "sex", "--covariate", "age",
         "--covariate", "nodes", "--covariate", "obstruct", "--categorical", "rx"),
       factors = list(rx = NULL), zph = c("km", "log")),
  case("colon_rx_strata_differ", "colon", colon_death, "rx + nodes + strata(differ)",
       c(base("time", "status"), "--categorical", "rx=Obs", "--covariate", "nodes", "--strata", "differ"),
       factors = list(rx = "Obs"), zph = c("km"), strata = "differ"),
  # ph.ecog as a factor (its level 3 has one patient; one row lacks ph.ecog), then stratified:
  # level 3 is in one stratum only, where cox.zph's scaling counts the factor's events anyway.
  case("lung_ph_ecog_categorical", "lung", lung, "age + sex + ph.ecog",
       c(base("time", "status"), "--covariate", "age", "--covariate", "sex", "--categorical", "ph.ecog"),
       factors = list(ph.ecog = NULL)),
  case("lung_ph_ecog_strata_sex", "lung", lung, "age + ph.ecog + wt.loss + strata(sex)",
       c(base("time", "status"), "--covariate", "age", "--categorical", "ph.ecog", "--covariate", "wt.loss",
         "--strata", "sex"), factors = list(ph.ecog = NULL), strata = "sex", zph = c("km"))
)

# R's Wald test here drops age (coxph.wtest's Cholesky of the variance treats 1e-16 beside
# 1e-2 as singular): survcalc's must equal lung_efron's, the same model in years.
cases[[length(cases) + 1]] <- c(case("lung_age_in_seconds", "lung_units", lung_units,
  "age_seconds + sex + ph.ecog",
  c(base("time", "status"), "--covariate", "age_seconds", "--covariate", "sex", "--covariate", "ph.ecog")),
  list(wald_same_as = "lung_efron"))

# A covariate whose coefficient runs to infinity has no Wald test (its variance means nothing);
# its likelihood-ratio test stands.
no_wald <- function(tests, covariate) lapply(tests, function(t) {
  if (t$covariate == covariate) { t$wald_chisq <- NULL; t$wald_p <- NULL }
  t
})

# age_seconds is age in other units: collinear, so NA in R and left out; both covariate tests
# then have 0 degrees of freedom (drop1: LRT 0, Pr NA).
cases[[length(cases) + 1]] <- case("lung_age_twice_collinear", "lung_units", lung_units,
  "age + sex + age_seconds",
  c(base("time", "status"), "--covariate", "age", "--covariate", "sex", "--covariate", "age_seconds"))

# Monotone likelihood: only the likelihoods and the tests are defined; grp's coefficient is not.
mono_case <- local({
  c1 <- case("mono_group_without_events", "mono", mono, "age + grp",
             c(base("futime", "fustat"), "--covariate", "age", "--categorical", "grp"),
             factors = list(grp = NULL))
  c1$infinite <- TRUE
  c1$terms <- lapply(c1$terms, function(t) if (t$name == "grp=B") list(name = t$name) else t)
  c1$covariate_tests$tests <- no_wald(c1$covariate_tests$tests, "grp")
  c1
})
cases[[length(cases) + 1]] <- mono_case
mono_units_case <- local({
  c1 <- case("mono_group_coded_in_large_units", "mono_units", mono_units, "age + grp_big",
             c(base("futime", "fustat"), "--covariate", "age", "--covariate", "grp_big"))
  c1$infinite <- TRUE
  c1$terms <- lapply(c1$terms, function(t) if (t$name == "grp_big") list(name = t$name) else t)
  c1$covariate_tests$tests <- no_wald(c1$covariate_tests$tests, "grp_big")
  c1
})
cases[[length(cases) + 1]] <- mono_units_case
# Two groups against a reference group without events: both coefficients run to +infinity
# together while their difference stays finite, so both are infinite and age is estimated.
mono3_case <- local({
  c1 <- case("mono_two_groups_against_a_reference_without_events", "mono3", mono3, "age + grp3",
             c(base("futime", "fustat"), "--covariate", "age", "--categorical", "grp3"),
             factors = list(grp3 = NULL))
  c1$infinite <- TRUE
  c1$terms <- lapply(c1$terms, function(t) if (startsWith(t$name, "grp3=")) list(name = t$name) else t)
  c1$covariate_tests$tests <- no_wald(c1$covariate_tests$tests, "grp3")
  c1
})
cases[[length(cases) + 1]] <- mono3_case

# Univariable screening: one model per covariate on the rows complete for it (veteran has no
# missing values; lung's ph.ecog and wt.loss do).
univariate <- list(
  list(csv = "cox_veteran.csv",
       args = c(base("time", "status"), "--categorical", "celltype=squamous", "--covariate", "karno",
                "--covariate", "trt", "--univariate"),
       models = list(
         case("uni_veteran_celltype", "veteran", veteran, "celltype", character(0),
              factors = list(celltype = "squamous")),
         case("uni_veteran_karno", "veteran", veteran, "karno", character(0)),
         case("uni_veteran_trt", "veteran", veteran, "trt", character(0)))),
  list(csv = "cox_lung.csv",
       args = c(base("time", "status"), "--covariate", "age", "--categorical", "ph.ecog",
                "--covariate", "wt.loss", "--univariate"),
       models = list(
         case("uni_lung_age", "lung", lung, "age", character(0)),
         case("uni_lung_wt.loss", "lung", lung, "wt.loss", character(0)),
         case("uni_lung_ph.ecog", "lung", lung, "ph.ecog", character(0), factors = list(ph.ecog = NULL))))
)

# Hazard ratios per chosen units (age per 10 years, weight loss per 5 lb), as journals print
# them: the column divided by the unit in the formula (I(age / 10)). survcalc's core takes the
# units as `per` (the page's "HR per" field; the command line has no flag for it), so these
# cases carry `covariates` and `per` instead of command-line `args`, and the terms and tests
# are named after the column, as survcalc names them.
unscaled <- function(name) sub("^I\\(([^/ ]+) ?/ ?[0-9.]+\\)$", "\\1", name)
per_case <- function(id, rhs, covariates, per, categorical = character(0), factors = list()) {
  c1 <- case(id, "lung", lung, rhs, character(0), factors = factors)
  c1$terms <- lapply(c1$terms, function(t) { t$name <- unscaled(t$name); t })
  c1$covariate_tests$tests <- lapply(c1$covariate_tests$tests, function(t) {
    t$covariate <- unscaled(t$covariate); t })
  c(c1, list(covariates = I(covariates), categorical = I(categorical), per = per))
}
per_unit <- list(
  per_case("per_lung_age10_wtloss5", "I(age / 10) + sex + I(wt.loss / 5)",
           c("age", "sex", "wt.loss"), list(age = 10, wt.loss = 5)),
  per_case("per_lung_age10_ecog_factor", "I(age / 10) + ph.ecog", c("age", "ph.ecog"),
           list(age = 10), categorical = "ph.ecog", factors = list(ph.ecog = NULL)),
  per_case("per_lung_age_one_tenth", "I(age / 0.1)", "age", list(age = 0.1))
)

writeLines(toJSON(list(
  generated_by = "tests/data/cox.R",
  survival_version = as.character(packageVersion("survival")),
  cases = cases,
  univariate = univariate,
  per_unit = per_unit
), digits = NA, auto_unbox = TRUE, na = "null", pretty = TRUE), file.path(out, "cox_fixtures.json"))
