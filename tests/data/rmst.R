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
#
# A case with `reference` compares every other group with that group (not the first level):
# its rmean/rmean_se stay in the levels' order; with two groups it also carries the hazard
# ratio of the other group over the reference from survdiff on the releveled factor
# (Mantel-Haenszel exp((O - E) / V), O/E (O2/E2) / (O1/E1), from the definition over
# survdiff's obs, exp and var), checked against coxph on the same factor; with `adjust`,
# the pairwise log-rank tests listed with the reference first (survdiff on each pair,
# p.adjust).

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

comparison <- function(file, group, tau, conf_level = 0.95, reference = NULL, adjust = NULL) {
  d <- read_set(file)
  m <- means(d, group, tau, conf_level)
  z <- qnorm(1 - (1 - conf_level) / 2)
  r <- if (is.null(reference)) 1L else match(reference, m$name)
  stopifnot(!is.na(r))
  rows <- lapply(seq_along(m$name)[-r], function(i) {
    mu1 <- m$rmean[i]; se1 <- m$se[i]; mu0 <- m$rmean[r]; se0 <- m$se[r]
    d <- mu1 - mu0; se <- sqrt(se1^2 + se0^2)
    lr <- log(mu1 / mu0); lse <- sqrt(se1^2 / mu1^2 + se0^2 / mu0^2)
    list(group = m$name[i], reference = m$name[r],
         difference = d, difference_se = se,
         difference_lower = d - z * se, difference_upper = d + z * se,
         difference_p = 2 * pnorm(-abs(d / se)),
         ratio = exp(lr), ratio_lower = exp(lr - z * lse), ratio_upper = exp(lr + z * lse),
         ratio_p = 2 * pnorm(-abs(lr / lse)))
  })
  case <- list(
    kind = "rmst_comparison", file = file, group = group, tau = tau, conf_level = conf_level,
    rmean = m$rmean, rmean_se = m$se, comparisons = rows,
    r_call = sprintf(
      "d <- read.csv('%s'); d$g <- factor(d$%s); summary(survfit(Surv(time, status) ~ g, data = d), rmean = %s)$table[, c('rmean', 'se(rmean)')]; contrasts from the definition",
      file, group, format(tau)
    )
  )
  if (is.null(reference)) return(case)
  case$reference <- reference
  order <- c(r, seq_along(m$name)[-r])
  d$g <- factor(d[[group]], levels = m$name[order])
  case$r_call <- paste0(case$r_call, sprintf(
    " against the reference: the rows above with mu0 = rmean of '%s'; d$g <- relevel(factor(d$%s), ref = '%s')",
    reference, group, reference))
  if (length(m$name) == 2) {
    sd <- survdiff(Surv(time, status) ~ g, data = d)
    o <- sd$obs; e <- sd$exp; v <- sd$var[2, 2]
    mh <- (o[2] - e[2]) / v
    oe <- log((o[2] / e[2]) / (o[1] / e[1])); se_oe <- sqrt(1 / e[1] + 1 / e[2])
    cox <- coxph(Surv(time, status) ~ g, data = d)
    case$hazard_ratio <- list(
      group = m$name[order[2]], reference = reference,
      mantel_haenszel = exp(c(mh, mh - z / sqrt(v), mh + z / sqrt(v))),
      o_e = exp(c(oe, oe - z * se_oe, oe + z * se_oe)),
      cox_hr = unname(exp(coef(cox))),
      source = "R from the definition over survival::survdiff's obs, exp and var on the releveled factor; cox_hr is survival::coxph's on the same factor (same side of 1)")
    case$r_call <- paste0(case$r_call,
      "; sd <- survdiff(Surv(time, status) ~ g, data = d): exp((O2-E2)/V) with exp(+-z/sqrt(V)), (O2/E2)/(O1/E1) with exp(+-z*sqrt(1/E1+1/E2)); exp(coef(coxph(Surv(time, status) ~ g, data = d)))")
  }
  if (!is.null(adjust)) {
    pairs <- combn(order, 2)
    p_raw <- apply(pairs, 2, function(ab) {
      sub <- d[d$g %in% m$name[ab], ]
      sub$g <- factor(as.character(sub$g))
      fit2 <- survdiff(Surv(time, status) ~ g, data = sub)
      c(fit2$chisq, pchisq(fit2$chisq, 1, lower.tail = FALSE))
    })
    case$pairwise <- list(adjust = adjust,
                          group1 = m$name[pairs[1, ]], group2 = m$name[pairs[2, ]],
                          chisq = p_raw[1, ], p = p_raw[2, ],
                          p_adjusted = p.adjust(p_raw[2, ], method = adjust),
                          source = "R package: survival::survdiff on each pair, stats::p.adjust")
    case$r_call <- paste0(case$r_call, sprintf(
      "; pairs with the reference first (combn over the releveled levels): survdiff(Surv(time, status) ~ g) on each pair; p.adjust(p, '%s')", adjust))
  }
  case
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
  # The second level as the reference: RMST contrasts and the hazard ratio turned round.
  comparison("aml.csv", "x", 40, reference = "Nonmaintained"),
  # The third of four levels as the reference, with the pairwise listing.
  comparison("veteran.csv", "celltype", 200, reference = "smallcell", adjust = "holm"),
  spss("aml.csv", "x"),
  spss("lung.csv", "sex", conf_level = 0.9)
)

writeLines(
  toJSON(list(cases = cases), auto_unbox = TRUE, digits = NA, null = "null", pretty = TRUE),
  file.path(out_dir, "rmst_fixtures.json")
)
