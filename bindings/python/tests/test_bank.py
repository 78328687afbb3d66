import pickle

import numpy as np
import pytest

import dskill


def test_version():
    assert dskill.__version__ == "%d.%d.%d" % dskill.version_info


def test_load_and_properties(example_bank):
    b = example_bank
    assert len(b) == 4 and b.size == 4
    assert b.id == "example"
    assert b.item_ids == ["q1", "q2", "p1", "p2"]
    assert b.fingerprint.startswith("sha256:")
    assert b.index("p1") == 2
    assert b.categories("p1") == 4 and b.categories(0) == 2
    item = b.item("q1")
    assert item["model"] == "3pl" and item["lower"] == pytest.approx(0.2)
    assert "example" in repr(b)


def test_parameter_views_share_memory(example_bank):
    s1 = example_bank.slopes
    s2 = example_bank.slopes
    assert s1.shape == (4,)
    assert np.shares_memory(s1, s2)  # both views of the bank's own array
    assert not s1.flags.writeable
    with pytest.raises(ValueError):
        s1[0] = 3.0
    assert example_bank.difficulties[0] == pytest.approx(-0.5)
    info = example_bank.information(0.0)
    assert info.shape == (4,) and np.all(info > 0)


def test_missing_file_is_file_error():
    with pytest.raises(dskill.FileError) as e:
        dskill.Bank("/nonexistent/bank.yaml")
    assert isinstance(e.value, OSError) and isinstance(e.value, dskill.DskillError)
    assert str(e.value).startswith("[dskill.io_error.E007]")
    assert e.value.code == 7 and e.value.kind == "io_error"


def test_bank_error_carries_location():
    text = "dskill: 1\nbank:\n  id: bad\nitems:\n  - id: q1\n    model: 2pl\n    params: {a: -1.0, b: 0.0}\n"
    with pytest.raises(dskill.BankError) as e:
        dskill.Bank.from_yaml(text, name="bad.yaml")
    err = e.value
    assert isinstance(err, ValueError)
    assert str(err).startswith("[dskill.bank_error.E003] bad.yaml:")
    assert err.file == "bad.yaml" and err.line is not None and err.line >= 5
    assert err.item_id == "q1"
    assert err.detail and err.detail in str(err)


def test_parse_error():
    with pytest.raises(dskill.ParseError) as e:
        dskill.Bank.from_yaml("dskill: 1\nbank: [unclosed\n", name="broken.yaml")
    assert "broken.yaml:" in str(e.value)


def test_validate_bank_reports_everything(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("dskill: 1\nbank:\n  id: broken\nitems:\n"
                 "  - id: q1\n    model: 2pl\n    params: {a: 1.0, b: 0.0}\n"
                 "  - id: q1\n    model: 2pl\n    params: {a: 0.0, b: 0.0}\n")
    diags = dskill.validate_bank(str(p))
    assert len([d for d in diags if d["severity"] == "error"]) >= 2
    dup = [d for d in diags if d["code"] == "duplicate-id"]
    assert dup and dup[0]["line"] == 8 and dup[0]["text"].startswith(str(p) + ":8:")


def test_framework(digcomp_path, core_bank_path):
    fw = dskill.Framework(digcomp_path)
    assert fw.id == "digcomp" and len(fw.areas) == 5 and len(fw.competences) == 21
    assert 1 <= fw.level(0.0) <= fw.level_count
    assert fw.level(10.0, fw.areas[0]) == fw.level_count
    with pytest.raises(dskill.InvalidArgument):
        fw.level(0.0, "no-such-area")
    bank = dskill.Bank(core_bank_path, framework=fw)
    assert len(bank) >= 150
    assert dskill.validate_bank(core_bank_path, fw) == [] or all(
        d["severity"] != "error" for d in dskill.validate_bank(core_bank_path, fw))
    assert all(d["severity"] != "error" for d in dskill.validate_framework(digcomp_path))


def test_pickle_and_yaml_round_trip(core_bank):
    again = pickle.loads(pickle.dumps(core_bank))
    assert again.fingerprint == core_bank.fingerprint
    assert again == core_bank and hash(again) == hash(core_bank)
    assert again.item_ids == core_bank.item_ids
    assert dskill.Bank.from_yaml(core_bank.to_yaml()).fingerprint == core_bank.fingerprint


def test_unknown_item(example_bank):
    with pytest.raises(dskill.InvalidArgument, match="'nope'"):
        example_bank.index("nope")
    with pytest.raises(dskill.InvalidArgument):
        example_bank.item(17)
