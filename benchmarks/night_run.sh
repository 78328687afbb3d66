#!/usr/bin/env bash
# Timed CLI runs of a certification night: `dskill score` of N sessions of the bundled bank
# (DigComp 2.2 framework, levels and certification) without credentials, then with a signed
# Open Badges 3.0 credential per certified person (gzip JSON Lines shards, status lists and
# published achievements under a public URL), for eddsa-rdfc-2022 (the default) and
# eddsa-jcs-2022. Reports wall time, rows per second, the speed ratio to the run without
# credentials, and the credential sizes (mean and largest JSON, gzip bytes per credential).
# Data come from scripts/gen_responses.py into WORKDIR (kept out of git; reused if there).
# Usage: benchmarks/night_run.sh [DSKILL_BINARY] [WORKDIR] [N]
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DSKILL=$(realpath "${1:-$HERE/build/dskill}")
WORK=${2:-/tmp/dskill-night-bench}
N=${3:-200000}
PY=/usr/bin/python3
BANK=$HERE/item_banks/digcomp-core.yaml
FW=$HERE/item_banks/frameworks/digcomp-2.2.yaml
mkdir -p "$WORK"
cd "$WORK"
[[ -f "night$N.csv" ]] || $PY "$HERE/scripts/gen_responses.py" --use-bank "$BANK" --items 0 --persons "$N" --missing 0.3 \
  --seed 5 --out "night$N.csv" >/dev/null
echo 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 >key.hex
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >salt.hex

run() {  # run LABEL [extra options]: prints "LABEL seconds"
  local label=$1
  shift
  rm -rf creds
  local start end
  start=$(date +%s.%N)
  "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "night$N.csv" --out scores.csv --no-resume --no-progress \
    --salt-secret salt.hex --summary summary.json "$@" 2>/dev/null
  end=$(date +%s.%N)
  $PY -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$start" "$end"
}

echo "dskill score night run: $N sessions of the bundled bank (DigComp 2.2), $(nproc) cores"
base=$(run none)
certified=$($PY -c "import json; print(json.load(open('summary.json'))['certified'])")
printf '%-34s %8s s %10s rows/s\n' "without credentials" "$base" "$($PY -c "print(f'{$N / $base:,.0f}')")"
for suite in eddsa-rdfc-2022 eddsa-jcs-2022; do
  t=$(run "$suite" --credentials creds --credentials-bundle --signing-key key.hex --proof "$suite" \
    --public-url https://certs.example.vn/night --valid-until 2031-12-01T00:00:00Z)
  sizes=$($PY - <<'PYEOF'
import glob, gzip, os
shards = sorted(glob.glob("creds/credentials-*.jsonl.gz"))
lines = [l for s in shards for l in gzip.open(s).read().splitlines()]
gz = sum(os.path.getsize(s) for s in shards)
print(f"{len(lines)} credentials, mean {sum(map(len, lines)) / len(lines):,.0f} B, largest {max(map(len, lines)):,} B, "
      f"{gz / len(lines):,.0f} B each gzipped ({gz / 2**20:,.1f} MiB in {len(shards)} shards)")
PYEOF
)
  printf '%-34s %8s s %10s rows/s  %4.2fx the speed without  %s\n' "with credentials, $suite" "$t" \
    "$($PY -c "print(f'{$N / $t:,.0f}')")" "$($PY -c "print($base / $t)")" "$sizes"
done
echo "certified: $certified of $N"
