"""Adaptive tests on a profile (multidimensional) bank from Python: the estimate as a vector
with its covariance and per-dimension SEs, the per-area levels, and snapshots that keep them."""
import pickle

import numpy as np

import dskill

SPEC = """dskill: 1
selection: {rule: dp_optimal}
estimation: {method: map}
stopping: {max_items: 4, classification: {method: ci, cuts: [0], area_cuts: {safety: [-3, 3]}}}
"""


def test_profile_session(source_dir):
    bank = dskill.Bank(str(source_dir / "tests" / "data" / "banks" / "profile.yaml"))
    spec = dskill.TestSpec.from_yaml(SPEC)
    s = dskill.Session(bank, spec, seed=1)
    # Before any answer: the bank's latent prior (mean 0.1, -0.2; correlation 0.6).
    assert np.allclose(s.profile_theta, [0.1, -0.2])
    assert np.allclose(s.profile_covariance, [[1.0, 0.6], [0.6, 1.0]])
    assert s.area_levels == {"info": None, "safety": None}
    while (item := s.next_item()) is not None:
        s.record(item, 1)
    assert s.answered == 4
    theta, cov, se = s.profile_theta, s.profile_covariance, s.profile_se
    assert theta.shape == (2,) and cov.shape == (2, 2) and se.shape == (2,)
    assert np.allclose(cov, cov.T) and np.allclose(np.sqrt(np.diag(cov)), se)
    assert s.theta == theta[0] and np.isclose(s.se, se.max())
    # Safety's cuts at -3 and 3 lie outside its interval: decided, the middle level.
    assert s.area_levels["safety"] == 1
    # The pickle carries the bank as its YAML text, whose parameters read back to the last bits
    # or so; the estimate is recomputed from the answers.
    again = pickle.loads(pickle.dumps(s))
    assert np.allclose(again.profile_theta, theta, rtol=0, atol=1e-12)
    assert np.allclose(again.profile_covariance, cov, rtol=0, atol=1e-12)
    same = dskill.Session.restore(bank, s.snapshot())
    assert np.array_equal(same.profile_theta, theta) and np.array_equal(same.profile_covariance, cov)


def test_unidimensional_session_is_the_one_dimension_case(example_bank):
    s = dskill.Session(example_bank, dskill.TestSpec(), seed=2)
    item = s.next_item()
    s.record(item, 1)
    assert s.profile_theta.shape == (1,) and s.profile_theta[0] == s.theta
    assert np.isclose(s.profile_covariance[0, 0], s.se**2)


def test_profile_simulation(source_dir):
    bank = dskill.Bank(str(source_dir / "tests" / "data" / "banks" / "profile.yaml"))
    spec = dskill.TestSpec.from_yaml(SPEC)
    out = dskill.simulate(bank, spec, examinees=40, seed=5, threads=2)
    assert out["true_profile"].shape == (40, 2) and out["profile"].shape == (40, 2)
    assert out["profile_se"].shape == (40, 2) and out["levels"].shape == (40, 2)
    assert np.array_equal(out["theta"], out["profile"][:, 0])
    assert [d["id"] for d in out["summary"]["dimensions"]] == ["info", "safety"]
    again = dskill.simulate(bank, spec, examinees=40, seed=5, threads=1)
    assert np.array_equal(again["profile"], out["profile"])
    given = dskill.simulate(bank, spec, true_thetas=[[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5]])
    assert np.array_equal(given["true_profile"], [[1.0, -1.0], [0.0, 2.0], [-1.5, 0.5]])
