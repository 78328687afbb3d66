import pickle

import numpy as np
import pytest

import dskill

pytestmark = pytest.mark.skipif(not dskill.HAVE_CAT, reason="no adaptive-testing layer in this build")


def run(session, answer, steps=None):
    n = 0
    while steps is None or n < steps:
        item = session.next_item()
        if item is None:
            break
        assert session.record(item, answer(item)) is True
        n += 1
    return n


def test_session_flow(core_bank):
    spec = dskill.TestSpec()
    s = dskill.Session(core_bank, spec, seed=42)
    first = s.next_item()
    assert first in core_bank.item_ids
    assert s.next_item() == first  # asked again before the answer: the same item
    assert s.record(first, 1) is True
    assert s.record(first, 1) is False  # the same answer again does not count twice
    with pytest.raises(dskill.StateError, match="refused|answered"):
        s.record(first, 0)
    nxt = s.next_item()
    other = next(i for i in core_bank.item_ids if i not in (first, nxt))
    with pytest.raises(dskill.StateError, match="not offered"):
        s.record(other, 1)
    with pytest.raises(dskill.InvalidArgument):
        s.record(nxt, 7)
    run(s, lambda item: int(core_bank.index(item) % 3 != 0))
    assert s.finished and s.finish_reason != "not_finished"
    assert s.answered == len(s.history) <= spec.max_items
    assert 0 < s.se < 1 and np.isfinite(s.theta)


def test_snapshot_restore(core_bank):
    spec = dskill.TestSpec()
    s = dskill.Session(core_bank, spec, seed=7)
    run(s, lambda item: 1, steps=5)
    data = s.snapshot()
    assert isinstance(data, bytes)
    for r in (dskill.Session.restore(core_bank, data), dskill.Session.restore(core_bank, data, spec),
              pickle.loads(pickle.dumps(s))):
        assert r.theta == s.theta and r.se == s.se and r.history == s.history
        assert r.next_item() == s.next_item()
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0x5A
    with pytest.raises(dskill.SerializationError) as e:
        dskill.Session.restore(core_bank, bytes(bad))
    assert str(e.value).startswith("[dskill.serialization_error.E006]")
    with pytest.raises(dskill.SerializationError):
        dskill.Session.restore(core_bank, data[:-3])
    with pytest.raises(dskill.SerializationError):
        dskill.Session.restore(core_bank, b"")


def test_sealed_snapshot_needs_the_key_and_refuses_changes(core_bank):
    key, other = bytes(range(32)), bytes(range(1, 33))
    s = dskill.Session(core_bank, seed=9)
    run(s, lambda item: 0, steps=6)
    sealed = s.snapshot(key=key)
    assert b"DSKSNAP" not in sealed  # the envelope, spec and answers are encrypted
    r = dskill.Session.restore(core_bank, sealed, key=key)
    assert r.theta == s.theta and r.history == s.history and r.next_item() == s.next_item()
    with pytest.raises(dskill.SerializationError, match="another key"):
        dskill.Session.restore(core_bank, sealed, key=other)
    with pytest.raises(dskill.SerializationError, match="not a sealed box"):
        dskill.Session.restore(core_bank, s.snapshot(), key=key)
    changed = bytearray(sealed)
    changed[-1] ^= 1
    with pytest.raises(dskill.SerializationError):
        dskill.Session.restore(core_bank, bytes(changed), key=key)
    with pytest.raises(ValueError, match="32 bytes"):
        s.snapshot(key=b"short")


def test_snapshot_of_another_bank_is_refused(core_bank, example_bank):
    s = dskill.Session(core_bank, seed=1)
    run(s, lambda item: 0, steps=2)
    with pytest.raises(dskill.SerializationError, match="bank"):
        dskill.Session.restore(example_bank, s.snapshot())


def test_spec_yaml_round_trip():
    spec = dskill.TestSpec()
    again = dskill.TestSpec.from_yaml(spec.to_yaml())
    assert again.hash == spec.hash
    assert pickle.loads(pickle.dumps(spec)).hash == spec.hash
    with pytest.raises(dskill.ParseError):
        dskill.TestSpec.from_yaml("dskill: 1\nstopping: {max_items: [\n", "spec.yaml")
    with pytest.raises(dskill.FileError):
        dskill.TestSpec.load("/nonexistent/spec.yaml")


def test_simulate_is_deterministic(core_bank):
    a = dskill.simulate(core_bank, examinees=200, seed=3, threads=1)
    b = dskill.simulate(core_bank, examinees=200, seed=3, threads=2)
    assert np.array_equal(a["theta"], b["theta"]) and a["items"] == b["items"]
    assert a["summary"]["examinees"] == 200
    assert a["summary"]["rmse"] < 0.6
    df = dskill.simulate(core_bank, true_thetas=[-1.0, 0.0, 1.0], as_frame=True)
    assert list(df["true_theta"]) == [-1.0, 0.0, 1.0]
    assert "rmse" in df.attrs["summary"]
