"""Firth's penalised logistic regression and separation fixtures from the PyPI package firthmodels (0.8.2).

Firth: FirthLogisticRegression (the method of R's logistf: penalised likelihood
l(b) + 1/2 log det X'WX, profile penalised-likelihood limits, penalised likelihood-ratio
P per coefficient); the model's penalised LR test compares with the model whose
coefficients but the intercept are held at 0, the penalty still that of the full design
(logistf's "likelihood ratio test", its `col.fit = 1` null fit), maximised with
firthmodels' own Newton-Raphson solver and penalised quantities, as its 1-df tests are. Separation: firthmodels.detect_separation, the linear program of Konis
(2007) that R's detectseparation package solves, saying which coefficients are infinite.

Run from the repository root:  python3 tests/data/regression_firth.py
Reads the regression_*.csv files written by regression.R, writes
tests/data/regression_firth_fixtures.json. Tolerances are tightened far below the
package's defaults (gtol 1e-5, xtol 1e-7: its Newton matrix approximates the Hessian, so
convergence is linear and stalls at steps of ~1e-8, which tighter values never reach); the
estimates are then within ~1e-7 of the maximum. A value firthmodels leaves as NaN (a
constrained fit that did not converge) is written as null.
"""

import csv
import json
from importlib.metadata import version

import numpy as np
from firthmodels import FirthLogisticRegression, detect_separation
from firthmodels._lrt import _SlicedQuantities
from firthmodels._solvers import newton_raphson
from firthmodels.logistic import _Workspace, compute_logistic_quantities

TIGHT = dict(max_iter=1000, gtol=1e-5, xtol=1e-7, max_halfstep=50)


def sorted_levels(values):
    """The contract's level order: numeric when every level is a number, else by code."""
    levels = sorted(set(values))
    try:
        return sorted(levels, key=float)
    except ValueError:
        return levels


def design(csv_name, outcome, event, covariates):
    """Rows complete for the outcome and covariates; numeric columns and 0/1 dummies
    for each categorical covariate's non-reference levels, named as survcalc names them."""
    with open(f"tests/data/{csv_name}") as f:
        rows = [r for r in csv.DictReader(f)]
    used = [outcome] + [c for c, _ in covariates]
    rows = [r for r in rows if all(r[c] not in ("", "NA") for c in used)]
    names, cols = [], []
    for column, kind in covariates:
        if kind == "numeric":
            names.append(column)
            cols.append([float(r[column]) for r in rows])
        else:
            levels = sorted_levels([r[column] for r in rows])
            for level in levels[1:]:
                names.append(f"{column}={level}")
                cols.append([1.0 if r[column] == level else 0.0 for r in rows])
    X = np.array(cols, dtype=float).T
    y = np.array([1.0 if r[outcome] == event else 0.0 for r in rows])
    return names, X, y


def number(x):
    """A float, or None (JSON null) for NaN."""
    return None if np.isnan(x) else float(x)


def null_loglik(X, y):
    """Penalised log-likelihood maximised over the intercept alone, the other coefficients
    at 0 and the penalty from the full design (intercept last, as firthmodels orders it)."""
    Xi = np.column_stack([X, np.ones(len(y))])
    n, k = Xi.shape
    ws = _Workspace(n=n, k=k)

    def quantities(free):
        beta = np.zeros(k)
        beta[-1] = free[0]
        q = compute_logistic_quantities(X=Xi, y=y, beta=beta, sample_weight=np.ones(n),
                                        offset=np.zeros(n), workspace=ws)
        return _SlicedQuantities(loglik=q.loglik, modified_score=q.modified_score[-1:],
                                 fisher_info=q.fisher_info[-1:, -1:].copy())

    result = newton_raphson(compute_quantities=quantities, n_features=1, max_step=5.0, **TIGHT)
    assert result.converged
    return float(result.loglik)


def firth_case(case_id, csv_name, outcome, event, covariates, args):
    names, X, y = design(csv_name, outcome, event, covariates)
    model = FirthLogisticRegression(**TIGHT).fit(X, y)
    model.lrt()
    ci = model.conf_int(alpha=0.05, method="pl", tol=1e-10, max_iter=500)
    null = null_loglik(X, y)
    # firthmodels puts the intercept last; survcalc (as R) first.
    order = [len(names)] + list(range(len(names)))
    beta = np.concatenate([model.coef_, [model.intercept_]])
    return {
        "id": case_id,
        "csv": csv_name,
        "args": args,
        "python_call": "FirthLogisticRegression(max_iter=1000, gtol=1e-5, xtol=1e-7, max_halfstep=50)"
                       ".fit(X, y); model.lrt(); model.conf_int(alpha=0.05, method='pl', tol=1e-10, "
                       "max_iter=500); null: firthmodels._solvers.newton_raphson over the intercept "
                       "alone, compute_logistic_quantities on the full design",
        "converged": bool(model.converged_),
        "loglik": [null, float(model.loglik_)],
        "terms": [
            {
                "name": (["(Intercept)"] + names)[k],
                "estimate": float(beta[j]),
                "se": float(model.bse_[j]),
                "lower": number(ci[j, 0]),
                "upper": number(ci[j, 1]),
                "p": number(model.lrt_pvalues_[j]),
            }
            for k, j in enumerate(order)
        ],
    }


def separation_case(case_id, csv_name, outcome, event, covariates):
    names, X, y = design(csv_name, outcome, event, covariates)
    result = detect_separation(X, y)
    directions = [int(d) for d in result.directions]
    return {
        "id": case_id,
        "csv": csv_name,
        "python_call": "detect_separation(X, y)",
        "separation": bool(result.separation),
        # detect_separation lists the intercept last; here it is first, as in survcalc.
        "infinite": {n: d for n, d in zip(["(Intercept)"] + names, directions[-1:] + directions[:-1])},
    }


def fam(outcome, covariates):
    args = ["--outcome", outcome, "--family", "logistic"]
    for column, kind in covariates:
        args += ["--covariate" if kind == "numeric" else "--categorical", column]
    return args + ["--firth"]


num, cat = "numeric", "categorical"
specs = [
    ("separation_complete", "regression_separation.csv", "y", "1", [("x", num), ("z", num)]),
    ("separation_quasi", "regression_quasi.csv", "y", "1", [("grp", cat), ("z", num)]),
    ("mtcars_am", "regression_mtcars.csv", "am", "1", [("wt", num), ("hp", num)]),
    ("mtcars_vs_cyl", "regression_mtcars.csv", "vs", "1", [("mpg", num), ("cyl", cat)]),
    ("lung_status", "regression_lung.csv", "status", "2", [("age", num), ("sex", cat), ("ph.ecog", cat)]),
    ("lung_status_no_ecog3", "regression_lung_no_ecog3.csv", "status", "2",
     [("age", num), ("sex", cat), ("ph.ecog", cat)]),
]
firth = [firth_case(i, f, o, e, c, fam(o, c)) for i, f, o, e, c in specs if i != "lung_status_no_ecog3"]
separation = [separation_case(i, f, o, e, c) for i, f, o, e, c in specs]

with open("tests/data/regression_firth_fixtures.json", "w") as f:
    json.dump({"generated_by": "tests/data/regression_firth.py",
               "firthmodels_version": version("firthmodels"),
               "firth": firth, "separation": separation}, f, indent=2)
    f.write("\n")
