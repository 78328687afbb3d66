"""dskill: item response theory, adaptive testing, calibration and scoring of digital-skills tests.

The heavy lifting happens in C++ (the ``dskill._dskill`` extension); long calls release the GIL.

>>> import dskill
>>> bank = dskill.Bank("item_banks/digcomp-core.yaml")          # doctest: +SKIP
>>> theta, se = dskill.score(bank, responses)                     # doctest: +SKIP
"""
from __future__ import annotations

from typing import Any, Optional, Sequence, Tuple, Union

import numpy as np

from . import _dskill
from ._dskill import (  # noqa: F401  (re-exported)
    Bank,
    BankError,
    DskillError,
    FileError,
    Framework,
    FrameworkError,
    InternalError,
    InvalidArgument,
    NoItemsAvailable,
    NotSupported,
    ParseError,
    SerializationError,
    StateError,
    estimate,
    validate_bank,
    validate_framework,
)

__version__: str = _dskill.__version__
version_info: Tuple[int, int, int] = tuple(_dskill.version_info)  # type: ignore[assignment]
HAVE_CAT: bool = bool(_dskill.HAVE_CAT)
if HAVE_CAT:
    from ._dskill import Session, TestSpec  # noqa: F401

__all__ = [
    "Bank", "Framework", "TestSpec", "Session", "score", "estimate", "simulate", "calibrate",
    "validate_bank", "validate_framework", "DskillError", "InvalidArgument", "ParseError", "BankError",
    "FrameworkError", "NoItemsAvailable", "SerializationError", "FileError", "StateError", "NotSupported",
    "InternalError", "__version__",
]


def _is_dataframe(obj: Any) -> bool:
    # Avoid importing pandas unless the caller already did.
    mod = type(obj).__module__
    return mod.startswith("pandas") and type(obj).__name__ == "DataFrame"


def _as_int8(values: Any) -> np.ndarray:
    """A 2-D int8 view or copy of `values`: -1 (or NaN, or None) marks a missing response.

    int8 arrays with contiguous rows pass through without a copy; other integer and float arrays
    are checked and converted in one vectorised pass (no per-row Python work).
    """
    a = np.asarray(values)
    if a.ndim == 1:
        a = a.reshape(1, -1)
    if a.ndim != 2:
        raise InvalidArgument(f"responses must be 2-dimensional (persons x items), got {a.ndim} dimensions")
    if a.dtype == np.int8:
        if a.shape[1] > 1 and a.strides[1] != 1:
            a = np.ascontiguousarray(a)
        return a
    if a.dtype == object:
        a = np.array(np.where(np.equal(a, None), np.nan, a), dtype=np.float64)
    if np.issubdtype(a.dtype, np.floating):
        missing = np.isnan(a)
        filled = np.where(missing, -1.0, a)
        if not np.all(np.isfinite(filled)) or np.any(filled != np.floor(filled)):
            raise InvalidArgument("responses must be whole numbers (categories 0, 1, ...), -1 or NaN for missing")
        a = filled
    elif np.issubdtype(a.dtype, np.bool_):
        return a.astype(np.int8, order="C")
    elif not np.issubdtype(a.dtype, np.integer):
        raise InvalidArgument(f"responses must be numeric, got dtype {a.dtype}")
    if a.size and (a.min() < -1 or a.max() > 127):
        raise InvalidArgument("responses must be categories 0..127, or -1 for missing")
    return a.astype(np.int8, order="C")


def score(
    bank: Bank,
    responses: Any,
    method: str = "eap",
    *,
    items: Optional[Sequence[Union[str, int]]] = None,
    prior_mean: float = 0.0,
    prior_sd: float = 1.0,
    grid: Union[None, str, Tuple[float, float, int]] = None,
    bounds: Optional[Tuple[float, float]] = None,
    se: str = "expected",
    wle: str = "warm",
    threads: int = 0,
    return_status: bool = False,
) -> Any:
    """Scores many response patterns at once.

    ``responses`` is a persons x items array (numpy, or anything numpy accepts) of categories,
    with -1 or NaN for "not administered"; its columns are the bank's items in order, or the
    items named by ``items`` (ids or indices). A pandas DataFrame's columns are item ids, and
    the result is then a DataFrame with columns ``theta`` and ``se`` (and ``status``) on the same
    index. Otherwise the result is ``(theta, se)`` (or ``(theta, se, status)``) as numpy arrays.

    ``method`` is ``"eap"`` (default; posterior SD as SE), ``"map"``, ``"ml"`` or ``"wle"``.
    ``grid`` is the EAP grid as ``(lo, hi, n)`` or ``"lo:hi:n"`` (default -6:6:121); ``bounds``
    the ML/MAP/WLE search range (default (-4, 4)); ``se`` "expected" or "observed"
    information; ``wle`` "warm" or "jeffreys"; ``threads`` 0 = every core. The work runs in C++
    without the GIL; an int8 array with contiguous rows is used without a copy, and any other
    numeric array (floats with NaN, other integers, any strides) is converted in C++ in one pass.
    """
    frame = None
    if _is_dataframe(responses):
        frame = responses
        if items is None:
            items = [str(c) for c in frame.columns]
        responses = frame.to_numpy()
    matrix = np.asarray(responses)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.dtype.kind not in "fiub" or matrix.dtype.itemsize > 8:
        matrix = _as_int8(matrix)  # objects (None), ...: numpy converts; numeric arrays go to C++ as they are
    columns = None if items is None else list(items)
    theta, sem, status = _dskill._score_matrix(bank, matrix, columns, method, prior_mean, prior_sd, grid, bounds,
                                                se, wle, threads)
    if frame is not None:
        import pandas as pd

        data = {"theta": theta, "se": sem}
        if return_status:
            data["status"] = pd.Categorical.from_codes(
                status, ["ok", "no_responses", "at_upper_bound", "at_lower_bound", "max_iterations"])
        return pd.DataFrame(data, index=frame.index)
    return (theta, sem, status) if return_status else (theta, sem)


def simulate(
    bank: Bank,
    spec: Optional["TestSpec"] = None,
    *,
    examinees: int = 1000,
    seed: int = 1,
    threads: int = 1,
    true_thetas: Optional[Sequence[float]] = None,
    as_frame: bool = False,
) -> Any:
    """Simulates adaptive tests: examinees with true theta from N(0, 1) (or ``true_thetas``)
    take the test ``spec`` (default: TestSpec()). Returns a dict with numpy arrays
    ``true_theta``, ``theta``, ``se``, ``length``, ``level``, lists ``reason`` and ``items``, and a
    ``summary`` dict (bias, rmse, exposure, ...); with ``as_frame=True`` a pandas DataFrame of
    the per-examinee columns (summary in ``.attrs["summary"]``). Results are identical for any
    number of threads."""
    if not HAVE_CAT:
        raise NotSupported("this build has no adaptive-testing layer")
    tt = None if true_thetas is None else [float(x) for x in true_thetas]
    out = _dskill._simulate(bank, spec, int(examinees), int(seed), int(threads), tt)
    if as_frame:
        import pandas as pd

        df = pd.DataFrame({k: out[k] for k in ("true_theta", "theta", "se", "length", "level", "reason")})
        df["items"] = out["items"]
        df.attrs["summary"] = out["summary"]
        return df
    return out


def calibrate(
    responses: Any,
    model: Union[str, Sequence[str]] = "2pl",
    *,
    item_ids: Optional[Sequence[str]] = None,
    se: bool = False,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    threads: int = 0,
    bank_id: str = "calibrated",
) -> dict:
    """Calibrates items by marginal maximum likelihood (EM, Bock-Aitkin), as mirt does.

    ``responses``: persons x items categories (-1 or NaN missing), a numpy array or a pandas
    DataFrame whose columns are item ids. ``model``: one of 1pl, 2pl, 3pl, 4pl, grm, gpcm, pcm,
    or one per item. Returns a dict with ``bank`` (a Bank of the calibrated items, D = 1),
    ``items`` (parameters and SEs per item), ``log_likelihood``, ``aic``, ``bic``, ``iterations``,
    ``converged``. Runs without the GIL."""
    if _is_dataframe(responses):
        if item_ids is None:
            item_ids = [str(c) for c in responses.columns]
        responses = responses.to_numpy()
    matrix = np.ascontiguousarray(_as_int8(responses))
    if item_ids is None:
        item_ids = [f"item{j + 1}" for j in range(matrix.shape[1])]
    models = [model] if isinstance(model, str) else list(model)
    return _dskill._calibrate(matrix, list(item_ids), models, bool(se), int(max_iterations), float(tolerance),
                              int(threads), bank_id)


from . import dask  # noqa: E402  (distributed scoring helpers; imports dask only when used)
