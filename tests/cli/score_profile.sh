#!/usr/bin/env bash
# dskill score on profile (multidimensional) banks: areas from the profile estimate (MAP, EAP),
# columns per dimension, per-area level and its probability, Rudner per area in the summary
# against the simulated truth, rejects with rows and counts that reconcile, thread-count
# invariance, resume, certification rules with min_probability, and the refusals.
# Usage: score_profile.sh DSKILL_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
FW=$SRC/tests/data/frameworks/mini.yaml

$PY "$SRC/scripts/gen_profile_responses.py" --bank "$T/p.yaml" --out "$T/in.csv" --truth "$T/truth.csv" --dims 2 \
  --items 20 --persons 3000 --rho 0.6 --missing 0.1 --seed 3 --framework mini:1.0 --areas 1,4
# three bad rows at the end: rows 3001 (non-numeric), 3002 (ragged), 3003 (duplicate of P000001)
{
  printf 'BAD1,x'; for _ in $(seq 2 20); do printf ',1'; done; printf '\n'
  printf 'BAD2,1,0\n'
  sed -n 2p "$T/in.csv"
} >>"$T/in.csv"

# ---- EAP (default) and MAP: columns, rejects, a summary that reconciles, Rudner against the truth
for m in eap map; do
  expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --method $m \
    --out "$T/$m.csv" --summary "$T/$m.json" --threads 2 --no-progress
  check "header ($m)" \
    "person_id,theta,se,n_answered,raw_score,max_score,theta_d1,se_d1,theta_d2,se_d2,level_1,p_level_1,level_4,p_level_4,level,certified,certified_by,status" \
    "$(head -1 "$T/$m.csv")"
  check "rows ($m)" 3001 "$(wc -l <"$T/$m.csv")"
  check "rejects ($m)" "3001 3002 3003" "$(tail -n +2 "$T/$m.csv.rejects.csv" | cut -d, -f1 | tr '\n' ' ' | sed 's/ $//')"
  $PY - "$T/$m.json" "$T/$m.csv" "$T/truth.csv" $m <<'PYEOF'
import csv, json, sys
s = json.load(open(sys.argv[1]))
method = sys.argv[4]
assert s["rows_read"] == 3003 and s["persons_scored"] == 3000 and s["rows_rejected"] == 3, s
assert s["reconciles"] and s["rejects_by_kind"] == {"duplicate_person": 1, "non_numeric_response": 1, "ragged_row": 1}, s
p = s["profile"]
assert p["method"] == method and [d["id"] for d in p["dimensions"]] == ["d1", "d2"], p
assert p["level_probabilities"] == ("grid" if method == "eap" else "normal"), p
assert (p["integration"] == "grid") if method == "eap" else p["integration"] is None, p
cuts = {"1": [-1.0, 0.0, 1.0], "4": [-0.5, 0.5, 1.5]}
dim = {"1": "d1", "4": "d2"}
truth = {r["person_id"]: r for r in csv.DictReader(open(sys.argv[3]))}
rows = list(csv.DictReader(open(sys.argv[2])))
for area in ("1", "4"):
    a = s["classification"]["areas"][area]
    assert a["dimension"] == dim[area] and a["probabilities"] == p["level_probabilities"], a
    level = lambda t: 1 + sum(t >= c for c in cuts[area])
    agree = sum(int(r["level_" + area]) == level(float(truth[r["person_id"]]["theta_" + dim[area]])) for r in rows)
    empirical = agree / len(rows)
    mean_p = sum(float(r["p_level_" + area]) for r in rows) / len(rows)
    print(f"{method} area {area}: Rudner accuracy {a['accuracy']:.4f}, simulated {empirical:.4f}", file=sys.stderr)
    # the summary's accuracy is the mean of the rows' p_level; both near the truth (sampling
    # error on 3,000 persons <= 0.009)
    assert abs(a["accuracy"] - mean_p) < 1e-5, (a, mean_p)
    assert abs(a["accuracy"] - empirical) < 0.03, (a, empirical)
    assert 0.3 < a["consistency"] < a["accuracy"], a
PYEOF
done
# the per-dimension estimates are those of the profile: EAP and MAP close, not equal
cmp -s "$T/eap.csv" "$T/map.csv" && fail "EAP and MAP gave the same rows"

# ---- JSON Lines: dimensions, areas with p_level and p_levels summing to one
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --out "$T/eap.jsonl" \
  --no-progress
$PY - "$T/eap.jsonl" "$T/eap.csv" <<'PYEOF'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[2])))
lines = [json.loads(l) for l in open(sys.argv[1])]
assert len(lines) == len(rows) == 3000
for j, r in zip(lines, rows):
    assert j["person_id"] == r["person_id"] and set(j["dimensions"]) == {"d1", "d2"}
    assert abs(j["dimensions"]["d1"]["theta"] - float(r["theta_d1"])) < 1e-6
    for area in ("1", "4"):
        a = j["areas"][area]
        assert abs(sum(a["p_levels"]) - 1) < 1e-5 and a["level"] == int(r["level_" + area])
        assert abs(a["p_level"] - a["p_levels"][a["level"] - 1]) < 1e-6
PYEOF

# ---- the output does not depend on the thread count; an interrupted run resumes
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --out "$T/t1.csv" \
  --threads 1 --chunk 64 --no-progress
cmp -s "$T/t1.csv" "$T/eap.csv" || fail "profile scores depend on the thread count"
cmd=("$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --out "$T/r.csv"
     --summary "$T/r.json" --checkpoint-every 300 --chunk 100 --no-progress)
expect_exit 1 "${cmd[@]}" --debug-interrupt-after 1500
[[ -f "$T/r.csv.checkpoint.json" ]] || fail "no checkpoint after the interruption"
# scoring each area alone is another command: it does not resume this run
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --out "$T/r.csv" \
  --chunk 100 --profile off --no-progress
expect_contains "$T/stderr" "different command"
expect_exit 1 "${cmd[@]}"
expect_contains "$T/stderr" "resumed after row"
cmp -s "$T/r.csv" "$T/eap.csv" || fail "resumed profile scores differ from an uninterrupted run"
cmp -s "$T/r.csv.rejects.csv" "$T/eap.csv.rejects.csv" || fail "resumed rejects differ"
$PY -c "import json,sys; s=json.load(open(sys.argv[1])); e=json.load(open(sys.argv[2]));
assert s['resumed'] and s['reconciles'] and s['classification'] == e['classification'], (s['classification'], e['classification'])" \
  "$T/r.json" "$T/eap.json"

# ---- --profile off: today's per-area scoring (theta/se/level per area, no dimension columns)
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$FW" --responses "$T/in.csv" --out "$T/off.csv" \
  --profile off --method ml --no-progress
check "header (--profile off)" \
  "person_id,theta,se,n_answered,raw_score,max_score,theta_1,se_1,level_1,theta_4,se_4,level_4,level,certified,certified_by,status" \
  "$(head -1 "$T/off.csv")"

# ---- certification at a minimum probability: fewer certificates, levels certified in columns
sed 's/^    all_areas_at_least: 3$/    all_areas_at_least: 3\n    min_probability: 0.8/' "$FW" >"$T/fw_p.yaml"
grep -q "min_probability: 0.8" "$T/fw_p.yaml" || fail "could not write the framework with min_probability"
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$T/fw_p.yaml" --responses "$T/in.csv" \
  --out "$T/strict.csv" --summary "$T/strict.json" --no-progress
[[ $(head -1 "$T/strict.csv") == *",certified_by,certified_level_1,certified_level_4,certified_level,status" ]] ||
  fail "certified_level columns: $(head -1 "$T/strict.csv")"
$PY - "$T/strict.csv" "$T/eap.csv" "$T/strict.json" "$T/eap.json" <<'PYEOF'
import csv, json, sys
strict = list(csv.DictReader(open(sys.argv[1])))
plain = list(csv.DictReader(open(sys.argv[2])))
s, e = json.load(open(sys.argv[3])), json.load(open(sys.argv[4]))
core_s = sum(r["certified_by"] == "core" for r in strict)
core_p = sum(r["certified_by"] == "core" for r in plain)
print(f"core certificates: {core_p} on point levels, {core_s} at P >= 0.8", file=sys.stderr)
assert 0 < core_s < core_p, (core_s, core_p)
assert s["certification_rules"][0] == {"id": "core", "min_probability": 0.8}, s["certification_rules"]
for a, b in zip(strict, plain):
    assert a["level_1"] == b["level_1"] and a["p_level_1"] == b["p_level_1"]  # levels unchanged; only decisions
    if a["certified_by"] == "core":
        assert b["certified_by"] == "core"
        assert int(a["certified_level_1"]) >= 3 and int(a["certified_level_4"]) >= 3
        assert int(a["certified_level_1"]) <= int(a["level_1"])
PYEOF
# the credentials state the levels certified at the rule's probability
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$T/fw_p.yaml" --responses "$T/in.csv" \
  --out "$T/cred.csv" --credentials "$T/creds" --person-ids clear --no-progress
$PY - "$T/cred.csv" "$T/creds" <<'PYEOF'
import csv, json, os, sys
checked = lowered = 0
for r in csv.DictReader(open(sys.argv[1])):
    if r["certified_by"] != "core":
        continue
    c = json.load(open(os.path.join(sys.argv[2], r["credential"])))
    got = {x["resultDescription"].rsplit(":", 1)[1]: int(x["achievedLevel"].rsplit("-", 1)[1])
           for x in c["credentialSubject"]["result"]}
    want = {"overall": int(r["certified_level"]), "area-1": int(r["certified_level_1"]), "area-4": int(r["certified_level_4"])}
    assert got == want, (r["person_id"], got, want)
    lowered += int(r["certified_level_1"]) < int(r["level_1"]) or int(r["certified_level_4"]) < int(r["level_4"])
    checked += 1
assert checked > 0 and lowered > 0, (checked, lowered)
PYEOF
# a bad min_probability is refused with its position
sed 's/^    all_areas_at_least: 3$/    all_areas_at_least: 3\n    min_probability: 1.5/' "$FW" >"$T/fw_bad.yaml"
expect_exit 1 "$DSKILL" score --bank "$T/p.yaml" --framework "$T/fw_bad.yaml" --responses "$T/in.csv" --no-progress
expect_contains "$T/stderr" "fw_bad.yaml:41:"
expect_contains "$T/stderr" "min_probability must be a number in (0, 1]"

# ---- the bundled test profile bank (3PL, graded, partial credit, a cross-loading item)
printf 'person_id,i1,i2,i3,i4,i5\nA,1,0,1,2,1\nB,0,0,0,0,0\nC,1,1,1,3,2\nD,,,,,\n' >"$T/small.csv"
for m in eap map; do
  expect_exit 0 "$DSKILL" score --bank "$SRC/tests/data/banks/profile.yaml" --framework "$FW" \
    --responses "$T/small.csv" --method $m --out "$T/small_$m.csv" --no-progress
  check "small rows ($m)" 5 "$(wc -l <"$T/small_$m.csv")"
  grep -q '^D,.*,no_responses$' "$T/small_$m.csv" || fail "empty pattern ($m)"
done

# ---- refusals (usage errors, exit 2): ML on the profile, --profile on with a unidimensional
# bank, an unknown mode
expect_exit 2 "$DSKILL" score --bank "$T/p.yaml" --responses "$T/in.csv" --method ml --no-progress
expect_contains "$T/stderr" "profile banks are scored on the profile by map or eap"
expect_exit 2 "$DSKILL" score --bank "$SRC/tests/data/score/bank.yaml" --responses "$SRC/tests/data/score/good.csv" \
  --profile on --no-progress
expect_contains "$T/stderr" "is unidimensional"
expect_exit 2 "$DSKILL" score --bank "$T/p.yaml" --responses "$T/in.csv" --profile maybe --no-progress
expect_contains "$T/stderr" "--profile: unknown mode"

finish score_profile
