#!/usr/bin/env bash
# dskill bank merge: a recalibration's parameters into the bundled bank keep its content and add
# each item's history; new items are appended only when asked; banks with no common item fail.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
BANK=$SRC/item_banks/digcomp-core.yaml
FW=$SRC/item_banks/frameworks/digcomp-2.2.yaml
zcat "$SRC/item_banks/pilot/digcomp-core-pilot.csv.gz" >"$T/all.csv"  # then head: no SIGPIPE under pipefail
head -1501 "$T/all.csv" >"$T/p.csv"
"$DSKILL" calibrate --responses "$T/p.csv" --models "$SRC/item_banks/pilot/digcomp-core-models.yaml" --prior-c 5,17 \
  --out "$T/new.yaml" --quiet >/dev/null
"$DSKILL" bank merge --bank "$BANK" --params "$T/new.yaml" --out "$T/m1.yaml" --date 2026-12-03 >"$T/m1.json"
[ "$(json_num updated "$T/m1.json")" = 157 ] || fail "updated: $(cat "$T/m1.json")"
"$DSKILL" validate "$T/m1.yaml" --framework "$FW" --strict >/dev/null || fail "merged bank does not validate strictly"
[ "$(grep -c 'stem:' "$T/m1.yaml")" -eq "$(grep -c 'stem:' "$BANK")" ] || fail "content lost"
# The first item's parameters now are the new bank's; its old ones are in its history.
new_a=$(grep -A2 'id: dc-1.1-001' "$T/new.yaml" | grep -o 'a: [0-9.]*' | head -1)
grep -A2 'id: dc-1.1-001' "$T/m1.yaml" | grep -q "$new_a" || fail "dc-1.1-001 does not carry the new $new_a"
grep -q 'history: \[{until: "2026-12-03", params: {model: 3pl, a: 1.5889, b: -2.0986, c: 0.1762}' "$T/m1.yaml" ||
  fail "no history of dc-1.1-001's old parameters"
# A second merge appends to the history.
"$DSKILL" bank merge --bank "$T/m1.yaml" --params "$T/new.yaml" --out "$T/m2.yaml" --date 2026-12-04 >/dev/null
grep -q 'until: "2026-12-04"' "$T/m2.yaml" || fail "second merge not in the history"
[ "$(grep -m1 'history:' "$T/m2.yaml" | grep -o 'until:' | wc -l)" -eq 2 ] || fail "history has not two entries"
# New items: left out with a warning, or appended as pretest with --add-new.
REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv
cut -d, -f1-11 "$REF" >"$T/ten.csv"
"$DSKILL" calibrate --responses "$T/ten.csv" --out "$T/ten.yaml" --quiet >/dev/null
"$DSKILL" calibrate --responses "$REF" --out "$T/thirty.yaml" --quiet >/dev/null
"$DSKILL" bank merge --bank "$T/ten.yaml" --params "$T/thirty.yaml" --out "$T/m3.yaml" >"$T/m3.json" 2>"$T/m3.err"
[ "$(json_num left_out "$T/m3.json")" = 20 ] || fail "left out: $(cat "$T/m3.json")"
grep -q "20 items" "$T/m3.err" || fail "no warning about left-out items"
"$DSKILL" bank merge --bank "$T/ten.yaml" --params "$T/thirty.yaml" --add-new --out "$T/m4.yaml" >"$T/m4.json"
[ "$(json_num added "$T/m4.json")" = 20 ] || fail "added: $(cat "$T/m4.json")"
[ "$(grep -c 'status: pretest' "$T/m4.yaml")" -eq 20 ] || fail "appended items not pretest"
expect_exit 2 "$DSKILL" bank merge --bank "$BANK" --params "$T/ten.yaml" --out "$T/x.yaml"
echo "bank merge CLI: ok"
