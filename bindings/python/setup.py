"""Builds and installs the `dskill` Python package offline with the Debian toolchain.

setuptools drives CMake (no scikit-build, no package index): the extension dskill._dskill is
built by the project's own CMakeLists (DSKILL_BUILD_PYTHON=ON) for the interpreter running this
script, then copied into the package. Debian 12 (PEP 668) wants one of:

    /usr/bin/python3 -m pip install --no-build-isolation --no-index --break-system-packages bindings/python
    /usr/bin/python3 -m venv --system-site-packages .venv && \
        .venv/bin/python -m pip install --no-build-isolation --no-index bindings/python

(run from the repository root). Environment: DSKILL_CMAKE_ARGS adds CMake arguments;
DSKILL_BUILD_JOBS sets the parallel build jobs (default: all cores).
"""
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def read_version() -> str:
    text = (ROOT / "include" / "dskill" / "version.hpp").read_text()
    return re.search(r'DSKILL_VERSION_STRING "([^"]+)"', text).group(1)


class CMakeExtension(Extension):
    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DDSKILL_BUILD_PYTHON=ON", "-DDSKILL_BUILD_TESTS=OFF", "-DDSKILL_BUILD_EXAMPLES=OFF",
            "-DDSKILL_BUILD_CLI=OFF", "-DDSKILL_BUILD_CAPI=OFF", "-DDSKILL_INSTALL=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
        ]
        if shutil.which("ninja"):
            configure += ["-G", "Ninja"]
        configure += shlex.split(os.environ.get("DSKILL_CMAKE_ARGS", ""))
        jobs = os.environ.get("DSKILL_BUILD_JOBS", str(os.cpu_count() or 1))
        subprocess.check_call(configure)
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_dskill", "-j", jobs])
        built = next((build_dir / "python" / "dskill").glob("_dskill*" + (".pyd" if os.name == "nt" else ".so")))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, target)


setup(
    name="dskill",
    version=read_version(),
    description="Digital-skills assessment engine: IRT, adaptive testing, calibration, scoring",
    packages=["dskill"],
    package_dir={"dskill": "dskill"},
    package_data={"dskill": ["py.typed", "__init__.pyi", "dask.pyi"]},
    ext_modules=[CMakeExtension("dskill._dskill")],
    cmdclass={"build_ext": CMakeBuild},
    python_requires=">=3.8",
    install_requires=["numpy"],
    extras_require={"pandas": ["pandas"], "dask": ["dask", "distributed"]},
    zip_safe=False,
)
