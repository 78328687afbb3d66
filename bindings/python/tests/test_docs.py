"""The code blocks of docs/bindings.md and of the README run exactly as written (from a
directory that has the repository's item_banks/, as the repository root does)."""
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

import dskill

SOURCE = pathlib.Path(os.environ.get("DSKILL_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
BUILD = pathlib.Path(os.environ.get("DSKILL_BUILD_DIR", SOURCE / "build"))
DOCS = [SOURCE / "docs" / "bindings.md", SOURCE / "README.md"]


def blocks(lang, doc=None):
    docs = [doc] if doc is not None else DOCS
    return [b for d in docs for b in re.findall(r"^```" + lang + r"\n(.*?)^```", d.read_text(), flags=re.S | re.M)]


@pytest.fixture()
def workdir(tmp_path):
    (tmp_path / "item_banks").symlink_to(SOURCE / "item_banks")
    return tmp_path


@pytest.mark.parametrize("index", range(len(blocks("python"))))
def test_python_blocks(index, workdir):
    code = blocks("python")[index]
    if not dskill.HAVE_CAT and "Session" in code:
        pytest.skip("no adaptive-testing layer in this build")
    script = workdir / f"block{index}.py"
    script.write_text(code)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(os.path.dirname(os.path.abspath(dskill.__file__))),
                                         env.get("PYTHONPATH", "")])
    run = subprocess.run([sys.executable, str(script)], cwd=workdir, env=env, capture_output=True, text=True,
                         timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip()


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.name)
def test_c_block(doc, workdir):
    if not dskill.HAVE_CAT:
        pytest.skip("no adaptive-testing layer in this build")
    lib = BUILD / "bindings" / "c"
    if not (lib / "libdskill_c.so").exists() or shutil.which("cc") is None:
        pytest.skip("C API not built")
    (c_code,) = blocks("c", doc)
    (workdir / "cat_example.c").write_text(c_code)
    (commands,) = [b for b in blocks("sh", doc) if "cat_example.c" in b]
    env = dict(os.environ)
    # what `cmake --install` would provide: the header on the include path, the library on the
    # link and run-time paths
    env["CPATH"] = str(SOURCE / "bindings" / "c" / "include")
    env["LIBRARY_PATH"] = str(lib)
    env["LD_LIBRARY_PATH"] = str(lib)
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", commands], cwd=workdir, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "theta" in run.stdout and "batch:" in run.stdout
