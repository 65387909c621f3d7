"""Writes km_lifelines_fixtures.json: the weighted log-rank tests of lifelines on km.R's cases.

A second package reference (beside survMisc in km.R) for the tests between groups that R's
survdiff does not compute: lifelines.statistics.multivariate_logrank_test with weightings None
(log-rank), "wilcoxon" (Gehan-Breslow, weights n at risk), "tarone-ware" (sqrt n) and
"fleming-harrington" (S(t-)^p (1 - S(t-))^q, S the pooled left-continuous Kaplan-Meier), all
with the hypergeometric (Mantel-Haenszel) variance that survdiff and survcalc use. It takes
two groups as well as more, where survMisc's two-group variance differs (see km.R). lifelines
has no stratified form, so cases with strata are left out; its "peto" weights are Peto's
prod(1 - d/(n + 1)), not survdiff's rho = 1 (survcalc's peto-peto), so they are not used.

Run from the repository root after km.R (it reads km_fixtures.json for the cases):
    pip install lifelines==0.30.3
    python3 tests/data/km_lifelines.py
"""

import json
from pathlib import Path

import lifelines
import pandas as pd
from lifelines.statistics import multivariate_logrank_test

DATA = Path("tests/data")
VERSION = "0.30.3"

WEIGHTINGS = [("log-rank", None), ("gehan-breslow", "wilcoxon"), ("tarone-ware", "tarone-ware")]


def result(name, r):
    return {"name": name, "chisq": float(r.test_statistic), "df": int(r.degrees_of_freedom),
            "p": float(r.p_value)}


def reference(case):
    """lifelines' tests on one km.R case: its CSV, rows with time, event and group present."""
    d = pd.read_csv(DATA / case["data"])
    d = d.dropna(subset=[case["time"], case["event"], case["group"]])
    time = d[case["time"]]
    event = (d[case["event"]] == case["event_value"]).astype(int)
    group = d[case["group"]].astype(str)
    call = (f"multivariate_logrank_test(d['{case['time']}'], d['{case['group']}'], "
            f"d['{case['event']}'] == {case['event_value']}, weightings=W)")
    out = {
        "km_case": case["id"],
        "source": f"Python package: lifelines {VERSION}",
        "python_call": call + " for W in None, 'wilcoxon', 'tarone-ware'",
        "tests": [result(name, multivariate_logrank_test(time, group, event, weightings=w))
                  for name, w in WEIGHTINGS],
    }
    if case.get("fh"):
        p, q = case["fh"]
        r = multivariate_logrank_test(time, group, event, weightings="fleming-harrington", p=p, q=q)
        out["fleming_harrington"] = result("fleming-harrington", r)
        out["python_call"] += f"; weightings='fleming-harrington', p={p}, q={q}"
    return out


def main():
    assert lifelines.__version__ == VERSION, lifelines.__version__
    cases = json.loads((DATA / "km_fixtures.json").read_text())["cases"]
    seen = set()
    out = []
    for case in cases:
        if not case.get("tests") or case.get("strata") is not None:
            continue
        key = (case["data"], case["time"], case["event"], case["group"], json.dumps(case.get("fh")))
        if key in seen:  # the same data under another confidence band
            continue
        seen.add(key)
        out.append(reference(case))
    text = json.dumps({"lifelines": VERSION, "cases": out}, indent=1)
    (DATA / "km_lifelines_fixtures.json").write_text(text + "\n")
    print("wrote", len(out), "cases")


if __name__ == "__main__":
    main()
