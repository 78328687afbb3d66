#!/usr/bin/env bash
# dskill next: catR's choices for the states of nextitem_catR.json, --explain, and errors.
set -u
source "$(dirname "$0")/lib.sh"
BANK=$SRC/tests/data/cat/catr30.yaml
# state "start_no_items" (theta 0) and "one_item_correct" (item 5 right, catR's BM theta)
declare -A first=([mfi]=i20 [bopt]=i3 [mlwi]=i20 [mpwi]=i20 [kl]=i20 [klp]=i20 [mei]=i20 [mepv]=i20)
declare -A second=([mfi]=i20 [bopt]=i26 [mlwi]=i20 [mpwi]=i20 [kl]=i23 [klp]=i20 [mei]=i20 [mepv]=i20)
for rule in "${!first[@]}"; do
  got=$("$DSKILL" next --bank "$BANK" --select "$rule" --theta 0 --quadrature -4:4:33)
  check "start $rule" "${first[$rule]}" "$got"
  got=$("$DSKILL" next --bank "$BANK" --select "$rule" --responses i5=1 --theta 0.208672911081048 --quadrature=-4:4:33)
  check "after i5=1 $rule" "${second[$rule]}" "$got"
done
# --explain: the header, one row per eligible item, catR's MFI value for i20.
out=$("$DSKILL" next --bank "$BANK" --select mfi --responses i5=1 --theta=0.208672911081048 --explain)
check "explain first line" "i20" "$(sed -n 1p <<<"$out")"
check "explain header" "item_id,criterion" "$(sed -n 2p <<<"$out")"
check "explain rows" "29" "$(tail -n +3 <<<"$out" | wc -l | tr -d ' ')"
check "explain i20" "i20,0.6237738006725" "$(grep '^i20,' <<<"$out" | cut -c1-19)"
check "explain no i5" "" "$(grep '^i5,' <<<"$out")"
# Estimating theta from the responses (MAP, catR's BM) gives catR's KL choice too.
check "map estimate kl" "i23" "$("$DSKILL" next --bank "$BANK" --select kl --responses i5=1 --estimate map)"
# Negative values as users write them.
check "negative theta" "i24" "$("$DSKILL" next --bank "$BANK" --select bopt --theta -1.5)"
# Errors: unknown item (bad input, 1), unknown rule (usage, 2), bad category (1).
"$DSKILL" next --bank "$BANK" --responses nope=1 >/dev/null 2>&1; check "unknown item exit" 1 $?
"$DSKILL" next --bank "$BANK" --select best >/dev/null 2>&1; check "unknown rule exit" 2 $?
"$DSKILL" next --bank "$BANK" --responses i1=3 >/dev/null 2>&1; check "bad category exit" 1 $?
"$DSKILL" next --bank "$BANK" --responses i1 >/dev/null 2>&1; check "bad entry exit" 2 $?
finish next
