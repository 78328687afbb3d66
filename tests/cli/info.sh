#!/usr/bin/env bash
# dskill info: CSV header, row count, values, negative --theta forms, and exit codes.
# Usage: info.sh DSKILL_BINARY SOURCE_DIR
set -u
source "$(dirname "$0")/lib.sh"

# The minimal bank of issue 2 (section 4): two dichotomous items and two with 4 categories.
cat > "$T/bank.yaml" <<'EOF'
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

"$DSKILL" info --bank "$T/bank.yaml" --theta -4:4:0.5 > "$T/out.csv" 2> "$T/err" || soft_fail "info exited $? ($(cat "$T/err"))"
header=$(head -n 1 "$T/out.csv")
[[ $header == "item_id,theta,information,p_0,p_1,p_2,p_3" ]] || soft_fail "header is '$header'"
rows=$(($(wc -l < "$T/out.csv") - 1))
[[ $rows -eq 68 ]] || soft_fail "expected 4 items x 17 thetas = 68 rows, got $rows"

# q1 at theta 0: P = 0.2 + 0.8 sigma(0.6), information a^2 (P - c)^2 Q / ((1 - c)^2 P).
line=$(grep '^q1,0,' "$T/out.csv")
IFS=, read -r id theta info p0 p1 p2 p3 <<< "$line"
close "$info" 0.23749179310004165 1e-12 || soft_fail "q1 information at 0 is $info"
close "$p1" 0.7165250449806364 1e-12 || soft_fail "q1 P(1) at 0 is $p1"
close "$p0" 0.2834749550193636 1e-12 || soft_fail "q1 P(0) at 0 is $p0"
[[ -z $p2 && -z $p3 ]] || soft_fail "dichotomous item has cells beyond p_1: '$line'"
# p1 (GRM) at theta -1: P = 0.5, 0.25026, 0.16808, 0.08166.
IFS=, read -r id theta info p0 p1 p2 p3 <<< "$(grep '^p1,-1,' "$T/out.csv")"
close "$p0" 0.5 1e-12 && close "$p1" 0.2502601055951177 1e-12 && close "$p3" 0.08166025546159462 1e-12 ||
  soft_fail "p1 probabilities at -1: $p0 $p1 $p2 $p3"

# Negative values as users write them.
for form in "--theta -1:1:0.5" "--theta=-1:1:0.5"; do
  # shellcheck disable=SC2086
  "$DSKILL" info --bank "$T/bank.yaml" $form > "$T/neg.csv" 2> "$T/err" || soft_fail "'$form' exited $? ($(cat "$T/err"))"
  thetas=$(awk -F, 'NR > 1 && $1 == "q2" { printf "%s ", $2 }' "$T/neg.csv")
  [[ $thetas == "-1 -0.5 0 0.5 1 " ]] || soft_fail "'$form' gives thetas '$thetas'"
done
"$DSKILL" info --bank "$T/bank.yaml" --theta -1.5 > "$T/one.csv" || soft_fail "--theta -1.5 exited $?"
[[ $(($(wc -l < "$T/one.csv") - 1)) -eq 4 ]] || soft_fail "--theta -1.5 should give one row per item"
"$DSKILL" info --bank "$T/bank.yaml" --theta 0:1:0.1 > "$T/tenth.csv" || soft_fail "--theta 0:1:0.1 exited $?"
[[ $(grep -c '^q1,' "$T/tenth.csv") -eq 11 ]] || soft_fail "0:1:0.1 should give 11 thetas per item"
grep -q '^q1,0.3,' "$T/tenth.csv" || soft_fail "theta 0.3 printed with float noise"

# --help works and exits 0.
"$DSKILL" info --help > "$T/help" || soft_fail "--help exited $?"
grep -q -- "--theta" "$T/help" || soft_fail "--help does not mention --theta"

# Bad input (a bank that is missing or invalid): exit 1, with a message naming the file.
"$DSKILL" info --bank "$T/missing.yaml" --theta 0:1:1 > /dev/null 2> "$T/err"
code=$?
[[ $code -eq 1 ]] || soft_fail "missing bank exited $code, expected 1"
grep -q "missing.yaml" "$T/err" || soft_fail "missing bank: message does not name the file: $(cat "$T/err")"
printf 'dskill: 1\nbank:\n  id: broken\nitems:\n  - id: q1\n    model: 2pl\n    params: {a: -1, b: 0}\n' > "$T/bad.yaml"
"$DSKILL" info --bank "$T/bad.yaml" > /dev/null 2> "$T/err"
code=$?
[[ $code -eq 1 ]] || soft_fail "invalid bank exited $code, expected 1"

# Bad usage: exit 2.
for args in "--theta 1:0:0.5" "--theta 0:1:0" "--theta a:b:c" "--theta 0:1" "--nonsense"; do
  # shellcheck disable=SC2086
  "$DSKILL" info --bank "$T/bank.yaml" $args > /dev/null 2> "$T/err"
  code=$?
  [[ $code -eq 2 ]] || soft_fail "'info $args' exited $code, expected 2"
done
"$DSKILL" info --theta 0:1:1 > /dev/null 2>&1
code=$?
[[ $code -eq 2 ]] || soft_fail "info without --bank exited $code, expected 2"

finish info
