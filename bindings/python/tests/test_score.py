import json
import threading
import time

import numpy as np
import pytest

import dskill


FIRST30 = list(range(30))  # the columns of random_responses(bank, n, 30): the bank's first 30 items


def random_responses(bank, persons, items, seed=5, missing=0.2):
    rng = np.random.default_rng(seed)
    cats = np.array([bank.categories(j) for j in range(items)])
    r = (rng.random((persons, items)) * cats).astype(np.int8)
    r[rng.random((persons, items)) < missing] = -1
    return r


def test_matches_single_pattern_estimates(example_bank):
    r = np.array([[1, 0, 2, 3], [-1, 1, -1, 0], [-1, -1, -1, -1]], dtype=np.int8)
    for method in ("eap", "map", "ml", "wle"):
        theta, se, status = dskill.score(example_bank, r, method=method, return_status=True)
        for p in range(3):
            items = [j for j in range(4) if r[p, j] >= 0]
            t, s, st = dskill.estimate(example_bank, items, [int(r[p, j]) for j in items], method=method)
            assert theta[p] == pytest.approx(t, abs=1e-9)
            assert se[p] == pytest.approx(s, abs=1e-9) or (np.isinf(se[p]) and np.isinf(s))
        assert status[2] == 1  # no_responses


def test_input_forms_agree(core_bank):
    r = random_responses(core_bank, 500, 30)
    t8, s8 = dskill.score(core_bank, r, items=FIRST30)
    f = r.astype(float)
    f[r < 0] = np.nan
    tf, sf = dskill.score(core_bank, f, items=FIRST30)
    ti, si = dskill.score(core_bank, r.astype(np.int64), items=FIRST30)
    tF, sF = dskill.score(core_bank, np.asfortranarray(f), items=FIRST30)  # any strides
    tl, sl = dskill.score(core_bank, [[None if x < 0 else int(x) for x in row] for row in r[:50]], items=FIRST30)
    assert np.array_equal(t8, tf) and np.array_equal(t8, ti) and np.array_equal(t8, tF)
    assert np.array_equal(s8, sf) and np.array_equal(s8, si) and np.array_equal(s8, sF)
    assert np.array_equal(t8[:50], tl) and np.array_equal(s8[:50], sl)
    # a row-strided view (columns of a wider array) is read in place
    wide = np.full((500, 40), 99, dtype=np.int8)
    wide[:, :30] = r
    tv, sv = dskill.score(core_bank, wide[:, :30], items=FIRST30)
    assert np.array_equal(t8, tv) and np.array_equal(s8, sv)


def test_dataframe_columns_are_item_ids(core_bank):
    pd = pytest.importorskip("pandas")
    r = random_responses(core_bank, 200, 30)
    ids = core_bank.item_ids[:30]
    df = pd.DataFrame(r.astype(float), columns=ids, index=[f"p{i}" for i in range(200)])
    df[df < 0] = np.nan
    # shuffled columns give the same result: columns are matched by id
    shuffled = df[list(reversed(ids))]
    out = dskill.score(core_bank, shuffled, method="map", return_status=True)
    theta, se = dskill.score(core_bank, r, method="map", items=FIRST30)
    assert list(out.columns) == ["theta", "se", "status"]
    assert list(out.index) == list(df.index)
    assert np.allclose(out["theta"].to_numpy(), theta, atol=1e-12, rtol=0)
    assert np.allclose(out["se"].to_numpy(), se, atol=1e-12, rtol=0)
    assert set(out["status"].astype(str)) <= {"ok", "no_responses", "at_upper_bound", "at_lower_bound"}
    bad = df.rename(columns={ids[0]: "no-such-item"})
    with pytest.raises(dskill.InvalidArgument, match="no-such-item"):
        dskill.score(core_bank, bad)


def test_threads_do_not_change_results(core_bank):
    r = random_responses(core_bank, 30000, 30)
    for method in ("eap", "wle"):
        a = dskill.score(core_bank, r, method=method, threads=1, items=FIRST30)
        b = dskill.score(core_bank, r, method=method, threads=4, items=FIRST30)
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_errors(core_bank, example_bank):
    r = np.array([[1, 0, 2, 3], [1, 0, 4, 3]], dtype=np.int8)
    with pytest.raises(dskill.InvalidArgument) as e:
        dskill.score(example_bank, r)
    assert "row 2" in str(e.value) and e.value.item_id == "p1" and e.value.row == 2
    with pytest.raises(dskill.InvalidArgument, match="whole number"):
        dskill.score(example_bank, [[0.5, 1, 1, 1]])
    with pytest.raises(dskill.InvalidArgument, match="columns"):
        dskill.score(example_bank, np.zeros((2, 5), dtype=np.int8))
    with pytest.raises(dskill.InvalidArgument, match="unknown method"):
        dskill.score(example_bank, np.zeros((2, 4), dtype=np.int8), method="bogus")
    with pytest.raises(dskill.InvalidArgument):
        dskill.score(example_bank, np.zeros((2, 4), dtype=np.int8), prior_sd=-1)
    with pytest.raises(ValueError):  # the Python base class works too
        dskill.score(example_bank, np.full((1, 4), 300))


def test_gil_is_released(core_bank):
    r = random_responses(core_bank, 300000, 30, missing=0.0)
    ticks = 0
    done = threading.Event()

    def work():
        try:
            dskill.score(core_bank, r, threads=1, items=FIRST30)
        finally:
            done.set()  # also when scoring fails, so that the loop below ends

    t = threading.Thread(target=work)
    t.start()
    while not done.is_set():
        ticks += 1
        time.sleep(0.001)
    t.join()
    assert ticks > 5  # the main thread kept running Python while C++ scored


def test_agrees_with_mirt_eap(reference_dir):
    ref = json.loads((reference_dir / "calib_2PL_2000x30_mirt.json").read_text())
    lines = ["dskill: 1", "bank:", "  id: mirt-2pl", "  scale: {D: 1.0, form: intercept}", "items:"]
    for row in ref["estimates_slope_intercept"]:
        lines += [f"  - id: {row['_row']}", "    model: 2pl",
                  f"    params: {{a: {row['a1']!r}, intercept: {row['d']!r}}}"]
    bank = dskill.Bank.from_yaml("\n".join(lines) + "\n")
    data = np.loadtxt(reference_dir / "data/calib_2PL_2000x30_responses.csv", delimiter=",",
                      skiprows=1, usecols=range(1, 31), max_rows=20)
    theta, se = dskill.score(bank, data)
    assert np.allclose(theta, ref["eap_first20"]["theta"], atol=1e-5)
    if "se" in ref["eap_first20"]:
        assert np.allclose(se, ref["eap_first20"]["se"], atol=1e-4)
