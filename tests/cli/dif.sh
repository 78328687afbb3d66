#!/usr/bin/env bash
# dskill dif: Mantel-Haenszel DIF; a planted DIF item is class C. $1 = dskill, $2 = source directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv
# Groups by row parity; in the focal group item I05 is made harder: a quarter of its 1s become 0.
awk -F, 'NR == 1 { print "person_id,group"; next } { print $1 "," (NR % 2 ? "focal" : "ref") }' "$REF" >"$T/groups.csv"
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 2 == 1 && $6 == 1 && (NR % 8 == 1 || NR % 8 == 3 || NR % 8 == 5) { $6 = 0 } { print }' "$REF" >"$T/dif.csv"
"$DSKILL" dif --responses "$T/dif.csv" --groups "$T/groups.csv" --reference ref --focal focal --purify >"$T/dif_out.csv"
[ "$(head -1 "$T/dif_out.csv")" = "item,n_reference,n_focal,alpha_mh,mh_d_dif,se,chi_square,p,ets_class" ] || fail header
grep -q '^I05,.*,C-$' "$T/dif_out.csv" || fail "I05 not C-: $(grep '^I05' "$T/dif_out.csv")"
[ "$(grep -c ',A$' "$T/dif_out.csv")" -ge 27 ] || fail "too many flagged"
"$DSKILL" dif --responses "$T/dif.csv" --groups "$T/groups.csv" --reference ref --format json >"$T/dif.json"
grep -q '"ets_class": "C-"' "$T/dif.json" || fail json
set +e
"$DSKILL" dif --responses "$T/dif.csv" --groups "$T/groups.csv" --reference nobody >/dev/null 2>&1; rc=$?
set -e
[ $rc -ne 0 ] || fail "unknown reference group accepted"
echo "dif CLI: ok"
