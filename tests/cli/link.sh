#!/usr/bin/env bash
# dskill link: two forms calibrated separately, linked through 10 anchors. $1 = dskill, $2 = source dir.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv
# Form X: persons 1-1000, items I01-I20; form Y: persons 1001-2000, items I11-I30.
{ head -1 "$REF"; sed -n 2,1001p "$REF"; } | cut -d, -f1-21 >"$T/x.csv"
{ head -1 "$REF"; sed -n 1002,2001p "$REF"; } | cut -d, -f1,12-31 >"$T/y.csv"
"$DSKILL" calibrate --responses "$T/x.csv" --out "$T/x.yaml" --bank-id form-x --quiet >/dev/null
"$DSKILL" calibrate --responses "$T/y.csv" --out "$T/y.yaml" --bank-id form-y --quiet >/dev/null
for m in mean-mean mean-sigma haebara stocking-lord; do
  "$DSKILL" link --base "$T/x.yaml" --new "$T/y.yaml" --method $m --out "$T/y_on_x.yaml" >"$T/link.json"
  A=$(grep '"A"' "$T/link.json" | sed -E 's/.*: *(-?[0-9.eE+-]+).*/\1/')
  B=$(grep '"B"' "$T/link.json" | sed -E 's/.*: *(-?[0-9.eE+-]+).*/\1/')
  # Same population on both forms: A near 1, B near 0.
  awk -v a="$A" -v b="$B" 'BEGIN { exit !(a > 0.8 && a < 1.25 && b > -0.25 && b < 0.25) }' || fail "$m: A=$A B=$B"
  grep -q 'linked to form-x' "$T/y_on_x.yaml" || fail "provenance note"
done
[ "$(grep -c '"I[12][0-9]"' "$T/link.json")" -eq 10 ] || fail "10 anchors"
grep -q '"se_A": null' "$T/link.json" || fail "SEs without parameter SEs"
# With parameter SEs (calibrate --se): SEs of A and B; symmetric and unit-weight variants.
"$DSKILL" calibrate --responses "$T/x.csv" --out "$T/xs.yaml" --bank-id form-x --se --quiet >/dev/null
"$DSKILL" calibrate --responses "$T/y.csv" --out "$T/ys.yaml" --bank-id form-y --se --quiet >/dev/null
"$DSKILL" link --base "$T/xs.yaml" --new "$T/ys.yaml" --symmetric --weights uniform >"$T/sym.json"
grep -q '"symmetric": true' "$T/sym.json" || fail "symmetric not reported"
SEA=$(json_num se_A "$T/sym.json"); SEB=$(json_num se_B "$T/sym.json")
# 10 anchors, about 1,000 persons a form: SEs of a few hundredths.
awk -v a="$SEA" -v b="$SEB" 'BEGIN { exit !(a > 0.005 && a < 0.15 && b > 0.005 && b < 0.15) }' || fail "SEs: $SEA $SEB"
set +e
"$DSKILL" link --base "$T/x.yaml" --new "$T/y.yaml" --method nope >/dev/null 2>&1; rc=$?
set -e
[ $rc -ne 0 ] || fail "bad method accepted"
echo "link CLI: ok"
