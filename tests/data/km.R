# Writes the public data sets used by the km tests to CSV, and km_fixtures.json: what R's
# survival 3.5.3 gives for Kaplan-Meier curves and tests between groups on them.
#
# Run from the repository root:  Rscript tests/data/km.R
#
# survfit / summary / quantile / survdiff are R's own. Gehan-Breslow, Tarone-Ware and
# Fleming-Harrington(p, q) are not in survdiff: they are computed below from their
# definitions (weighted observed minus expected with the Mantel-Haenszel hypergeometric
# variance; weights n, sqrt(n), S(t-)^p (1 - S(t-))^q with S the pooled left-continuous
# Kaplan-Meier within the stratum), and that code is checked against survdiff for weights 1
# (rho = 0) and S(t-) (rho = 1) before any fixture is written. The test for trend, pairwise
# comparisons (p.adjust) and the two-group hazard ratios are built from the same quantities.

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
})
stopifnot(packageVersion("survival") == "3.5.3")
invisible(Sys.setlocale("LC_COLLATE", "C")) # groups sort by character code, as the contract says

out_dir <- "tests/data"

# --- data sets ------------------------------------------------------------------------------
sets <- list(
  lung = survival::lung,
  veteran = survival::veteran,
  aml = survival::aml,
  ovarian = survival::ovarian,
  colon_death = subset(survival::colon, etype == 2)
)
sets$colon_death$rx <- as.character(sets$colon_death$rx)
sets$veteran$celltype <- as.character(sets$veteran$celltype)
sets$aml$x <- as.character(sets$aml$x)
for (name in names(sets)) {
  write.csv(sets[[name]], file.path(out_dir, paste0(name, ".csv")), row.names = FALSE)
}
# Read back exactly what the Rust tests read.
read_set <- function(name) read.csv(file.path(out_dir, paste0(name, ".csv")), stringsAsFactors = FALSE)

clean <- function(x) {
  x <- as.numeric(x)
  x[!is.finite(x)] <- NA
  x
}

# --- tests from their definitions -----------------------------------------------------------
weighted_scores <- function(time, status, group, strata, weight) {
  lev <- sort(unique(group))
  k <- length(lev)
  O <- E <- numeric(k)
  V <- matrix(0, k, k)
  for (s in unique(strata)) {
    inside <- strata == s
    t_s <- time[inside]
    d_s <- status[inside]
    g_s <- factor(group[inside], levels = lev)
    km_before <- 1
    for (t in sort(unique(t_s[d_s == 1]))) {
      n_k <- as.numeric(table(g_s[t_s >= t]))
      d_k <- as.numeric(table(g_s[t_s == t & d_s == 1]))
      n <- sum(n_k)
      d <- sum(d_k)
      w <- weight(n, km_before)
      O <- O + w * d_k
      E <- E + w * d * n_k / n
      if (n > 1) {
        p <- n_k / n
        V <- V + w^2 * d * (n - d) / (n - 1) * (diag(p, k) - outer(p, p))
      }
      km_before <- km_before * (1 - d / n)
    }
  }
  list(O = O, E = E, V = V)
}

chisq_of <- function(sc) {
  used <- sc$E > 0
  df <- sum(used) - 1
  if (df < 1) return(list(chisq = 0, df = max(df, 0), p = NA))
  u <- ((sc$O - sc$E)[used])[-1]
  v <- (sc$V[used, used])[-1, -1, drop = FALSE]
  chisq <- sum(solve(v, u) * u)
  list(chisq = chisq, df = df, p = pchisq(chisq, df, lower.tail = FALSE))
}

weights <- list(
  "log-rank" = function(n, s) 1,
  "gehan-breslow" = function(n, s) n,
  "tarone-ware" = function(n, s) sqrt(n),
  "peto-peto" = function(n, s) s
)
fh_weight <- function(p, q) function(n, s) s^p * (1 - s)^q

survdiff_check <- function(df, rho, sc) {
  fit <- if (is.null(df$strata)) {
    survdiff(Surv(time, status) ~ group, data = df, rho = rho)
  } else {
    survdiff(Surv(time, status) ~ group + strata(strata), data = df, rho = rho)
  }
  mine <- chisq_of(sc)
  stopifnot(isTRUE(all.equal(fit$chisq, mine$chisq, tolerance = 1e-10)))
  fit
}

# --- one case -------------------------------------------------------------------------------
curve_of <- function(fit, i) if (is.null(fit$strata)) fit else fit[i]

table_row <- function(tab, i) if (is.matrix(tab)) tab[i, ] else tab

make_case <- function(id, set, time, event, event_is, group = NULL, strata = NULL,
                      conf_type = "log-log", conf_level = 0.95, tau = NULL, at = NULL,
                      trend = NULL, fh = NULL, adjust = NULL) {
  raw <- read_set(set)
  keep <- !is.na(raw[[time]]) & !is.na(raw[[event]])
  if (!is.null(group)) keep <- keep & !is.na(raw[[group]])
  if (!is.null(strata)) keep <- keep & !is.na(raw[[strata]])
  raw <- raw[keep, ]
  df <- data.frame(time = raw[[time]], status = as.integer(raw[[event]] == event_is))
  df$group <- if (is.null(group)) "all" else raw[[group]]
  if (!is.null(strata)) df$strata <- raw[[strata]]
  lev <- sort(unique(df$group))
  df$group <- factor(df$group, levels = lev)

  formula_text <- if (is.null(group)) "Surv(time, status) ~ 1" else "Surv(time, status) ~ group"
  fit <- survfit(as.formula(formula_text), data = df, conf.type = conf_type, conf.int = conf_level)
  tab <- summary(fit, rmean = "individual")$table
  tab_tau <- if (!is.null(tau)) summary(fit, rmean = tau)$table
  q <- quantile(fit, probs = c(0.25, 0.5, 0.75))
  rev_fit <- survfit(as.formula(sub("status", "1 - status", formula_text)), data = df,
                     conf.type = conf_type, conf.int = conf_level)
  rev_tab <- summary(rev_fit, rmean = "individual")$table

  groups <- lapply(seq_along(lev), function(i) {
    f <- curve_of(fit, i)
    row <- table_row(tab, i)
    qi <- function(m) if (is.matrix(m)) m[i, ] else m
    g <- list(
      name = as.character(lev[i]),
      n = as.integer(row[["records"]]),
      events = as.integer(row[["events"]]),
      median = clean(row[[7]]), median_lower = clean(row[[8]]), median_upper = clean(row[[9]]),
      rmean = row[["rmean"]], rmean_se = row[["se(rmean)"]],
      quantiles = list(prob = c(0.25, 0.5, 0.75), time = clean(qi(q$quantile)),
                       lower = clean(qi(q$lower)), upper = clean(qi(q$upper))),
      steps = list(time = f$time, n_risk = f$n.risk, n_event = f$n.event, n_censor = f$n.censor,
                   surv = f$surv, se = clean(f$std.err * f$surv),
                   lower = clean(f$lower), upper = clean(f$upper)),
      follow_up = list(median = clean(table_row(rev_tab, i)[["median"]]),
                       median_lower = clean(table_row(rev_tab, i)[[8]]),
                       median_upper = clean(table_row(rev_tab, i)[[9]]),
                       min = min(df$time[df$group == lev[i]]),
                       max = max(df$time[df$group == lev[i]]))
    )
    if (!is.null(tau)) {
      rt <- table_row(tab_tau, i)
      g$rmean_tau <- list(tau = tau, rmean = rt[["rmean"]], rmean_se = rt[["se(rmean)"]])
    }
    if (!is.null(at)) {
      s <- summary(f, times = at[at <= max(f$time)])
      n_est <- length(s$time)
      pad <- function(x) c(clean(x), rep(NA, length(at) - n_est))
      g$at <- list(time = at, surv = pad(s$surv), se = pad(s$std.err),
                   lower = pad(s$lower), upper = pad(s$upper),
                   n_risk = c(s$n.risk, rep(0, length(at) - n_est)))
    }
    g
  })

  case <- list(id = id, data = paste0(set, ".csv"), time = time, event = event,
               group = group, strata = strata, conf_type = conf_type, conf_level = conf_level,
               tau = tau, at = at, groups = groups)
  calls <- c(sprintf("survfit(%s, data, conf.type = '%s', conf.int = %s); summary(fit, rmean = 'individual')$table; quantile(fit); reverse: survfit(Surv(time, 1 - status) ~ ...)",
                     formula_text, conf_type, conf_level))
  if (length(lev) >= 2) {
    strata_vec <- if (is.null(strata)) rep(1, nrow(df)) else df$strata
    status <- df$status
    tests <- lapply(names(weights), function(w) {
      sc <- weighted_scores(df$time, status, as.character(df$group), strata_vec, weights[[w]])
      if (w == "log-rank") survdiff_check(df, 0, sc)
      if (w == "peto-peto") survdiff_check(df, 1, sc)
      c(list(name = w), chisq_of(sc), list(observed = sc$O, expected = sc$E))
    })
    case$tests <- tests
    calls <- c(calls, "survdiff(Surv(time, status) ~ group [+ strata(strata)], rho = 0 and 1); gehan-breslow, tarone-ware, fleming-harrington from their definitions (weighted_scores in km.R)")
    if (!is.null(fh)) {
      sc <- weighted_scores(df$time, status, as.character(df$group), strata_vec, fh_weight(fh[1], fh[2]))
      case$fh <- fh
      case$fleming_harrington <- chisq_of(sc)
    }
    lr <- weighted_scores(df$time, status, as.character(df$group), strata_vec, weights[["log-rank"]])
    if (!is.null(trend)) {
      u <- sum(trend * (lr$O - lr$E))
      v <- drop(t(trend) %*% lr$V %*% trend)
      case$trend <- list(scores = trend, chisq = u^2 / v, df = 1L,
                         p = pchisq(u^2 / v, 1, lower.tail = FALSE))
    }
    if (!is.null(adjust)) {
      pairs <- combn(seq_along(lev), 2)
      p_raw <- apply(pairs, 2, function(ab) {
        sub <- df[df$group %in% lev[ab], ]
        sub$group <- factor(as.character(sub$group))
        fit2 <- if (is.null(strata)) survdiff(Surv(time, status) ~ group, data = sub)
                else survdiff(Surv(time, status) ~ group + strata(strata), data = sub)
        c(fit2$chisq, pchisq(fit2$chisq, sum(rowSums(as.matrix(fit2$exp)) > 0) - 1, lower.tail = FALSE))
      })
      case$pairwise <- list(adjust = adjust, group1 = as.character(lev[pairs[1, ]]), group2 = as.character(lev[pairs[2, ]]),
                            chisq = p_raw[1, ], p = p_raw[2, ],
                            p_adjusted = p.adjust(p_raw[2, ], method = adjust))
      calls <- c(calls, sprintf("pairwise survdiff(rho = 0) on each pair; p.adjust(p, '%s')", adjust))
    }
    if (length(lev) == 2) {
      z <- qnorm(1 - (1 - conf_level) / 2)
      mh <- (lr$O[2] - lr$E[2]) / lr$V[2, 2]
      oe <- log((lr$O[2] / lr$E[2]) / (lr$O[1] / lr$E[1]))
      se_oe <- sqrt(1 / lr$E[1] + 1 / lr$E[2])
      case$hazard_ratio <- list(
        mantel_haenszel = exp(c(mh, mh - z / sqrt(lr$V[2, 2]), mh + z / sqrt(lr$V[2, 2]))),
        o_e = exp(c(oe, oe - z * se_oe, oe + z * se_oe)))
      calls <- c(calls, "hazard ratio of group 2 over 1: exp((O2-E2)/V) with exp(+-z/sqrt(V)); (O2/E2)/(O1/E1) with exp(+-z*sqrt(1/E1+1/E2))")
    }
  }
  case$r_call <- paste(calls, collapse = "; ")
  case
}

cases <- list()
for (ct in c("log-log", "log", "plain")) {
  cases[[length(cases) + 1]] <- make_case(paste0("lung-sex-", ct), "lung", "time", "status", 2,
    group = "sex", conf_type = ct, tau = 500, at = c(0, 5, 180, 365, 730, 1100), fh = c(1, 1),
    adjust = "holm")
  cases[[length(cases) + 1]] <- make_case(paste0("veteran-celltype-", ct), "veteran", "time",
    "status", 1, group = "celltype", conf_type = ct, at = c(30, 100, 500, 999), fh = c(0, 1),
    trend = c(1, 2, 3, 4), adjust = "BH")
  cases[[length(cases) + 1]] <- make_case(paste0("aml-", ct), "aml", "time", "status", 1,
    group = "x", conf_type = ct, tau = 100, at = c(10, 45, 48, 161))
}
cases[[length(cases) + 1]] <- make_case("lung-ecog-strata-sex", "lung", "time", "status", 2,
  group = "ph.ecog", strata = "sex", trend = c(0, 1, 2, 3), adjust = "holm", fh = c(0.5, 2))
cases[[length(cases) + 1]] <- make_case("lung-ecog-bonferroni", "lung", "time", "status", 2,
  group = "ph.ecog", adjust = "bonferroni")
cases[[length(cases) + 1]] <- make_case("lung-all", "lung", "time", "status", 2, at = c(100, 1022))
cases[[length(cases) + 1]] <- make_case("veteran-trt-strata-celltype-90", "veteran", "time",
  "status", 1, group = "trt", strata = "celltype", conf_level = 0.9, tau = 365)
cases[[length(cases) + 1]] <- make_case("ovarian-rx-strata-resid", "ovarian", "futime", "fustat",
  1, group = "rx", strata = "resid.ds", at = c(365, 1000))
cases[[length(cases) + 1]] <- make_case("colon-rx-strata-node4", "colon_death", "time", "status",
  1, group = "rx", strata = "node4", trend = c(2, 0, 1), adjust = "holm", fh = c(1, 0),
  at = c(365, 1825, 3329))
cases[[length(cases) + 1]] <- make_case("colon-rx-plain-90", "colon_death", "time", "status", 1,
  group = "rx", conf_type = "plain", conf_level = 0.9, tau = 2000)
cases[[length(cases) + 1]] <- make_case("ovarian-ecog-log", "ovarian", "futime", "fustat", 1,
  group = "ecog.ps", conf_type = "log", tau = 600)

writeLines(toJSON(list(survival = as.character(packageVersion("survival")), cases = cases),
                  digits = NA, auto_unbox = TRUE, na = "null", null = "null", pretty = FALSE),
           file.path(out_dir, "km_fixtures.json"))
cat("wrote", length(cases), "cases\n")
