#!/usr/bin/env bash
# dskill calibrate: 2PL on the mirt reference data (summary JSON, bank, SEs, fit, params CSV,
# iteration log), mixed models with missing data, fixed anchors, two groups, pretest
# calibration into a bank, and error handling. $1 = dskill binary, $2 = source directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REF=$REF_DIR/data/calib_2PL_2000x30_responses.csv

# 1. 2PL with SEs and fit: summary on stdout, progress on stderr with --progress.
"$DSKILL" calibrate --responses "$REF" --model 2pl --se --fit --out "$T/bank.yaml" --params-out "$T/params.csv" \
  --log "$T/log.csv" --progress >"$T/out.json" 2>"$T/err.txt"
grep -q '"converged": true' "$T/out.json" || fail "not converged"
ll=$(json_num log_likelihood "$T/out.json")
awk -v ll="$ll" 'BEGIN { d = ll - (-30104.4557041292); if (d < 0) d = -d; exit !(d < 0.01) }' || fail "logLik $ll vs mirt -30104.4557"
grep -q '"aic"' "$T/out.json" && grep -q '"bic"' "$T/out.json" && grep -q '"iterations"' "$T/out.json" || fail "summary fields"
grep -q 'logLik' "$T/err.txt" || fail "no progress on stderr"
[ "$(wc -l <"$T/log.csv")" -gt 3 ] || fail "iteration log"
grep -q 'dskill: 1' "$T/bank.yaml" || fail "bank header"
[ "$(grep -c 'model: 2pl' "$T/bank.yaml")" -eq 30 ] || fail "30 items"
grep -q 'se: {a:' "$T/bank.yaml" || fail "SEs in bank"
grep -q 'fit: {s_x2:' "$T/bank.yaml" || fail "S-X2 in bank"
grep -q 'log_likelihood' "$T/bank.yaml" || fail "fit statistics in bank meta"
[ "$(wc -l <"$T/params.csv")" -eq 31 ] || fail "params CSV"
# I01: mirt a = 1.8883, b = 0.0545
awk -F, '$1 == "I01" { if ($3 < 1.878 || $3 > 1.898 || $4 < 0.045 || $4 > 0.065) exit 1 }' "$T/params.csv" || fail "I01 estimate"
# the written bank loads (dskill fit reads it)
"$DSKILL" fit --bank "$T/bank.yaml" --responses "$REF" >/dev/null || fail "bank does not load"

# 2. D = 1.702 changes a, not b.
"$DSKILL" calibrate --responses "$REF" --model 2pl --D 1.702 --out "$T/bank_d.yaml" --params-out "$T/params_d.csv" --quiet >/dev/null
grep -q 'D: 1.702' "$T/bank_d.yaml" || fail "D in bank"
awk -F, '$1 == "I01" { if ($3 < 1.10 || $3 > 1.12) exit 1 }' "$T/params_d.csv" || fail "a at D = 1.702"

# 3. Mixed models with missing responses.
"$DSKILL" calibrate --responses "$SRC/tests/data/calibrate/mixed_600.csv" --model 2pl \
  --models "$SRC/tests/data/calibrate/mixed_models.yaml" --prior-c 5,17 --se --out "$T/mixed.yaml" --quiet >"$T/mixed.json"
grep -q '"converged": true' "$T/mixed.json" || fail "mixed not converged"
[ "$(grep -c 'model: grm' "$T/mixed.yaml")" -eq 2 ] || fail "grm items"
[ "$(grep -c 'model: 3pl' "$T/mixed.yaml")" -eq 2 ] || fail "3pl items"

# 4. Two groups: the second group's latent mean and SD are estimated.
awk -F, 'NR == 1 { print "person_id,group"; next } { print $1 "," (NR % 2 ? "B" : "A") }' "$REF" >"$T/groups.csv"
"$DSKILL" calibrate --responses "$REF" --groups "$T/groups.csv" --reference A --out "$T/g.yaml" --quiet >"$T/g.json"
grep -q '"group": "B"' "$T/g.json" || fail "group B in summary"

# 5. Fixed anchors: items I01-I15 from the first bank, persons 1001-2000, I01-I30.
head -1 "$REF" >"$T/second.csv"
tail -n +1002 "$REF" >>"$T/second.csv"
"$DSKILL" calibrate --responses "$T/second.csv" --anchors "$T/bank.yaml" --out "$T/anch.yaml" --quiet >"$T/anch.json"
grep -q '"anchors": 30' "$T/anch.json" || fail "anchors counted"

# 6. Pretest: calibrate I01-I25, then add I26-I30 as pretest items (fixed-theta and OEM).
cut -d, -f1-26 "$REF" >"$T/op.csv"
"$DSKILL" calibrate --responses "$T/op.csv" --out "$T/op.yaml" --quiet >/dev/null
for m in oem mem; do
  "$DSKILL" calibrate --responses "$REF" --pretest-into "$T/op.yaml" --pretest-method $m --out "$T/pre_$m.yaml" >"$T/pre.json"
  [ "$(grep -c 'status: pretest' "$T/pre_$m.yaml")" -eq 5 ] || fail "5 pretest items ($m)"
  grep -q '"pretest_items": 5' "$T/pre.json" || fail "pretest summary ($m)"
done
"$DSKILL" fit --bank "$T/op.yaml" --responses "$T/op.csv" --theta ml --persons-out "$T/pf.csv" >/dev/null
awk -F, 'NR == 1 { print "person_id,theta" } NR > 1 { print $1 "," $3 }' "$T/pf.csv" >"$T/thetas.csv"
"$DSKILL" calibrate --responses "$REF" --pretest-into "$T/op.yaml" --pretest-method fixed-theta --thetas "$T/thetas.csv" \
  --out "$T/pre_ft.yaml" >/dev/null
[ "$(grep -c 'status: pretest' "$T/pre_ft.yaml")" -eq 5 ] || fail "5 pretest items (fixed-theta)"

# 7. Errors: bad model, bad cell, missing file.
expect_exit 2 "$DSKILL" calibrate --responses "$REF" --model 9pl --out "$T/x.yaml"
printf 'person_id,a,b\np1,1,x\n' >"$T/bad.csv"
expect_exit 1 "$DSKILL" calibrate --responses "$T/bad.csv" --out "$T/x.yaml"
expect_contains "$T/stderr" "bad.csv:2: row 1: item 'b'" "bad cell: stderr"
expect_exit 1 "$DSKILL" calibrate --responses "$T/nope.csv" --out "$T/x.yaml"

# 8. Recalibrating a bank's own pilot with --template keeps the bank: content, competences,
#    levels and framework come through, new parameters go in, and it validates without warnings.
BANK=$SRC/item_banks/digcomp-core.yaml
"$DSKILL" calibrate --responses "$SRC/item_banks/pilot/digcomp-core-pilot.csv.gz" \
  --models "$SRC/item_banks/pilot/digcomp-core-models.yaml" --prior-c 5,17 --template "$BANK" \
  --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" --bank-id digcomp-core --out "$T/recal.yaml" --quiet >/dev/null
"$DSKILL" validate "$T/recal.yaml" --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" --strict >/dev/null ||
  fail "recalibrated bank does not validate strictly"
[ "$(grep -c 'stem:' "$T/recal.yaml")" -eq "$(grep -c 'stem:' "$BANK")" ] || fail "content lost"
[ "$(grep -c 'competences:' "$T/recal.yaml")" -eq 157 ] || fail "competences lost"
grep -q 'framework: {id: digcomp' "$T/recal.yaml" || grep -q 'id: "\?digcomp"\?' "$T/recal.yaml" || fail "framework lost"
expect_exit 2 "$DSKILL" calibrate --responses "$REF" --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" --out "$T/x.yaml"
echo "calibrate CLI: ok"
