#!/usr/bin/python3
"""Simulate the pilot of the bundled bank item_banks/digcomp-core.yaml.

SIMULATED DATA, not real examinees. Generates responses from the bank's (generating)
parameters for 4,000 simulated examinees with theta ~ N(0, 1), on a linked booklet design:

* the items are dealt into 8 blocks of about 20, stratified by level and competence, so every
  block spans the whole difficulty range and every area;
* booklet j holds blocks j, j+1 and j+3 (mod 8): every block appears in 3 booklets, every
  pair of blocks at distance 1, 2 or 3 shares a booklet, so the design is connected (linked)
  and each item gets about 1,500 responses;
* blocks at distance 4 never share a booklet, and enemy items are always placed 4 blocks apart,
  so no simulated examinee sees both items of an enemy pair;
* booklets are spiralled: examinee i takes booklet i mod 8 (500 examinees per booklet).

Output (fixed seed, byte-for-byte reproducible):
  item_banks/pilot/digcomp-core-pilot.csv.gz        wide CSV: person_id, then one column per
                                                    item id; the score category (0/1 for
                                                    multiple choice, 0..K-1 for partial credit)
                                                    or empty when the item was not administered
  item_banks/pilot/digcomp-core-pilot-persons.csv.gz  person_id, booklet, true theta
                                                    (for parameter-recovery checks)

    /usr/bin/python3 scripts/simulate_pilot.py

The profile pilot (--profile), for the profile bank item_banks/digcomp-profile.yaml: the same
booklet design and item parameters, but SIMULATED from a 5-dimension between-item model. Every
item measures the dimension of its DigComp area (the area of its first competence) with its
generating slope and difficulty (each item's response function is the unidimensional one, at
the examinee's theta on that item's area); the 4,000 true profiles are drawn (seed 20251203)
from MVN(0, R) with unit variances and these area correlations, an assumption of ours chosen
in the range reported for digital-competence areas (0.55-0.80), not an estimate from real data:

                      1 info  2 comm  3 content  4 safety  5 problems
    1 information      1.00    0.75     0.70      0.62      0.72
    2 communication    0.75    1.00     0.68      0.60      0.65
    3 content          0.70    0.68     1.00      0.57      0.76
    4 safety           0.62    0.60     0.57      1.00      0.64
    5 problem solving  0.72    0.65     0.76      0.64      1.00

Output (fixed seed, byte-for-byte reproducible):
  item_banks/pilot/digcomp-core-profile-pilot.csv.gz          wide CSV as above
  item_banks/pilot/digcomp-core-profile-pilot-persons.csv.gz  person_id, booklet, the 5 true thetas
  item_banks/pilot/digcomp-profile-factors.txt                 the factor structure for
                                                              dskill calibrate --factors (one factor
                                                              per area, items by id, COV free)
  item_banks/pilot/digcomp-profile-models.yaml                 item models for --models: as written,
                                                              but PCM as GPCM (the multidimensional
                                                              calibration has no fixed-slope PCM)

    /usr/bin/python3 scripts/simulate_pilot.py --profile
"""
import argparse
import csv
import gzip
import io
import os

import numpy as np
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BANK = os.path.join(ROOT, "item_banks", "digcomp-core.yaml")
OUT_DIR = os.path.join(ROOT, "item_banks", "pilot")
SEED = 20251130
N_PERSONS = 4000
N_BLOCKS = 8
PROFILE_SEED = 20251203
# The DigComp 2.2 areas in order, the profile bank's dimension ids, and their assumed correlations.
AREAS = ["1", "2", "3", "4", "5"]
AREA_DIMENSIONS = ["info", "comm", "content", "safety", "problems"]
AREA_CORRELATION = [[1.00, 0.75, 0.70, 0.62, 0.72],
                    [0.75, 1.00, 0.68, 0.60, 0.65],
                    [0.70, 0.68, 1.00, 0.57, 0.76],
                    [0.62, 0.60, 0.57, 1.00, 0.64],
                    [0.72, 0.65, 0.76, 0.64, 1.00]]
BOOKLETS = [sorted({j % N_BLOCKS, (j + 1) % N_BLOCKS, (j + 3) % N_BLOCKS}) for j in range(N_BLOCKS)]


def area_of(e):
    """The DigComp area of an item: the area of its first competence ("1.2" -> "1")."""
    return e["competences"][0].split(".")[0]


def comp_key(c):
    return tuple(int(x) for x in c.split("."))


def assign_blocks(items):
    """Deal items into blocks, stratified by (level, competence); enemies 4 blocks apart."""
    order = sorted(items, key=lambda e: (e["level"], comp_key(e["competences"][0]), e["id"]))
    block = {}
    sizes = [0] * N_BLOCKS
    cursor = 0
    for e in order:
        fixed = None
        for en in e.get("enemies", []):
            if en in block:
                fixed = (block[en] + N_BLOCKS // 2) % N_BLOCKS
        if fixed is None:
            # next block in the deal, skipping ones that would put an enemy in a shared booklet
            b = cursor
            cursor = (cursor + 1) % N_BLOCKS
        else:
            b = fixed
        block[e["id"]] = b
        sizes[b] += 1
    return block, sizes


def probs(e, theta, D):
    """Category probabilities, shape (n, K), at the GENERATING parameters (meta.generating once
    the bank carries calibrated estimates)."""
    m, p = e["model"], (e.get("meta") or {}).get("generating", e["params"])
    if m in ("2pl", "3pl", "1pl", "rasch"):
        a = p.get("a", 1.0)
        c = p.get("c", 0.0)
        p1 = c + (1 - c) / (1 + np.exp(-D * a * (theta - p["b"])))
        return np.stack([1 - p1, p1], axis=1)
    if m in ("gpcm", "pcm"):
        a = p.get("a", 1.0) if m == "gpcm" else 1.0
        steps = np.asarray(p["b"], dtype=float)
        z = np.concatenate([np.zeros((theta.size, 1)),
                            np.cumsum(D * a * (theta[:, None] - steps[None, :]), axis=1)], axis=1)
        z -= z.max(axis=1, keepdims=True)
        ez = np.exp(z)
        return ez / ez.sum(axis=1, keepdims=True)
    raise ValueError("model %s not simulated" % m)


def write_gz(path, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerows(rows)
    with open(path, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as f:
            f.write(buf.getvalue().encode("utf-8"))


def simulate(items, D, thetas, item_theta, seed_rng):
    """Responses (persons x items, -1 = not administered) on the booklet design: item j is
    answered at theta column item_theta[j] of thetas (one column for the unidimensional pilot)."""
    block, sizes = assign_blocks(items)
    for e in items:                                  # enemies never share a booklet
        for en in e.get("enemies", []):
            for bk in BOOKLETS:
                assert not (block[e["id"]] in bk and block[en] in bk), (e["id"], en)
    n = thetas.shape[0]
    booklet = np.arange(n) % N_BLOCKS
    resp = np.full((n, len(items)), -1, dtype=int)
    for j, e in enumerate(items):
        who = np.flatnonzero(np.isin(booklet, [bk for bk in range(N_BLOCKS) if block[e["id"]] in BOOKLETS[bk]]))
        P = probs(e, thetas[who, item_theta[j]], D)
        u = seed_rng.random(who.size)
        resp[who, j] = (u[:, None] > np.cumsum(P, axis=1)).sum(axis=1)
    return resp, booklet, sizes


def write_responses(path, ids, resp):
    rows = [["person_id"] + ids]
    for i in range(resp.shape[0]):
        rows.append(["p%04d" % (i + 1)] + ["" if x < 0 else str(x) for x in resp[i]])
    write_gz(path, rows)


def report(items, resp, sizes):
    n_per_item = (resp >= 0).sum(axis=0)
    print("persons %d, items %d, blocks %s, booklets %s" % (resp.shape[0], len(items), sizes,
                                                           [[b + 1 for b in bk] for bk in BOOKLETS]))
    print("responses per item: min %d, max %d; items per person: %s"
          % (n_per_item.min(), n_per_item.max(), sorted(set((resp >= 0).sum(axis=1)))))
    # classical check: mean score per level (proportion of maximum)
    for lev in range(1, 7):
        cols = [j for j, e in enumerate(items) if e["level"] == lev]
        vals = []
        for j in cols:
            K = len(items[j]["params"]["b"]) + 1 if isinstance(items[j]["params"]["b"], list) else 2
            x = resp[:, j]
            vals.append(x[x >= 0].mean() / (K - 1))
        print("level %d: %3d items, mean proportion of maximum score %.2f" % (lev, len(cols), np.mean(vals)))


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main_unidimensional(items, D):
    ids = [e["id"] for e in items]
    rng = np.random.default_rng(SEED)
    theta = rng.standard_normal(N_PERSONS)
    resp, booklet, sizes = simulate(items, D, theta[:, None], [0] * len(items), rng)
    write_responses(os.path.join(OUT_DIR, "digcomp-core-pilot.csv.gz"), ids, resp)
    write_gz(os.path.join(OUT_DIR, "digcomp-core-pilot-persons.csv.gz"),
             [["person_id", "booklet", "theta"]] +
             [["p%04d" % (i + 1), str(booklet[i] + 1), "%.4f" % theta[i]] for i in range(N_PERSONS)])
    report(items, resp, sizes)


def main_profile(items, D):
    ids = [e["id"] for e in items]
    R = np.asarray(AREA_CORRELATION)
    assert np.allclose(R, R.T) and np.linalg.eigvalsh(R).min() > 0
    L = np.linalg.cholesky(R)
    rng = np.random.default_rng(PROFILE_SEED)
    thetas = rng.standard_normal((N_PERSONS, len(AREAS))) @ L.T
    item_theta = [AREAS.index(area_of(e)) for e in items]
    resp, booklet, sizes = simulate(items, D, thetas, item_theta, rng)
    write_responses(os.path.join(OUT_DIR, "digcomp-core-profile-pilot.csv.gz"), ids, resp)
    write_gz(os.path.join(OUT_DIR, "digcomp-core-profile-pilot-persons.csv.gz"),
             [["person_id", "booklet"] + ["theta_" + d for d in AREA_DIMENSIONS]] +
             [["p%04d" % (i + 1), str(booklet[i] + 1)] + ["%.4f" % t for t in thetas[i]] for i in range(N_PERSONS)])
    lines = ["# The 5-dimension between-item structure of the profile pilot (dskill calibrate --factors):",
             "# one factor per DigComp 2.2 area (the area of each item's first competence), all",
             "# correlations free. GENERATED by scripts/simulate_pilot.py --profile."]
    for area, dim in zip(AREAS, AREA_DIMENSIONS):
        lines.append("%s = %s" % (dim, ", ".join(e["id"] for e in items if area_of(e) == area)))
    lines.append("COV = " + "*".join(AREA_DIMENSIONS))
    write_text(os.path.join(OUT_DIR, "digcomp-profile-factors.txt"), "\n".join(lines) + "\n")
    models = ["# model of every item of the profile pilot, for dskill calibrate --factors --models",
              "# (GENERATED by scripts/simulate_pilot.py --profile; PCM items are calibrated as GPCM)"]
    models += ["%s: %s" % (e["id"], "gpcm" if e["model"] == "pcm" else e["model"]) for e in items]
    write_text(os.path.join(OUT_DIR, "digcomp-profile-models.yaml"), "\n".join(models) + "\n")
    report(items, resp, sizes)
    print("sample correlations of the true profiles:")
    for row in np.corrcoef(thetas.T):
        print("  " + " ".join("%.3f" % x for x in row))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--profile", action="store_true",
                    help="simulate the 5-dimension profile pilot instead of the unidimensional one")
    args = ap.parse_args()
    with open(BANK, encoding="utf-8") as f:
        bank = yaml.safe_load(f)
    D = float(bank["bank"]["scale"].get("D", 1.0))
    os.makedirs(OUT_DIR, exist_ok=True)
    if args.profile:
        main_profile(bank["items"], D)
    else:
        main_unidimensional(bank["items"], D)


if __name__ == "__main__":
    main()
