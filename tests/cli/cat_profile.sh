#!/usr/bin/env bash
# dskill next, simulate and take on a profile (multidimensional) bank: the profile criteria by
# name, the per-dimension CSV columns and summary, the profile report of take, and the refusal of
# unidimensional rules.
set -u
source "$(dirname "$0")/lib.sh"
BANK=$SRC/tests/data/banks/profile.yaml
# next: the D-optimal choice with its explanation (one row per eligible item).
out=$("$DSKILL" next --bank "$BANK" --select dp_optimal --responses i1=1 --explain)
check "next dp_optimal" "i4" "$(sed -n 1p <<<"$out")"
check "next explain header" "item_id,criterion" "$(sed -n 2p <<<"$out")"
check "next explain rows" "4" "$(tail -n +3 <<<"$out" | wc -l | tr -d ' ')"
check "next d_optimal" "i4" "$("$DSKILL" next --bank "$BANK" --select d_optimal --responses i1=1,i2=0)"
# A unidimensional rule, or one theta for a profile: usage errors.
"$DSKILL" next --bank "$BANK" --responses i1=1 >/dev/null 2>&1; check "mfi on a profile bank exit" 2 $?
"$DSKILL" next --bank "$BANK" --select dp_optimal --theta 0.5 >/dev/null 2>&1; check "--theta on a profile bank exit" 2 $?
# simulate: per-dimension columns, and per-dimension statistics in the summary.
cat >"$T/spec.yaml" <<'YAML'
dskill: 1
selection: {rule: dp_optimal}
estimation: {method: map}
stopping: {max_items: 4, classification: {method: ci, cuts: [0]}}
YAML
"$DSKILL" simulate --bank "$BANK" --spec "$T/spec.yaml" --examinees 20 --seed 3 --out "$T/sim.csv" >"$T/sim.json"
check "simulate header" \
  "examinee,true_theta_info,theta_info,se_info,true_theta_safety,theta_safety,se_safety,length,reason,true_level_info,level_info,true_level_safety,level_safety,items" \
  "$(sed -n 1p "$T/sim.csv")"
check "simulate rows" "21" "$(wc -l <"$T/sim.csv" | tr -d ' ')"
expect_contains "$T/sim.json" '"dimensions"' "per-dimension summary"
expect_contains "$T/sim.json" '"id": "safety"' "the safety dimension"
# The same seed, the same rows, with more threads.
"$DSKILL" simulate --bank "$BANK" --spec "$T/spec.yaml" --examinees 20 --seed 3 --threads 2 --out "$T/sim2.csv" >/dev/null
check "simulate threads" "" "$(cmp "$T/sim.csv" "$T/sim2.csv")"
# True profiles from a file: the last values of each line, a header line skipped.
printf 'id,info,safety\np1,1.5,-1\np2,-2,0.5\n' >"$T/profiles.csv"
"$DSKILL" simulate --bank "$BANK" --spec "$T/spec.yaml" --thetas "$T/profiles.csv" --out "$T/given.csv" >/dev/null
check "given profiles rows" "3" "$(wc -l <"$T/given.csv" | tr -d ' ')"
check "given profile 2" "2,-2," "$(sed -n 3p "$T/given.csv" | cut -d, -f1-2),"
printf '1.5\n' >"$T/short.csv"
"$DSKILL" simulate --bank "$BANK" --spec "$T/spec.yaml" --thetas "$T/short.csv" >/dev/null 2>&1; check "short profile exit" 1 $?
# take: the profile, one line per dimension.
printf '1\n0\n1\n0\n1\n' | "$DSKILL" take --bank "$BANK" --seed 1 --max-items 5 >"$T/take.txt"
expect_contains "$T/take.txt" "  info (1): theta = " "take info line"
expect_contains "$T/take.txt" "  safety (4): theta = " "take safety line"
# The example specification (tests/data/cat/profile.yaml): every key of a profile test.
"$DSKILL" simulate --bank "$BANK" --spec "$SRC/tests/data/cat/profile.yaml" --examinees 30 --seed 2 --out "$T/ex.csv" >"$T/ex.json"
check "example spec rows" "31" "$(wc -l <"$T/ex.csv" | tr -d ' ')"
expect_contains "$T/ex.json" '"selection": "dp_optimal"' "example spec selection"
check "example spec next" "0" "$("$DSKILL" next --bank "$BANK" --spec "$SRC/tests/data/cat/profile.yaml" --responses i1=1 >/dev/null; echo $?)"
# The bundled profile bank and its specification: 25 items, 5 per area, on every examinee.
"$DSKILL" simulate --bank "$SRC/item_banks/digcomp-profile.yaml" --spec "$SRC/item_banks/specs/digcomp-profile-cat.yaml" \
  --examinees 40 --seed 5 --out "$T/bundled.csv" >"$T/bundled.json"
expect_contains "$T/bundled.json" '"selection": "dp_optimal"' "bundled profile spec selection"
expect_contains "$T/bundled.json" '"max_items": 40' "bundled profile spec: every test 25 items"
finish cat_profile
