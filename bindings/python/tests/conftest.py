import os
import pathlib

import pytest

SOURCE = pathlib.Path(os.environ.get("DSKILL_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE


@pytest.fixture(scope="session")
def reference_dir():
    """The peer libraries' reference values, read in place from ../shared/reference."""
    return pathlib.Path(os.environ.get("DSKILL_REFERENCE_DIR", SOURCE.parent / "shared" / "reference"))


@pytest.fixture(scope="session")
def core_bank_path():
    return str(SOURCE / "item_banks" / "digcomp-core.yaml")


@pytest.fixture(scope="session")
def example_bank_path():
    return str(SOURCE / "tests" / "data" / "banks" / "example.yaml")


@pytest.fixture(scope="session")
def digcomp_path():
    return str(SOURCE / "item_banks" / "frameworks" / "digcomp-2.2.yaml")


@pytest.fixture(scope="session")
def core_bank(core_bank_path):
    import dskill

    return dskill.Bank(core_bank_path)


@pytest.fixture(scope="session")
def example_bank(example_bank_path):
    import dskill

    return dskill.Bank(example_bank_path)
