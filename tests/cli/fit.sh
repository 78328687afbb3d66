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
echo "fit CLI: ok"
