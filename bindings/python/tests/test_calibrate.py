import json

import numpy as np
import pytest

import dskill


def test_calibrate_2pl_like_mirt(reference_dir):
    pd = pytest.importorskip("pandas")
    ref = json.loads((reference_dir / "calib_2PL_2000x30_mirt.json").read_text())
    df = pd.read_csv(reference_dir / "data/calib_2PL_2000x30_responses.csv", index_col=0)
    out = dskill.calibrate(df, "2pl")
    assert out["converged"]
    assert out["log_likelihood"] == pytest.approx(ref["logLik"], abs=0.01)
    a = np.array([it["slope"] for it in out["items"]])
    a_ref = np.array([row["a1"] for row in ref["estimates_slope_intercept"]])
    assert np.sqrt(np.mean((a - a_ref) ** 2)) < 0.01
    bank = out["bank"]
    assert bank.item_ids == list(df.columns)
    theta, se = dskill.score(bank, df)["theta"], None
    assert len(theta) == 2000


def test_calibrate_errors():
    with pytest.raises(dskill.InvalidArgument, match="unknown model"):
        dskill.calibrate(np.zeros((10, 3), dtype=np.int8), "9pl")
