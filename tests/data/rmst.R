# Writes rmst_fixtures.json: restricted means compared between groups at a common tau, and
# the means of SPSS's "Means and Medians for Survival Time" table.
#
# Run from the repository root:  Rscript tests/data/rmst.R
#
# Each group's restricted mean and its standard error are survival 3.5.3's own
# (summary(survfit(...), rmean = tau)$table, columns "rmean" and "se(rmean)"; rmean =
# "individual" for SPSS's means, each group to its own largest time). The comparisons are
# R from the definition: survRM2's unadjusted rmst2 contrasts (survRM2 is not on Debian),
# difference mu1 - mu0 with se sqrt(se1^2 + se0^2) and normal limits and P; ratio mu1 / mu0
# on the log scale with se sqrt(se1^2 / mu1^2 + se0^2 / mu0^2). SPSS's limits are mean -+ z
# SE, also from the definition.

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
stopifnot(packageVersion("survival") == "3.5.3")
invisible(Sys.setlocale("LC_COLLATE", "C"))

out_dir <- "tests/data"
read_set <- function(file) read.csv(file.path(out_dir, file), stringsAsFactors = FALSE)

means <- function(d, group, rmean, conf_level) {
  d$g <- factor(d[[group]])
  fit <- survfit(Surv(time, status) ~ g, data = d, conf.int = conf_level)
  table <- summary(fit, rmean = rmean)$table
  list(name = levels(d$g), rmean = unname(table[, "rmean"]), se = unname(table[, "se(rmean)"]))
}

comparison <- function(file, group, tau, conf_level = 0.95) {
  d <- read_set(file)
  m <- means(d, group, tau, conf_level)
  z <- qnorm(1 - (1 - conf_level) / 2)
  rows <- lapply(seq_along(m$name)[-1], function(i) {
    mu1 <- m$rmean[i]; se1 <- m$se[i]; mu0 <- m$rmean[1]; se0 <- m$se[1]
    d <- mu1 - mu0; se <- sqrt(se1^2 + se0^2)
    lr <- log(mu1 / mu0); lse <- sqrt(se1^2 / mu1^2 + se0^2 / mu0^2)
    list(group = m$name[i], reference = m$name[1],
         difference = d, difference_se = se,
         difference_lower = d - z * se, difference_upper = d + z * se,
         difference_p = 2 * pnorm(-abs(d / se)),
         ratio = exp(lr), ratio_lower = exp(lr - z * lse), ratio_upper = exp(lr + z * lse),
         ratio_p = 2 * pnorm(-abs(lr / lse)))
  })
  list(
    kind = "rmst_comparison", file = file, group = group, tau = tau, conf_level = conf_level,
    rmean = m$rmean, rmean_se = m$se, comparisons = rows,
    r_call = sprintf(
      "d <- read.csv('%s'); d$g <- factor(d$%s); summary(survfit(Surv(time, status) ~ g, data = d), rmean = %s)$table[, c('rmean', 'se(rmean)')]; contrasts from the definition",
      file, group, format(tau)
    )
  )
}

spss <- function(file, group, conf_level = 0.95) {
  d <- read_set(file)
  m <- means(d, group, "individual", conf_level)
  all <- summary(survfit(Surv(time, status) ~ 1, data = d), rmean = "individual")$table
  z <- qnorm(1 - (1 - conf_level) / 2)
  d$g <- factor(d[[group]])
  last <- function(rows) {
    t <- max(rows$time)
    list(limit = t, limit_censored = any(rows$time == t & rows$status == min(d$status)))
  }
  rows <- lapply(seq_along(m$name), function(i) {
    c(list(group = m$name[i], mean = m$rmean[i], se = m$se[i],
           lower = m$rmean[i] - z * m$se[i], upper = m$rmean[i] + z * m$se[i]),
      last(d[d$g == m$name[i], ]))
  })
  rows[[length(rows) + 1]] <- c(
    list(group = "Overall", mean = unname(all["rmean"]), se = unname(all["se(rmean)"]),
         lower = unname(all["rmean"] - z * all["se(rmean)"]),
         upper = unname(all["rmean"] + z * all["se(rmean)"])),
    last(d)
  )
  list(
    kind = "spss_means", file = file, group = group, conf_level = conf_level, rows = rows,
    r_call = sprintf(
      "d <- read.csv('%s'); print(survfit(Surv(time, status) ~ %s, data = d), rmean = 'individual'); print(survfit(Surv(time, status) ~ 1, data = d), rmean = 'individual'); limits mean -+ z se",
      file, group
    )
  )
}

cases <- list(
  comparison("aml.csv", "x", 40),
  comparison("lung.csv", "sex", 500),
  comparison("veteran.csv", "celltype", 200, conf_level = 0.9),
  # tau past the Nonmaintained group's last follow-up (45): its mean is carried flat.
  comparison("aml.csv", "x", 100),
  spss("aml.csv", "x"),
  spss("lung.csv", "sex", conf_level = 0.9)
)

writeLines(
  toJSON(list(cases = cases), auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
  file.path(out_dir, "rmst_fixtures.json")
)
