"""Distributed scoring on a dask LocalCluster gives exactly the single-machine results."""
import numpy as np
import pytest

import dskill

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=40)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def make_responses(bank, persons=6000, items=40, seed=11):
    rng = np.random.default_rng(seed)
    ids = bank.item_ids[:items]
    cats = np.array([bank.categories(i) for i in ids])
    r = np.floor(rng.random((persons, items)) * cats)
    r[rng.random((persons, items)) < 0.3] = np.nan
    df = pd.DataFrame(r, columns=ids)
    df.insert(0, "person_id", [f"p{i:06d}" for i in range(persons)])
    return df


def test_partitioned_scoring_equals_single_machine(client, core_bank, tmp_path):
    df = make_responses(core_bank)
    # A partitioned data set on disk, as an operator would have it.
    for k, part in enumerate(np.array_split(df, 5)):
        part.to_csv(tmp_path / f"responses-{k}.csv", index=False)
    ddf = dd.read_csv(str(tmp_path / "responses-*.csv"))
    assert ddf.npartitions == 5

    for method in ("eap", "wle"):
        scores = dskill.dask.score_dataframe(ddf, core_bank, id_columns=["person_id"], client=client,
                                             method=method).compute()
        local = dskill.score(core_bank, df.drop(columns="person_id"), method=method)
        assert list(scores["person_id"]) == list(df["person_id"])
        # exactly the same numbers, bit for bit
        assert np.array_equal(scores["theta"].to_numpy(), local["theta"].to_numpy())
        assert np.array_equal(scores["se"].to_numpy(), local["se"].to_numpy())


def test_bank_is_on_every_worker_once(client, core_bank):
    fut = dskill.dask.scatter_bank(client, core_bank)
    holders = client.who_has([fut])[fut.key]
    assert len(holders) == len(client.scheduler_info()["workers"]) == 2
    # workers rebuild an identical bank from the pickle
    fps = client.run(lambda dask_worker: [v.fingerprint for v in dask_worker.data.values()
                                          if type(v).__name__ == "Bank"])
    assert all(core_bank.fingerprint in v for v in fps.values())


def test_client_map_on_futures(client, core_bank):
    """The lower-level pattern of the example: scatter once, map over partitions."""
    df = make_responses(core_bank, persons=1000)
    parts = np.array_split(df, 4)
    bank_f = dskill.dask.scatter_bank(client, core_bank)
    futures = client.map(dskill.dask.score_partition, parts, bank=bank_f, id_columns=["person_id"])
    out = pd.concat(client.gather(futures))
    local = dskill.score(core_bank, df.drop(columns="person_id"))
    assert np.array_equal(out["theta"].to_numpy(), local["theta"].to_numpy())
