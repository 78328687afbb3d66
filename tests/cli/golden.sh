#!/usr/bin/env bash
# Golden outputs of the main commands: validate, info, next, simulate, score, calibrate and
# report --format json, on small seeded inputs, compared byte for byte with tests/data/golden.
# A difference is a change of output format or of numbers: if it is meant, regenerate the files
# with tests/cli/update_golden.sh DSKILL_BINARY SOURCE_DIR and commit them with the change.
#
# Masked (replaced before writing and before comparing), because they must vary:
#   - the version string of `dskill --version` -> @VERSION@ (score CSV/JSON Lines);
#   - calibration dates ("YYYY-MM-DD" in a bank's provenance) -> @DATE@;
#   - elapsed times ("seconds": N in summaries) -> @SECONDS@.
# Paths need no mask: every command runs in a scratch folder where `src` links to the source
# tree, so inputs and outputs are named by relative paths.
# The numbers are printed at full precision: the files hold for one toolchain and CPU family; if
# another compiler or libm changes a last digit, that is a regeneration, stated in the commit.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DSKILL=$(realpath "$DSKILL")  # the commands run from a scratch folder
SRC=$(realpath "$SRC")
GOLDEN=$SRC/tests/data/golden
VERSION=$("$DSKILL" --version)
UPDATE=${DSKILL_UPDATE_GOLDEN:-0}

mkdir -p "$T/w/out"
ln -s "$SRC" "$T/w/src"
cd "$T/w"
D=src/tests/data

mask() {  # mask FILE: the masked text on stdout
  sed -e "s/${VERSION//./\\.}/@VERSION@/g" \
      -e 's/date: "[0-9]\{4\}-[0-9]\{2\}-[0-9]\{2\}"/date: "@DATE@"/' \
      -e 's/"seconds": "\{0,1\}[0-9.eE+-]*"\{0,1\}/"seconds": @SECONDS@/' "$1"
}
# golden NAME FILE: FILE (masked) is golden file NAME.
golden() {
  mask "$2" >"$T/masked"
  if [[ $UPDATE == 1 ]]; then
    mkdir -p "$GOLDEN"
    cp "$T/masked" "$GOLDEN/$1"
  elif [[ ! -f $GOLDEN/$1 ]]; then
    soft_fail "no golden file $1 (run tests/cli/update_golden.sh)"
  elif ! cmp -s "$T/masked" "$GOLDEN/$1"; then
    soft_fail "$1 differs from tests/data/golden/$1:"
    diff -u "$GOLDEN/$1" "$T/masked" | head -40 >&2 || true
  fi
}
# run NAME CODE COMMAND...: the command exits with CODE; its standard output is golden NAME.
run() {
  local name=$1 code=$2
  shift 2
  expect_exit "$code" "$@"
  golden "$name" "$T/stdout"
}

# validate: a clean bank (text and JSON), a bank with every kind of problem, a framework.
run validate_example.txt 0 "$DSKILL" validate $D/banks/example.yaml
run validate_example.json 0 "$DSKILL" validate $D/banks/example.yaml --format json
run validate_many_problems.txt 1 "$DSKILL" validate $D/banks/broken/many_problems.yaml
run validate_many_problems.json 1 "$DSKILL" validate $D/banks/broken/many_problems.yaml --format json
run validate_framework.txt 0 "$DSKILL" validate $D/frameworks/mini.yaml

# info: every model of the example bank on a small grid.
run info_example.csv 0 "$DSKILL" info --bank $D/banks/example.yaml --theta -2:2:0.5

# next: first item, after two answers with an EAP estimate, and the explained criterion.
run next_start.txt 0 "$DSKILL" next --bank $D/cat/catr30.yaml --select mfi --theta 0
run next_explain.csv 0 "$DSKILL" next --bank $D/cat/catr30.yaml --select mfi --responses i5=1,i20=0 --estimate eap --explain
run next_kl.txt 0 "$DSKILL" next --bank $D/cat/catr30.yaml --select kl --responses i5=1 --estimate map

# simulate: a seeded classification test (randomesque exposure, so the RNG stream matters).
run simulate_summary.json 0 "$DSKILL" simulate --bank $D/cat/catr30.yaml --spec $D/cat/classify.yaml \
  --examinees 40 --seed 11 --threads 1 --out out/simulate.csv
golden simulate.csv out/simulate.csv

# score: the small wide CSV with EAP and ML, as CSV and JSON Lines; with --provenance-columns
# (the bank fingerprint and version on every row: the rows of before that option, unchanged).
run score_eap.csv 0 "$DSKILL" score --bank $D/score/bank.yaml --responses $D/score/good.csv
run score_ml.csv 0 "$DSKILL" score --bank $D/score/bank.yaml --responses $D/score/good.csv --method ml
run score_eap_provenance.csv 0 "$DSKILL" score --bank $D/score/bank.yaml --responses $D/score/good.csv \
  --provenance-columns
run score_eap_provenance.jsonl 0 "$DSKILL" score --bank $D/score/bank.yaml --responses $D/score/good.csv \
  --out-format jsonl --provenance-columns
run score_eap.jsonl 0 "$DSKILL" score --bank $D/score/bank.yaml --responses $D/score/good.csv --out-format jsonl
cp "$T/stdout" out/scores.jsonl

# calibrate: 2PL with SEs on the first 300 persons and 10 items of the mirt reference data.
# head first: cut then reads to the end, so no SIGPIPE can stop the script under pipefail.
head -301 $REF_DIR/data/calib_2PL_2000x30_responses.csv | cut -d, -f1-11 >out/calib.csv
run calibrate_summary.json 0 "$DSKILL" calibrate --responses out/calib.csv --model 2pl --se \
  --out out/calibrated.yaml --params-out out/params.csv --log out/log.csv
cp "$T/stdout" out/calib_summary.json
golden calibrate_bank.yaml out/calibrated.yaml
golden calibrate_params.csv out/params.csv
golden calibrate_log.csv out/log.csv

# report --format json: the numbers behind the bank, calibration and simulation reports.
run report_bank.json 0 "$DSKILL" report bank --bank $D/banks/example.yaml --theta -2:2:0.5 --format json
run report_calibration.json 0 "$DSKILL" report calibration --bank out/calibrated.yaml --log out/log.csv \
  --summary out/calib_summary.json --format json
run report_simulation.json 0 "$DSKILL" report simulation --results out/simulate.csv --bank $D/cat/catr30.yaml \
  --format json
run report_scores.json 0 "$DSKILL" report scores --scores out/scores.jsonl --format json

if [[ $UPDATE == 1 ]]; then
  echo "golden files written to $GOLDEN"
  exit 0
fi
finish golden
