"""User rules written in Python (a selector and a stopping rule named in a spec) and items
chosen outside the engine (Session.administer)."""
import numpy as np
import pytest

import dskill


class ClosestToZero(dskill.Selector):
    """Prefers the item whose difficulty is closest to 0, whatever theta is."""

    def __init__(self, bank):
        super().__init__()
        self.b = np.asarray(bank.difficulties)
        self.calls = 0

    def scores(self, state):
        self.calls += 1
        assert state.answered == len(state.items) == len(state.categories)
        return -np.abs(self.b[state.candidates])


class StopAfterFive(dskill.StoppingRule):
    def should_stop(self, state):
        return state.answered >= 5


@pytest.fixture(scope="module")
def registered(core_bank):
    sel = ClosestToZero(core_bank)
    dskill.register_selector("py_closest_zero", sel)
    dskill.register_stopping_rule("py_after_five", StopAfterFive())
    yield sel
    assert dskill.unregister_rule("py_closest_zero")
    assert dskill.unregister_rule("py_after_five")


SPEC = """dskill: 1
selection: {rule: py_closest_zero}
stopping: {min_items: 1, max_items: 20, rules: [py_after_five]}
"""


def test_python_rules_drive_a_session(core_bank, registered):
    names = dskill.registered_rules()
    assert "py_closest_zero" in names["selection"] and "mfi" in names["selection"]
    assert "py_after_five" in names["stopping"] and "combined" in names["stopping"]
    spec = dskill.TestSpec.from_yaml(SPEC)
    assert spec.criterion == "py_closest_zero"
    assert "rules: [py_after_five]" in spec.to_yaml()
    s = dskill.Session(core_bank, spec, seed=3)
    b = np.asarray(core_bank.difficulties)
    given = []
    while (item := s.next_index()) is not None:
        given.append(item)
        s.record(item, 1)
    # the best remaining |b| each time: the eligible set only shrinks, so |b| never decreases
    assert given[0] == int(np.argmin(np.abs(b)))
    assert all(abs(b[x]) <= abs(b[y]) for x, y in zip(given, given[1:]))
    assert s.answered == 5 and s.finish_reason == "user_rule"
    assert registered.calls >= 5
    # snapshots of a spec with Python rules restore (the names are registered)
    r = dskill.Session.restore(core_bank, s.snapshot())
    assert r.finish_reason == "user_rule" and r.answered == 5


def test_python_rules_in_simulate_any_threads(core_bank, registered):
    spec = dskill.TestSpec.from_yaml(SPEC)
    one = dskill.simulate(core_bank, spec, examinees=200, seed=5, threads=1)
    two = dskill.simulate(core_bank, spec, examinees=200, seed=5, threads=2)
    assert one["items"] == two["items"]
    assert np.array_equal(one["theta"], two["theta"])
    assert set(one["reason"]) == {"user_rule"}


def test_unknown_and_taken_names(core_bank, registered):
    with pytest.raises(dskill.ParseError, match="py_closest_zero"):
        dskill.TestSpec.from_yaml("dskill: 1\nselection: {rule: py_closest_zer}\n")
    with pytest.raises(dskill.InvalidArgument, match="already registered"):
        dskill.register_selector("MFI", ClosestToZero(core_bank))
    with pytest.raises(dskill.InvalidArgument):
        dskill.register_selector("x", object())


def test_selector_errors_reach_python(core_bank):
    class Broken(dskill.Selector):
        def scores(self, state):
            return [1.0]  # one value, many candidates

    dskill.register_selector("py_broken", Broken())
    try:
        s = dskill.Session(core_bank, dskill.TestSpec.from_yaml("dskill: 1\nselection: {rule: py_broken}\n"), seed=1)
        with pytest.raises(dskill.InvalidArgument, match="one number per candidate"):
            s.next_item()
    finally:
        dskill.unregister_rule("py_broken")


def test_administer_an_external_item(core_bank):
    s = dskill.Session(core_bank, dskill.TestSpec(), seed=11)
    ids = core_bank.item_ids
    chosen = ids[7]
    assert s.administer(chosen) is True
    assert s.administer(chosen) is False  # already pending
    assert s.next_item() == chosen  # the pending item stays the next one
    with pytest.raises(dskill.StateError, match="pending"):
        s.administer(ids[8])
    assert s.record(chosen, 1) is True
    with pytest.raises(dskill.StateError, match="already answered"):
        s.administer(chosen)
    with pytest.raises(dskill.InvalidArgument):
        s.administer(10**6)
    assert s.administer(9) is True  # by index
    snap = s.snapshot()
    r = dskill.Session.restore(core_bank, snap)
    assert r.next_index() == 9
    assert s.record(9, 0) and r.record(9, 0)
    assert s.theta == r.theta and s.next_item() == r.next_item()


def test_administer_respects_enemies_unless_overridden(core_bank):
    s = dskill.Session(core_bank, dskill.TestSpec(), seed=2)
    ids = core_bank.item_ids
    assert s.administer("dc-1.2-003")
    s.record("dc-1.2-003", 1)
    with pytest.raises(dskill.StateError, match="enemy"):
        s.administer("dc-1.2-005")
    assert s.administer("dc-1.2-005", override_constraints=True)
    s.record("dc-1.2-005", 0)
    assert s.answered == 2 and "dc-1.2-005" in [h[0] for h in s.history]
    assert s.next_item() not in ("dc-1.2-003", "dc-1.2-005") and len(ids) > 2
