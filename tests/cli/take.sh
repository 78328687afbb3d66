#!/usr/bin/env bash
# dskill take, scripted: answers on standard input, estimate at the end; input ending early.
set -u
source "$(dirname "$0")/lib.sh"
out=$(printf '1\n0\n7\n1\n0\n1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5 2>&1)
rc=$?
# A non-interactive wrong answer (7) ends the run with status 1.
[[ $rc == 1 ]] || soft_fail "invalid scripted answer should exit 1, got $rc"
out=$(printf '1\n0\n1\n0\n1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5)
rc=$?
[[ $rc == 0 ]] || soft_fail "take exit $rc"
grep -q "Test finished (5 items" <<<"$out" || { soft_fail "no end message"; echo "$out"; }
grep -q "theta = " <<<"$out" || soft_fail "no estimate"
printf '1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5 >/dev/null
[[ $? == 1 ]] || soft_fail "early end of input should exit 1"
# The bundled bank, in Vietnamese, with letters.
if [[ -f "$SRC/item_banks/digcomp-core.yaml" ]]; then
  out=$(yes A | head -30 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-core.yaml" --lang vi --seed 1 --max-items 6)
  rc=$?
  [[ $rc == 0 ]] || { soft_fail "take on digcomp-core exit $rc"; tail -5 <<<"$out"; }
  grep -q "Câu hỏi 1" <<<"$out" || soft_fail "no Vietnamese question"
  grep -q "Bài kiểm tra đã kết thúc" <<<"$out" || soft_fail "no Vietnamese end message"
fi
finish take
