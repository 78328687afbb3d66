#!/usr/bin/env bash
# dskill simulate: identical results for any --threads, CSV rows, summary fields, errors.
set -u
source "$(dirname "$0")/lib.sh"
BANK=$SRC/tests/data/cat/catr30.yaml
SPEC=$SRC/tests/data/cat/classify.yaml
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 1 --out "$T/a.csv" >"$T/a.json" || soft_fail "simulate --threads 1 exited $?"
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 2 --out "$T/b.csv" >"$T/b.json" || soft_fail "simulate --threads 2 exited $?"
cmp -s "$T/a.json" "$T/b.json" || soft_fail "summary differs between 1 and 2 threads"
cmp -s "$T/a.csv" "$T/b.csv" || soft_fail "CSV differs between 1 and 2 threads"
check "csv rows" 3001 "$(wc -l <"$T/a.csv" | tr -d ' ')"
check "csv header" "examinee,true_theta,theta,se,length,reason,true_level,level,items" "$(head -1 "$T/a.csv")"
for key in bias rmse mae conditional length exposure max_rate never_used chi_square test_overlap classification accuracy finish_reasons; do
  grep -q "\"$key\"" "$T/a.json" || soft_fail "summary lacks $key"
done
# Lengths within the specification's bounds.
awk -F, 'NR > 1 && ($5 < 3 || $5 > 15) { bad = 1 } END { exit bad }' "$T/a.csv" || soft_fail "length out of bounds"
# Options override the specification; another seed gives other results.
"$DSKILL" simulate --bank "$BANK" --examinees 200 --seed 12 --max-items 5 --select bopt >"$T/c.json" || soft_fail "simulate --select bopt exited $?"
grep -q '"max": 5' "$T/c.json" || soft_fail "--max-items not applied"
grep -q '"selection": "bopt"' "$T/c.json" || soft_fail "--select not applied"
# True thetas from a file.
printf 'theta\n-1\n0\n1\n' >"$T/thetas.csv"
"$DSKILL" simulate --bank "$BANK" --thetas "$T/thetas.csv" --seed 1 >"$T/d.json" || soft_fail "simulate --thetas exited $?"
grep -q '"examinees": 3' "$T/d.json" || soft_fail "--thetas not used"
# Errors.
"$DSKILL" simulate --bank "$BANK" --select best >/dev/null 2>&1; check "bad rule exit" 2 $?
"$DSKILL" simulate --bank "$T/none.yaml" >/dev/null 2>&1; check "missing bank exit" 1 $?
# An --out that cannot be written fails before any examinee is simulated.
"$DSKILL" simulate --bank "$BANK" --examinees 10 --out "$T/no/such/dir/x.csv" >/dev/null 2>"$T/err"; check "unwritable --out exit" 1 $?
grep -q "no/such/dir" "$T/err" || soft_fail "unwritable --out: the message does not name the file"
# Sympson-Hetter parameters derived by simulation are written into a bank, which then gives the
# same exposure with a specification that only switches the control on.
"$DSKILL" simulate --bank "$BANK" --examinees 1500 --seed 4 --max-items 10 --sympson-hetter 0.3 \
  --sympson-hetter-bank "$T/sh.yaml" >"$T/sh.json" || soft_fail "simulate --sympson-hetter-bank exited $?"
"$DSKILL" validate "$T/sh.yaml" >/dev/null || soft_fail "the Sympson-Hetter bank does not validate"
grep -q "sympson_hetter: {target_max_rate: 0.3" "$T/sh.yaml" || soft_fail "the bank does not say how its sh were derived"
[ "$(grep -c 'exposure: {sh:' "$T/sh.yaml")" -gt 0 ] || soft_fail "no item has an sh below 1"
printf 'dskill: 1\nexposure: {sympson_hetter: true}\nstopping: {max_items: 10}\n' >"$T/sh_spec.yaml"
"$DSKILL" simulate --bank "$T/sh.yaml" --spec "$T/sh_spec.yaml" --examinees 1500 --seed 4 >"$T/sh2.json" || soft_fail "simulate with the bank's sh exited $?"
check "exposure with the written sh" "$(json_num max_rate "$T/sh.json")" "$(json_num max_rate "$T/sh2.json")"
"$DSKILL" simulate --bank "$BANK" --examinees 10 --sympson-hetter-bank "$T/x.yaml" >/dev/null 2>&1; check "--sympson-hetter-bank alone (usage)" 2 $?
finish simulate
