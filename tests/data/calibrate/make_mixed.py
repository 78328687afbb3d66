#!/usr/bin/python3
"""Regenerates mixed_600.csv and mixed_models.yaml: 600 persons x 10 items (2PL, 3PL, GRM) with
about 5% of responses missing at random. Fixed seed; used by tests/cli/calibrate.sh."""
import numpy as np

rng = np.random.default_rng(2026)
n = 600
theta = rng.standard_normal(n)
items = []
for j in range(10):
    if j in (3, 7):
        items.append(("3pl", rng.uniform(0.9, 1.8), [rng.uniform(-1, 1)], 0.2))
    elif j in (4, 9):
        b = sorted(rng.uniform(-1.2, 1.2, 2))
        items.append(("grm", rng.uniform(0.9, 1.8), b, 0.0))
    else:
        items.append(("2pl", rng.uniform(0.8, 2.0), [rng.uniform(-1.5, 1.5)], 0.0))
cols = []
for kind, a, b, c in items:
    if kind == "grm":
        pstar = [1 / (1 + np.exp(-a * (theta - bk))) for bk in b]
        u = rng.uniform(size=n)
        x = (u < pstar[0]).astype(int) + (u < pstar[1]).astype(int)
    else:
        p = c + (1 - c) / (1 + np.exp(-a * (theta - b[0])))
        x = (rng.uniform(size=n) < p).astype(int)
    cols.append(x)
X = np.array(cols).T
with open("mixed_600.csv", "w") as f:
    f.write("person_id," + ",".join(f"m{j+1:02d}" for j in range(10)) + "\n")
    for i in range(n):
        cells = ["" if rng.uniform() < 0.05 else str(v) for v in X[i]]
        f.write(f"s{i+1:04d}," + ",".join(cells) + "\n")
with open("mixed_models.yaml", "w") as f:
    f.write("# item models for mixed_600.csv (others: --model 2pl)\nmodels:\n")
    for j, (kind, *_rest) in enumerate(items):
        if kind != "2pl":
            f.write(f"  m{j+1:02d}: {kind}\n")
