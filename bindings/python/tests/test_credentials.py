"""dskill.verify_credential over the pinned credential (tests/data/credentials): valid with its
status list, refused when changed, expired, not yet valid, or issued by someone else."""
import json
import os

import dskill

DATA = os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "data", "credentials")


def _read(name):
    with open(os.path.join(DATA, name), encoding="utf-8") as f:
        return f.read()


def test_verify_credential_with_status():
    cred, status = _read("digcomp_jcs.json"), _read("digcomp_jcs_status.json")
    r = dskill.verify_credential(cred, status_lists=[status], now="2027-01-01T00:00:00Z", require_status=True)
    assert r["valid"], r
    assert r["error"] == "" and r["warnings"] == []
    assert r["cryptosuite"] == "eddsa-jcs-2022"
    assert r["issuer"].startswith("did:key:z6Mk")
    assert r["verification_method"] == r["issuer"] + "#" + r["issuer"][len("did:key:"):]
    r = dskill.verify_credential(cred, now="2027-01-01T00:00:00Z")
    assert r["valid"] and len(r["warnings"]) == 1 and "status not checked" in r["warnings"][0]


def test_verify_credential_refusals():
    cred = _read("digcomp_jcs.json")
    assert "not yet valid" in dskill.verify_credential(cred, now="2026-11-30T00:00:00Z")["error"]
    assert "expired" in dskill.verify_credential(cred, now="2037-01-01T00:00:00Z")["error"]
    assert "issued by" in dskill.verify_credential(cred, issuer="did:web:example.org", now="2027-01-01T00:00:00Z")["error"]
    doc = json.loads(cred)
    doc["credentialSubject"]["result"][0]["achievedLevel"] = doc["credentialSubject"]["result"][0]["achievedLevel"][:-1] + "8"
    r = dskill.verify_credential(json.dumps(doc), now="2027-01-01T00:00:00Z")
    assert not r["valid"] and r["error"] == "signature does not verify"
    assert not dskill.verify_credential("not json")["valid"]
    assert "not the expected key" in dskill.verify_credential(cred, public_key=bytes(32), now="2027-01-01T00:00:00Z")["error"]
