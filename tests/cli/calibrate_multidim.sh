#!/usr/bin/env bash
# dskill calibrate --factors: multidimensional calibration from mirt-like model syntax (an option
# or a file): s1 (2-factor M2PL with cross-loadings) and s2 (bifactor) of the shared mirt data,
# the estimates CSV with one slope column per factor, and refused combinations.
# $1 = dskill binary, $2 = source directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA=$REF_DIR/data

# 1. s1: syntax given inline, Oakes SEs.
"$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12; F2 = 9-20; COV = F1*F2' \
  --se --out "$T/s1.csv" --quiet >"$T/s1.json"
grep -q '"converged": true' "$T/s1.json" || fail "s1 not converged"
ll=$(json_num log_likelihood "$T/s1.json")
awk -v ll="$ll" 'BEGIN { d = ll - (-22801.9537975933); if (d < 0) d = -d; exit !(d < 0.01) }' || fail "s1 logLik $ll vs mirt -22801.9538"
expect_contains "$T/s1.json" '"standard_errors": "oakes"'
expect_contains "$T/s1.csv" 'item,model,a_F1,a_F2,d1,c,u,se_a_F1,se_a_F2,se_d1,se_c,se_u'
[ "$(wc -l <"$T/s1.csv")" -eq 21 ] || fail "s1 CSV rows"
# I09 loads on both: mirt a1 = 1.1261, a2 = 1.4526
awk -F, '$1 == "I09" { if ($3 < 1.116 || $3 > 1.136 || $4 < 1.443 || $4 > 1.463) exit 1 }' "$T/s1.csv" || fail "I09 slopes"
awk -F, '$1 == "I01" { if ($4 != 0) exit 1 }' "$T/s1.csv" || fail "I01 loads on F1 only"

# 2. s2: bifactor from a syntax file (item ids and numbers mixed).
printf 'G = 1-18\nS1 = B01, B02, 3-6\nS2 = 7-12 # the second testlet\nS3 = 13-18\nSPECIFIC = S1, S2, S3\n' >"$T/bf.txt"
"$DSKILL" calibrate --responses "$DATA/mirt_bifactor_2000x18_responses.csv" --factors "$T/bf.txt" --out "$T/s2.csv" \
  --params-out "$T/s2_copy.csv" --quiet >"$T/s2.json"
ll=$(json_num log_likelihood "$T/s2.json")
awk -v ll="$ll" 'BEGIN { d = ll - (-20009.7938301294); if (d < 0) d = -d; exit !(d < 0.01) }' || fail "s2 logLik $ll vs mirt -20009.7938"
expect_contains "$T/s2.json" 'times each specific factor'
cmp -s "$T/s2.csv" "$T/s2_copy.csv" || fail "--params-out differs from --out"
expect_contains "$T/s2.csv" 'item,model,a_G,a_S1,a_S2,a_S3,d1'

# 3. Refused: options of the unidimensional calibration, bad syntax.
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20' --fit --out "$T/x.csv"
expect_contains "$T/stderr" "--fit does not apply to a multidimensional calibration"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12' --out "$T/x.csv"
expect_contains "$T/stderr" "item 13 loads on no factor"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20; COV = F1*F2' --out "$T/x.csv"
expect_contains "$T/stderr" "COV names F2"
echo "calibrate multidimensional CLI: ok"
