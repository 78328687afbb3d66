#!/usr/bin/env bash
# dskill replay: a recorded session replays step by step (exit 0); a record with a changed answer
# is reported at that step (exit 1); JSON output; format-1 snapshots; records that do not fit.
# The snapshots are tests/data/cat/catr30_restricted_*.bin (progressive-restricted exposure
# control, so the items depend on other sessions' counts; tests/unit/cat/test_replay.cpp writes
# and checks them).
set -u
source "$(dirname "$0")/lib.sh"
D=$SRC/tests/data/cat
BANK=$D/catr30.yaml
SPEC=$D/restricted.yaml

# A finished session: every step matches, with the specification given or taken from the record.
expect_exit 0 "$DSKILL" replay --bank "$BANK" --spec "$SPEC" --session "$D/catr30_restricted_finished.bin"
cp "$T/stdout" "$T/finished.csv"
check "header" "step,origin,item,answer,theta,se,recorded_item,recorded_theta,recorded_se,match" "$(head -1 "$T/finished.csv")"
check "rows" 9 "$(wc -l <"$T/finished.csv" | tr -d ' ')"
awk -F, 'NR > 1 && ($10 != 1 || $3 != $7 || $4 == "" || $5 == "" || $8 == "") { bad = 1 } END { exit bad }' "$T/finished.csv" ||
  soft_fail "a step of the finished session does not match"
check "first step" "1,engine,i23,0" "$(sed -n 2p "$T/finished.csv" | cut -d, -f1-4)"
expect_exit 0 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_finished.bin"
cmp -s "$T/stdout" "$T/finished.csv" || soft_fail "the record's own specification replays differently"

# The same record with the answer at step 3 changed: steps 1-2 match, step 3 does not, exit 1.
expect_exit 1 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_tampered.bin"
cp "$T/stdout" "$T/tampered.csv"
expect_contains "$T/stderr" "replay differs from the record: step 3:" "stderr of the tampered replay"
check "tampered step 2 match" 1 "$(sed -n 3p "$T/tampered.csv" | cut -d, -f10)"
check "tampered step 3 match" 0 "$(sed -n 4p "$T/tampered.csv" | cut -d, -f10)"
check "tampered step 3 item" "i16,i16" "$(sed -n 4p "$T/tampered.csv" | cut -d, -f3,7)"
check "tampered steps 1-2" "$(sed -n 1,3p "$T/finished.csv")" "$(sed -n 1,3p "$T/tampered.csv")"

# JSON: the same steps, the verdict and the first difference (a step number).
expect_exit 1 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_tampered.bin" --format json
cp "$T/stdout" "$T/tampered.json"
expect_contains "$T/tampered.json" '"matches": false'
check "json first_difference" 3 "$(json_num first_difference "$T/tampered.json")"
expect_exit 0 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_finished.bin" --format json
expect_contains "$T/stdout" '"matches": true'
expect_contains "$T/stdout" '"first_difference": null'

# A session still running: an item from outside, and the pending item last, without an answer.
expect_exit 0 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_v2.bin"
check "administered step" "3,administered,i9" "$(sed -n 4p "$T/stdout" | cut -d, -f1-3)"
check "pending step" "5,engine,i15,,,,i15,,,1" "$(sed -n 6p "$T/stdout")"
# Format 1 (no exposure control in its specification) replays too.
expect_exit 0 "$DSKILL" replay --bank "$BANK" --session "$SRC/tests/data/snapshots/catr30_classify_v1.bin"
check "format 1 rows" 6 "$(wc -l <"$T/stdout" | tr -d ' ')"

# Records that do not fit: another bank or specification, a corrupted or missing file (exit 1);
# bad usage (exit 2).
expect_exit 1 "$DSKILL" replay --bank "$SRC/item_banks/digcomp-core.yaml" --session "$D/catr30_restricted_finished.bin"
expect_contains "$T/stderr" "bank"
expect_exit 1 "$DSKILL" replay --bank "$BANK" --spec "$D/classify.yaml" --session "$D/catr30_restricted_finished.bin"
expect_contains "$T/stderr" "specification"
head -c 200 "$D/catr30_restricted_finished.bin" >"$T/cut.bin"
expect_exit 1 "$DSKILL" replay --bank "$BANK" --session "$T/cut.bin"
expect_contains "$T/stderr" "cut.bin"
expect_exit 1 "$DSKILL" replay --bank "$BANK" --session "$T/none.bin"
expect_exit 2 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_finished.bin" --format xml
expect_exit 2 "$DSKILL" replay --bank "$BANK" --session "$D/catr30_restricted_finished.bin" --tolerance -1
expect_exit 2 "$DSKILL" replay --bank "$BANK"
finish replay
