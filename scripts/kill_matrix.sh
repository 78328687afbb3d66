#!/usr/bin/env bash
# Crash test of `dskill score` with credentials: runs are killed with SIGKILL at many moments
# and rerun with the same command until one finishes; the outputs must then equal those of an
# uninterrupted run byte for byte (scores, and the credentials: same names, same bytes, no
# orphans), in both credential modes (a file per credential, and the JSON Lines bundle). With a
# random salt (no --salt-secret) an interrupted run must still leave exactly one credential per
# certified row and nothing else. Usage:
#   scripts/kill_matrix.sh DSKILL [ROWS [KILLS]]    (default 200000 rows, 12 kill points a mode)
# tests/cli/kill_matrix.sh runs it small in CI; the note of issue 12 gives a full run's figures.
set -euo pipefail
DSKILL=$(realpath "${1:?usage: $0 DSKILL [ROWS [KILLS]]}")
ROWS=${2:-200000}
KILLS=${3:-12}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

BANK=$SRC/item_banks/digcomp-core.yaml
FW=$SRC/item_banks/frameworks/digcomp-2.2.yaml
$PY "$SRC/scripts/gen_responses.py" --use-bank "$BANK" --items 0 --persons "$ROWS" --missing 0.7 --seed 31 \
  --out "$T/in.csv" >/dev/null
echo 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 >"$T/key.hex"
echo 0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff >"$T/salt.hex"
common=(score --bank "$BANK" --framework "$FW" --responses "$T/in.csv" --signing-key "$T/key.hex"
        --issued-at 2026-12-01T00:00:00Z --checkpoint-every $((ROWS / 10 > 0 ? ROWS / 10 : 1)) --threads 2)

# Runs "$@" and kills it with SIGKILL after $1 seconds (if it is still running).
run_killed() {
  local after=$1
  shift
  "$@" >/dev/null 2>>"$T/killed.log" &
  local pid=$!
  sleep "$after"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# Same files, same bytes: the scores and every credential (or the bundle).
same_outputs() {  # reference_dir candidate_dir
  cmp -s "$1/scores.csv" "$2/scores.csv" || fail "$2: scores differ from the uninterrupted run"
  diff -r "$1/creds" "$2/creds" >/dev/null || fail "$2: credentials differ from the uninterrupted run"
}

# Every credential named by a certified row, and no other file.
no_orphans() {  # dir bundle(0/1)
  $PY - "$1" "$2" <<'PYEOF'
import csv, gzip, json, os, sys
d, bundle = sys.argv[1], sys.argv[2] == "1"
rows = list(csv.DictReader(open(os.path.join(d, "scores.csv"))))
named = [r["credential"] for r in rows if r["certified"] == "true"]
if bundle:
    shards = sorted(os.listdir(os.path.join(d, "creds")))
    assert shards and all(s.startswith("credentials-") and s.endswith(".jsonl.gz") for s in shards), shards
    lines = [l for s in shards for l in gzip.open(os.path.join(d, "creds", s)).read().splitlines()]
    ids = [json.loads(l)["id"] for l in lines]
    assert ids == named and len(ids) == len(set(ids)), (len(ids), len(named))
else:
    files = sorted(os.listdir(os.path.join(d, "creds")))
    assert files == sorted(named), f"{len(files)} files for {len(named)} certified rows"
print(f"  {d}: {len(named)} credentials, one per certified row, no orphans")
PYEOF
}

for mode in files bundle; do
  extra=()
  [[ $mode == bundle ]] && extra=(--credentials-bundle --credentials-shard-rows $((ROWS / 3 > 0 ? ROWS / 3 : 1)))
  ref=$T/ref-$mode
  mkdir -p "$ref"
  start=$(date +%s.%N)
  "$DSKILL" "${common[@]}" "${extra[@]}" --salt-secret "$T/salt.hex" --out "$ref/scores.csv" --credentials "$ref/creds" \
    >/dev/null 2>"$T/ref.log" || { cat "$T/ref.log" >&2; fail "reference run ($mode)"; }
  took=$($PY -c "import sys; print(float(sys.argv[2]) - float(sys.argv[1]))" "$start" "$(date +%s.%N)")
  certified=$(grep -c ',true,' "$ref/scores.csv" || true)
  echo "$mode: $ROWS rows, $certified certified, uninterrupted run ${took%.*} s"
  [[ $certified -gt 0 ]] || fail "no one certified: the matrix would test nothing"
  for salt in fixed random; do
    for ((k = 1; k <= KILLS; k++)); do
      run=$T/$mode-$salt-$k
      mkdir -p "$run"
      salt_opt=()
      [[ $salt == fixed ]] && salt_opt=(--salt-secret "$T/salt.hex")
      cmd=("$DSKILL" "${common[@]}" "${extra[@]}" "${salt_opt[@]}" --out "$run/scores.csv" --credentials "$run/creds")
      # Kill points spread over the run (the first almost at once, before any row), then a
      # second kill of the resumed run, then a rerun to the end.
      first=$($PY -c "print(round($took * ($k - 1) / $KILLS + 0.02, 3))")
      second=$($PY -c "print(round($took * 0.37 * (($k * 7) % $KILLS) / $KILLS + 0.02, 3))")
      run_killed "$first" "${cmd[@]}"
      run_killed "$second" "${cmd[@]}"
      "${cmd[@]}" >/dev/null 2>"$T/final.log" || { cat "$T/final.log" >&2; fail "$run: the rerun failed"; }
      [[ ! -e "$run/scores.csv.checkpoint.json" ]] || fail "$run: checkpoint left behind"
      if [[ $salt == fixed ]]; then same_outputs "$ref" "$run"; fi
      no_orphans "$run" "$([[ $mode == bundle ]] && echo 1 || echo 0)" >/dev/null
      echo "  killed at ${first} s and ${second} s, $salt salt: identical" | sed 's/random salt: identical/random salt: one credential per certified row/'
      rm -rf "$run"
    done
  done
done
echo "kill matrix passed: $ROWS rows, $KILLS kill points per mode and salt"
