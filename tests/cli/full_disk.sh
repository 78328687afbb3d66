#!/usr/bin/env bash
# Every write is checked: on a full disk each command that writes files exits 1 and names the
# file, never 0. The disk is a real one, a 256 KiB tmpfs mounted for the test (root only: the
# test says it skipped otherwise, as on a machine without mount rights).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
disk=$T/disk
mkdir -p "$disk"
if [[ $(id -u) -ne 0 ]] || ! mount -t tmpfs -o size=256k tmpfs "$disk" 2>/dev/null; then
  echo "full_disk: cannot mount a small tmpfs here (needs root); skipped"
  exit 0
fi
trap 'umount "$disk" 2>/dev/null; rm -rf "$T"' EXIT

data=$SRC/tests/data
$PY "$SRC/scripts/gen_responses.py" --bank "$T/gen.yaml" --items 20 --persons 20000 --seed 4 --out "$T/w.csv" >/dev/null

full_fails() {  # what file-name-fragment command...
  local what=$1 name=$2
  shift 2
  expect_exit 1 "$@"
  grep -qi "space\|cannot write" "$T/stderr" || { cat "$T/stderr" >&2; fail "$what: no word of the full disk"; }
  grep -qF "$name" "$T/stderr" || { cat "$T/stderr" >&2; fail "$what: the file is not named"; }
  rm -rf "${disk:?}"/* "$disk"/.[!.]* 2>/dev/null || true
}

full_fails "score --out" scores.csv "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$disk/scores.csv"
# the scores fit, the summary does not: fill the disk first
cat /dev/zero >"$disk/filler" 2>/dev/null || true  # until the disk is full
full_fails "score --summary" sum.json "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/s.csv" \
  --summary "$disk/sum.json" --no-resume
full_fails "simulate --out" sim.csv "$DSKILL" simulate --bank "$data/cat/catr30.yaml" --examinees 20000 --out "$disk/sim.csv"
cat /dev/zero >"$disk/filler" 2>/dev/null || true  # until the disk is full
full_fails "calibrate --out" calibrated.yaml "$DSKILL" calibrate --responses "$T/w.csv" --model 2pl --out "$disk/calibrated.yaml" --quiet
# credentials, one file each and bundled
$PY "$SRC/scripts/gen_responses.py" --use-bank "$SRC/item_banks/digcomp-core.yaml" --items 0 --persons 2000 --missing 0.5 \
  --seed 4 --out "$T/dc.csv" >/dev/null
for bundle in "" --credentials-bundle; do
  full_fails "score --credentials $bundle" "$disk/creds" "$DSKILL" score --bank "$SRC/item_banks/digcomp-core.yaml" \
    --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" --responses "$T/dc.csv" --out "$T/dc_scores.csv" \
    --credentials "$disk/creds" $bundle --no-resume
done
echo "full disk: every write failed loudly"
