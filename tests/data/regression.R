# Golden fixtures for survcalc's linear and logistic regression: R's lm and glm(binomial).
#
# Run from the repository root:  Rscript tests/data/regression.R
# Writes tests/data/regression_*.csv (the data sets, as the CLI reads them) and
# tests/data/regression_fixtures.json. Each case carries the exact R calls that produced it
# (`r_call`) and the survcalc arguments that ask the same question (`args`). Every number
# comes from stats' own functions (lm, summary.lm, confint; glm, summary.glm,
# confint.default); glm runs with its default control (epsilon 1e-8, maxit 25), as survcalc
# follows glm's iteration step for step.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
out <- "tests/data"

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
  write.csv(d, file.path(out, paste0("regression_", name, ".csv")), row.names = FALSE, na = "")
}

mtcars_d <- datasets::mtcars
# A covariate that is wt in kilograms: collinear with wt, so lm and glm alias it.
mtcars_d$wt_kg <- mtcars_d$wt * 453.59237
lung <- survival::lung
# Made up: complete separation (x > 5.5 exactly when y = 1), and quasi-complete separation
# (group C never has the outcome); z is unrelated to the outcome in both.
sep <- data.frame(
  x = c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2.5, 7.5),
  z = c(0.3, -1.2, 0.8, 1.5, -0.4, 0.9, -0.7, 0.2, 1.1, -1.6, 0.5, -0.2),
  grp = c("A", "B", "C", "A", "B", "C", "A", "B", "C", "A", "C", "C"),
  y = c(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 1)
)
quasi <- data.frame(
  grp = rep(c("A", "B", "C"), c(8, 8, 6)),
  z = c(0.3, -1.2, 0.8, 1.5, -0.4, 0.9, -0.7, 0.2, 1.1, -1.6, 0.5, -0.2, 0.6, -0.9, 1.3, 0.1,
        -0.5, 0.4, 1.0, -1.1, 0.7, -0.3),
  y = c(1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0)
)
write_data(mtcars_d, "mtcars")
write_data(lung, "lung")
write_data(sep, "separation")
write_data(quasi, "quasi")

# Term names as survcalc writes them: COL for numeric, COL=LEVEL for a factor's level.
term_names <- function(fit, data) {
  mm <- model.matrix(fit)
  assign <- attr(mm, "assign")
  labels <- attr(terms(fit), "term.labels")
  vapply(seq_along(coef(fit)), function(j) {
    if (assign[j] == 0) return("(Intercept)")
    var <- labels[assign[j]]
    if (is.factor(data[[var]])) {
      lv <- sub(paste0("^", var), "", colnames(mm)[j])
      paste0(var, "=", lv)
    } else var
  }, "")
}

num_or_null <- function(x) if (is.na(x)) NULL else unname(x)

# Rows of coef(summary()) exist only for estimable terms; aliased ones get nulls.
term_table <- function(fit, data, ci, logistic) {
  cf <- coef(summary(fit))
  names_ <- term_names(fit, data)
  lapply(seq_along(coef(fit)), function(j) {
    r <- names(coef(fit))[j]
    if (!(r %in% rownames(cf))) {
      return(list(name = names_[j], aliased = TRUE))
    }
    t <- list(name = names_[j], aliased = FALSE, estimate = cf[r, 1], se = cf[r, 2],
              statistic = cf[r, 3], p = cf[r, 4], lower = ci[r, 1], upper = ci[r, 2])
    if (logistic) {
      t$odds_ratio <- exp(cf[r, 1])
      t$or_lower <- exp(ci[r, 1])
      t$or_upper <- exp(ci[r, 2])
    }
    t
  })
}

prepare <- function(data, factors) {
  for (v in names(factors)) data[[v]] <- as_factor(data[[v]], factors[[v]])
  data
}
prep_call <- function(data, factors) {
  paste(vapply(names(factors), function(v) {
    sprintf("d$%s <- factor(d$%s, levels = c(%s)); ", v, v,
            paste0("\"", levels(data[[v]]), "\"", collapse = ", "))
  }, ""), collapse = "")
}

linear_case <- function(id, dataset, data, formula, args, factors = list(), conf = 0.95) {
  d <- prepare(data, factors)
  call <- sprintf("lm(%s, data = d)", formula)
  fit <- eval(parse(text = call))
  s <- summary(fit)
  ci <- confint(fit, level = conf)
  f <- s$fstatistic
  list(
    id = id, csv = paste0("regression_", dataset, ".csv"), args = args, family = "linear",
    r_call = paste0(prep_call(d, factors), "fit <- ", call, "; s <- summary(fit); confint(fit, level = ", conf, ")"),
    n = length(fit$residuals),
    terms = term_table(fit, d, ci, FALSE),
    r_squared = s$r.squared, adj_r_squared = s$adj.r.squared, sigma = s$sigma,
    df_residual = fit$df.residual,
    f_test = if (is.null(f)) NULL else list(statistic = unname(f["value"]), df1 = unname(f["numdf"]),
                                            df2 = unname(f["dendf"]),
                                            p = unname(pf(f["value"], f["numdf"], f["dendf"], lower.tail = FALSE))),
    excluded_rows = I(as.integer(unname(fit$na.action))),
    fitted = unname(fitted(fit)), residuals = unname(residuals(fit))
  )
}

logistic_case <- function(id, dataset, data, formula, args, factors = list(), conf = 0.95) {
  d <- prepare(data, factors)
  call <- sprintf("glm(%s, family = binomial, data = d)", formula)
  warned <- character()
  fit <- withCallingHandlers(eval(parse(text = call)), warning = function(w) {
    warned <<- c(warned, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
  ci <- confint.default(fit, level = conf)
  df <- fit$df.null - fit$df.residual
  lr <- fit$null.deviance - fit$deviance
  list(
    id = id, csv = paste0("regression_", dataset, ".csv"), args = args, family = "logistic",
    r_call = paste0(prep_call(d, factors), "fit <- ", call, "; summary(fit); confint.default(fit, level = ", conf, ")"),
    n = length(fit$y), events = sum(fit$y),
    terms = term_table(fit, d, ci, TRUE),
    null_deviance = fit$null.deviance, deviance = fit$deviance, aic = fit$aic,
    lr_test = list(chisq = lr, df = df, p = pchisq(lr, df, lower.tail = FALSE)),
    df_null = fit$df.null, df_residual = fit$df.residual,
    iterations = fit$iter, converged = fit$converged, r_warnings = I(warned),
    excluded_rows = I(as.integer(unname(fit$na.action)))
  )
}

oc <- function(col) c("--outcome", col)
cases <- list(
  linear_case("mtcars_wt_hp", "mtcars", mtcars_d, "mpg ~ wt + hp",
              c(oc("mpg"), "--covariate", "wt", "--covariate", "hp")),
  linear_case("mtcars_cyl", "mtcars", mtcars_d, "mpg ~ wt + cyl",
              c(oc("mpg"), "--covariate", "wt", "--categorical", "cyl"), factors = list(cyl = NULL)),
  linear_case("mtcars_cyl_ref8_ci90", "mtcars", mtcars_d, "mpg ~ cyl + qsec",
              c(oc("mpg"), "--categorical", "cyl=8", "--covariate", "qsec", "--conf-level", "0.9"),
              factors = list(cyl = "8"), conf = 0.9),
  linear_case("mtcars_aliased", "mtcars", mtcars_d, "mpg ~ wt + wt_kg + hp",
              c(oc("mpg"), "--covariate", "wt", "--covariate", "wt_kg", "--covariate", "hp")),
  linear_case("lung_age", "lung", lung, "age ~ sex + ph.ecog + wt.loss",
              c(oc("age"), "--categorical", "sex", "--categorical", "ph.ecog", "--covariate", "wt.loss"),
              factors = list(sex = NULL, ph.ecog = NULL)),
  logistic_case("mtcars_am", "mtcars", mtcars_d, "am ~ wt + hp",
                c(oc("am"), "--family", "logistic", "--covariate", "wt", "--covariate", "hp")),
  logistic_case("mtcars_am_aliased_ci90", "mtcars", mtcars_d, "am ~ wt + wt_kg + hp",
                c(oc("am"), "--family", "logistic", "--covariate", "wt", "--covariate", "wt_kg",
                  "--covariate", "hp", "--conf-level", "0.9"), conf = 0.9),
  logistic_case("lung_status", "lung", lung, "I(status == 2) ~ age + sex + ph.ecog",
                c(oc("status"), "--family", "logistic", "--covariate", "age", "--categorical", "sex",
                  "--categorical", "ph.ecog"),
                factors = list(sex = NULL, ph.ecog = NULL)),
  logistic_case("lung_status_no_ecog3", "lung", subset(lung, is.na(ph.ecog) | ph.ecog != 3),
                "I(status == 2) ~ age + sex + ph.ecog",
                c(oc("status"), "--family", "logistic", "--covariate", "age", "--categorical", "sex",
                  "--categorical", "ph.ecog"),
                factors = list(sex = NULL, ph.ecog = NULL)),
  logistic_case("mtcars_vs_cyl", "mtcars", mtcars_d, "vs ~ mpg + cyl",
                c(oc("vs"), "--family", "logistic", "--covariate", "mpg", "--categorical", "cyl"),
                factors = list(cyl = NULL)),
  logistic_case("separation_complete", "separation", sep, "y ~ x + z",
                c(oc("y"), "--family", "logistic", "--covariate", "x", "--covariate", "z")),
  logistic_case("separation_quasi", "quasi", quasi, "y ~ grp + z",
                c(oc("y"), "--family", "logistic", "--categorical", "grp", "--covariate", "z"),
                factors = list(grp = NULL))
)
# lung_status_no_ecog3 reads a file without the ph.ecog = 3 patient.
write_data(subset(lung, is.na(ph.ecog) | ph.ecog != 3), "lung_no_ecog3")
cases[[9]]$csv <- "regression_lung_no_ecog3.csv"

writeLines(toJSON(list(generated_by = "tests/data/regression.R", r_version = R.version.string,
                       cases = cases),
                  auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
           file.path(out, "regression_fixtures.json"))
