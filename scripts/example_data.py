#!/usr/bin/env python3
"""Writes www/example/gist_simulated.csv: a SIMULATED cohort shaped like the reference study.

The reference study followed 15 patients with metastatic gastrointestinal stromal tumour (GIST)
who had surgery while on a tyrosine-kinase inhibitor, comparing complete or microscopically
incomplete resection (R0/1) with macroscopically incomplete resection (R2). No patient data are
used: every value below comes from a seeded pseudo-random generator, so the file is the same on
every run and machine. It exists so the page can be tried in one click.

Endpoints it supports (dates are ISO, day precision):
- progression-free survival from surgery: date_surgery -> date_progression_or_last, with
  first_event = progression or death as the event (whichever came first)
- competing risks from surgery: date_surgery -> date_progression_or_last, first_event =
  progression (the event of interest), death (death without progression, the competing event)
  or none (alive without progression at the last contact: censored)
- time to progression with deaths censored: the same dates, progressed
- overall survival from surgery: date_surgery -> date_death_or_last, died
- overall survival from drug start: date_drug_start -> date_death_or_last, died

Deaths without progression are drawn from a second generator (seeded SEED + 1, one draw per
patient), so adding them left every other draw, and the patients they do not touch, as before.

Run: python3 scripts/example_data.py  (no dependencies)
"""

import csv
import datetime as dt
import random
from pathlib import Path

SEED = 20260101
N = 15
N_R2 = 6
STUDY_CLOSE = dt.date(2025, 6, 30)
OUT = Path(__file__).resolve().parent.parent / "www" / "example" / "gist_simulated.csv"

# Median times in months, by resection status; R2 progresses and dies sooner, as in the study.
MEDIAN_PFS = {"R0/1": 40.0, "R2": 10.0}
MEDIAN_DEATH_AFTER_PROGRESSION = {"R0/1": 36.0, "R2": 20.0}
# Death without progression (the competing event), from surgery; R2 patients are frailer.
MEDIAN_DEATH_WITHOUT_PROGRESSION = {"R0/1": 80.0, "R2": 40.0}
DAYS_PER_MONTH = 365.25 / 12


def months(rng, median):
    """An exponential draw in months with the given median."""
    return rng.expovariate(0.6931471805599453 / median)


def patient(rng, competing_rng, number, resection):
    surgery = dt.date(2012, 1, 1) + dt.timedelta(days=rng.randrange(0, 8 * 365))
    months_on_drug = rng.uniform(4.0, 18.0)
    drug_start = surgery - dt.timedelta(days=round(months_on_drug * DAYS_PER_MONTH))
    progression = surgery + dt.timedelta(days=round(months(rng, MEDIAN_PFS[resection]) * DAYS_PER_MONTH))
    death = progression + dt.timedelta(
        days=round(months(rng, MEDIAN_DEATH_AFTER_PROGRESSION[resection]) * DAYS_PER_MONTH)
    )
    # Follow-up ends at death, at the study's close, or earlier when a patient is lost.
    last_contact = STUDY_CLOSE
    if rng.random() < 0.15:
        last_contact = surgery + dt.timedelta(days=rng.randrange(180, 6 * 365))
    died = death <= last_contact
    end = death if died else min(last_contact, STUDY_CLOSE)
    progressed = progression <= end
    # A death without progression, when it comes before both progression and the end of follow-up.
    death_first = surgery + dt.timedelta(
        days=round(months(competing_rng, MEDIAN_DEATH_WITHOUT_PROGRESSION[resection]) * DAYS_PER_MONTH)
    )
    if death_first < (progression if progressed else end):
        died, end, progressed = True, death_first, False
    first_event = "progression" if progressed else "death" if died else "none"
    sex = rng.choice(["female", "male"])
    return {
        "patient": f"P{number:02d}",
        "age": round(rng.gauss(58, 11)),
        "sex": sex,
        "primary_site": rng.choices(["stomach", "small bowel", "other"], [5, 4, 1])[0],
        "kit_mutation": rng.choices(["exon 11", "exon 9", "other", "wild type"], [7, 2, 1, 1])[0],
        "metastatic_site": rng.choices(["liver", "peritoneum", "liver and peritoneum"], [4, 3, 2])[0],
        "resection": resection,
        "date_drug_start": drug_start.isoformat(),
        "date_surgery": surgery.isoformat(),
        "progressed": int(progressed),
        "date_progression_or_last": (progression if progressed else end).isoformat(),
        "died": int(died),
        "date_death_or_last": end.isoformat(),
        "first_event": first_event,
    }


def main():
    rng = random.Random(SEED)
    competing_rng = random.Random(SEED + 1)
    resections = ["R0/1"] * (N - N_R2) + ["R2"] * N_R2
    rng.shuffle(resections)
    rows = [patient(rng, competing_rng, i + 1, r) for i, r in enumerate(resections)]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} simulated patients)")


if __name__ == "__main__":
    main()
