#!/usr/bin/env bash
# Timed CLI runs of the issue-12 figures: how time and memory grow with the input.
#  - `validate` of a generated 1,000,000-item bank (and 100,000 items), time and max RSS;
#  - `validate` of a framework with 100,000 competences;
#  - `score` of 10,000,000 rows (20-item 2PL) with and without the duplicate check: max RSS
#    (flat without it; bytes per person with it);
#  - `simulate` of 1,000,000 examinees on the bundled bank: max RSS (flat: rows are streamed).
# Data are generated into WORKDIR (kept out of git; reused if there): about 1 GB.
# Usage: benchmarks/large_inputs.sh [DSKILL_BINARY] [WORKDIR]
set -euo pipefail
HERE=$(cd "$(dirname "$0")/.." && pwd)
DSKILL=$(realpath "${1:-$HERE/build/release/dskill}")
WORK=${2:-/tmp/dskill-large-bench}
PY=/usr/bin/python3
mkdir -p "$WORK"
cd "$WORK"

[[ -f bank1m.yaml ]] || $PY "$HERE/scripts/gen_responses.py" --bank bank1m.yaml --items 1000000 --persons 1 --out unused.csv >/dev/null
[[ -f bank100k.yaml ]] || $PY "$HERE/scripts/gen_responses.py" --bank bank100k.yaml --items 100000 --persons 1 --out unused.csv >/dev/null
[[ -f r10m.csv ]] || $PY "$HERE/scripts/gen_responses.py" --bank bank20.yaml --items 20 --persons 10000000 --seed 9 --out r10m.csv >/dev/null
if [[ ! -f fw100k.yaml ]]; then
  $PY - "$HERE/item_banks/frameworks/digcomp-2.2.yaml" fw100k.yaml <<'PYEOF'
import re, sys
src = open(sys.argv[1]).read()
head, rest = src[:src.index("areas:")], src[src.index("areas:") + 6:]
after = rest[re.search(r"\n(?=[a-z_]+:)", rest).start():]
out = [head, "areas:\n"]
for a in range(1, 6):
    out.append(f'  - id: "{a}"\n    name: {{en: "Area {a}", vi: "Vùng {a}"}}\n    competences:\n')
    for c in range(1, 20001):
        pre = f'["{a}.{c - 1}"]' if c % 10 != 1 else "[]"
        out.append(f'      - id: "{a}.{c}"\n        name: {{en: "Competence {a}.{c}", vi: "Năng lực {a}.{c}"}}\n'
                   f'        prerequisites: {pre}\n')
open(sys.argv[2], "w").write("".join(out) + after)
PYEOF
fi

measure() {  # LABEL command...: wall time and max RSS of the command
  local label=$1
  shift
  /usr/bin/time -f "%e %M" -o time.txt "$@" >/dev/null 2>err.txt || { cat err.txt >&2; exit 1; }
  read -r secs kb <time.txt
  printf "%-46s wall %7.2f s  max RSS %8.1f MiB\n" "$label" "$secs" "$($PY -c "print($kb / 1024)")"
  echo "$kb" >last_kb.txt
}
echo "dskill large inputs, $(nproc) cores"
measure "validate bank, 100,000 items" "$DSKILL" validate bank100k.yaml
measure "validate bank, 1,000,000 items" "$DSKILL" validate bank1m.yaml
measure "validate framework, 100,000 competences" "$DSKILL" validate fw100k.yaml
measure "score 10M rows, --no-duplicate-check" "$DSKILL" score --bank bank20.yaml --responses r10m.csv --out s.csv \
  --threads 2 --no-duplicate-check --no-resume
flat=$(cat last_kb.txt)
measure "score 10M rows, duplicate check" "$DSKILL" score --bank bank20.yaml --responses r10m.csv --out s.csv \
  --threads 2 --no-resume
checked=$(cat last_kb.txt)
echo "  duplicate check: $($PY -c "print(round(($checked - $flat) * 1024 / 1e7, 1))") bytes per person"
measure "simulate 1,000,000 examinees (bundled bank)" "$DSKILL" simulate --bank "$HERE/item_banks/digcomp-core.yaml" \
  --examinees 1000000 --threads 2 --out sim.csv
