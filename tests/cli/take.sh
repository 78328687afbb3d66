#!/usr/bin/env bash
# dskill take, scripted: answers on standard input, estimate at the end; input ending early.
set -u
DSKILL=$1
SRC=$2
fail=0
out=$(printf '1\n0\n7\n1\n0\n1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5 2>&1)
rc=$?
# A non-interactive wrong answer (7) ends the run with status 1.
[[ $rc == 1 ]] || { echo "FAIL: invalid scripted answer should exit 1, got $rc"; fail=1; }
out=$(printf '1\n0\n1\n0\n1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5)
rc=$?
[[ $rc == 0 ]] || { echo "FAIL: take exit $rc"; fail=1; }
grep -q "Test finished (5 items" <<<"$out" || { echo "FAIL: no end message"; echo "$out"; fail=1; }
grep -q "theta = " <<<"$out" || { echo "FAIL: no estimate"; fail=1; }
printf '1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5 >/dev/null
[[ $? == 1 ]] || { echo "FAIL: early end of input should exit 1"; fail=1; }
# The bundled bank, in Vietnamese, with letters.
if [[ -f "$SRC/item_banks/digcomp-core.yaml" ]]; then
  out=$(yes A | head -30 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-core.yaml" --lang vi --seed 1 --max-items 6)
  rc=$?
  [[ $rc == 0 ]] || { echo "FAIL: take on digcomp-core exit $rc"; echo "$out" | tail -5; fail=1; }
  grep -q "Câu hỏi 1" <<<"$out" || { echo "FAIL: no Vietnamese question"; fail=1; }
  grep -q "Bài kiểm tra đã kết thúc" <<<"$out" || { echo "FAIL: no Vietnamese end message"; fail=1; }
fi
exit $fail
