#!/usr/bin/env bash
# Certificates checked by strangers: credentials issued by `dskill score` (eddsa-rdfc-2022, the
# default, and eddsa-jcs-2022; did:key and did:web issuers; English and Vietnamese) must pass
# the official 1EdTech Open Badges 3.0 JSON Schema (ajv) and Digital Bazaar's verifier
# (tests/interop/verify.mjs), and every tampered copy must fail there; `dskill verify` agrees;
# `dskill revoke` and `--undo` flip the verdict of both verifiers.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

INTEROP=$SRC/tests/interop
SCHEMA=$SRC/../shared/standards/ob-3.0/ob_v3p0_achievementcredential_schema.json
command -v node >/dev/null || fail "node is missing: run scripts/install-deps.sh"
[[ -d $INTEROP/node_modules/@digitalbazaar/vc ]] || fail "the npm verifiers are missing: run scripts/install-deps.sh"
[[ -f $SCHEMA ]] || fail "the OB 3.0 schema is missing: $SCHEMA"
BANK=$SRC/item_banks/digcomp-core.yaml
FW=$SRC/item_banks/frameworks/digcomp-2.2.yaml
PY=/usr/bin/python3
$PY "$SRC/scripts/gen_responses.py" --use-bank "$BANK" --items 0 --persons 120 --missing 0.2 --seed 21 --out "$T/in.csv"
echo 9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60 >"$T/key.hex"
echo 4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb >"$T/old.hex"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/salt.hex"
verify_npm() { node "$INTEROP/verify.mjs" --schema "$SCHEMA" "$@"; }

# did:web with a rotated key: the DID document lists the current key and the retired one.
expect_exit 0 "$DSKILL" did-web --did did:web:certs.example.vn --signing-key "$T/key.hex" --signing-key "$T/old.hex" \
  --out "$T/did.json"

for suite in eddsa-rdfc-2022 eddsa-jcs-2022; do
  for issuer in key web; do
    lang=en
    [[ $issuer == web ]] && lang=vi
    out=$T/$suite-$issuer
    extra=()
    [[ $issuer == web ]] && extra=(--issuer-id did:web:certs.example.vn --status-purpose suspension)
    expect_exit 0 "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "$T/in.csv" --out "$out.csv" \
      --credentials "$out" --credentials-bundle --signing-key "$T/key.hex" --salt-secret "$T/salt.hex" \
      --proof "$suite" --language "$lang" --public-url "https://certs.example.vn/runs/$suite-$issuer" \
      --valid-until 2031-12-01T00:00:00Z "${extra[@]}"
    bundle=$out/credentials-00000.jsonl.gz
    n=$(zcat "$bundle" | wc -l)
    [[ $n -gt 20 ]] || fail "$suite/$issuer: only $n credentials"
    # no raw id, no salt, no secret anywhere in what the run wrote
    if grep -rlE -e '(^|[^A-Za-z0-9.])p0[0-9]{3}([^0-9]|$)' -e "$(cat "$T/salt.hex")" -e '"salt"' "$out" "$out.csv" \
      >/dev/null; then
      fail "$suite/$issuer: a raw id or a secret was written"
    fi
    size=$($PY -c "import gzip, sys; L=gzip.open(sys.argv[1]).read().splitlines(); print(max(map(len,L)))" "$bundle")
    [[ $size -le 4096 ]] || fail "$suite/$issuer: a credential of $size bytes (target 4 KB)"
    dids=()
    [[ $issuer == web ]] && dids=(--did-document "$T/did.json")
    expect_exit 0 verify_npm --status-dir "$out/public/status" "${dids[@]}" --tamper "$bundle"
    echo "$suite/$issuer ($lang): npm: $(cat "$T/stdout"), largest $size bytes"
    expect_exit 0 "$DSKILL" verify "$bundle" --status-dir "$out/public/status" "${dids[@]}" --require-status --quiet
    expect_contains "$T/stderr" "$n valid, 0 invalid"
    # the published achievement is valid JSON-LD that the schema's Achievement part accepts by its id
    [[ -f $out/public/achievements/core.json ]] || fail "$suite/$issuer: no published achievement"
    # revoke (or suspend) the first credential: both verifiers refuse it; a suspension can be lifted
    zcat "$bundle" >"$T/all.jsonl"
    head -1 "$T/all.jsonl" >"$T/one.json"
    purpose=revocation verdict=revoked
    [[ $issuer == web ]] && purpose=suspension verdict=suspended
    list=$out/public/status/$purpose/0.json
    expect_exit 0 "$DSKILL" revoke --list "$list" --credential "$T/one.json" --signing-key "$T/key.hex" --proof "$suite"
    expect_exit 1 "$DSKILL" verify "$T/one.json" --status-dir "$out/public/status" "${dids[@]}"
    expect_contains "$T/stdout" "INVALID: $verdict"
    expect_exit 0 verify_npm --no-schema --status-dir "$out/public/status" "${dids[@]}" --expect revoked "$T/one.json"
    if [[ $purpose == suspension ]]; then
      expect_exit 0 "$DSKILL" revoke --list "$list" --credential "$T/one.json" --signing-key "$T/key.hex" --proof "$suite" --undo
      expect_exit 0 verify_npm --no-schema --status-dir "$out/public/status" "${dids[@]}" "$T/one.json"
      expect_exit 0 "$DSKILL" verify "$T/one.json" --status-dir "$out/public/status" "${dids[@]}" --require-status
    else
      expect_exit 1 "$DSKILL" revoke --list "$list" --credential "$T/one.json" --signing-key "$T/key.hex" --undo
      expect_contains "$T/stderr" "final"
    fi
    # a changed credential: dskill says why and exits 1
    sed 's/"hashed":true/"hashed":false/' "$T/one.json" >"$T/forged.json"
    expect_exit 1 "$DSKILL" verify "$T/forged.json" "${dids[@]}"
    expect_contains "$T/stdout" "INVALID: signature does not verify"
    expect_exit 0 verify_npm --no-schema --expect invalid "${dids[@]}" "$T/forged.json"
  done
done

# once the retired key is dropped from the DID document, what it signed no longer verifies
expect_exit 0 "$DSKILL" score --bank "$BANK" --framework "$FW" --responses "$T/in.csv" --out "$T/old.csv" \
  --credentials "$T/old" --credentials-bundle --signing-key "$T/old.hex" --issuer-id did:web:certs.example.vn
zcat "$T/old/credentials-00000.jsonl.gz" >"$T/all.jsonl"
head -1 "$T/all.jsonl" >"$T/old.json"
expect_exit 0 "$DSKILL" verify "$T/old.json" --did-document "$T/did.json"
expect_exit 0 "$DSKILL" did-web --did did:web:certs.example.vn --signing-key "$T/key.hex" --out "$T/did-new.json"
expect_exit 1 "$DSKILL" verify "$T/old.json" --did-document "$T/did-new.json"
expect_contains "$T/stdout" "does not list"
expect_exit 0 verify_npm --no-schema --expect invalid --did-document "$T/did-new.json" "$T/old.json"
echo "credentials CLI tests passed"
