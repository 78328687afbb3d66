#!/usr/bin/env python3
"""Distributed batch scoring with dskill on a Dask cluster.

Scores the bundled (simulated) pilot responses, split into partitions, on a dask.distributed
cluster, and checks that the result equals a single-machine run exactly. The bank is shipped to
every worker once (scatter with broadcast=True); each partition task refers to it by key.

    # a local cluster (default): two worker processes on this machine
    PYTHONPATH=build/python /usr/bin/python3 examples/python/dask_scoring.py
    # a real cluster: start `dask scheduler` and `dask worker tcp://scheduler:8786` on the
    # machines (each with the dskill package installed), then
    PYTHONPATH=build/python /usr/bin/python3 examples/python/dask_scoring.py --scheduler tcp://scheduler:8786

With a real cluster the response files must be readable by every worker (a shared file system
or object storage such as s3://...; dask.dataframe.read_csv accepts those URLs).
"""
import argparse
import pathlib
import sys
import tempfile
import time

import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import dskill

ROOT = pathlib.Path(__file__).resolve().parents[2]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scheduler", help="address of a running scheduler, e.g. tcp://scheduler:8786")
    ap.add_argument("--bank", default=str(ROOT / "item_banks" / "digcomp-core.yaml"))
    ap.add_argument("--responses", default=str(ROOT / "item_banks" / "pilot" / "digcomp-core-pilot.csv.gz"))
    ap.add_argument("--partitions", type=int, default=4)
    ap.add_argument("--method", default="eap", choices=["eap", "map", "ml", "wle"])
    args = ap.parse_args()

    bank = dskill.Bank(args.bank)
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        client = Client(LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None))
    print(f"bank {bank.id}: {len(bank)} items; cluster: {len(client.scheduler_info()['workers'])} workers")

    with tempfile.TemporaryDirectory() as tmp:
        # A partitioned data set, as an operator would keep one (one file per exam centre or day).
        full = pd.read_csv(args.responses)
        for k, part in enumerate(np.array_split(full, args.partitions)):
            part.to_csv(f"{tmp}/responses-{k:03d}.csv", index=False)
        ddf = dd.read_csv(f"{tmp}/responses-*.csv", dtype={c: "float64" for c in full.columns[1:]})

        start = time.perf_counter()
        scores = dskill.dask.score_dataframe(ddf, bank, id_columns=["person_id"], client=client,
                                             method=args.method).compute()
        elapsed = time.perf_counter() - start

    local = dskill.score(bank, full.drop(columns="person_id"), method=args.method)
    same = (np.array_equal(scores["theta"].to_numpy(), local["theta"].to_numpy())
            and np.array_equal(scores["se"].to_numpy(), local["se"].to_numpy())
            and list(scores["person_id"]) == list(full["person_id"]))
    print(f"scored {len(scores)} persons in {args.partitions} partitions in {elapsed:.2f} s")
    print(scores.head().to_string(index=False))
    print("identical to the single-machine run:", same)
    client.close()
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
