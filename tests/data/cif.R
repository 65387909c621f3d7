# Writes the data sets used by the competing-risks tests and cif_fixtures.json: what R's
# cmprsk 2.2 (cuminc, timepoints, crr) gives for cumulative incidence, its variance, Gray's
# test and Fine-Gray regression on them.
#
# Run from the repository root:  Rscript tests/data/cif.R
#
# Every estimate, variance, test and coefficient comes from cmprsk's own functions. Two
# quantities are computed below from their definitions, on cmprsk's numbers: the pointwise
# limits of the CIF, cif^exp(+-z se / (cif log cif)) (Pintilie's log(-log) formula, as
# tidycmprsk documents it; "+" gives the upper limit, null where cif is 0 or 1: it is 1 where
# no one is left event-free (the Kaplan-Meier of any event is 0) and no competing event
# happened, although cuminc's sum leaves 1 - 1e-16 there), and crr's
# hazard-ratio limits exp(coef +- z se) and Wald P 2 (1 - pnorm(|coef / se|)) (what
# summary.crr prints).

suppressPackageStartupMessages({
  library(survival)
  library(cmprsk)
  library(jsonlite)
})
stopifnot(packageVersion("cmprsk") == "2.2.11", packageVersion("survival") == "3.5.3")
invisible(Sys.setlocale("LC_COLLATE", "C")) # groups sort by character code, as the contract says

out_dir <- "tests/data"

# --- data sets ------------------------------------------------------------------------------
# mgus2 (survival, LGPL): progression to a plasma cell malignancy (PCM) with death as the
# competing event, built as survival's "compete" vignette builds it: time to progression if
# there was one, else to death or last contact.
mgus2 <- survival::mgus2
mgus2$etime <- with(mgus2, ifelse(pstat == 0, futime, ptime))
mgus2$event <- with(mgus2, ifelse(pstat == 0, 2 * death, 1))
mgus2$event_label <- c("censor", "pcm", "death")[mgus2$event + 1]
mgus2$decade <- paste0(pmin(floor(mgus2$age / 10) * 10, 90), "s")
mgus2_out <- mgus2[, c("id", "age", "decade", "sex", "hgb", "etime", "event", "event_label")]
mgus2_out$sex <- as.character(mgus2_out$sex)

# pbc (survival, LGPL): status 0 censored, 1 liver transplant, 2 death; trt is NA for the 106
# patients outside the trial.
pbc_out <- survival::pbc[, c("id", "time", "status", "trt", "age", "bili", "albumin", "edema",
                             "stage")]

# Made up with a fixed seed: integer times 1..8, so times tie within and across causes and
# with censorings; group C never has the event of interest.
set.seed(20240514)
n_ties <- 90
ties <- data.frame(
  time = sample(1:8, n_ties, replace = TRUE),
  grp = rep(c("A", "B", "C"), each = n_ties / 3),
  x = round(rnorm(n_ties), 2)
)
ties$status <- ifelse(ties$grp == "C",
  sample(c(0, 2), n_ties, replace = TRUE, prob = c(0.4, 0.6)),
  sample(0:2, n_ties, replace = TRUE, prob = c(0.25, 0.4, 0.35)))

# Made up: every subject ends with an event, so overall survival reaches 0 and each CIF its
# plateau; in group "all1" every event is of interest, so its CIF reaches 1.
plateau <- data.frame(
  time = c(2, 3, 3, 5, 7, 8, 11, 12, 1, 4, 6, 9),
  status = c(1, 2, 1, 2, 1, 1, 2, 1, 1, 1, 1, 1),
  grp = c(rep("mixed", 8), rep("all1", 4))
)

write_set <- function(df, name) {
  write.csv(df, file.path(out_dir, paste0(name, ".csv")), row.names = FALSE)
  read.csv(file.path(out_dir, paste0(name, ".csv")), stringsAsFactors = FALSE)
}
sets <- list(
  cif_mgus2 = write_set(mgus2_out, "cif_mgus2"),
  cif_pbc = write_set(pbc_out, "cif_pbc"),
  cif_ties = write_set(ties, "cif_ties"),
  cif_plateau = write_set(plateau, "cif_plateau")
)

clean <- function(x) {
  x <- as.numeric(x)
  x[!is.finite(x)] <- NA
  x
}

# `one`: where the incidence is 1 by construction (cuminc's est reads 1 - 1e-16 there).
limits <- function(cif, se, z, one = FALSE) {
  ok <- cif > 0 & cif < 1 & !one
  w <- z * se / (cif * log(cif))
  list(lower = ifelse(ok, cif^exp(-w), NA), upper = ifelse(ok, cif^exp(w), NA))
}

# --- cuminc cases ---------------------------------------------------------------------------
# `event` and `competing` are codes of the event column (as the Rust test passes them); the
# column is recoded to 0 (censored) / 1 (of interest) / 2 (competing) for cuminc.
cuminc_case <- function(id, set, time, event_col, event, competing, group = NULL, rho = 0,
                        conf_level = 0.95, at = NULL) {
  raw <- sets[[set]]
  keep <- !is.na(raw[[time]]) & !is.na(raw[[event_col]])
  if (!is.null(group)) keep <- keep & !is.na(raw[[group]])
  raw <- raw[keep, ]
  code <- ifelse(raw[[event_col]] %in% event, 1, ifelse(raw[[event_col]] %in% competing, 2, 0))
  g <- if (is.null(group)) rep("all", nrow(raw)) else as.character(raw[[group]])
  lev <- sort(unique(g))
  if (all(!is.na(suppressWarnings(as.numeric(lev))))) lev <- lev[order(as.numeric(lev))]
  fit <- if (is.null(group)) cuminc(raw[[time]], code, rho = rho, cencode = 0)
         else cuminc(raw[[time]], code, factor(g, levels = lev), rho = rho, cencode = 0)
  z <- qnorm(1 - (1 - conf_level) / 2)
  groups <- lapply(lev, function(l) {
    inside <- g == l
    times <- sort(unique(raw[[time]][inside]))
    curve <- fit[[paste(if (is.null(group)) 1 else l, 1)]]
    tp <- timepoints(list(curve), times)
    est <- as.numeric(tp$est)
    var <- as.numeric(tp$var)
    t_g <- raw[[time]][inside]
    c_g <- code[inside]
    # S(t) = 0 from the group's last time on when everyone there had an event of any cause.
    last <- max(t_g)
    one <- times >= last & all(c_g[t_g == last] != 0) & !any(c_g == 2)
    lim <- limits(est, sqrt(var), z, one)
    out <- list(name = l, n = sum(inside), events = sum(code[inside] == 1),
                competing_events = sum(code[inside] == 2),
                steps = list(time = times, cif = est, var = var,
                             lower = clean(lim$lower), upper = clean(lim$upper)),
                cuminc = list(time = curve$time, est = curve$est, var = curve$var))
    if (!is.null(at)) {
      ta <- timepoints(list(curve), at)
      ea <- as.numeric(ta$est)
      va <- as.numeric(ta$var)
      la <- limits(ea, sqrt(va), z)
      out$at <- list(time = sort(unique(at)), cif = clean(ea), var = clean(va),
                     lower = clean(la$lower), upper = clean(la$upper))
    }
    out
  })
  case <- list(id = id, data = paste0(set, ".csv"), time = time, event = event_col,
               event_values = as.character(event), competing_values = as.character(competing),
               group = group, rho = rho, conf_level = conf_level, groups = groups,
               r_call = sprintf("cuminc(ftime = %s, fstatus = 0/1/2 (1: %s = %s; 2: %s = %s)%s, rho = %s, cencode = 0); timepoints(fit[[\"<group> 1\"]], every observed time of the group%s); limits from Pintilie's formula",
                                time, event_col, paste(event, collapse = "|"), event_col,
                                paste(competing, collapse = "|"),
                                if (is.null(group)) "" else paste0(", group = ", group), rho,
                                if (is.null(at)) "" else paste0(" and at ", paste(at, collapse = ","))))
  if (length(lev) > 1) {
    tests <- fit$Tests
    case$gray_test <- list(chisq = tests["1", "stat"], df = as.integer(tests["1", "df"]),
                           p = tests["1", "pv"])
  }
  case
}

cuminc_cases <- list(
  cuminc_case("mgus2_pcm_by_sex", "cif_mgus2", "etime", "event_label", "pcm", "death",
              group = "sex", at = c(0, 60, 120, 240, 400, 500)),
  cuminc_case("mgus2_death_by_sex", "cif_mgus2", "etime", "event", 2, 1, group = "sex"),
  cuminc_case("mgus2_pcm_all", "cif_mgus2", "etime", "event", 1, 2),
  cuminc_case("mgus2_death_by_decade", "cif_mgus2", "etime", "event", 2, 1, group = "decade"),
  cuminc_case("pbc_death_by_stage", "cif_pbc", "time", "status", 2, 1, group = "stage"),
  cuminc_case("pbc_transplant_by_trt", "cif_pbc", "time", "status", 1, 2, group = "trt"),
  cuminc_case("pbc_death_by_edema", "cif_pbc", "time", "status", 2, 1, group = "edema",
              at = c(1000, 2000, 4000)),
  cuminc_case("pbc_death_by_edema_rho1", "cif_pbc", "time", "status", 2, 1, group = "edema",
              rho = 1),
  cuminc_case("ties_by_grp", "cif_ties", "time", "status", 1, 2, group = "grp",
              conf_level = 0.9, at = c(0.5, 1, 4.5, 8, 9)),
  cuminc_case("ties_competing_by_grp", "cif_ties", "time", "status", 2, 1, group = "grp"),
  cuminc_case("plateau_by_grp", "cif_plateau", "time", "status", 1, 2, group = "grp")
)

# --- crr cases ------------------------------------------------------------------------------
# Numeric covariates enter as they are; categorical ones as treatment contrasts against the
# reference level, named COL=LEVEL as survcalc names them. `per` (list(age = 10)) divides a
# numeric covariate by its unit, as I(age / 10), for hazard ratios per that many units.
crr_case <- function(id, set, time, event_col, event, competing, numeric, categorical = list(),
                     conf_level = 0.95, per = list()) {
  raw <- sets[[set]]
  cols <- c(time, event_col, numeric, names(categorical))
  raw <- raw[stats::complete.cases(raw[, cols]), ]
  code <- ifelse(raw[[event_col]] %in% event, 1, ifelse(raw[[event_col]] %in% competing, 2, 0))
  x <- as.matrix(raw[, numeric, drop = FALSE])
  for (col in names(per)) x[, col] <- x[, col] / per[[col]]
  names_x <- numeric
  for (col in names(categorical)) {
    lv <- sort(unique(as.character(raw[[col]])))
    if (all(!is.na(suppressWarnings(as.numeric(lv))))) lv <- lv[order(as.numeric(lv))]
    ref <- categorical[[col]]
    for (l in setdiff(lv, ref)) {
      x <- cbind(x, as.numeric(as.character(raw[[col]]) == l))
      names_x <- c(names_x, paste0(col, "=", l))
    }
  }
  colnames(x) <- names_x
  fit <- crr(raw[[time]], code, x, failcode = 1, cencode = 0)
  se <- sqrt(diag(fit$var))
  z <- qnorm(1 - (1 - conf_level) / 2)
  list(id = id, data = paste0(set, ".csv"), time = time, event = event_col,
       event_values = as.character(event), competing_values = as.character(competing),
       numeric = numeric, categorical = categorical, per = per, conf_level = conf_level,
       n = fit$n, events = sum(code == 1), competing_events = sum(code == 2),
       converged = fit$converged, loglik = fit$loglik, loglik_null = fit$loglik.null,
       terms = list(name = names_x, coef = unname(fit$coef), se = unname(se),
                    hr = unname(exp(fit$coef)),
                    hr_lower = unname(exp(fit$coef - z * se)),
                    hr_upper = unname(exp(fit$coef + z * se)),
                    z = unname(fit$coef / se),
                    p = unname(2 * pnorm(-abs(fit$coef / se)))),
       information = fit$inf,
       r_call = sprintf("crr(ftime = %s, fstatus = 0/1/2 (1: %s = %s; 2: %s = %s), cov1 = cbind(%s), failcode = 1, cencode = 0); se = sqrt(diag(fit$var)) (robust)",
                        time, event_col, paste(event, collapse = "|"), event_col,
                        paste(competing, collapse = "|"),
                        paste(vapply(names_x, function(v) if (is.null(per[[v]])) v
                                     else sprintf("I(%s / %s)", v, per[[v]]), ""),
                              collapse = ", ")))
}

crr_cases <- list(
  crr_case("mgus2_pcm_age_hgb_sex", "cif_mgus2", "etime", "event_label", "pcm", "death",
           c("age", "hgb"), list(sex = "F")),
  crr_case("pbc_death_age_bili_albumin_edema", "cif_pbc", "time", "status", 2, 1,
           c("age", "bili", "albumin"), list(edema = "0")),
  crr_case("pbc_transplant_age_trt2", "cif_pbc", "time", "status", 1, 2, c("age"),
           list(trt = "2"), conf_level = 0.9),
  crr_case("ties_x_grp", "cif_ties", "time", "status", 1, 2, c("x"), list(grp = "A")),
  crr_case("mgus2_pcm_age_per_10_sex", "cif_mgus2", "etime", "event", 1, 2, c("age"),
           list(sex = "F"), per = list(age = 10))
)

write_json(list(cuminc = cuminc_cases, crr = crr_cases),
           file.path(out_dir, "cif_fixtures.json"), digits = NA, auto_unbox = TRUE,
           null = "null", na = "null", pretty = FALSE)
