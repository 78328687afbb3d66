"""Distributed batch scoring on Dask.

A response data set split into partitions (a ``dask.dataframe.DataFrame`` whose columns are item
ids, plus id columns such as ``person_id``) is scored partition by partition on the workers of a
``distributed`` cluster. The bank goes to every worker once (``Client.scatter(...,
broadcast=True)``); each task then refers to it by key. Results are exactly those of a
single-machine ``dskill.score`` on the whole data set: every row is scored on its own, by the
same code, so partitioning cannot change a number.

    from distributed import Client
    client = Client("tcp://scheduler:8786")          # a real cluster (or LocalCluster())
    ddf = dask.dataframe.read_csv("responses-*.csv")  # person_id, item columns...
    scores = dskill.dask.score_dataframe(ddf, bank, id_columns=["person_id"], client=client)
    scores.to_csv("scores-*.csv")                    # or .compute()

Workers need the ``dskill`` package importable (install it on every worker machine, or run them
with ``PYTHONPATH`` pointing at a build tree).
"""
from __future__ import annotations

from typing import Any, Optional, Sequence

from . import Bank, score


def score_partition(df: Any, bank: Bank, id_columns: Sequence[str] = (), **options: Any) -> Any:
    """Scores one pandas DataFrame: item columns by id, ``id_columns`` copied to the result in
    front of ``theta`` and ``se`` (and ``status`` with ``return_status=True``)."""
    import pandas as pd

    ids = list(id_columns)
    items = [c for c in df.columns if c not in ids]
    if len(df) == 0:
        out = pd.DataFrame({"theta": pd.Series(dtype="float64"), "se": pd.Series(dtype="float64")}, index=df.index)
    else:
        out = score(bank, df[items], **options)
    for pos, c in enumerate(ids):
        out.insert(pos, c, df[c].to_numpy())
    return out


def scatter_bank(client: Any, bank: Bank) -> Any:
    """Sends the bank to every worker once; returns the future that tasks take as argument."""
    return client.scatter(bank, broadcast=True, hash=False)


def score_dataframe(ddf: Any, bank: Bank, *, id_columns: Sequence[str] = (), client: Optional[Any] = None,
                    **options: Any) -> Any:
    """A lazy dask DataFrame of scores for ``ddf`` (one output partition per input partition,
    in order). ``options`` are those of ``dskill.score`` (``method``, ``grid``, ``threads``...;
    ``threads`` defaults to 1 here: the cluster's workers already run in parallel)."""
    import pandas as pd

    if client is None:
        from distributed import default_client

        client = default_client()
    options.setdefault("threads", 1)
    bank_future = scatter_bank(client, bank)
    meta_cols = {c: ddf._meta[c] for c in id_columns}
    meta = pd.DataFrame({**{c: s.iloc[:0] for c, s in meta_cols.items()}, "theta": pd.Series(dtype="float64"),
                         "se": pd.Series(dtype="float64")})
    if options.get("return_status"):
        meta["status"] = pd.Categorical([], categories=["ok", "no_responses", "at_upper_bound", "at_lower_bound",
                                                        "max_iterations"])
    return ddf.map_partitions(score_partition, bank_future, list(id_columns), meta=meta, **options)
