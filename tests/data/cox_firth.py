"""Firth penalised Cox fixtures from the PyPI package firthmodels (0.8.2), which reproduces
R's coxphf (Breslow ties, penalised likelihood-ratio P, profile-likelihood CIs).

Neither firthmodels nor coxphf fits strata, so the stratified case is computed here from
the definition instead: the Breslow partial likelihood summed over strata, plus half the
log-determinant of its information, maximised numerically (scipy) with finite-difference
derivatives; penalised likelihood-ratio P and profile limits from the same function. It
shares no code or formula for derivatives with survcalc.

Run from the repository root:  python3 tests/data/cox_firth.py
Reads tests/data/cox_mono.csv and cox_ovarian.csv (written by cox.R), writes
tests/data/cox_firth_fixtures.json. Tolerances are tightened far below the package's
defaults so the numbers are the maximum and the interval ends to ~1e-10.
"""

import csv
import json
from importlib.metadata import version

import numpy as np
from firthmodels import FirthCoxPH
from scipy import optimize, stats

TIGHT = dict(max_iter=500, gtol=1e-7, xtol=1e-8, max_halfstep=50)


def read(name):
    with open(f"tests/data/{name}") as f:
        return list(csv.DictReader(f))


def case(case_id, csv_name, time, event, columns, args):
    rows = read(csv_name)
    X = np.array([[col(r) for _, col in columns] for r in rows], dtype=float)
    t = np.array([float(r[time]) for r in rows])
    d = np.array([r[event] == "1" for r in rows])
    model = FirthCoxPH(**TIGHT).fit(X, (d, t))
    model.lrt()
    ci = model.conf_int(alpha=0.05, method="pl", tol=1e-11, max_iter=500)
    null = model._compute_quantities(np.zeros(X.shape[1]))
    call = (f"FirthCoxPH(max_iter=500, gtol=1e-7, xtol=1e-8, max_halfstep=50).fit(X, (event, time)); "
            f"model.lrt(); model.conf_int(alpha=0.05, method='pl', tol=1e-11, max_iter=500)")
    return {
        "id": case_id,
        "csv": csv_name,
        "args": args,
        "python_call": call,
        "columns": [name for name, _ in columns],
        "converged": bool(model.converged_),
        "loglik": [float(null.loglik), float(model.loglik_)],
        "terms": [
            {
                "name": name,
                "coef": float(model.coef_[j]),
                "se": float(model.bse_[j]),
                "hr_lower": float(np.exp(ci[j, 0])),
                "hr_upper": float(np.exp(ci[j, 1])),
                "p": float(model.lrt_pvalues_[j]),
            }
            for j, (name, _) in enumerate(columns)
        ],
    }


def penalised_loglik(beta, X, t, d, s):
    """Breslow log partial likelihood summed over strata, plus 1/2 log det of its information."""
    ll, info = 0.0, np.zeros((X.shape[1], X.shape[1]))
    for k in np.unique(s):
        for u in np.unique(t[(s == k) & d]):
            risk = (s == k) & (t >= u)
            dead = (s == k) & (t == u) & d
            w = np.exp(X[risk] @ beta)
            s0, s1, s2 = w.sum(), w @ X[risk], (X[risk].T * w) @ X[risk]
            m = dead.sum()
            ll += (X[dead] @ beta).sum() - m * np.log(s0)
            info += m * (s2 / s0 - np.outer(s1, s1) / s0**2)
    return ll + 0.5 * np.linalg.slogdet(info)[1]


def maximise(f, start):
    """Maximum of f by BFGS, then Newton steps on central-difference derivatives."""
    x = optimize.minimize(lambda b: -f(b), start, method="BFGS", options={"gtol": 1e-10}).x
    h = 1e-4
    for _ in range(20):
        p = len(x)
        e = np.eye(p) * h
        g = np.array([(f(x + e[i]) - f(x - e[i])) / (2 * h) for i in range(p)])
        H = np.array([[(f(x + e[i] + e[j]) - f(x + e[i] - e[j]) - f(x - e[i] + e[j]) + f(x - e[i] - e[j]))
                       / (4 * h * h) for j in range(p)] for i in range(p)])
        step = np.linalg.solve(H, g)
        x = x - step
        if np.max(np.abs(step)) < 1e-12:
            break
    return x, f(x)


def profile(f, j, bj, start):
    """Maximum of f over the other coefficients with coefficient j held at bj."""
    if len(start) == 1:
        return f(np.array([bj]))
    others = np.delete(start, j)
    g = lambda o: f(np.insert(o, j, bj))
    return maximise(g, others)[1]


def bracket(drop, start, direction):
    """A point on the given side of start where the profile has fallen past the limit."""
    width = 1e-3
    while drop(start + direction * width) < 0:
        width *= 2
    return start + direction * width


def by_definition(case_id, csv_name, columns, stratum, args):
    rows = read(csv_name)
    X = np.array([[col(r) for _, col in columns] for r in rows], dtype=float)
    t = np.array([float(r["futime"]) for r in rows])
    d = np.array([r["fustat"] == "1" for r in rows])
    s = np.array([r[stratum] for r in rows])
    f = lambda b: penalised_loglik(b, X, t, d, s)
    beta, top = maximise(f, np.zeros(X.shape[1]))
    crit = stats.chi2.ppf(0.95, 1) / 2
    terms = []
    for j, (name, _) in enumerate(columns):
        drop = lambda bj: top - profile(f, j, bj, beta) - crit
        lower = optimize.brentq(drop, bracket(drop, beta[j], -1), beta[j], xtol=1e-13)
        upper = optimize.brentq(drop, beta[j], bracket(drop, beta[j], 1), xtol=1e-13)
        chisq = 2 * (top - profile(f, j, 0.0, beta))
        terms.append({"name": name, "coef": float(beta[j]),
                      "hr_lower": float(np.exp(lower)), "hr_upper": float(np.exp(upper)),
                      "p": float(stats.chi2.sf(chisq, 1))})
    return {
        "id": case_id,
        "csv": csv_name,
        "args": args,
        "python_call": f"by_definition: Breslow partial likelihood stratified by {stratum} "
                       "+ 1/2 log det I, maximised with scipy BFGS then finite-difference Newton; "
                       "profile limits by brentq",
        "columns": [name for name, _ in columns],
        "converged": True,
        "loglik": [float(f(np.zeros(X.shape[1]))), float(top)],
        "terms": terms,
    }


base = ["--time", "futime", "--event", "fustat", "--firth"]
cases = [
    # Separated: group B has no events, so the ordinary estimate runs to -infinity.
    case("mono_separated", "cox_mono.csv", "futime", "fustat",
         [("age", lambda r: float(r["age"])), ("grp=B", lambda r: 1.0 if r["grp"] == "B" else 0.0)],
         base + ["--covariate", "age", "--categorical", "grp"]),
    case("ovarian_regular", "cox_ovarian.csv", "futime", "fustat",
         [("rx", lambda r: float(r["rx"])), ("age", lambda r: float(r["age"]))],
         base + ["--covariate", "rx", "--covariate", "age"]),
    # Stratified by treatment arm, group B still without events in either arm.
    by_definition("mono_separated_strata_rx", "cox_mono.csv",
                  [("age", lambda r: float(r["age"])), ("grp=B", lambda r: 1.0 if r["grp"] == "B" else 0.0)],
                  "rx", base + ["--covariate", "age", "--categorical", "grp", "--strata", "rx"]),
]

with open("tests/data/cox_firth_fixtures.json", "w") as f:
    json.dump({"generated_by": "tests/data/cox_firth.py",
               "firthmodels_version": version("firthmodels"), "cases": cases}, f, indent=2)
    f.write("\n")
