# Writes the public data sets used by the km tests to CSV, and km_fixtures.json: what R's
# survival 3.5.3 gives for Kaplan-Meier curves and tests between groups on them.
#
# Run from the repository root:  Rscript tests/data/km.R
#
# Where each number comes from (each part of a case carries it in `source`):
# - R package: survfit, summary(rmean =), quantile, the reverse Kaplan-Meier (survival), the
#   log-rank and Peto-Peto tests (survdiff, rho = 0 and 1), pairwise log-rank (survdiff on each
#   pair) with stats::p.adjust, and `package_tests`: survMisc::comp's log-rank, Gehan-Breslow,
#   Tarone-Ware and Fleming-Harrington tests (survMisc 0.5.6, Debian's r-cran-survmisc, which
#   survminer::surv_pvalue calls), for cases with three or more groups and no strata.
# - R from the definition: Gehan-Breslow, Tarone-Ware and Fleming-Harrington(p, q) in `tests`
#   and `fleming_harrington` (survdiff has none of them): weighted observed minus expected with
#   the Mantel-Haenszel hypergeometric variance; weights n, sqrt(n), S(t-)^p (1 - S(t-))^q with
#   S the pooled left-continuous Kaplan-Meier within the stratum (weighted_scores below). That
#   code is checked against survdiff for weights 1 (rho = 0: O, E, V and chisq) and S(t-)
#   (rho = 1) before any fixture is written, and against survMisc::comp where that applies.
#   The test for trend and the two-group hazard ratios are formulas (given where they are
#   computed) over the log-rank O, E and V, which equal survdiff's.
# survMisc::comp is used only with three or more groups: with two groups it sums
# e_g (n - e_g) / (n - 1) n_g / n (1 - n_g / n) over each group's own events e_g instead of
# d (n - d) / (n - 1) n_1 n_2 / n^2 with the total d, which differs from survdiff whenever both
# groups have events at one time (lung by sex: log-rank 10.3123 against survdiff's 10.3267).
# Its test for trend (comp's `tft`) does not equal sum(s (O - E))^2 / s'Vs from survdiff's O, E
# and V (veteran by cell type, scores 1:4: 1.25 against 6.41), so it is not used. lifelines
# (tests/data/km_lifelines.py) gives the weighted tests for two groups too.

suppressPackageStartupMessages({
  library(survival)
  library(jsonlite)
  library(survMisc)
})
stopifnot(packageVersion("survival") == "3.5.3", packageVersion("survMisc") == "0.5.6")
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
  if (rho == 0) {
    # The quantities the trend test and the hazard ratios are built from are survdiff's.
    # With strata survdiff keeps O and E per stratum (a matrix); the test uses their sums.
    total <- function(x) unname(if (is.matrix(x)) rowSums(x) else x)
    stopifnot(isTRUE(all.equal(total(fit$obs), sc$O, tolerance = 1e-10)),
              isTRUE(all.equal(total(fit$exp), sc$E, tolerance = 1e-10)),
              isTRUE(all.equal(unname(fit$var), unname(sc$V), tolerance = 1e-10)))
  }
  fit
}

# survMisc::comp's tests (two-sided chi-square forms) for three or more groups without strata;
# its log-rank must equal survdiff's before its other tests are written.
package_tests_of <- function(df, fh, survdiff_chisq) {
  # comp always computes one Fleming-Harrington test; (1, 1), its default, when none is asked.
  p <- if (is.null(fh)) 1 else fh[1]
  q <- if (is.null(fh)) 1 else fh[2]
  x <- ten(Surv(time, status) ~ group, data = df)
  invisible(capture.output(comp(x, p = p, q = q)))
  lrt <- as.data.frame(attr(x, "lrt"))
  row <- function(w) lrt[lrt$W == w, ]
  stopifnot(isTRUE(all.equal(row("1")$chiSq, survdiff_chisq, tolerance = 1e-10)))
  one <- function(name, w) {
    r <- row(w)
    list(name = name, chisq = r$chiSq, df = as.integer(r$df), p = r$pChisq)
  }
  tests <- list(one("log-rank", "1"), one("gehan-breslow", "n"), one("tarone-ware", "sqrtN"))
  fh_test <- if (!is.null(fh)) one("fleming-harrington", sprintf("FH_p=%s_q=%s", fh[1], fh[2]))
  list(source = "R package: survMisc 0.5.6",
       r_call = sprintf("x <- survMisc::ten(Surv(time, status) ~ group, data); survMisc::comp(x, p = %s, q = %s); attr(x, 'lrt') rows '1', 'n', 'sqrtN'%s",
                        p, q,
                        if (!is.null(fh)) sprintf(", 'FH_p=%s_q=%s'", fh[1], fh[2]) else ""),
       fh = fh, tests = tests, fleming_harrington = fh_test)
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

  case <- list(id = id, data = paste0(set, ".csv"), time = time, event = event, event_value = event_is,
               group = group, strata = strata, conf_type = conf_type, conf_level = conf_level,
               tau = tau, at = at, groups = groups,
               source = "R package: survival (survfit, summary.survfit, quantile.survfit)")
  calls <- c(sprintf("survfit(%s, data, conf.type = '%s', conf.int = %s); summary(fit, rmean = 'individual')$table; quantile(fit); reverse: survfit(Surv(time, 1 - status) ~ ...)",
                     formula_text, conf_type, conf_level))
  if (length(lev) >= 2) {
    strata_vec <- if (is.null(strata)) rep(1, nrow(df)) else df$strata
    status <- df$status
    tests <- lapply(names(weights), function(w) {
      sc <- weighted_scores(df$time, status, as.character(df$group), strata_vec, weights[[w]])
      if (w == "log-rank") survdiff_check(df, 0, sc)
      if (w == "peto-peto") survdiff_check(df, 1, sc)
      source <- if (w %in% c("log-rank", "peto-peto")) {
        sprintf("R package: survival::survdiff(rho = %d)", if (w == "log-rank") 0L else 1L)
      } else {
        "R from the definition: weighted_scores in km.R"
      }
      c(list(name = w), chisq_of(sc), list(observed = sc$O, expected = sc$E, source = source))
    })
    case$tests <- tests
    calls <- c(calls, "survdiff(Surv(time, status) ~ group [+ strata(strata)], rho = 0 and 1); gehan-breslow, tarone-ware, fleming-harrington from their definitions (weighted_scores in km.R)")
    if (!is.null(fh)) {
      sc <- weighted_scores(df$time, status, as.character(df$group), strata_vec, fh_weight(fh[1], fh[2]))
      case$fh <- fh
      case$fleming_harrington <- c(chisq_of(sc), list(source = "R from the definition: weighted_scores in km.R"))
    }
    if (length(lev) >= 3 && is.null(strata)) {
      case$package_tests <- package_tests_of(df, fh, tests[[1]]$chisq)
      calls <- c(calls, case$package_tests$r_call)
    }
    lr <- weighted_scores(df$time, status, as.character(df$group), strata_vec, weights[["log-rank"]])
    if (!is.null(trend)) {
      u <- sum(trend * (lr$O - lr$E))
      v <- drop(t(trend) %*% lr$V %*% trend)
      # (sum_g s_g (O_g - E_g))^2 / s'Vs, chi-square on 1 df (Collett, Modelling Survival Data, 2.7).
      case$trend <- list(scores = trend, chisq = u^2 / v, df = 1L,
                         p = pchisq(u^2 / v, 1, lower.tail = FALSE),
                         source = "R from the definition, over survdiff's O, E and V")
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
                            p_adjusted = p.adjust(p_raw[2, ], method = adjust),
                            source = "R package: survival::survdiff on each pair, stats::p.adjust")
      calls <- c(calls, sprintf("pairwise survdiff(rho = 0) on each pair; p.adjust(p, '%s')", adjust))
    }
    if (length(lev) == 2) {
      z <- qnorm(1 - (1 - conf_level) / 2)
      mh <- (lr$O[2] - lr$E[2]) / lr$V[2, 2]
      oe <- log((lr$O[2] / lr$E[2]) / (lr$O[1] / lr$E[1]))
      se_oe <- sqrt(1 / lr$E[1] + 1 / lr$E[2])
      case$hazard_ratio <- list(
        mantel_haenszel = exp(c(mh, mh - z / sqrt(lr$V[2, 2]), mh + z / sqrt(lr$V[2, 2]))),
        o_e = exp(c(oe, oe - z * se_oe, oe + z * se_oe)),
        source = "R from the definition, over survdiff's O, E and V")
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
  group = "ph.ecog", adjust = "bonferroni", fh = c(1, 1))
cases[[length(cases) + 1]] <- make_case("lung-all", "lung", "time", "status", 2, at = c(100, 1022))
cases[[length(cases) + 1]] <- make_case("veteran-trt-strata-celltype-90", "veteran", "time",
  "status", 1, group = "trt", strata = "celltype", conf_level = 0.9, tau = 365)
cases[[length(cases) + 1]] <- make_case("ovarian-rx-strata-resid", "ovarian", "futime", "fustat",
  1, group = "rx", strata = "resid.ds", at = c(365, 1000))
cases[[length(cases) + 1]] <- make_case("colon-rx-strata-node4", "colon_death", "time", "status",
  1, group = "rx", strata = "node4", trend = c(2, 0, 1), adjust = "holm", fh = c(1, 0),
  at = c(365, 1825, 3329))
cases[[length(cases) + 1]] <- make_case("colon-rx-plain-90", "colon_death", "time", "status", 1,
  group = "rx", conf_type = "plain", conf_level = 0.9, tau = 2000, fh = c(2, 0.5))
cases[[length(cases) + 1]] <- make_case("ovarian-ecog-log", "ovarian", "futime", "fustat", 1,
  group = "ecog.ps", conf_type = "log", tau = 600)

writeLines(toJSON(list(survival = as.character(packageVersion("survival")), cases = cases),
                  digits = NA, auto_unbox = TRUE, na = "null", null = "null", pretty = FALSE),
           file.path(out_dir, "km_fixtures.json"))
cat("wrote", length(cases), "cases\n")
