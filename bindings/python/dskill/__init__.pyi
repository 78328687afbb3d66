"""dskill: item response theory, adaptive testing, calibration and scoring of digital-skills tests.

Type stubs of the ``dskill`` package (the compiled ``dskill._dskill`` module and the pure-Python
wrappers). ``dskill.dask`` has its own stub.
"""
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import numpy as np
import numpy.typing as npt

from . import dask as dask

__version__: str
version_info: Tuple[int, int, int]
HAVE_CAT: bool

class DskillError(Exception):
    """Base of every dskill error; ``str()`` is the full message ("file:line:col: ...")."""

    code: int
    """The dskill::errc value."""
    kind: str
    """The error kind's name ("bank_error", "io_error", ...)."""
    detail: str
    """The message without the location prefix."""
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    row: Optional[int]
    item_id: Optional[str]

class InvalidArgument(DskillError, ValueError):
    """A value outside its documented domain."""

class ParseError(DskillError, ValueError):
    """A file or string is not well-formed."""

class BankError(DskillError, ValueError):
    """An item bank is well-formed but invalid."""

class FrameworkError(DskillError, ValueError):
    """A competency framework is invalid."""

class NoItemsAvailable(DskillError, RuntimeError):
    """A CAT step found no eligible item."""

class SerializationError(DskillError, ValueError):
    """A snapshot is truncated, corrupted or for another bank."""

class FileError(DskillError, OSError):
    """A file could not be opened, read or written; ``filename`` names it."""

    filename: Optional[str]

class MissingFileError(FileError, FileNotFoundError):
    """A FileError for a file that does not exist (``errno`` is ENOENT); catch it as
    ``FileNotFoundError`` or as ``FileError``."""

class StateError(DskillError, RuntimeError):
    """A call not valid in the object's current state."""

class NotSupported(DskillError, NotImplementedError):
    """A request this build cannot serve."""

class InternalError(DskillError, RuntimeError):
    """A bug in dskill: please report it."""

Item = Union[str, int]
Grid = Union[None, str, Tuple[float, float, int]]

class Framework:
    """An immutable competency framework. Pickles as the YAML text it was read from."""

    def __init__(self, path: str) -> None:
        """Reads and checks a framework YAML file (raises FrameworkError, ParseError or FileError)."""
    @staticmethod
    def from_yaml(text: str, name: str = "<string>") -> Framework:
        """A framework from YAML text; ``name`` stands for the file name in messages."""
    def to_yaml(self) -> str:
        """The YAML text the framework was read from."""
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def level_count(self) -> int:
        """Number of proficiency levels."""
    @property
    def areas(self) -> List[str]:
        """Area ids, in file order."""
    @property
    def competences(self) -> List[str]:
        """Competence ids, in file order."""
    def level(self, theta: float, area: Optional[str] = None) -> int:
        """Proficiency level of theta (overall, or in an area)."""

class Bank:
    """An immutable item bank, shareable across threads. Pickles as its YAML."""

    def __init__(self, path: str, framework: Optional[Framework] = None) -> None:
        """Reads and checks a bank YAML file (raises BankError, ParseError or FileError)."""
    @staticmethod
    def from_yaml(text: str, framework: Optional[Framework] = None, name: str = "<string>") -> Bank:
        """A bank from YAML text; ``name`` stands for the file name in messages."""
    def to_yaml(self) -> str:
        """The bank as YAML (what ``save`` writes)."""
    def save(self, path: str) -> None:
        """Writes the bank as YAML."""
    def __len__(self) -> int: ...
    @property
    def size(self) -> int:
        """Number of items."""
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def fingerprint(self) -> str:
        """"sha256:..." of the bank's content."""
    @property
    def scaling(self) -> float:
        """The scaling constant D of the file's parameters."""
    @property
    def item_ids(self) -> List[str]: ...
    def index(self, item_id: str) -> int:
        """Index of the item with this id (InvalidArgument if none)."""
    def item(self, item: Item) -> Dict[str, Any]:
        """An item's fields (by id or index); parameters in slope-intercept form, D applied."""
    def categories(self, item: Item) -> int:
        """Number of response categories of an item."""
    @property
    def slopes(self) -> npt.NDArray[np.float64]:
        """Slopes (D a) of every item, a read-only view (no copy)."""
    @property
    def intercepts(self) -> npt.NDArray[np.float64]:
        """First intercept of every item, a read-only view."""
    @property
    def difficulties(self) -> npt.NDArray[np.float64]:
        """Difficulty of every item, a read-only view."""
    def information(self, theta: float) -> npt.NDArray[np.float64]:
        """Fisher information of every item at theta."""

class TestSpec:
    """An adaptive test's rules (start, selection, estimation, stopping). Pickles as its YAML."""

    def __init__(self) -> None:
        """The defaults (MFI, EAP, at most 20 items)."""
    @staticmethod
    def load(path: str) -> TestSpec:
        """Reads a test-spec YAML file."""
    @staticmethod
    def from_yaml(text: str, name: str = "<spec>") -> TestSpec:
        """A test spec from YAML text."""
    def to_yaml(self) -> str: ...
    @property
    def hash(self) -> str:
        """Hash of the spec's content (recorded in snapshots)."""
    @property
    def max_items(self) -> int: ...
    @property
    def criterion(self) -> str:
        """The item-selection rule's name."""

class RuleState:
    """What a Python rule sees at one step (bank indices)."""

    @property
    def theta(self) -> float: ...
    @property
    def se(self) -> float: ...
    @property
    def items(self) -> npt.NDArray[np.uint32]: ...
    @property
    def categories(self) -> npt.NDArray[np.int32]: ...
    @property
    def candidates(self) -> npt.NDArray[np.uint32]: ...
    @property
    def answered(self) -> int: ...

class Selector:
    """Base class of item selectors written in Python (see register_selector)."""

    def __init__(self) -> None: ...
    def scores(self, state: RuleState) -> Any:
        """One number per state.candidates; higher wins."""

class StoppingRule:
    """Base class of stopping rules written in Python (see register_stopping_rule)."""

    def __init__(self) -> None: ...
    def should_stop(self, state: RuleState) -> bool:
        """Whether the test ends now (max_items and min_items still hold)."""

def register_selector(name: str, rule: Selector) -> None:
    """Registers a Python selector under ``name`` for specs to name (selection: {rule: name})."""
def register_stopping_rule(name: str, rule: StoppingRule) -> None:
    """Registers a Python stopping rule under ``name`` for specs to list (stopping: {rules: [name]})."""
def unregister_rule(name: str) -> bool:
    """Removes a user selector or stopping rule; built-ins stay."""
def registered_rules() -> Dict[str, List[str]]:
    """Registered rule names by kind."""

class Session:
    """One person's adaptive test. Pickles as its snapshot (with the bank)."""

    def __init__(self, bank: Bank, spec: Optional[TestSpec] = None, seed: int = 0) -> None:
        """A new session on ``bank`` under ``spec`` (default TestSpec()); ``seed`` fixes the
        randomised choices."""
    def next_item(self) -> Optional[str]:
        """The id of the next item to show, or None when the test is over."""
    def next_index(self) -> Optional[int]:
        """As next_item, as the item's index in the bank."""
    def administer(self, item: Item, override_constraints: bool = False) -> bool:
        """Offers an item chosen outside the engine (id or index): it becomes the pending item,
        answered with record(). StateError when it was answered, another item is pending, the
        test is over, or the spec would not give it now (status, enemy, set aside) unless
        override_constraints; False when it already was the pending item."""
    def record(self, item: Item, category: int) -> bool:
        """Records the answer to an item; returns whether the test is now finished."""
    @property
    def theta(self) -> float:
        """The current ability estimate."""
    @property
    def se(self) -> float:
        """Its standard error (profile banks: the largest per-dimension SE)."""
    @property
    def profile_theta(self) -> np.ndarray:
        """The estimate as a vector, one value per bank dimension (one for a unidimensional bank)."""
    @property
    def profile_covariance(self) -> np.ndarray:
        """The estimate's covariance, dimensions x dimensions."""
    @property
    def profile_se(self) -> np.ndarray:
        """Per-dimension standard errors."""
    @property
    def area_levels(self) -> Dict[str, Optional[int]]:
        """Per classified dimension (stopping.areas): its level against the cuts (0 = below every
        cut), or None while undecided."""
    @property
    def finished(self) -> bool: ...
    @property
    def finish_reason(self) -> str: ...
    @property
    def answered(self) -> int:
        """Number of items answered."""
    @property
    def seed(self) -> int: ...
    @property
    def bank(self) -> Bank: ...
    @property
    def history(self) -> List[Tuple[str, int, float, float]]:
        """(item id, category, theta, se) after each answer."""
    def snapshot(self, key: Optional[bytes] = None) -> bytes:
        """The session's state as bytes (restore with Session.restore); with ``key`` (the
        server's 32-byte secret) sealed, so a client can neither read nor change it. Without a
        key the snapshot is UNKEYED: readable, and changeable by anyone who recomputes its
        checksum; keep it on the server."""
    @staticmethod
    def restore(bank: Bank, data: bytes, spec: Optional[TestSpec] = None, key: Optional[bytes] = None) -> Session:
        """A session from a snapshot (SerializationError when corrupted or for another bank);
        with ``key``, only bytes sealed under that key are accepted."""
    def replay(self, tolerance: float = 1e-9) -> Dict[str, Any]:
        """Runs the test again from the session's record (seed, answers, items given from outside,
        the exposure state each step read) and compares every step (thetas and SEs within
        ``tolerance``, relative above 1; 0: bit for bit): a dict with matches,
        first_difference (a step number or None), difference, reason, recorded_reason and steps
        (dicts: step, origin, item, answer, theta, se, recorded_item, recorded_theta, recorded_se,
        match). Replay a stored snapshot with Session.restore(bank, data).replay()."""

def verify_credential(
    credential: str,
    did_documents: Sequence[str] = ...,
    status_lists: Sequence[str] = ...,
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

def validate_bank(path: str, framework: Optional[Framework] = None) -> List[Dict[str, Any]]:
    """Every problem of a bank file (checked against ``framework`` when given), without raising:
    dicts with severity, code, message, file, line, column, item_id and text."""

def validate_framework(path: str) -> List[Dict[str, Any]]:
    """Every problem of a framework file, without raising (dicts as validate_bank gives)."""

def estimate(
    bank: Bank,
    items: Sequence[Item],
    categories: Sequence[int],
    method: str = "eap",
    prior_mean: Optional[float] = None,
    prior_sd: Optional[float] = None,
    grid: Grid = None,
    bounds: Optional[Tuple[float, float]] = None,
    se: str = "expected",
    wle: str = "warm",
) -> Tuple[float, float, str]:
    """Estimates theta from one response pattern: returns (theta, se, status)."""

def score(
    bank: Bank,
    responses: Any,
    method: str = "eap",
    *,
    items: Optional[Sequence[Item]] = None,
    prior_mean: Optional[float] = None,
    prior_sd: Optional[float] = None,
    grid: Grid = None,
    bounds: Optional[Tuple[float, float]] = None,
    se: str = "expected",
    wle: str = "warm",
    threads: int = 0,
    return_status: bool = False,
) -> Any:
    """Scores many response patterns at once (persons x items; -1, NaN, None or pd.NA missing).
    Returns (theta, se) numpy arrays, or a DataFrame for a DataFrame input."""

def simulate(
    bank: Bank,
    spec: Optional[TestSpec] = None,
    *,
    examinees: int = 1000,
    seed: int = 1,
    threads: int = 1,
    true_thetas: Optional[Sequence[float]] = None,
    as_frame: bool = False,
) -> Any:
    """Simulates adaptive tests; a dict of per-examinee arrays and a summary (or a DataFrame).
    On a profile bank ``true_thetas`` holds one row per examinee, and the dict adds the profiles
    (``true_profile``, ``profile``, ``profile_se``), the levels per area and ``summary["dimensions"]``."""

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
) -> Dict[str, Any]:
    """Calibrates items by marginal maximum likelihood (EM); a dict with the bank, the items'
    parameters and SEs, log_likelihood, aic, bic, iterations, converged."""
