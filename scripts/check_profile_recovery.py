#!/usr/bin/python3
"""Parameter recovery of the profile bank item_banks/digcomp-profile.yaml (SIMULATED pilot).

The profile pilot (scripts/simulate_pilot.py --profile) was simulated from each item's
generating parameters (meta.generating, copied from digcomp-core.yaml by dskill calibrate
--template) on its DigComp area's dimension, with true profiles from MVN(0, R)
(simulate_pilot.AREA_CORRELATION). This compares the calibrated bank with them: RMSE of the
slopes (on the item's dimension), difficulties and step parameters, c, and the latent
correlations (against R and against the sample correlation of the true profiles).

    /usr/bin/python3 scripts/check_profile_recovery.py [BANK]
"""
import csv
import gzip
import math
import os
import sys

import numpy as np
import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import simulate_pilot  # noqa: E402  (the generating correlations, one place)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANK = os.path.join(ROOT, "item_banks", "digcomp-profile.yaml")
PERSONS = os.path.join(ROOT, "item_banks", "pilot", "digcomp-core-profile-pilot-persons.csv.gz")


def rmse(x):
    return math.sqrt(sum(v * v for v in x) / len(x)) if x else float("nan")


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else BANK
    with open(path, encoding="utf-8") as f:
        bank = yaml.safe_load(f)
    dims = [d["id"] for d in bank["bank"]["dimensions"]]
    areas = [d.get("area") for d in bank["bank"]["dimensions"]]
    R_hat = np.asarray(bank["bank"]["latent"]["correlation"], dtype=float)
    order = [areas.index(a) for a in simulate_pilot.AREAS]  # the generating order of areas
    R_hat = R_hat[np.ix_(order, order)]
    R = np.asarray(simulate_pilot.AREA_CORRELATION)
    with gzip.open(PERSONS, "rt", encoding="utf-8") as f:
        rows = list(csv.reader(f))[1:]
    thetas = np.array([[float(x) for x in r[2:]] for r in rows])
    R_sample = np.corrcoef(thetas.T)
    iu = np.triu_indices(len(R), 1)
    print("latent correlations, estimated (rows/columns in area order 1-5):")
    for row in R_hat:
        print("  " + " ".join("%.3f" % x for x in row))
    print("RMSE of the 10 correlations: %.4f against the generating R, %.4f against the sample R of the true"
          " profiles; largest error %.4f (generating), %.4f (sample)"
          % (rmse(list((R_hat - R)[iu])), rmse(list((R_hat - R_sample)[iu])),
             np.abs(R_hat - R)[iu].max(), np.abs(R_hat - R_sample)[iu].max()))

    err = {"a": [], "b": [], "c": []}
    wrong_dimension = 0
    for e in bank["items"]:
        gen = e["meta"]["generating"]
        area = e["competences"][0].split(".")[0]
        if e.get("dimension") != dims[areas.index(area)]:
            wrong_dimension += 1
            continue
        p = e["params"]
        if e["model"] != "pcm" or "a" in p:
            err["a"].append(p["a"] - gen.get("a", 1.0))
        b_hat, b_gen = p["b"], gen["b"]
        if isinstance(b_gen, list):
            err["b"].extend(x - y for x, y in zip(b_hat, b_gen))
        else:
            err["b"].append(b_hat - b_gen)
        if "c" in gen:
            err["c"].append(p["c"] - gen["c"])
    print("items off their area's dimension: %d" % wrong_dimension)
    for k in ("a", "b", "c"):
        v = err[k]
        print("%s: RMSE %.3f, bias %+.3f, largest |error| %.3f (%d values)"
              % (k, rmse(v), sum(v) / len(v), max(abs(x) for x in v), len(v)))


if __name__ == "__main__":
    main()
