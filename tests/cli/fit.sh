#!/usr/bin/env bash
# dskill fit: item fit and person fit of a calibrated bank. $1 = dskill, $2 = source directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv
"$DSKILL" calibrate --responses "$REF" --out "$T/bank.yaml" --quiet >/dev/null
"$DSKILL" fit --bank "$T/bank.yaml" --responses "$REF" --items-out "$T/items.csv" --persons-out "$T/persons.csv" >"$T/fit.json"
grep -q '"item_fit"' "$T/fit.json" || fail "item_fit"
[ "$(wc -l <"$T/items.csv")" -eq 31 ] || fail "items CSV"
[ "$(wc -l <"$T/persons.csv")" -eq 2001 ] || fail "persons CSV"
# I01: mirt S-X2 21.46 (df 21) at mirt's estimates; ours at our estimates within 0.1.
awk -F, '$1 == "I01" { d = $3 - 21.4636; if (d < 0) d = -d; if (d > 0.1 || $4 != 21) exit 1 }' "$T/items.csv" || fail "I01 S-X2"
# person 1: mirt Zh 1.0019 (EAP)
awk -F, '$1 == "p00001" { d = $4 - 1.0019; if (d < 0) d = -d; if (d > 0.01) exit 1 }' "$T/persons.csv" || fail "Zh p00001"
"$DSKILL" fit --bank "$T/bank.yaml" --responses "$REF" --theta ml --format csv >"$T/fit.csv"
case "$(head -1 "$T/fit.csv")" in item,s_x2*) ;; *) fail "csv format" ;; esac

# The booklet pilot: S-X2 for every item from its booklets, Q3 of the pairs answered together.
PILOT=$SRC/item_banks/pilot/digcomp-core-pilot.csv.gz
"$DSKILL" fit --bank "$SRC/item_banks/digcomp-core.yaml" --responses "$PILOT" --items-out "$T/pitems.csv" \
  --q3-out "$T/q3.csv" >"$T/pilot.json"
grep -q '"s_x2_groups": 3' "$T/pilot.json" || fail "pilot S-X2 groups: $(grep s_x2 "$T/pilot.json")"
[ "$(awk -F, 'NR > 1 && $3 == ""' "$T/pitems.csv" | wc -l)" -eq 0 ] || fail "pilot items without S-X2"
[ "$(head -1 "$T/q3.csv")" = "item_a,item_b,n,q3,q3_star" ] || fail "q3 header"
grep -q '"pairs_star_above_0.2": 0' "$T/pilot.json" || fail "pilot Q3 flags a pair of the locally independent pilot"
grep -q 'Rasch mean squares; the bank has non-Rasch items' "$T/pilot.json" || fail "infit/outfit not labelled"
# No group large enough: no S-X2, said on stderr, null count, exit 1, other outputs written.
set +e
"$DSKILL" fit --bank "$SRC/item_banks/digcomp-core.yaml" --responses "$PILOT" --min-group 5000 \
  --persons-out "$T/pp.csv" >"$T/nosx2.json" 2>"$T/nosx2.err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "no S-X2: exit $rc, want 1"
grep -q "warning: no S-X2" "$T/nosx2.err" || fail "no S-X2 warning"
grep -q '"s_x2_items_p_below_0.01": null' "$T/nosx2.json" || fail "no S-X2: count not null"
[ "$(wc -l <"$T/pp.csv")" -eq 4001 ] || fail "no S-X2: persons CSV not written"
echo "fit CLI: ok"
