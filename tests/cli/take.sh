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
grep -q "Test finished (5 questions)" <<<"$out" || { soft_fail "no end message"; echo "$out"; }
grep -q "theta = " <<<"$out" || soft_fail "no estimate (no framework: the estimate is all there is)"
printf '1\n' | "$DSKILL" take --bank "$SRC/tests/data/cat/catr30.yaml" --seed 3 --max-items 5 >/dev/null
[[ $? == 1 ]] || soft_fail "early end of input should exit 1"
# The bundled bank, in Vietnamese, with letters.
if [[ -f "$SRC/item_banks/digcomp-core.yaml" ]]; then
  out=$(yes A | head -30 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-core.yaml" --lang vi --seed 1 --max-items 6)
  rc=$?
  [[ $rc == 0 ]] || { soft_fail "take on digcomp-core exit $rc"; tail -5 <<<"$out"; }
  grep -q "Câu hỏi 1" <<<"$out" || soft_fail "no Vietnamese question"
  grep -q "Bài kiểm tra đã kết thúc" <<<"$out" || soft_fail "no Vietnamese end message"
  grep -q "Kết quả của bạn theo từng lĩnh vực" <<<"$out" || soft_fail "no Vietnamese results by area"
  grep -qE "Bạn được cấp chứng chỉ|Lần này bạn chưa đạt chứng chỉ" <<<"$out" || soft_fail "no Vietnamese certificate decision"
  # The person never sees an item id, a theta or an engine code.
  ! grep -qE "dc-[0-9]|theta|se_reached|max_items" <<<"$out" || soft_fail "ids or jargon shown: $(grep -E 'dc-[0-9]|theta|se_reached|max_items' <<<"$out" | head -3)"
  # In English, every area explained in plain words, and the certificate decision.
  out=$(yes A | head -40 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-core.yaml" --seed 1 --max-items 15)
  grep -q "Your results by area:" <<<"$out" || soft_fail "no results by area"
  grep -qE "^  Safety: (Foundation|Intermediate|Advanced|Highly specialised) [1-8]\. You can" <<<"$out" || soft_fail "Safety not explained: $(grep Safety <<<"$out")"
  grep -qE "You are awarded the certificate|no certificate is awarded" <<<"$out" || soft_fail "no certificate decision"
  ! grep -qE "dc-[0-9]|theta" <<<"$out" || soft_fail "ids or theta shown in English"
  out=$(yes A | head -40 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-core.yaml" --seed 1 --max-items 15 --details)
  grep -q "theta = " <<<"$out" || soft_fail "--details shows no estimate"
  # The profile bank: the same screen from the profile.
  out=$(yes B | head -40 | "$DSKILL" take --bank "$SRC/item_banks/digcomp-profile.yaml" --spec "$SRC/item_banks/specs/digcomp-profile-cat.yaml" --seed 1)
  grep -q "Test finished (25 questions)" <<<"$out" || soft_fail "profile take length"
  grep -q "Your results by area:" <<<"$out" || soft_fail "profile take: no results by area"
fi
finish take
