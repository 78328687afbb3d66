#!/usr/bin/env bash
# dskill score takes its prior from the bank's calibrated latent distribution (a PCM bank with
# latent SD 1.7 was scored with N(0, 1): EAPs up to 0.55 off mirt's); --prior-sd overrides it.
# Usage: score_prior.sh DSKILL_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
cat >"$T/pcm.yaml" <<'YAML'
dskill: 1
bank:
  id: pcm-latent
  scale: {D: 1.0}
  meta: {calibration: {latent: [{mean: 0, sd: 1.7, persons: 100}], rasch_latent_sd: 1.7}}
items:
  - {id: p1, model: pcm, params: {b: [-1.2, 0.3]}}
  - {id: p2, model: pcm, params: {b: [-0.4, 0.5, 1.4]}}
  - {id: p3, model: pcm, params: {b: [0.8]}}
YAML
printf 'person_id,p1,p2,p3\nA,2,3,1\nB,0,0,0\nC,1,,1\n' >"$T/r.csv"
"$DSKILL" score --bank "$T/pcm.yaml" --responses "$T/r.csv" --out "$T/default.csv" 2>/dev/null
"$DSKILL" score --bank "$T/pcm.yaml" --responses "$T/r.csv" --out "$T/sd17.csv" --prior-sd 1.7 2>/dev/null
"$DSKILL" score --bank "$T/pcm.yaml" --responses "$T/r.csv" --out "$T/sd1.csv" --prior-sd 1 2>/dev/null
cmp -s "$T/default.csv" "$T/sd17.csv" || fail "the default prior is not the bank's N(0, 1.7)"
$PY - "$T/default.csv" "$T/sd1.csv" <<'PYEOF'
import csv, math, sys
B = [[-1.2, 0.3], [-0.4, 0.5, 1.4], [0.8]]
def eap(x, sd, lo=-6.0, hi=6.0, n=121):  # brute force on the default grid
    s0 = s1 = 0.0
    for q in range(n):
        t = lo + (hi - lo) * q / (n - 1)
        like = math.exp(-0.5 * (t / sd) ** 2)
        for b, k in zip(B, x):
            if k is None:
                continue
            c = [0.0]
            for v in b:
                c.append(c[-1] + t - v)
            like *= math.exp(c[k]) / sum(math.exp(v) for v in c)
        s0, s1 = s0 + like, s1 + like * t
    return s1 / s0
pats = {"A": [2, 3, 1], "B": [0, 0, 0], "C": [1, None, 1]}
default = {r["person_id"]: float(r["theta"]) for r in csv.DictReader(open(sys.argv[1]))}
sd1 = {r["person_id"]: float(r["theta"]) for r in csv.DictReader(open(sys.argv[2]))}
for p, x in pats.items():
    assert abs(default[p] - eap(x, 1.7)) < 2e-6, (p, default[p], eap(x, 1.7))  # six decimals in the file
    assert abs(sd1[p] - eap(x, 1.0)) < 2e-6, (p, sd1[p], eap(x, 1.0))
assert max(abs(default[p] - sd1[p]) for p in pats) > 0.2
PYEOF
finish score_prior
