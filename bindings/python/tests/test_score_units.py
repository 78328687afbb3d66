"""Scoring through the public score:: library function: a matrix narrower than the bank is
refused, and a bank's calibrated latent distribution is the default prior."""
import math

import numpy as np
import pytest

import dskill

PCM_BANK = """dskill: 1
bank:
  id: pcm-latent
  scale: {D: 1.0}
  meta: {calibration: {latent: [{mean: 0, sd: 1.7, persons: 100}], rasch_latent_sd: 1.7}}
items:
  - {id: p1, model: pcm, params: {b: [-1.2, 0.3]}}
  - {id: p2, model: pcm, params: {b: [-0.4, 0.5, 1.4]}}
  - {id: p3, model: pcm, params: {b: [0.8]}}
"""
B = [[-1.2, 0.3], [-0.4, 0.5, 1.4], [0.8]]


def brute_force_eap(x, mean, sd, lo=-6.0, hi=6.0, n=121):
    s0 = s1 = s2 = 0.0
    for q in range(n):
        t = lo + (hi - lo) * q / (n - 1)
        like = math.exp(-0.5 * ((t - mean) / sd) ** 2)
        for b, k in zip(B, x):
            if k < 0:
                continue
            cums = [0.0]
            for bv in b:
                cums.append(cums[-1] + t - bv)
            like *= math.exp(cums[k]) / sum(math.exp(c) for c in cums)
        s0, s1, s2 = s0 + like, s1 + like * t, s2 + like * t * t
    m = s1 / s0
    return m, math.sqrt(s2 / s0 - m * m)


def test_narrow_matrix_is_refused(example_bank):
    with pytest.raises(dskill.InvalidArgument, match=r"3 columns but the bank has 4 items"):
        dskill.score(example_bank, np.zeros((2, 3), dtype=np.int8))
    theta, se = dskill.score(example_bank, np.zeros((2, 3), dtype=np.int8), items=[0, 1, 3])  # a subset, named
    assert theta.shape == (2,)


def test_bank_latent_distribution_is_the_default_prior():
    bank = dskill.Bank.from_yaml(PCM_BANK)
    r = np.array([[2, 3, 1], [0, 0, 0], [1, -1, 1], [2, 2, -1]], dtype=np.int8)
    theta, se = dskill.score(bank, r)
    for p, x in enumerate(r.tolist()):
        m, s = brute_force_eap(x, 0.0, 1.7)
        assert abs(theta[p] - m) < 1e-6 and abs(se[p] - s) < 1e-6
    t1, _ = dskill.score(bank, r, prior_sd=1.0)  # an explicit prior overrides
    assert abs(t1[0] - brute_force_eap(r[0].tolist(), 0.0, 1.0)[0]) < 1e-6
    assert abs(theta[0] - t1[0]) > 0.1
    t, s, _ = dskill.estimate(bank, ["p1", "p2", "p3"], [2, 3, 1])
    assert abs(t - theta[0]) < 1e-6
