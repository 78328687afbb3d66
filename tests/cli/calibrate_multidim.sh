#!/usr/bin/env bash
# dskill calibrate --factors: multidimensional calibration from mirt-like model syntax (an option
# or a file): s1 (2-factor M2PL with cross-loadings) and s2 (bifactor) of the shared mirt data,
# the profile bank (--out) and the estimates CSV with one slope column per factor (--params-out),
# dimensions mapped to framework areas (--template, --framework, --areas), refused combinations.
# $1 = dskill binary, $2 = source directory.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA=$REF_DIR/data

# 1. s1: syntax given inline, Oakes SEs.
"$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12; F2 = 9-20; COV = F1*F2' \
  --se --fit --out "$T/s1.yaml" --params-out "$T/s1.csv" --quiet >"$T/s1.json"
grep -q '"converged": true' "$T/s1.json" || fail "s1 not converged"
ll=$(json_num log_likelihood "$T/s1.json")
awk -v ll="$ll" 'BEGIN { d = ll - (-22801.9537975933); if (d < 0) d = -d; exit !(d < 0.01) }' || fail "s1 logLik $ll vs mirt -22801.9538"
expect_contains "$T/s1.json" '"standard_errors": "oakes"'
expect_contains "$T/s1.csv" 'item,model,a_F1,a_F2,d1,c,u,se_a_F1,se_a_F2,se_d1,se_c,se_u'
[ "$(wc -l <"$T/s1.csv")" -eq 21 ] || fail "s1 CSV rows"
# I09 loads on both: mirt a1 = 1.1261, a2 = 1.4526
awk -F, '$1 == "I09" { if ($3 < 1.116 || $3 > 1.136 || $4 < 1.443 || $4 > 1.463) exit 1 }' "$T/s1.csv" || fail "I09 slopes"
awk -F, '$1 == "I01" { if ($4 != 0) exit 1 }' "$T/s1.csv" || fail "I01 loads on F1 only"
# The profile bank: two dimensions (no areas without a framework), the correlation, I01 on F1
# alone in difficulty form, I09 with both slopes, Oakes SEs in the items' meta.
"$DSKILL" validate "$T/s1.yaml" >"$T/v1.txt" || { cat "$T/v1.txt" >&2; fail "s1 bank not valid"; }
expect_contains "$T/s1.yaml" '- {id: F1}'
expect_contains "$T/s1.yaml" '- [1, 0.5815'
expect_contains "$T/s1.yaml" 'correlation_se: [{dimensions: [F1, F2], estimate: 0.5815'
grep -A3 -- '- id: I01$' "$T/s1.yaml" >"$T/i01.txt"
expect_contains "$T/i01.txt" 'dimension: F1'
grep -A3 -- '- id: I09$' "$T/s1.yaml" >"$T/i09.txt"
expect_contains "$T/i09.txt" 'params: {a: {F1: 1.12'
expect_contains "$T/s1.yaml" 'se: {form: intercept, a: {F1: 0.08'
expect_contains "$T/s1.json" '"bank_dimensions"'
# --fit: M2 on the 20 + 190 margins, 45 parameters.
expect_contains "$T/s1.json" '"m2"'
[[ $(json_num df "$T/s1.json") == 165* ]] || fail "M2 df $(json_num df "$T/s1.json"), expected 165"
expect_contains "$T/s1.yaml" 'm2: {statistic: '

# 2. s2: bifactor from a syntax file (item ids and numbers mixed).
printf 'G = 1-18\nS1 = B01, B02, 3-6\nS2 = 7-12 # the second testlet\nS3 = 13-18\nSPECIFIC = S1, S2, S3\n' >"$T/bf.txt"
"$DSKILL" calibrate --responses "$DATA/mirt_bifactor_2000x18_responses.csv" --factors "$T/bf.txt" --out "$T/s2.yaml" \
  --params-out "$T/s2.csv" --quiet >"$T/s2.json"
ll=$(json_num log_likelihood "$T/s2.json")
awk -v ll="$ll" 'BEGIN { d = ll - (-20009.7938301294); if (d < 0) d = -d; exit !(d < 0.01) }' || fail "s2 logLik $ll vs mirt -20009.7938"
expect_contains "$T/s2.json" 'times each specific factor'
expect_contains "$T/s2.csv" 'item,model,a_G,a_S1,a_S2,a_S3,d1'
"$DSKILL" validate "$T/s2.yaml" >"$T/v2.txt" || { cat "$T/v2.txt" >&2; fail "s2 bank not valid"; }
expect_contains "$T/s2.yaml" '- {id: G, role: general}'
expect_contains "$T/s2.yaml" '- {id: S1, role: specific}'

# 3. Dimensions mapped to framework areas. A template bank gives the items' content and
#    competences (I01-I12 in area 1, I13-I20 in area 4 of the mini framework); F1 measures
#    I01-I12 (I09-I12 with F2 too), F2 I09-I20, so F1 reports area 1 and F2 area 4. I99 is not
#    in the responses: it and its enemy link to I01 are left out.
{
  printf 'dskill: 1\nbank:\n  id: s1-content\n  title: "s1 items"\n  framework: {id: mini, version: "1.0"}\n'
  printf '  languages: [en]\n  meta: {owner: tests}\nitems:\n'
  for i in $(seq -w 1 20) 99; do
    comp=1.1; [[ $i != 99 && 10#$i -ge 13 ]] && comp=4.1
    printf '  - id: I%s\n    model: 2pl\n    params: {a: 1, b: 0}\n    competences: ["%s"]\n    level: 2\n' "$i" "$comp"
    printf '    content: {en: {stem: "Question %s"}}\n    meta: {se: {a: 0.1, b: 0.1}, author: tests}\n' "$i"
    [[ $i == 01 ]] && printf '    enemies: [I99]\n'
    [[ $i == 99 ]] && printf '    enemies: [I01]\n'
  done
} >"$T/template.yaml"
FW=$SRC/tests/data/frameworks/mini.yaml
"$DSKILL" validate "$T/template.yaml" --framework "$FW" >/dev/null || fail "template not valid"
"$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12; F2 = 9-20; COV = F1*F2' \
  --template "$T/template.yaml" --framework "$FW" --bank-id s1-profile --data simulated --note "tests" \
  --out "$T/p1.yaml" --quiet >"$T/p1.json"
"$DSKILL" validate "$T/p1.yaml" --framework "$FW" --strict >"$T/v3.txt" || { cat "$T/v3.txt" >&2; fail "profile bank not clean"; }
expect_contains "$T/p1.yaml" '- {id: F1, area: "1"}'
expect_contains "$T/p1.yaml" '- {id: F2, area: "4"}'
expect_contains "$T/p1.yaml" 'framework: {id: mini, version: "1.0"}'
expect_contains "$T/p1.yaml" 'stem: Question 13'
expect_contains "$T/p1.yaml" 'owner: tests'
expect_contains "$T/p1.yaml" 'data: simulated'
expect_contains "$T/p1.yaml" 'note: tests'
! grep -q 'I99' "$T/p1.yaml" || fail "I99 (not calibrated) written"
! grep -q 'se: {a: 0.1' "$T/p1.yaml" || fail "the template's SEs kept"
[[ $(grep -c 'author: tests' "$T/p1.yaml") == 20 ]] || fail "item meta not kept"
# An explicit mapping overrides; a bad one fails before calibrating.
"$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12; F2 = 9-20; COV = F1*F2' \
  --template "$T/template.yaml" --framework "$FW" --areas F1=4,F2=1 --max-iter 2 --out "$T/p2.yaml" --quiet >/dev/null
expect_contains "$T/p2.yaml" '- {id: F1, area: "4"}'
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20' \
  --framework "$FW" --areas F3=1 --out "$T/x.yaml"
expect_contains "$T/stderr" "--areas: the model has no dimension 'F3' (it has F1)"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20' \
  --framework "$FW" --areas F1=7 --out "$T/x.yaml"
expect_contains "$T/stderr" "--areas: '7' is not an area of the framework [1, 4]"

# 4. Refused: options of the unidimensional calibration, bad syntax.
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_MGRM2_1500x12_responses.csv" --model grm --factors 'F1 = 1-12' --fit \
  --max-iter 2 --out "$T/x.yaml"
expect_contains "$T/stderr" "M2 here is for dichotomous items (2pl, 3pl, 4pl); item 1 is grm"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-12' --out "$T/x.yaml"
expect_contains "$T/stderr" "item 13 loads on no factor"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20; COV = F1*F2' --out "$T/x.yaml"
expect_contains "$T/stderr" "COV names F2"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --factors 'F1 = 1-20' --out "$T/x.csv"
expect_contains "$T/stderr" "with --factors, --out is the profile bank (YAML); the estimates as CSV go to --params-out"
expect_exit 2 "$DSKILL" calibrate --responses "$DATA/mirt_M2PL2_2000x20_responses.csv" --areas F1=1 --out "$T/x.yaml"
expect_contains "$T/stderr" "--areas applies to a multidimensional calibration (--factors) only"
echo "calibrate multidimensional CLI: ok"
