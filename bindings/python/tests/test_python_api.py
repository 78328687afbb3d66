"""The Python face of issue 10's defects: Framework pickles, stubs cover the package with
docstrings, inspect.signature works on every public callable, nullable pandas columns, and
FileError is an OSError (a FileNotFoundError for a missing file) with `filename` set."""
import ast
import errno
import inspect
import pathlib
import pickle

import numpy as np
import pytest

import dskill

PACKAGE = pathlib.Path(dskill.__file__).resolve().parent


def test_framework_pickles_as_its_yaml(digcomp_path):
    fw = dskill.Framework(digcomp_path)
    again = pickle.loads(pickle.dumps(fw))
    assert (again.id, again.version, again.level_count) == (fw.id, fw.version, fw.level_count)
    assert again.areas == fw.areas and again.competences == fw.competences
    assert again.to_yaml() == fw.to_yaml() == pathlib.Path(digcomp_path).read_text()
    assert again == fw and hash(again) == hash(fw)
    assert again.level(1.0) == fw.level(1.0)
    from_text = dskill.Framework.from_yaml(fw.to_yaml())
    assert pickle.loads(pickle.dumps(from_text)) == fw


def _stub_names(path):
    tree = ast.parse(path.read_text())
    return tree, {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def test_stubs_cover_the_package_with_docstrings():
    tree, names = _stub_names(PACKAGE / "__init__.pyi")
    public = [n for n in dskill.__all__ if not n.startswith("__")]
    assert sorted(set(public) - names) == []
    imports = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
    assert "dask" in imports
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            assert ast.get_docstring(node), f"{node.name} has no docstring in the stub"
    dask_tree, dask_names = _stub_names(PACKAGE / "dask.pyi")
    assert dask_names == {n for n in vars(dskill.dask) if not n.startswith("_") and callable(getattr(dskill.dask, n))
                          and getattr(dskill.dask, n).__module__ == "dskill.dask"}
    for node in dask_tree.body:
        if isinstance(node, ast.FunctionDef):
            assert ast.get_docstring(node), f"dask.{node.name} has no docstring in the stub"


def test_inspect_signature_of_every_public_callable():
    for name in dskill.__all__:
        obj = getattr(dskill, name, None)
        if obj is None or not callable(obj):
            continue
        sig = inspect.signature(obj)  # raised ValueError on compiled functions and classes
        assert isinstance(sig, inspect.Signature), name
    assert list(inspect.signature(dskill.Bank).parameters) == ["path", "framework"]
    assert inspect.signature(dskill.Bank).parameters["framework"].default is None
    assert list(inspect.signature(dskill.Framework).parameters) == ["path"]
    assert list(inspect.signature(dskill.estimate).parameters)[:3] == ["bank", "items", "categories"]
    assert list(inspect.signature(dskill.validate_bank).parameters) == ["path", "framework"]
    if dskill.HAVE_CAT:
        assert list(inspect.signature(dskill.Session).parameters) == ["bank", "spec", "seed"]
        assert list(inspect.signature(dskill.TestSpec).parameters) == []


def test_wrapped_functions_behave_as_before(core_bank, core_bank_path, digcomp_path):
    ids = core_bank.item_ids[:3]
    theta, se, status = dskill.estimate(core_bank, ids, [1, 0, 1])
    assert np.isfinite(theta) and se > 0 and status == "ok"
    assert all(d["severity"] != "error" for d in dskill.validate_bank(core_bank_path))
    assert all(d["severity"] != "error" for d in dskill.validate_framework(digcomp_path))


def test_nullable_pandas_columns_are_missing_like_nan(core_bank):
    pd = pytest.importorskip("pandas")
    ids = core_bank.item_ids[:4]
    cells = [[1, 0, None, 1], [None, None, 1, 0], [0, 1, 1, 1]]
    nullable = pd.DataFrame(cells, columns=ids, dtype="Int8")
    assert nullable.isna().to_numpy().sum() == 3
    floats = pd.DataFrame(cells, columns=ids, dtype="float64")
    got = dskill.score(core_bank, nullable)
    want = dskill.score(core_bank, floats)
    np.testing.assert_array_equal(got["theta"].to_numpy(), want["theta"].to_numpy())
    np.testing.assert_array_equal(got["se"].to_numpy(), want["se"].to_numpy())
    # an object array holding pd.NA (what to_numpy() of a nullable frame gives)
    theta, se = dskill.score(core_bank, nullable.to_numpy(), items=ids)
    np.testing.assert_array_equal(theta, want["theta"].to_numpy())
    # nullable booleans and floats too
    boolean = pd.DataFrame([[True, pd.NA], [False, True]], columns=ids[:2], dtype="boolean")
    assert np.all(np.isfinite(dskill.score(core_bank, boolean)["theta"]))
    # a column that is not numeric is refused, naming the column
    text = pd.DataFrame({ids[0]: [1, 0], ids[1]: ["yes", "no"]})
    with pytest.raises(dskill.InvalidArgument, match=ids[1]):
        dskill.score(core_bank, text)


def test_calibrate_accepts_nullable_columns():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(3)
    data = (rng.random((300, 4)) < 0.6).astype(float)
    data[rng.random((300, 4)) < 0.1] = np.nan
    frame = pd.DataFrame(data, columns=["a", "b", "c", "d"]).astype("Int8")
    res = dskill.calibrate(frame, "1pl")
    ref = dskill.calibrate(pd.DataFrame(data, columns=["a", "b", "c", "d"]), "1pl")
    assert res["log_likelihood"] == ref["log_likelihood"]


def test_file_error_is_file_not_found_error_for_a_missing_file(tmp_path):
    missing = str(tmp_path / "nope.yaml")
    with pytest.raises(FileNotFoundError) as e:
        dskill.Bank(missing)
    err = e.value
    assert isinstance(err, dskill.FileError) and isinstance(err, dskill.DskillError)
    assert isinstance(err, dskill.MissingFileError)
    assert err.filename == missing and err.errno == errno.ENOENT
    assert "nope.yaml" in str(err) and not str(err).startswith("[Errno")
    with pytest.raises(FileNotFoundError):
        dskill.Framework(missing)


def test_file_error_for_an_existing_path_is_an_os_error(tmp_path, example_bank):
    # a directory exists but cannot be read or replaced as a file
    for call in (lambda: dskill.Framework(str(tmp_path)), lambda: example_bank.save(str(tmp_path))):
        with pytest.raises(dskill.FileError) as e:
            call()
        err = e.value
        assert isinstance(err, OSError) and not isinstance(err, FileNotFoundError)
        assert err.filename == str(tmp_path) and err.errno is None
        assert str(err).startswith("[dskill.io_error.E007]")


def test_a_huge_grid_is_refused_before_any_memory_is_taken(core_bank):
    # grid_points = 2e9 used to be killed for memory; the library caps grids at 1,000,000 points.
    ids = core_bank.item_ids[:3]
    with pytest.raises(ValueError, match="1000000"):
        dskill.estimate(core_bank, ids, [1, 0, 1], grid=(-4.0, 4.0, 2_000_000_000))
    with pytest.raises(ValueError, match="1000000"):
        dskill.score(core_bank, np.array([[1, 0, 1]], dtype=np.int8), items=ids, grid=(-4.0, 4.0, 2_000_000_000))
    theta, se, _ = dskill.estimate(core_bank, ids, [1, 0, 1], grid=(-4.0, 4.0, 1_000_000))
    assert np.isfinite(theta) and se > 0
