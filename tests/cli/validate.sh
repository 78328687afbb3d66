#!/usr/bin/env bash
# dskill validate: exit codes, text and JSON output. $1 = dskill binary, $2 = source dir.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
data=$SRC/tests/data

# Clean files: exit 0 and an "ok" line.
out=$("$DSKILL" validate "$data/banks/example.yaml") || fail "example.yaml should be clean: $out"
[[ $out == *": ok: bank 'example': 4 items, fingerprint sha256:"* ]] || fail "unexpected output: $out"
"$DSKILL" validate "$data/banks/complete.yaml" --framework "$data/frameworks/mini.yaml" >/dev/null \
  || fail "complete.yaml should be clean against mini.yaml"
out=$("$DSKILL" validate "$data/frameworks/mini.yaml") || fail "mini.yaml should be clean: $out"
[[ $out == *"framework 'mini' version '1.0': 4 levels, 2 areas, 4 competences"* ]] || fail "unexpected output: $out"
if [[ -f $SRC/item_banks/digcomp-core.yaml && -f $SRC/item_banks/frameworks/digcomp-2.2.yaml ]]; then
  "$DSKILL" validate "$SRC/item_banks/digcomp-core.yaml" --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" \
    >/dev/null || fail "the bundled bank should be clean against DigComp 2.2"
fi
if [[ -f $SRC/item_banks/digcomp-profile.yaml && -f $SRC/item_banks/frameworks/digcomp-2.2.yaml ]]; then
  out=$("$DSKILL" validate "$SRC/item_banks/digcomp-profile.yaml" --framework "$SRC/item_banks/frameworks/digcomp-2.2.yaml" \
    --strict) || fail "the bundled profile bank should be clean against DigComp 2.2: $out"
  [[ $out == *"bank 'digcomp-profile': 157 items"* ]] || fail "unexpected: $out"
fi
for f in "$SRC"/item_banks/frameworks/*.yaml; do
  [[ -f $f ]] || continue
  "$DSKILL" validate "$f" >/dev/null || fail "bundled framework $f should be clean"
done

# Problems: exit 1, one compiler-style line per problem, then a count.
out=$("$DSKILL" validate "$data/banks/broken/many_problems.yaml")
rc=$?
[[ $rc == 1 ]] || fail "many_problems.yaml: exit $rc, expected 1"
[[ $out == *"many_problems.yaml:8:17: error: item 'q1': discrimination a must be > 0, got 0 [params]"* ]] || fail "missing line: $out"
[[ $out == *"many_problems.yaml:11:5: error: item 'q2': unknown key 'modle' in item (did you mean 'model'?)"* ]] || fail "missing suggestion: $out"
[[ $(grep -c ": error: " <<<"$out") == 6 ]] || fail "expected 6 errors: $out"
[[ $out == *"6 errors, 0 warnings"* ]] || fail "missing summary: $out"

# A bank checked against a framework it does not fit.
out=$("$DSKILL" validate "$data/banks/broken/competence_unknown.yaml" --framework "$data/frameworks/mini.yaml")
[[ $? == 1 ]] || fail "competence_unknown.yaml should fail"
[[ $out == *"competence '1.3' is not in framework mini (did you mean '1.1'?)"* ]] || fail "unexpected: $out"

# JSON for programs.
out=$("$DSKILL" validate "$data/banks/broken/enemy_asymmetric.yaml" --format json)
[[ $? == 1 ]] || fail "json: expected exit 1"
/usr/bin/python3 - "$out" <<'PY' || fail "bad JSON report: $out"
import json, sys
r = json.loads(sys.argv[1])
assert r["valid"] is False and r["errors"] == 1 and r["kind"] == "bank", r
d = r["diagnostics"][0]
assert (d["line"], d["column"], d["code"], d["item_id"]) == (5, 62, "enemy", "q1"), d
PY
out=$("$DSKILL" validate "$data/banks/example.yaml" --format=json) || fail "json clean: exit $?"
/usr/bin/python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["valid"] and r["bank"]["items"] == 4' "$out" \
  || fail "bad JSON: $out"

# Warnings pass unless --strict.
cat >"$T/warn.yaml" <<'YAML'
dskill: 1
bank: {id: w}
items:
  - {id: q1, model: 2pl, params: {a: 1, b: 0}, content: {en: {stem: s, options: [x, y]}}}
YAML
out=$("$DSKILL" validate "$T/warn.yaml") || fail "warnings alone should pass: $out"
[[ $out == *"warning: item 'q1': multiple-choice item has options but no 'key'"* && $out == *"(1 warning)"* ]] || fail "unexpected: $out"
"$DSKILL" validate "$T/warn.yaml" --strict >/dev/null && fail "--strict should fail on warnings"

# A syntax error has its position.
printf 'dskill: 1\nbank: {id: x\n' >"$T/syntax.yaml"
out=$("$DSKILL" validate "$T/syntax.yaml")
[[ $? == 1 ]] || fail "syntax error: expected exit 1"
[[ $out =~ syntax\.yaml:[0-9]+:[0-9]+:\ error:\ YAML\ syntax ]] || fail "unexpected: $out"

# Bad usage: exit 2.
"$DSKILL" validate >/dev/null 2>&1; [[ $? == 2 ]] || fail "no file: expected exit 2"
"$DSKILL" validate "$data/banks/example.yaml" --format xml >/dev/null 2>&1; [[ $? == 2 ]] || fail "bad format: expected exit 2"
# A missing file is bad input (exit 1, issue 10), not bad usage.
"$DSKILL" validate "$T/missing.yaml" >/dev/null 2>&1; [[ $? == 1 ]] || fail "missing file: expected exit 1"
expect_exit 0 "$DSKILL" validate --help
expect_contains "$T/stdout" "--framework" "validate --help"
echo "validate: all checks passed"
