#!/usr/bin/env bash
# dskill info: CSV header, row count, values, negative --theta forms, and exit codes.
# Usage: info.sh DSKILL_BINARY SOURCE_DIR
set -u
dskill=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The minimal bank of issue 2 (section 4): two dichotomous items and two with 4 categories.
cat > "$work/bank.yaml" <<'EOF'
dskill: 1
bank:
  id: example
  scale: {D: 1.0}
items:
  - id: q1
    model: 3pl
    params: {a: 1.2, b: -0.5, c: 0.2}
  - id: q2
    model: 2pl
    params: {a: 0.9, intercept: 0.45}
  - id: p1
    model: grm
    params: {a: 1.1, b: [-1.0, 0.0, 1.2]}
  - id: p2
    model: gpcm
    params: {a: 0.9, b: [-0.5, 0.3, 1.0]}
EOF

# |$1 - $2| < $3
close() { awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(d < t) }'; }

"$dskill" info --bank "$work/bank.yaml" --theta -4:4:0.5 > "$work/out.csv" 2> "$work/err" || fail "info exited $? ($(cat "$work/err"))"
header=$(head -n 1 "$work/out.csv")
[[ $header == "item_id,theta,information,p_0,p_1,p_2,p_3" ]] || fail "header is '$header'"
rows=$(($(wc -l < "$work/out.csv") - 1))
[[ $rows -eq 68 ]] || fail "expected 4 items x 17 thetas = 68 rows, got $rows"

# q1 at theta 0: P = 0.2 + 0.8 sigma(0.6), information a^2 (P - c)^2 Q / ((1 - c)^2 P).
line=$(grep '^q1,0,' "$work/out.csv")
IFS=, read -r id theta info p0 p1 p2 p3 <<< "$line"
close "$info" 0.23749179310004165 1e-12 || fail "q1 information at 0 is $info"
close "$p1" 0.7165250449806364 1e-12 || fail "q1 P(1) at 0 is $p1"
close "$p0" 0.2834749550193636 1e-12 || fail "q1 P(0) at 0 is $p0"
[[ -z $p2 && -z $p3 ]] || fail "dichotomous item has cells beyond p_1: '$line'"
# p1 (GRM) at theta -1: P = 0.5, 0.25026, 0.16808, 0.08166.
IFS=, read -r id theta info p0 p1 p2 p3 <<< "$(grep '^p1,-1,' "$work/out.csv")"
close "$p0" 0.5 1e-12 && close "$p1" 0.2502601055951177 1e-12 && close "$p3" 0.08166025546159462 1e-12 ||
  fail "p1 probabilities at -1: $p0 $p1 $p2 $p3"

# Negative values as users write them.
for form in "--theta -1:1:0.5" "--theta=-1:1:0.5"; do
  # shellcheck disable=SC2086
  "$dskill" info --bank "$work/bank.yaml" $form > "$work/neg.csv" 2> "$work/err" || fail "'$form' exited $? ($(cat "$work/err"))"
  thetas=$(awk -F, 'NR > 1 && $1 == "q2" { printf "%s ", $2 }' "$work/neg.csv")
  [[ $thetas == "-1 -0.5 0 0.5 1 " ]] || fail "'$form' gives thetas '$thetas'"
done
"$dskill" info --bank "$work/bank.yaml" --theta -1.5 > "$work/one.csv" || fail "--theta -1.5 exited $?"
[[ $(($(wc -l < "$work/one.csv") - 1)) -eq 4 ]] || fail "--theta -1.5 should give one row per item"
"$dskill" info --bank "$work/bank.yaml" --theta 0:1:0.1 > "$work/tenth.csv" || fail "--theta 0:1:0.1 exited $?"
[[ $(grep -c '^q1,' "$work/tenth.csv") -eq 11 ]] || fail "0:1:0.1 should give 11 thetas per item"
grep -q '^q1,0.3,' "$work/tenth.csv" || fail "theta 0.3 printed with float noise"

# --help works and exits 0.
"$dskill" info --help > "$work/help" || fail "--help exited $?"
grep -q -- "--theta" "$work/help" || fail "--help does not mention --theta"

# Bad input (a bank that is missing or invalid): exit 1, with a message naming the file.
"$dskill" info --bank "$work/missing.yaml" --theta 0:1:1 > /dev/null 2> "$work/err"
code=$?
[[ $code -eq 1 ]] || fail "missing bank exited $code, expected 1"
grep -q "missing.yaml" "$work/err" || fail "missing bank: message does not name the file: $(cat "$work/err")"
printf 'dskill: 1\nbank:\n  id: broken\nitems:\n  - id: q1\n    model: 2pl\n    params: {a: -1, b: 0}\n' > "$work/bad.yaml"
"$dskill" info --bank "$work/bad.yaml" > /dev/null 2> "$work/err"
code=$?
[[ $code -eq 1 ]] || fail "invalid bank exited $code, expected 1"

# Bad usage: exit 2.
for args in "--theta 1:0:0.5" "--theta 0:1:0" "--theta a:b:c" "--theta 0:1" "--nonsense"; do
  # shellcheck disable=SC2086
  "$dskill" info --bank "$work/bank.yaml" $args > /dev/null 2> "$work/err"
  code=$?
  [[ $code -eq 2 ]] || fail "'info $args' exited $code, expected 2"
done
"$dskill" info --theta 0:1:1 > /dev/null 2>&1
code=$?
[[ $code -eq 2 ]] || fail "info without --bank exited $code, expected 2"

if [[ $failures -gt 0 ]]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "info.sh: all checks passed"
