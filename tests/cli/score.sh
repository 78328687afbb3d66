#!/usr/bin/env bash
# dskill score from the command line: the first form (issue 2), bad input and usage exit codes,
# formats, thread-count invariance, resume after an interruption, framework levels,
# Open Badges credentials (signature checked independently with PyNaCl when present).
# Usage: score.sh DSKILL_BINARY SOURCE_DIR
set -euo pipefail
source "$(dirname "$0")/lib.sh"
DATA=$SRC/tests/data/score
PY=/usr/bin/python3

# ---- first form: wide CSV in, CSV out; every method; negative option values
for m in eap map ml wle; do
  expect_exit 0 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/good.csv" --method $m
  [[ $(head -1 "$T/stdout") == person_id,theta,se,n_answered,* ]] || fail "header ($m)"
  [[ $(wc -l <"$T/stdout") == 4 ]] || fail "rows ($m)"
done
expect_exit 0 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/good.csv" --method eap --quadrature -6:6:121 \
  --prior-mean -0.5 --prior-sd 1.5 --out "$T/q1.csv"
expect_exit 0 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/good.csv" --method eap --quadrature=-6:6:121 \
  --prior-mean=-0.5 --prior-sd 1.5 --out "$T/q2.csv"
cmp -s "$T/q1.csv" "$T/q2.csv" || fail "--quadrature -6:6:121 and --quadrature=-6:6:121 differ"
grep -q '^B,.*,2,3,' "$T/q1.csv" || fail "n_answered/raw score of B"

# ---- usage errors exit 2, input errors exit 1 naming the file and row
expect_exit 2 "$DSKILL" score --responses "$DATA/good.csv"
expect_exit 2 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/good.csv" --method nope
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/unknown_item.csv"
grep -q "unknown_item.csv:1" "$T/stderr" && grep -q "unknown item id 'zz'" "$T/stderr" || fail "header error message"
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$T/missing.csv"
: >"$T/empty.csv"
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$T/empty.csv"
grep -q "empty file" "$T/stderr" || fail "empty file message"
printf '\xff\xfep\x00' >"$T/utf16.csv"
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$T/utf16.csv"
grep -q "UTF-16" "$T/stderr" || fail "UTF-16 message"
# bad rows: the run goes on, good rows are scored, each bad row named with its row (stderr)
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/bad_rows.csv"
[[ $(wc -l <"$T/stdout") == 3 ]] || fail "good rows of bad_rows.csv"
grep -q "bad_rows.csv:3: row 2: person 'B': non-numeric response 'x'" "$T/stderr" || fail "row message"
grep -q "row 5: person 'A': duplicate person" "$T/stderr" || fail "duplicate message"
# with --out: rejects file, summary that reconciles
expect_exit 1 "$DSKILL" score --bank "$DATA/bank.yaml" --responses "$DATA/bad_rows.csv" --out "$T/b.csv" \
  --summary "$T/b.json"
[[ $(wc -l <"$T/b.csv.rejects.csv") == 5 ]] || fail "rejects file"
$PY - "$T/b.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["rows_read"] == 6 and s["persons_scored"] == 2 and s["rows_rejected"] == 4, s
assert s["rows_read"] == s["persons_scored"] + s["rows_rejected"] and s["reconciles"]
EOF

# ---- generated data: formats, gzip, threads
$PY "$SRC/scripts/gen_responses.py" --bank "$T/gen.yaml" --items 30 --persons 3000 --missing 0.2 --seed 4 --out "$T/w.csv"
$PY "$SRC/scripts/gen_responses.py" --bank "$T/gen.yaml" --items 30 --persons 3000 --missing 0.2 --seed 4 --out "$T/w.csv.gz"
$PY "$SRC/scripts/gen_responses.py" --bank "$T/gen.yaml" --items 30 --persons 3000 --missing 0.2 --seed 4 --format long --out "$T/l.csv"
$PY "$SRC/scripts/gen_responses.py" --bank "$T/gen.yaml" --items 30 --persons 3000 --missing 0.2 --seed 4 --format jsonl --out "$T/j.jsonl"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/w1.csv" --threads 1
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/w2.csv" --threads 2
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/w4.csv" --threads 4 --chunk 77
cmp -s "$T/w1.csv" "$T/w2.csv" && cmp -s "$T/w1.csv" "$T/w4.csv" || fail "output depends on the thread count"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv.gz" --out "$T/wz.csv"
cmp -s "$T/w1.csv" "$T/wz.csv" || fail "gzip input differs"
# `-` for standard input and for the summary on standard output; missing output folders are made
"$DSKILL" score --bank "$T/gen.yaml" --responses - --out "$T/new/dir/stdin.csv" --summary - < "$T/w.csv" > "$T/stdin_summary.json" \
  || fail "score from standard input failed"
cmp -s "$T/w1.csv" "$T/new/dir/stdin.csv" || fail "scores read from standard input differ"
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["reconciles"] and s["persons_scored"] == 3000, s' "$T/stdin_summary.json"
expect_exit 2 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --summary -
grep -q "cannot both go to standard output" "$T/stderr" || fail "scores and summary both on standard output"
# an output that cannot be written is refused before any row is scored
touch "$T/plainfile"
expect_exit 1 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/early.csv" --summary "$T/plainfile/sum.json"
grep -q "summary" "$T/stderr" || fail "an unwritable summary folder is not named"
[[ ! -e "$T/early.csv" ]] || fail "rows were scored before the unwritable summary was found"
# a garbled gzip stream: exit 1, the problem named, and the summary does not claim to reconcile
$PY "$SRC/scripts/gen_responses.py" --use-bank "$T/gen.yaml" --persons 20000 --seed 5 --out "$T/big.csv.gz"
$PY - "$T/big.csv.gz" "$T/bad.csv.gz" <<'EOF'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for i in range(2 * len(data) // 3, 2 * len(data) // 3 + 64):
    data[i] ^= 0x5A
open(sys.argv[2], "wb").write(data)
EOF
expect_exit 1 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/bad.csv.gz" --out "$T/bad_out.csv" --summary "$T/bad_sum.json"
grep -q "corrupt\|ends early" "$T/stderr" || fail "a garbled gzip stream is not reported"
$PY -c 'import json,sys; s=json.load(open(sys.argv[1])); assert not s["reconciles"] and s["stream_problems"], s' "$T/bad_sum.json"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/l.csv" --format long --out "$T/l_out.csv"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/j.jsonl" --out "$T/j_out.jsonl"
$PY - "$T/w1.csv" "$T/l_out.csv" "$T/j_out.jsonl" <<'EOF'
import csv, json, sys
wide = {r["person_id"]: float(r["theta"]) for r in csv.DictReader(open(sys.argv[1]))}
long_ = {r["person_id"]: float(r["theta"]) for r in csv.DictReader(open(sys.argv[2]))}
jl = {j["person_id"]: j["theta"] for j in map(json.loads, open(sys.argv[3]))}
assert len(wide) == 3000 and wide.keys() == long_.keys() == jl.keys()
for k in wide:
    assert abs(wide[k] - long_[k]) < 2e-6 and abs(wide[k] - jl[k]) < 2e-6, k
EOF

# ---- provenance: the bank fingerprint and version stated once, in the summary; on every row
# only with --provenance-columns (the rows are then those of before, byte for byte)
VERSION=$("$DSKILL" --version)
[[ $(head -1 "$T/w1.csv") == *,status ]] || fail "default header ends with status"
if grep -qF -e "sha256:" -e ",$VERSION" -e "\"$VERSION\"" "$T/w1.csv" "$T/j_out.jsonl"; then fail "default rows carry the fingerprint or version"; fi
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/pc.csv" --summary "$T/pc.json" \
  --provenance-columns
[[ $(head -1 "$T/pc.csv") == *,status,bank_fingerprint,dskill_version ]] || fail "--provenance-columns header"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/j.jsonl" --out "$T/pc.jsonl" --summary "$T/pcj.json" \
  --provenance-columns
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/ps.csv" --summary "$T/ps.json"
$PY - "$T/w1.csv" "$T/pc.csv" "$T/j_out.jsonl" "$T/pc.jsonl" "$T/pc.json" "$T/ps.json" "$VERSION" <<'EOF'
import json, sys
plain, prov, jplain, jprov = (open(p, "rb").read().split(b"\n") for p in sys.argv[1:5])
with_cols, without = json.load(open(sys.argv[5])), json.load(open(sys.argv[6]))
fp, ver = without["bank"]["fingerprint"], sys.argv[7]
assert fp.startswith("sha256:") and len(fp) == 71 and without["dskill_version"] == ver, without
assert with_cols["bank"]["fingerprint"] == fp and with_cols["dskill_version"] == ver
assert without["outputs"]["scores_provenance_columns"] is False and with_cols["outputs"]["scores_provenance_columns"] is True
assert len(plain) == len(prov) == 3002 and plain[-1] == prov[-1] == b""
tail = ("," + fp + "," + ver).encode()
assert prov[0] == plain[0] + b",bank_fingerprint,dskill_version"
assert all(p == q + tail for p, q in zip(prov[1:-1], plain[1:-1])), "CSV rows with the columns"
assert len(jplain) == len(jprov) == 3001
fields = ('"bank_fingerprint":"%s","dskill_version":"%s"' % (fp, ver)).encode()
for p, q in zip(jprov[:-1], jplain[:-1]):
    assert q.endswith(b"}") and p == q[:-1] + b"," + fields + b"}", (p, q)
    assert list(json.loads(p))[-2:] == ["bank_fingerprint", "dskill_version"]
EOF

# ---- resume: an interrupted run restarted with the same command gives the same files
cmd=("$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/r.csv" --summary "$T/r.json"
     --checkpoint-every 500 --chunk 100)
expect_exit 1 "${cmd[@]}" --debug-interrupt-after 2100
[[ -f "$T/r.csv.checkpoint.json" ]] || fail "no checkpoint after the interruption"
expect_exit 1 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/r.csv" --method map --chunk 100
grep -q "different command" "$T/stderr" || fail "a different command resumed"
expect_exit 0 "${cmd[@]}" --progress
grep -q "resumed after row" "$T/stderr" || fail "did not resume"
cmp -s "$T/r.csv" "$T/w1.csv" || fail "resumed output differs from an uninterrupted run"
[[ ! -f "$T/r.csv.checkpoint.json" ]] || fail "checkpoint left behind"
# the progress line of a resumed run counts from its first scored row, not "0 rows/s"
last_progress=$(tr '\r' '\n' <"$T/stderr" | grep "rows/s" | tail -1)
[[ -n $last_progress && $last_progress != *" 0 rows/s"* ]] || fail "progress after a resume: '$last_progress'"
# a run started without --provenance-columns does not resume with it, nor the other way round
pcmd=("$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/rp.csv" --checkpoint-every 500 --chunk 100)
expect_exit 1 "${pcmd[@]}" --debug-interrupt-after 1200
expect_exit 1 "${pcmd[@]}" --provenance-columns
grep -q "different command" "$T/stderr" || fail "a run without provenance columns resumed with them"
expect_exit 0 "${pcmd[@]}"
cmp -s "$T/rp.csv" "$T/w1.csv" || fail "resumed without provenance columns: output differs"
expect_exit 1 "${pcmd[@]}" --provenance-columns --debug-interrupt-after 1200
expect_exit 1 "${pcmd[@]}"
grep -q "different command" "$T/stderr" || fail "a run with provenance columns resumed without them"
expect_exit 0 "${pcmd[@]}" --provenance-columns
grep -q "resumed after row" "$T/stderr" || fail "did not resume with provenance columns"
cmp -s "$T/rp.csv" "$T/pc.csv" || fail "resumed with provenance columns: output differs"

# ---- a kill before the first periodic checkpoint (10 s or 200,000 rows) still resumes
"$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/early_kill.csv" --debug-interrupt-after 1500 \
  --chunk 100 2>/dev/null && fail "the interrupted run did not stop"
[[ -f "$T/early_kill.csv.checkpoint.json" ]] || fail "no checkpoint before the first periodic one"
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/w.csv" --out "$T/early_kill.csv" --chunk 100
grep -q "resumed after row 0" "$T/stderr" || fail "a run stopped before its first periodic checkpoint did not resume"
cmp -s "$T/early_kill.csv" "$T/w1.csv" || fail "resumed after an early stop: output differs"

# ---- Ctrl-C: the run stops after its current chunk, checkpointed, and says how to resume
{ head -1 "$T/w.csv"; for _ in $(seq 100); do tail -n +2 "$T/w.csv"; done; } > "$T/many.csv"  # 300,000 rows
int_cmd=("$DSKILL" score --bank "$T/gen.yaml" --responses "$T/many.csv" --out "$T/int.csv" --no-duplicate-check --threads 1)
"${int_cmd[@]}" 2>"$T/int.err" &
pid=$!
for _ in $(seq 200); do [[ -s "$T/int.csv" && $(stat -c %s "$T/int.csv") -gt 200000 ]] && break; sleep 0.02; done
kill -INT "$pid"
set +e; wait "$pid"; code=$?; set -e
if [[ $code == 0 ]]; then
  echo "note: the run finished before the interrupt arrived; Ctrl-C not exercised" >&2
else
  [[ $code == 130 ]] || { cat "$T/int.err" >&2; fail "Ctrl-C: exit $code, expected 130"; }
  grep -q "run the same command again to resume" "$T/int.err" || fail "Ctrl-C does not say how to resume"
  [[ -f "$T/int.csv.checkpoint.json" ]] || fail "Ctrl-C left no checkpoint"
  expect_exit 0 "${int_cmd[@]}"
  grep -q "resumed after row" "$T/stderr" || fail "the interrupted run did not resume"
fi
expect_exit 0 "$DSKILL" score --bank "$T/gen.yaml" --responses "$T/many.csv" --out "$T/int_ref.csv" --no-duplicate-check
cmp -s "$T/int.csv" "$T/int_ref.csv" || fail "an interrupted and resumed run differs from an uninterrupted one"

# ---- framework: areas, levels, certification, credentials
BANK=$SRC/item_banks/digcomp-core.yaml
FW=$SRC/item_banks/frameworks/digcomp-2.2.yaml
if [[ -f "$BANK" && -f "$FW" ]]; then
  $PY "$SRC/scripts/gen_responses.py" --use-bank "$BANK" --items 0 --persons 300 --missing 0.3 --seed 8 --out "$T/dc.csv"
  echo 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 >"$T/key.hex"
  expect_exit 0 "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "$T/dc.csv" --out "$T/dc.csv.out" \
    --summary "$T/dc.json" --credentials "$T/creds" --signing-key "$T/key.hex" --issuer-name "Test issuer" \
    --proof eddsa-jcs-2022
  header=$(head -1 "$T/dc.csv.out")
  [[ $header == person_id,theta,se,n_answered,raw_score,max_score,theta_1,se_1,level_1,* ]] || fail "framework columns"
  [[ $header == *,level,certified,certified_by,credential,status ]] || fail "framework columns (end)"
  # no credential holds a raw person id
  raw_id='(^|[^A-Za-z0-9.])p0[0-9]{3}([^0-9]|$)'  # gen_responses ids: p0001, ...
  if grep -rlE "$raw_id" "$T/creds" >/dev/null; then fail "a credential holds a raw person id"; fi
  if grep -lE "$raw_id" "$T/dc.csv.out" "$T/dc.json" >/dev/null; then fail "a raw person id in the scores or summary"; fi
  $PY - "$T/dc.csv.out" "$T/dc.json" "$T/creds" "$T/dc.csv" <<'EOF'
import csv, hashlib, json, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
raw_ids = [r["person_id"] for r in csv.DictReader(open(sys.argv[4]))]
summary = json.load(open(sys.argv[2]))
creds = [f for f in os.listdir(sys.argv[3]) if f.endswith(".json")]
certified = [r for r in rows if r["certified"] == "true"]
assert summary["certified"] == len(certified) == len(creds) > 0, (summary["certified"], len(certified), len(creds))
assert 0 < summary["classification"]["overall"]["accuracy"] <= 1
try:
    from nacl.signing import VerifyKey
except ImportError:
    VerifyKey = None
ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
def b58decode(s):
    n = 0
    for ch in s:
        n = n * 58 + ALPHABET.index(ch)
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(s) - len(s.lstrip("1"))) + raw
def jcs(obj):  # RFC 8785 for documents without floats
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
import hmac
# No --salt-secret: the identity secret is derived from the signing key (BLAKE2b keyed with the
# seed), and the salt of a person is HMAC-SHA-256(secret, "dskill-salt-v1|" + id), 16 bytes.
seed = bytes.fromhex(open(os.path.join(os.path.dirname(sys.argv[3]), "key.hex")).read().strip())
secret = hashlib.blake2b(b"dskill identity secret v1", digest_size=32, key=seed).digest()
# ... and the scores know a person by the keyed pseudonym HMAC-SHA-256(secret, "dskill-person-v1|" + id)
pseudonym = {"hmac-sha256:" + hmac.new(secret, b"dskill-person-v1|" + p.encode(), hashlib.sha256).digest()[:16].hex(): p
             for p in raw_ids}
assert summary["person_ids"]["written_as"] == "pseudonym"
assert all(r["person_id"] in pseudonym for r in rows), "a scores row with an unknown pseudonym"
for r in certified[:20]:
    doc = json.load(open(os.path.join(sys.argv[3], r["credential"])))
    assert doc["type"] == ["VerifiableCredential", "AchievementCredential"]
    ident = doc["credentialSubject"]["identifier"][0]
    assert ident["hashed"] is True and "salt" not in ident
    person = pseudonym[r["person_id"]]
    salt = hmac.new(secret, b"dskill-salt-v1|" + person.encode(), hashlib.sha256).digest()[:16].hex()
    assert ident["identityHash"] == "sha256$" + hashlib.sha256((person + salt).encode()).hexdigest()
    proofs = doc.pop("proof")
    assert isinstance(proofs, list) and len(proofs) == 1
    proof = proofs[0]
    assert proof["cryptosuite"] == "eddsa-jcs-2022"
    assert proof["@context"] == doc["@context"]  # vc-di-eddsa, Create Proof (jcs), step 2
    if VerifyKey:
        mb = proof["verificationMethod"].split("#")[1]
        pub = b58decode(mb[1:])[2:]
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        data = hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(doc)).digest()
        VerifyKey(pub).verify(data, b58decode(proof["proofValue"][1:]))  # raises if it does not verify
EOF
  # the same run with the credentials bundled in gzip JSON Lines shards of 100 input rows
  expect_exit 0 "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "$T/dc.csv" --out "$T/dcb.csv" \
    --credentials "$T/bundle" --credentials-bundle --credentials-shard-rows 100 --signing-key "$T/key.hex"
  shards=("$T"/bundle/credentials-*.jsonl.gz)
  [[ ${#shards[@]} == 3 ]] || fail "300 rows in shards of 100 should make 3 shards, not ${#shards[@]}"
  [[ $(zcat "${shards[@]}" | wc -l) == $(grep -c ',true,' "$T/dcb.csv") ]] || fail "bundle line count"
  expect_exit 0 "$DSKILL" verify "${shards[@]}" --quiet
fi
echo "score CLI tests passed"
