#!/usr/bin/env bash
# dskill report from the command line: bank, scores, calibration and simulation reports on the
# bundled bank and test data, as HTML (sections present, every SVG well-formed XML with finite
# numbers, no scripts) and as JSON; usage and input errors.
# Usage: report.sh DSKILL_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA=$SRC/tests/data/report
BANK=$SRC/item_banks/digcomp-core.yaml
FW=$SRC/item_banks/frameworks/digcomp-2.2.yaml
PY=/usr/bin/python3
HELP=$("$DSKILL" --help)
has_command() { grep -qE "^  $1 " <<<"$HELP"; }  # no pipe from dskill into grep -q (pipefail)
# check_html FILE SECTION...: a complete document, the sections, well-formed SVGs with finite numbers.
check_html() {
  $PY - "$@" <<'EOF'
import math, re, sys, xml.etree.ElementTree as ET
path, sections = sys.argv[1], sys.argv[2:]
html = open(path, encoding="utf-8").read()
assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>"), "not a complete document"
assert "<script" not in html, "scripts in the report"
assert not re.search(r'(src|href)="(https?:)?//', html), "network resource"
for s in sections:
    assert f'<section id="{s}">' in html, f"missing section {s}"
svgs = re.findall(r"<svg.*?</svg>", html, re.S)
assert svgs, "no plots"
for svg in svgs:
    root = ET.fromstring(svg)  # well-formed XML
    for el in root.iter():
        for k, v in el.attrib.items():
            if k in ("x", "y", "width", "height", "cx", "cy", "r", "x1", "x2", "y1", "y2", "points", "viewBox"):
                for tok in re.split(r"[ ,]+", v.strip()):
                    if tok:
                        assert math.isfinite(float(tok)), f"{k}={v}"
EOF
}

# ---- bank report: bundled bank with its framework; JSON numbers
expect_exit 0 "$DSKILL" report bank --bank "$BANK" --framework "$FW" --out "$T/bank.html"
check_html "$T/bank.html" summary information icc difficulty counts levels || fail "bank report HTML"
grep -q "Items per proficiency level" "$T/bank.html" || fail "items per level table"
expect_exit 0 "$DSKILL" report bank --bank "$BANK" --framework "$FW" --format json --theta -3:3:0.5
$PY - "$T/stdout" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["report"] == "bank" and len(j["theta"]) == 13 and len(j["information"]) == 13, j.keys()
assert abs(sum(a["information"][6] for a in j["areas"]) - j["information"][6]) < 1e-9
assert sum(j["counts"]["status"].values()) == j["bank"]["items"] == 157
assert len(j["cut_scores"]) == 7 and len(j["levels"]) == 8
EOF
# without a framework, to standard output, chosen items
expect_exit 0 "$DSKILL" report bank --bank "$BANK" --items dc-1.1-001,dc-4.1-002
grep -q "dc-4.1-002" "$T/stdout" || fail "chosen ICC item"
# usage and input errors
expect_exit 2 "$DSKILL" report bank
expect_exit 2 "$DSKILL" report
expect_exit 2 "$DSKILL" report bank --bank "$BANK" --format pdf
expect_exit 2 "$DSKILL" report bank --bank "$BANK" --theta 4:-4:0.1
expect_exit 1 "$DSKILL" report bank --bank "$T/missing.yaml"
expect_exit 2 "$DSKILL" report bank --bank "$BANK" --items nope
grep -q "'nope'" "$T/stderr" || fail "unknown item message"
expect_exit 1 "$DSKILL" report bank --bank "$BANK" --out "$T/no/such/dir/r.html"

# ---- scores report: score the simulated pilot with the framework, then report
expect_exit 0 "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "$SRC/item_banks/pilot/digcomp-core-pilot.csv.gz" \
  --out "$T/scores.csv" --summary "$T/summary.json" --no-progress --threads 1
expect_exit 0 "$DSKILL" report scores --scores "$T/scores.csv" --summary "$T/summary.json" --framework "$FW" --out "$T/scores.html"
check_html "$T/scores.html" summary theta levels certification || fail "scores report HTML"
grep -q "The counts reconcile: 4000 = 4000 + 0" "$T/scores.html" || fail "reconciliation"
expect_exit 0 "$DSKILL" report scores --scores "$T/scores.csv" --summary "$T/summary.json" --format json
$PY - "$T/stdout" "$T/summary.json" <<'EOF'
import json, sys
j, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
r = j["reconciliation"]
assert r["rows_read"] == r["persons_scored"] + r["rows_rejected"] and r["reconciles"] and r["scores_file_matches"]
assert j["persons"] == s["persons_scored"] == 4000
assert j["certified"] == s["certified"]
assert sum(j["theta_histogram"]["counts"]) == 4000
assert sum(j["levels"]["overall"].values()) == 4000 and len(j["levels"]) == 6
# the rows do not carry the bank fingerprint: the report takes it from the summary
p = j["provenance"]
assert p["from"] == "summary" and p["bank_fingerprint"] == s["bank"]["fingerprint"], p
assert p["dskill_version"] == s["dskill_version"], p
EOF
grep -qF "(from the summary)" "$T/scores.html" || fail "scores report: the fingerprint from the summary"
expect_exit 0 "$DSKILL" report scores --scores "$T/scores.csv" --out "$T/bare.html"
grep -qF "<dd>unknown (no bank_fingerprint column and no --summary)</dd>" "$T/bare.html" ||
  fail "scores report without columns or summary: the fingerprint is not called unknown"
# JSON Lines scores, and a summary with rejected rows
expect_exit 1 "$DSKILL" score --bank "$SRC/tests/data/score/bank.yaml" --responses "$SRC/tests/data/score/bad_rows.csv" \
  --out "$T/bad.jsonl" --summary "$T/bad.json" --no-progress
expect_exit 0 "$DSKILL" report scores --scores "$T/bad.jsonl" --summary "$T/bad.json" --out "$T/bad.html"
grep -q "rows were rejected" "$T/bad.html" || fail "rejected rows note"
expect_exit 1 "$DSKILL" report scores --scores "$BANK"
expect_exit 1 "$DSKILL" report scores --scores "$T/scores.csv" --summary "$BANK"

# ---- calibration report: test data in the shape `dskill calibrate --se --fit` writes
expect_exit 0 "$DSKILL" report calibration --bank "$DATA/calibrated.yaml" --fit "$DATA/fit.json" \
  --log "$DATA/calibration_log.csv" --out "$T/calib.html"
check_html "$T/calib.html" summary convergence parameters fit || fail "calibration report HTML"
grep -q "i02" "$T/calib.html" && grep -q "misfit" "$T/calib.html" || fail "misfit flags"
expect_exit 0 "$DSKILL" report calibration --bank "$DATA/calibrated.yaml" --format json
$PY - "$T/stdout" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["flagged"] == ["i02", "i05"], j["flagged"]
i = {x["id"]: x for x in j["items"]}
assert abs(i["i03"]["se"]["c"] - 0.035) < 1e-12 and i["i07"]["se"]["b"] == [0.07, 0.05, 0.08]
assert i["i08"]["anchor"] and j["run"]["converged"] == "true"
EOF
# the bundled bank holds estimates with SEs and its generating values: a recovery section
expect_exit 0 "$DSKILL" report calibration --bank "$BANK" --summary "$SRC/item_banks/pilot/digcomp-core-estimates.json" \
  --out "$T/bundled-calib.html"
check_html "$T/bundled-calib.html" summary parameters recovery || fail "calibration report of the bundled bank"
if has_command calibrate; then
  REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv
  expect_exit 0 "$DSKILL" calibrate --responses "$REF" --model 2pl --se --fit --out "$T/cal.yaml" --log "$T/cal.log" --quiet
  cp "$T/stdout" "$T/cal.json"
  expect_exit 0 "$DSKILL" report calibration --bank "$T/cal.yaml" --log "$T/cal.log" --summary "$T/cal.json" --out "$T/cal.html"
  check_html "$T/cal.html" summary convergence parameters fit || fail "report of a real calibration"
fi

# ---- simulation report: test data in the shape `dskill simulate` writes, then a real run when present
expect_exit 0 "$DSKILL" report simulation --results "$DATA/simulation.csv" --summary "$DATA/simulation_summary.json" \
  --bank "$BANK" --out "$T/sim.html"
check_html "$T/sim.html" summary recovery length exposure classification || fail "simulation report HTML"
expect_exit 0 "$DSKILL" report simulation --results "$DATA/simulation.csv" --bank "$BANK" --format json
$PY - "$T/stdout" <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
assert j["examinees"] == 200 and sum(b["n"] for b in j["conditional"]) == 200
assert sum(j["length_histogram"]["counts"]) == 200
assert j["exposure"]["items_used"] + j["exposure"]["bank_items_never_used"] == 157
EOF
expect_exit 1 "$DSKILL" report simulation --results "$DATA/fit.json"
if has_command simulate; then
  expect_exit 0 "$DSKILL" simulate --bank "$BANK" --examinees 300 --seed 3 --max-items 15 --out "$T/sim.csv"
  cp "$T/stdout" "$T/sim.json"
  expect_exit 0 "$DSKILL" report simulation --results "$T/sim.csv" --summary "$T/sim.json" --bank "$BANK" --out "$T/sim2.html"
  check_html "$T/sim2.html" summary recovery length exposure || fail "report of a real simulation"
fi
echo "report: all checks passed"
