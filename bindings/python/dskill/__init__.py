"""dskill: item response theory, adaptive testing, calibration and scoring of digital-skills tests.

The heavy lifting happens in C++ (the ``dskill._dskill`` extension); long calls release the GIL.

>>> import dskill
>>> bank = dskill.Bank("item_banks/digcomp-core.yaml")          # doctest: +SKIP
>>> theta, se = dskill.score(bank, responses)                     # doctest: +SKIP
"""
from __future__ import annotations

import ast
import inspect
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

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
    MissingFileError,
    NoItemsAvailable,
    NotSupported,
    ParseError,
    RuleState,
    Selector,
    Session,
    StoppingRule,
    TestSpec,
    SerializationError,
    StateError,
)

__version__: str = _dskill.__version__
version_info: Tuple[int, int, int] = tuple(_dskill.version_info)  # type: ignore[assignment]
HAVE_CAT: bool = True  # the adaptive-testing layer is always built (kept for older callers)

__all__ = [
    "Bank", "Framework", "TestSpec", "Session", "score", "estimate", "simulate", "calibrate",
    "validate_bank", "validate_framework", "DskillError", "InvalidArgument", "ParseError", "BankError",
    "FrameworkError", "NoItemsAvailable", "SerializationError", "FileError", "MissingFileError", "StateError",
    "NotSupported", "InternalError", "Selector", "StoppingRule",
    "register_selector", "register_stopping_rule", "unregister_rule", "registered_rules", "verify_credential",
    "__version__",
]


def verify_credential(
    credential: str,
    did_documents: Sequence[str] = (),
    status_lists: Sequence[str] = (),
    public_key: Optional[bytes] = None,
    issuer: str = "",
    now: str = "",
    require_status: bool = False,
) -> Dict[str, Any]:
    """Verifies a verifiable credential (JSON text): its Data Integrity proof (eddsa-rdfc-2022 or
    eddsa-jcs-2022) by a key of its issuer (did:key, or did:web with its DID document among
    ``did_documents``), validFrom/validUntil at ``now`` (ISO 8601; default the clock) and its
    Bitstring Status List entries against ``status_lists`` (JSON texts). No network. A dict:
    valid, error ("" when valid), warnings, issuer, verification_method, cryptosuite."""
    return _dskill.verify_credential(credential, list(did_documents), list(status_lists), public_key, issuer, now,
                                     require_status)


def validate_bank(path: str, framework: Optional[Framework] = None) -> List[Dict[str, Any]]:
    """Every problem of a bank file (checked against ``framework`` when given), without raising:
    a list of dicts with ``severity``, ``code``, ``message``, ``file``, ``line``, ``column``,
    ``item_id`` and ``text`` (the ``file:line:col: error: ...`` line)."""
    return _dskill.validate_bank(path, framework)


def validate_framework(path: str) -> List[Dict[str, Any]]:
    """Every problem of a framework file, without raising (dicts as ``validate_bank`` gives)."""
    return _dskill.validate_framework(path)


def estimate(
    bank: Bank,
    items: Sequence[Union[str, int]],
    categories: Sequence[int],
    method: str = "eap",
    prior_mean: Optional[float] = None,
    prior_sd: Optional[float] = None,
    grid: Union[None, str, Tuple[float, float, int]] = None,
    bounds: Optional[Tuple[float, float]] = None,
    se: str = "expected",
    wle: str = "warm",
) -> Tuple[float, float, str]:
    """Estimates theta from one response pattern: ``items`` (ids or indices) answered in
    ``categories``. Returns ``(theta, se, status)``; the options are those of ``score``."""
    return _dskill.estimate(bank, list(items), list(categories), method, prior_mean, prior_sd, grid, bounds, se, wle)


def _is_dataframe(obj: Any) -> bool:
    # Avoid importing pandas unless the caller already did.
    mod = type(obj).__module__
    return mod.startswith("pandas") and type(obj).__name__ == "DataFrame"


def _frame_values(frame: Any) -> np.ndarray:
    """The cells of a DataFrame as a numpy array. Nullable pandas dtypes (``Int8``, ``Float64``,
    ``boolean``...) have ``pd.NA`` for missing: it becomes NaN, that is, not administered, as NaN
    is. A column that is not numeric is refused with InvalidArgument naming it."""
    import pandas as pd

    dtypes = list(frame.dtypes)
    for name, dt in zip(frame.columns, dtypes):
        if not (pd.api.types.is_numeric_dtype(dt) or pd.api.types.is_bool_dtype(dt)):
            if dt == object:
                try:
                    pd.to_numeric(frame[name])
                    continue
                except (TypeError, ValueError):
                    pass
            raise InvalidArgument(f"column '{name}': responses must be numeric categories, got dtype {dt}")
    if any(isinstance(dt, pd.api.extensions.ExtensionDtype) for dt in dtypes) or any(dt == object for dt in dtypes):
        return frame.to_numpy(dtype=np.float64, na_value=np.nan)
    return frame.to_numpy()


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
        missing = np.equal(a, None)
        if "pandas" in sys.modules:  # pd.NA (nullable dtypes) is missing, like None and NaN
            missing |= sys.modules["pandas"].isna(a)
        try:
            a = np.array(np.where(missing, np.nan, a), dtype=np.float64)
        except (TypeError, ValueError):
            raise InvalidArgument("responses must be numeric categories, -1, NaN, None or pd.NA for missing") from None
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
    prior_mean: Optional[float] = None,
    prior_sd: Optional[float] = None,
    grid: Union[None, str, Tuple[float, float, int]] = None,
    bounds: Optional[Tuple[float, float]] = None,
    se: str = "expected",
    wle: str = "warm",
    threads: int = 0,
    return_status: bool = False,
) -> Any:
    """Scores many response patterns at once.

    ``responses`` is a persons x items array (numpy, or anything numpy accepts) of categories,
    with -1, NaN, None or ``pd.NA`` for "not administered"; its columns are the bank's items in order, or the
    items named by ``items`` (ids or indices). A pandas DataFrame's columns are item ids, and
    the result is then a DataFrame with columns ``theta`` and ``se`` (and ``status``) on the same
    index. Otherwise the result is ``(theta, se)`` (or ``(theta, se, status)``) as numpy arrays.

    ``method`` is ``"eap"`` (default; posterior SD as SE), ``"map"``, ``"ml"`` or ``"wle"``.
    The prior of EAP and MAP is the bank's latent distribution (the N(mean, sd) it was calibrated
    on, as a PCM bank records it; N(0, 1) when it records none); ``prior_mean`` and ``prior_sd``
    override it.
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
        responses = _frame_values(frame)
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
    number of threads (Python rules in the spec run under the GIL, one call at a time).

    On a profile bank the true profiles come from the bank's latent distribution (or
    ``true_thetas``, one row of values per examinee), and the dict adds ``true_profile``,
    ``profile``, ``profile_se`` (examinees x dimensions), ``true_levels`` and ``levels``
    (examinees x classified dimensions) and ``summary["dimensions"]``; the scalar columns are
    then the first dimension's (``se``: the largest)."""
    tt = None if true_thetas is None else [float(x) for x in np.asarray(true_thetas, dtype=float).ravel()]
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

    ``responses``: persons x items categories (-1, NaN or ``pd.NA`` missing), a numpy array or a
    pandas DataFrame whose columns are item ids. ``model``: one of 1pl, 2pl, 3pl, 4pl, grm, gpcm, pcm,
    or one per item. Returns a dict with ``bank`` (a Bank of the calibrated items, D = 1),
    ``items`` (parameters and SEs per item), ``log_likelihood``, ``aic``, ``bic``, ``iterations``,
    ``converged``. Runs without the GIL."""
    if _is_dataframe(responses):
        if item_ids is None:
            item_ids = [str(c) for c in responses.columns]
        responses = _frame_values(responses)
    matrix = np.ascontiguousarray(_as_int8(responses))
    if item_ids is None:
        item_ids = [f"item{j + 1}" for j in range(matrix.shape[1])]
    models = [model] if isinstance(model, str) else list(model)
    return _dskill._calibrate(matrix, list(item_ids), models, bool(se), int(max_iterations), float(tolerance),
                              int(threads), bank_id)



def register_selector(name: str, rule: Selector) -> None:
    """Registers a Python item selector (a ``Selector`` whose ``scores(state)`` gives one number per
    ``state.candidates``, higher wins) under ``name``, for specs to name (``selection: {rule: name}``).
    Register before loading the specs (and restoring the snapshots) that name it. It is called
    with the GIL held, one call at a time, from any thread."""
    _dskill.register_selector(name, rule)


def register_stopping_rule(name: str, rule: StoppingRule) -> None:
    """Registers a Python stopping rule (a ``StoppingRule`` whose ``should_stop(state)`` says whether
    the test ends) under ``name``, for specs to list (``stopping: {rules: [name]}``)."""
    _dskill.register_stopping_rule(name, rule)


def unregister_rule(name: str) -> bool:
    """Removes a user selector or stopping rule (built-ins stay); engines made already keep theirs."""
    return bool(_dskill.unregister_rule(name))


def registered_rules() -> dict:
    """Registered rule names by kind (``start``, ``selection``, ``estimation``, ``stopping``)."""
    return dict(_dskill.registered_rules())


def _signature_from_doc(doc: Optional[str], drop_self: bool) -> inspect.Signature:
    """The signature pybind11 writes on the first line of a compiled callable's docstring
    (``name(a: T, b: T = default) -> R``); ``(*args, **kwargs)`` when there is none (overloads)."""
    variadic = inspect.Signature([inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                                  inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD)])
    line = (doc or "").split("\n", 1)[0]
    head, _, ret = line.partition(" -> ")
    try:
        tree = ast.parse(f"def {head}: pass")
        fn = tree.body[0]
        assert isinstance(fn, ast.FunctionDef)
    except (SyntaxError, AssertionError):
        return variadic
    args = fn.args.args
    defaults = [None] * (len(args) - len(fn.args.defaults)) + list(fn.args.defaults)
    params = []
    for arg, default in list(zip(args, defaults))[1 if drop_self else 0:]:
        value = inspect.Parameter.empty
        if default is not None:
            try:
                value = ast.literal_eval(default)
            except ValueError:
                value = ast.unparse(default)
        annotation = ast.unparse(arg.annotation) if arg.annotation is not None else inspect.Parameter.empty
        params.append(inspect.Parameter(arg.arg, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=value,
                                        annotation=annotation))
    if fn.args.vararg is not None or fn.args.kwarg is not None:
        return variadic
    return inspect.Signature(params, return_annotation=ret.strip() or inspect.Signature.empty)


def _attach_signatures() -> None:
    # inspect.signature cannot read compiled classes (nor exception classes): give the public
    # ones an explicit __signature__ (the constructor's, from pybind11's py::arg names).
    for name in __all__:
        obj = globals().get(name)
        if not isinstance(obj, type):
            continue
        if issubclass(obj, BaseException):
            obj.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
                [inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL)])
        elif obj.__module__.startswith("dskill._dskill") or obj.__module__ == "dskill":
            init = obj.__dict__.get("__init__")
            if init is not None and not hasattr(init, "__code__"):
                obj.__signature__ = _signature_from_doc(init.__doc__, drop_self=True)  # type: ignore[attr-defined]


_attach_signatures()

from . import dask  # noqa: E402  (distributed scoring helpers; imports dask only when used)
