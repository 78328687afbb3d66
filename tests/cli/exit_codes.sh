#!/usr/bin/env bash
# Exit codes shared by every command (0 ok, 1 bad input or a failed write, 2 usage): a missing
# input file is bad input, not usage; a failed write to standard output (> /dev/full) exits 1
# with a message on stderr instead of 0 with the output lost.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
dskill=$DSKILL
data=$SRC/tests/data
bank=$data/banks/example.yaml
cat_bank=$data/cat/catr30.yaml
ref=$REF_DIR/data/calib_2PL_2000x30_responses.csv
tmp=$T
fail() { soft_fail "$@"; }
missing=$tmp/does-not-exist.yaml

# expect CODE STDERR-PATTERN command...: runs the command with stdout as it is redirected by the
# caller, checks the exit code and that stderr matches.
expect() {
  local want=$1 pattern=$2
  shift 2
  "$@" 2>"$tmp/err"
  local rc=$?
  [[ $rc == "$want" ]] || { fail "exit $rc, expected $want: $* ($(head -c 300 "$tmp/err"))"; return; }
  [[ -z $pattern ]] || grep -q -- "$pattern" "$tmp/err" || fail "stderr of '$*' lacks '$pattern': $(head -c 300 "$tmp/err")"
}

# 1. A missing input file: exit 1 for every command that reads one.
out=$("$dskill" validate "$missing" 2>&1)
rc=$?
[[ $rc == 1 && $out == *does-not-exist* ]] || fail "validate of a missing file: exit $rc, expected 1: $out"
out=$("$dskill" validate "$bank" --framework "$missing" 2>&1)
rc=$?
[[ $rc == 1 && $out == *does-not-exist* ]] || fail "validate --framework of a missing file: exit $rc, expected 1: $out"
expect 1 "" "$dskill" info --bank "$missing" >/dev/null
expect 1 "" "$dskill" next --bank "$missing" >/dev/null
expect 1 "" "$dskill" simulate --bank "$missing" --examinees 5 >/dev/null
expect 1 "" "$dskill" score --bank "$missing" --responses "$ref" >/dev/null
expect 1 "" "$dskill" score --bank "$bank" --responses "$tmp/none.csv" >/dev/null
expect 1 "" "$dskill" fit --bank "$missing" --responses "$ref" >/dev/null
expect 1 "" "$dskill" calibrate --responses "$tmp/none.csv" --model 2pl --out "$tmp/b.yaml" >/dev/null
expect 1 "" "$dskill" link --base "$missing" --new "$bank" >/dev/null
expect 1 "" "$dskill" dif --responses "$tmp/none.csv" --groups "$tmp/none2.csv" --reference a >/dev/null
expect 1 "" "$dskill" report bank --bank "$missing" --out "$tmp/r.html" >/dev/null
expect 1 "" "$dskill" take --bank "$missing" </dev/null >/dev/null
# ... while a bad option stays a usage error.
expect 2 "" "$dskill" validate >/dev/null
expect 2 "" "$dskill" info --bank "$bank" --no-such-option >/dev/null

# 2. Standard output fails: exit 1 and say so, for each command that prints.
if [[ -w /dev/full ]]; then
  full() { expect 1 "cannot write to standard output" "$@" >/dev/full; }
  full "$dskill" validate "$bank"
  full "$dskill" validate "$bank" --format json
  full "$dskill" info --bank "$bank"
  full "$dskill" info --bank "$bank" --theta -4:4:0.001   # many chunks
  full "$dskill" next --bank "$cat_bank"
  full "$dskill" simulate --bank "$cat_bank" --examinees 20 --seed 1
  full "$dskill" score --bank "$data/score/bank.yaml" --responses "$data/score/good.csv"
  full "$dskill" report bank --bank "$bank"
  full "$dskill" --help
  "$dskill" calibrate --responses "$ref" --model 2pl --out "$tmp/c.yaml" --quiet >/dev/null 2>&1
  full "$dskill" calibrate --responses "$ref" --model 2pl --out "$tmp/c2.yaml" --quiet
  full "$dskill" fit --bank "$tmp/c.yaml" --responses "$ref"
  full "$dskill" link --base "$tmp/c.yaml" --new "$tmp/c.yaml"
  printf '1\n0\n1\n' >"$tmp/answers"
  full "$dskill" take --bank "$cat_bank" --seed 3 --max-items 3 <"$tmp/answers"
  # the same commands still succeed on a working stdout
  expect 0 "" "$dskill" validate "$bank" >/dev/null
  expect 0 "" "$dskill" next --bank "$cat_bank" >/dev/null
else
  echo "no writable /dev/full: skipping the failed-write checks"
fi

finish "exit codes"
