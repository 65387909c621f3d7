"""Firth penalised Cox fixtures from the PyPI package firthmodels (0.8.2), which reproduces
R's coxphf (Breslow ties, penalised likelihood-ratio P, profile-likelihood CIs).

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


base = ["--time", "futime", "--event", "fustat", "--firth"]
cases = [
    # Separated: group B has no events, so the ordinary estimate runs to -infinity.
    case("mono_separated", "cox_mono.csv", "futime", "fustat",
         [("age", lambda r: float(r["age"])), ("grp=B", lambda r: 1.0 if r["grp"] == "B" else 0.0)],
         base + ["--covariate", "age", "--categorical", "grp"]),
    case("ovarian_regular", "cox_ovarian.csv", "futime", "fustat",
         [("rx", lambda r: float(r["rx"])), ("age", lambda r: float(r["age"]))],
         base + ["--covariate", "rx", "--covariate", "age"]),
]

with open("tests/data/cox_firth_fixtures.json", "w") as f:
    json.dump({"generated_by": "tests/data/cox_firth.py",
               "firthmodels_version": version("firthmodels"), "cases": cases}, f, indent=2)
    f.write("\n")
