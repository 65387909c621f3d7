# Fixtures for the subgroup hazard ratios (tests/cox_subgroup.rs): the hazard ratio of the
# group comparison within each level of a subgroup variable, and the interaction P, from R's
# survival package (coxph, anova). survival's veteran data, treatment (trt 1 standard,
# 2 test) as the group, cell type and prior therapy as subgroup variables.
# Run from the repository root:  Rscript tests/data/cox_subgroup.R
# Writes tests/data/cox_subgroup_veteran.csv (the data as the core reads it) and
# tests/data/cox_subgroup_fixtures.json; each number carries the R call that produced it.
suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
stopifnot(packageVersion("survival") == "3.5.3")
out <- "tests/data"
ctl <- coxph.control(eps = 1e-12, toler.chol = 1e-15, iter.max = 100)
d <- survival::veteran
d$trt <- factor(d$trt, levels = c(1, 2))
d$prior <- factor(d$prior, levels = c(0, 10))
d$celltype <- factor(as.character(d$celltype),
                     levels = c("adeno", "large", "smallcell", "squamous"))
write.csv(d, file.path(out, "cox_subgroup_veteran.csv"), row.names = FALSE, na = "")

# The treatment's hazard ratio (2 vs 1) in the rows `rows`, by coxph with Efron ties.
hr_of <- function(rows, call) {
  fit <- coxph(Surv(time, status) ~ trt, data = d[rows, ], ties = "efron", control = ctl)
  s <- summary(fit, conf.int = 0.95)
  list(r_call = call, n = fit$n, events = fit$nevent,
       coef = unname(coef(fit)[1]), se = unname(sqrt(diag(vcov(fit)))[1]),
       hr = s$conf.int[1, "exp(coef)"], hr_lower = s$conf.int[1, "lower .95"],
       hr_upper = s$conf.int[1, "upper .95"], p = s$coefficients[1, "Pr(>|z|)"])
}

subgroup <- function(var) {
  levels_out <- lapply(levels(d[[var]]), function(l) {
    c(list(level = l), hr_of(which(d[[var]] == l), sprintf(
      "coxph(Surv(time, status) ~ trt, data = subset(veteran, %s == '%s'), ties = 'efron')", var, l)))
  })
  main <- coxph(as.formula(sprintf("Surv(time, status) ~ trt + %s", var)), data = d,
                ties = "efron", control = ctl)
  inter <- coxph(as.formula(sprintf("Surv(time, status) ~ trt * %s", var)), data = d,
                 ties = "efron", control = ctl)
  a <- anova(main, inter)
  list(variable = var, levels = levels_out,
       interaction = list(
         r_call = sprintf("anova(coxph(Surv(time, status) ~ trt + %s), coxph(Surv(time, status) ~ trt * %s))", var, var),
         chisq = a$Chisq[2], df = a$Df[2], p = a[["Pr(>|Chi|)"]][2]))
}

fixtures <- list(
  data = "cox_subgroup_veteran.csv", group = "trt", reference = "1",
  overall = hr_of(seq_len(nrow(d)), "coxph(Surv(time, status) ~ trt, data = veteran, ties = 'efron')"),
  subgroups = lapply(c("celltype", "prior"), subgroup))
writeLines(toJSON(fixtures, auto_unbox = TRUE, digits = NA, pretty = TRUE),
           file.path(out, "cox_subgroup_fixtures.json"))
