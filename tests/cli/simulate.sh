#!/usr/bin/env bash
# dskill simulate: identical results for any --threads, CSV rows, summary fields, errors.
set -u
DSKILL=$1
SRC=$2
BANK=$SRC/tests/data/cat/catr30.yaml
SPEC=$SRC/tests/data/cat/classify.yaml
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail=0
check() { if [[ "$2" != "$3" ]]; then echo "FAIL: $1: expected '$2', got '$3'"; fail=1; fi; }
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 1 --out "$TMP/a.csv" >"$TMP/a.json" || fail=1
"$DSKILL" simulate --bank "$BANK" --spec "$SPEC" --examinees 3000 --seed 11 --threads 2 --out "$TMP/b.csv" >"$TMP/b.json" || fail=1
cmp -s "$TMP/a.json" "$TMP/b.json" || { echo "FAIL: summary differs between 1 and 2 threads"; fail=1; }
cmp -s "$TMP/a.csv" "$TMP/b.csv" || { echo "FAIL: CSV differs between 1 and 2 threads"; fail=1; }
check "csv rows" 3001 "$(wc -l <"$TMP/a.csv" | tr -d ' ')"
check "csv header" "examinee,true_theta,theta,se,length,reason,true_level,level,items" "$(head -1 "$TMP/a.csv")"
for key in bias rmse mae conditional length exposure max_rate never_used chi_square test_overlap classification accuracy finish_reasons; do
  grep -q "\"$key\"" "$TMP/a.json" || { echo "FAIL: summary lacks $key"; fail=1; }
done
# Lengths within the specification's bounds.
awk -F, 'NR > 1 && ($5 < 3 || $5 > 15) { bad = 1 } END { exit bad }' "$TMP/a.csv" || { echo "FAIL: length out of bounds"; fail=1; }
# Options override the specification; another seed gives other results.
"$DSKILL" simulate --bank "$BANK" --examinees 200 --seed 12 --max-items 5 --select bopt >"$TMP/c.json" || fail=1
grep -q '"max": 5' "$TMP/c.json" || { echo "FAIL: --max-items not applied"; fail=1; }
grep -q '"selection": "bopt"' "$TMP/c.json" || { echo "FAIL: --select not applied"; fail=1; }
# True thetas from a file.
printf 'theta\n-1\n0\n1\n' >"$TMP/thetas.csv"
"$DSKILL" simulate --bank "$BANK" --thetas "$TMP/thetas.csv" --seed 1 >"$TMP/d.json" || fail=1
grep -q '"examinees": 3' "$TMP/d.json" || { echo "FAIL: --thetas not used"; fail=1; }
# Errors.
"$DSKILL" simulate --bank "$BANK" --select best >/dev/null 2>&1; check "bad rule exit" 2 $?
"$DSKILL" simulate --bank "$TMP/none.yaml" >/dev/null 2>&1; check "missing bank exit" 1 $?
exit $fail
