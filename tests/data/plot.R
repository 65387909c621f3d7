# Kaplan-Meier input for the figure tests (tests/plot.rs): survival's lung data by sex and aml
# by maintenance chemotherapy, in the
# shape of `survcalc km --json` (groups with name, n, events, median and steps), so the figure
# is drawn from the numbers the page would pass. Run from the repository root:
#   Rscript tests/data/plot.R
library(survival)
library(jsonlite)

na <- function(x) ifelse(is.na(x), NA, x)

km_json <- function(fit, names, r_call) {
  s <- summary(fit, censored = TRUE)
  strata <- if (is.null(s$strata)) rep(1L, length(s$time)) else as.integer(s$strata)
  tab <- if (is.null(dim(summary(fit)$table))) t(summary(fit)$table) else summary(fit)$table
  groups <- lapply(seq_along(names), function(g) {
    k <- strata == g
    list(name = names[g], n = tab[g, "records"], events = tab[g, "events"],
         median = na(tab[g, "median"]),
         steps = data.frame(time = s$time[k], n_risk = s$n.risk[k], n_event = s$n.event[k],
                            n_censor = s$n.censor[k], surv = s$surv[k],
                            se = ifelse(s$surv[k] == 0, NA, s$std.err[k]),
                            lower = s$lower[k], upper = s$upper[k]))
  })
  list(r_call = r_call, groups = groups)
}

lung$sex_name <- factor(lung$sex, levels = 1:2, labels = c("Male", "Female"))
call <- "survfit(Surv(time, status) ~ sex_name, data = lung, conf.type = 'log-log')"
fit <- eval(parse(text = call))
out <- km_json(fit, levels(lung$sex_name), call)
test <- survdiff(Surv(time, status) ~ sex_name, data = lung)
out$logrank_p <- pchisq(test$chisq, df = 1, lower.tail = FALSE)
out$logrank_call <- "survdiff(Surv(time, status) ~ sex_name, data = lung)"
# Numbers at risk at the breaks, as R's summary reports them (0 past a group's last time).
times <- seq(0, 1000, by = 200)
at <- summary(fit, times = times, extend = TRUE)
out$risk_times <- times
out$risk_call <- "summary(fit, times = seq(0, 1000, by = 200), extend = TRUE)$n.risk"
out$n_risk_at <- lapply(seq_along(levels(lung$sex_name)),
                        function(g) at$n.risk[as.integer(at$strata) == g])
writeLines(toJSON(out, digits = NA, auto_unbox = TRUE, na = "null", dataframe = "rows"),
           "tests/data/plot_lung_km.json")

# aml: 23 patients, weeks; small groups whose medians R reports (the median lines' positions).
aml_call <- "survfit(Surv(time, status) ~ x, data = aml, conf.type = 'log-log')"
aml_fit <- eval(parse(text = aml_call))
aml_out <- km_json(aml_fit, levels(aml$x), aml_call)
writeLines(toJSON(aml_out, digits = NA, auto_unbox = TRUE, na = "null", dataframe = "rows"),
           "tests/data/plot_aml_km.json")
