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

# The booklet pilot: Mantel-Haenszel can test no item (no complete pattern), says so and exits 1;
# logistic regression on theta (--method lr) tests every item and finds a planted DIF item.
PILOT=$SRC/item_banks/pilot/digcomp-core-pilot.csv.gz
BANK=$SRC/item_banks/digcomp-core.yaml
zcat "$PILOT" | awk -F, 'NR == 1 { print "person_id,group"; next } { print $1 "," (NR % 2 ? "focal" : "ref") }' >"$T/pg.csv"
set +e
"$DSKILL" dif --responses "$PILOT" --groups "$T/pg.csv" --reference ref >"$T/mh.csv" 2>"$T/mh.err"; rc=$?
set -e
[ $rc -eq 1 ] || fail "MH on booklet data: exit $rc, want 1"
grep -q "157 of 157 items could not be tested" "$T/mh.err" || fail "no warning: $(cat "$T/mh.err")"
grep -q -- "--method lr" "$T/mh.err" || fail "the warning does not say what to do"
# Item dc-1.1-002 (column 3) made harder for the focal group: 2 of its 5 1s become 0 (rows spread over the booklets).
zcat "$PILOT" | awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 2 == 1 && $3 == 1 && NR % 10 < 5 { $3 = 0 } { print }' >"$T/planted.csv"
"$DSKILL" dif --method lr --bank "$BANK" --responses "$T/planted.csv" --groups "$T/pg.csv" --reference ref >"$T/lr.csv"
[ "$(head -1 "$T/lr.csv")" = "item,n_reference,n_focal,categories,chi2_uniform,p_uniform,chi2_nonuniform,p_nonuniform,chi2_total,p_total,r2_change,beta_change,group_effect,flagged,effect" ] || fail "lr header"
[ "$(grep -c 'not tested' "$T/lr.csv")" -eq 0 ] || fail "lr left items untested"
awk -F, '$1 == "dc-1.1-002" { exit !($14 == 1 && $13 < 0) }' "$T/lr.csv" || fail "planted item not flagged: $(grep dc-1.1-002 "$T/lr.csv")"
[ "$(awk -F, 'NR > 1 && $14 == 1' "$T/lr.csv" | wc -l)" -le 3 ] || fail "too many lr flags: $(awk -F, 'NR > 1 && $14 == 1' "$T/lr.csv")"
"$DSKILL" dif --method lr --bank "$BANK" --responses "$T/planted.csv" --groups "$T/pg.csv" --reference ref --format json >"$T/lr.json"
grep -q '"converged": true' "$T/lr.json" || fail "lr json"
set +e
"$DSKILL" dif --method lr --responses "$T/planted.csv" --groups "$T/pg.csv" --reference ref >/dev/null 2>"$T/err"; rc=$?
set -e
[ $rc -ne 0 ] && grep -q -- "--bank" "$T/err" || fail "lr without --bank: exit $rc"
echo "dif CLI: ok"
