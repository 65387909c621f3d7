# Reference values for survcalc's proportional-hazards plot: the smooth, its band and the
# time axis of R survival's plot.cox.zph.
#
# Run from the repository root:  Rscript tests/data/zph_plot.R
# Reads the data sets cox.R wrote (tests/data/cox_*.csv) and writes
# tests/data/zph_plot_fixtures.json for tests/zph_plot_matches_r.rs.
#
# plot.cox.zph draws and returns nothing, so the values come from R code that reproduces its
# computation line by line (survival 3.5.3's source, `print(survival:::plot.cox.zph)`):
#   pred.x <- seq(min(x), max(x), length = nsmo)                 # nsmo = 40
#   lmat <- ns(c(pred.x, x), df = df, intercept = TRUE)           # df = 4, splines::ns
#   yhat <- pmat %*% qr.coef(qr(xmat[keep, ]), y)                 # least squares
#   band: yhat +- 2 sqrt(z$var[i, i] * seval), seval the diagonal of pmat (X'X)^-1 pmat'
#   the x axis of the km and rank transforms: 8 ticks at transformed positions labelled
#   with original times rounded to 2 significant digits (approx both ways); that of the log
#   transform is R's log axis of time, whose ticks are read from the plot (axTicks(1),
#   those within the axis, as axis() draws them).
# Before any value is written, the reproduction is checked against what plot.cox.zph itself
# draws: the function is run with its `lines`, `points` and `axis` calls recorded (a copy of
# it whose environment holds recording versions of those three; the plot goes to a null
# device), and every recorded line, point and tick must equal the reproduction's to 1e-12.
# The natural-spline basis is also written out for small vectors (splines::ns itself), for
# the by-hand and basis tests.
suppressPackageStartupMessages({
  library(survival)
  library(splines)
  library(jsonlite)
})
stopifnot(packageVersion("survival") == "3.5.3")
out <- "tests/data"

# Level order of the contract, as cox.R (numeric when every level is a number, else by code).
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

# plot.cox.zph's smooth of term i, its computation as in the function's source.
zph_smooth <- function(z, i, df = 4, nsmo = 40) {
  xx <- z$x
  pred.x <- seq(from = min(xx), to = max(xx), length = nsmo)
  lmat <- ns(c(pred.x, xx), df = df, intercept = TRUE)
  pmat <- lmat[1:nsmo, ]
  xmat <- lmat[-(1:nsmo), ]
  y <- z$y[, i]
  keep <- !is.na(y)
  y <- y[keep]
  qmat <- qr(xmat[keep, ])
  if (qmat$rank < df) return(NULL)
  yhat <- c(pmat %*% qr.coef(qmat, y))
  bk <- backsolve(qmat$qr[1:df, 1:df], diag(df))
  xtx <- bk %*% t(bk)
  seval <- c(((pmat %*% xtx) * pmat) %*% rep(1, df))
  half <- 2 * sqrt(z$var[i, i] * seval)
  list(term = colnames(z$y)[i], variance = z$var[i, i], x = pred.x, fit = yhat,
       lower = yhat - half, upper = yhat + half)
}

# plot.cox.zph's x axis for the km and rank transforms: positions and labels.
zph_axis <- function(z) {
  if (z$transform %in% c("identity", "log")) return(NULL)
  xx <- z$x
  xtime <- z$time
  indx <- !duplicated(xx)
  apr1 <- approx(xx[indx], xtime[indx], seq(min(xx), max(xx), length = 17)[2 * (1:8)])
  temp <- signif(apr1$y, 2)
  apr2 <- approx(xtime[indx], xx[indx], temp)
  list(at = apr2$y, times = temp, labels = vapply(temp, format, ""))
}

# plot.cox.zph run with its drawing recorded: lines, points and the axis' ticks.
recorded_plot <- function(z) {
  rec <- new.env()
  rec$lines <- list()
  rec$points <- list()
  rec$axis <- NULL
  f <- survival:::plot.cox.zph
  env <- new.env(parent = environment(f))
  env$lines <- function(x, y, ...) rec$lines[[length(rec$lines) + 1]] <- list(x = x, y = c(y))
  env$points <- function(x, y, ...) rec$points[[length(rec$points) + 1]] <- list(x = x, y = y)
  env$axis <- function(side, at, labels, ...) rec$axis <- list(at = at, labels = labels)
  environment(f) <- env
  pdf(NULL)
  f(z)
  # The ticks of the last plot's own x axis (drawn by plot(), not by axis(): identity and log).
  # axis() draws those within the axis, 10^par("usr") on a log axis.
  usr <- par("usr")[1:2]
  if (par("xlog")) usr <- 10^usr
  ticks <- axTicks(1)
  rec$xticks <- ticks[ticks >= usr[1] & ticks <= usr[2]]
  invisible(dev.off())
  as.list(rec)
}

# The reproduction equals what plot.cox.zph draws: per term the smooth, then the band's
# upper and lower lines (in that order), the points, and the axis.
check_against_plot <- function(z, smooths) {
  rec <- recorded_plot(z)
  back <- if (z$transform == "log") exp else identity
  stopifnot(length(rec$lines) == 3 * length(smooths), length(rec$points) == length(smooths))
  for (k in seq_along(smooths)) {
    s <- smooths[[k]]
    drawn <- rec$lines[(3 * k - 2):(3 * k)]
    for (j in 1:3) stopifnot(isTRUE(all.equal(drawn[[j]]$x, back(s$x), tolerance = 1e-12)))
    stopifnot(isTRUE(all.equal(drawn[[1]]$y, s$fit, tolerance = 1e-12)),
              isTRUE(all.equal(drawn[[2]]$y, s$upper, tolerance = 1e-12)),
              isTRUE(all.equal(drawn[[3]]$y, s$lower, tolerance = 1e-12)))
    keep <- !is.na(z$y[, k])
    stopifnot(isTRUE(all.equal(unname(rec$points[[k]]$y), unname(z$y[keep, k]), tolerance = 1e-12)))
  }
  a <- zph_axis(z)
  if (is.null(a)) stopifnot(is.null(rec$axis)) else {
    stopifnot(isTRUE(all.equal(rec$axis$at, a$at, tolerance = 1e-12)),
              identical(rec$axis$labels, a$labels))
  }
  rec
}

# The log transform's axis is R's log axis of time (plot(..., log = "x")): the ticks R's
# graphics engine chooses (axTicks), placed at their log, labelled as R formats them.
log_axis <- function(rec) {
  t <- rec$xticks
  list(at = log(t), times = t, labels = vapply(t, format, ""))
}

# One case: a data set cox.R wrote, the model, and the transforms to plot.
case <- function(id, csv, rhs, covariates, ties = "efron", factors = list(), strata = NULL,
                 transforms = "km") {
  d <- read.csv(file.path(out, csv))
  for (v in names(factors)) d[[v]] <- as_factor(d[[v]], factors[[v]])
  for (v in strata) d[[v]] <- as_factor(d[[v]])
  time_event <- if (csv == "cox_ovarian.csv") "Surv(futime, fustat)" else "Surv(time, status)"
  call <- sprintf("coxph(%s ~ %s, data = d, ties = \"%s\")", time_event, rhs, ties)
  fit <- eval(parse(text = call))
  plots <- lapply(transforms, function(tr) {
    z <- cox.zph(fit, transform = tr)
    smooths <- lapply(seq_len(ncol(z$y)), function(i) zph_smooth(z, i))
    rec <- check_against_plot(z, smooths)
    list(transform = tr,
         r_call = sprintf("z <- cox.zph(fit, transform = \"%s\"); plot(z, df = 4, nsmo = 40, se = TRUE, resid = TRUE)%s", tr,
                          if (tr == "log") "; axTicks(1)" else ""),
         terms = smooths, axis = if (tr == "log") log_axis(rec) else zph_axis(z))
  })
  list(id = id, csv = csv, covariates = covariates, ties = ties, strata = strata,
       r_call = paste0(paste(vapply(c(names(factors), strata), function(v)
         sprintf("d$%s <- factor(d$%s, levels = c(%s))", v, v,
                 paste0("\"", levels(d[[v]]), "\"", collapse = ", ")), ""), collapse = "; "),
         if (length(c(names(factors), strata))) "; " else "", "fit <- ", call),
       plots = plots)
}

numeric <- function(...) lapply(c(...), function(v) list(column = v, categorical = FALSE))
categorical <- function(v, ref = NULL) list(list(column = v, categorical = TRUE, reference = ref))

cases <- list(
  case("lung_age_sex_ecog", "cox_lung.csv", "age + sex + ph.ecog", numeric("age", "sex", "ph.ecog"),
       transforms = c("km", "rank", "identity", "log")),
  # rx has three levels (Lev, Lev+5FU, Obs): one series for the term, its columns combined.
  case("colon_rx_nodes", "cox_colon.csv", "rx + nodes", c(categorical("rx"), numeric("nodes")),
       factors = list(rx = NULL), transforms = c("km", "log")),
  # Tied death times, Breslow's handling of them.
  case("veteran_karno_trt_breslow", "cox_veteran.csv", "karno + trt", numeric("karno", "trt"),
       ties = "breslow", transforms = c("km", "rank")),
  case("veteran_strata_celltype", "cox_veteran.csv", "karno + age + strata(celltype)",
       numeric("karno", "age"), strata = "celltype", transforms = c("km", "identity")),
  # 18 deaths in 23 patients with ties: the smallest data the spline fits here.
  case("aml_x", "cox_aml.csv", "x", categorical("x"), factors = list(x = NULL),
       transforms = c("km", "log"))
)

# splines::ns(x, df = 4, intercept = TRUE) on small vectors: the basis row by row.
ns_case <- function(x) {
  b <- ns(x, df = 4, intercept = TRUE)
  list(x = x, r_call = sprintf("splines::ns(c(%s), df = 4, intercept = TRUE)", paste(x, collapse = ", ")),
       knots = unname(attr(b, "knots")), boundary = unname(attr(b, "Boundary.knots")),
       basis = lapply(seq_len(nrow(b)), function(i) unname(b[i, ])))
}
ns_cases <- list(ns_case(c(1, 2, 3, 5, 8, 13, 21)),
                 ns_case(c(0, 0, 0, 1, 1, 2, 4, 4, 9)),
                 ns_case(seq(-1, 1, length = 11)^3))

write_json(list(source = paste("R", R.version$major, R.version$minor, "survival",
                                as.character(packageVersion("survival")), "splines"),
                cases = cases, ns = ns_cases),
           file.path(out, "zph_plot_fixtures.json"), auto_unbox = TRUE, digits = NA,
           pretty = TRUE, null = "null", na = "null")
cat("wrote", file.path(out, "zph_plot_fixtures.json"), "\n")
