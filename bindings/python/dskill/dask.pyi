"""Distributed batch scoring on Dask: partitions scored on the workers, results identical to
``dskill.score`` on the whole data set."""
from typing import Any, Optional, Sequence

from . import Bank

def score_partition(df: Any, bank: Bank, id_columns: Sequence[str] = ..., **options: Any) -> Any:
    """Scores one pandas DataFrame: item columns by id, ``id_columns`` copied to the result in
    front of ``theta`` and ``se`` (and ``status`` with ``return_status=True``)."""

def scatter_bank(client: Any, bank: Bank) -> Any:
    """Sends the bank to every worker once; returns the future that tasks take as argument."""

def score_dataframe(
    ddf: Any, bank: Bank, *, id_columns: Sequence[str] = ..., client: Optional[Any] = None, **options: Any
) -> Any:
    """A lazy dask DataFrame of scores for ``ddf`` (one output partition per input partition, in
    order); ``options`` are those of ``dskill.score`` (``threads`` defaults to 1)."""
