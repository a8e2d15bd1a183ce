"""Input that used to crash or exhaust the readers now ends with one FormatError naming the file (and line)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from schedkit.instances import FormatError, bundled, read
from schedkit.models import ModelError, load_problem, problem_to_dict


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_nested_1000_deep_is_a_format_error(tmp_path: Path) -> None:
    deep = _write(tmp_path, "deep.json", "[" * 1000 + "]" * 1000)
    with pytest.raises(FormatError, match="deep.json: invalid JSON: nested too deeply"):
        read(deep)
    with pytest.raises(ModelError, match="nested too deeply"):
        load_problem(deep)
    # deep inside an otherwise valid problem (meta is free form)
    data = problem_to_dict(read(bundled("js3x3")))
    text = json.dumps({**data, "meta": "@@"}).replace('"@@"', "[" * 5000 + "]" * 5000)
    inner = _write(tmp_path, "meta.json", text)
    with pytest.raises(FormatError, match="nested too deeply"):
        read(inner)


def test_json_integer_of_5000_digits_is_a_format_error(tmp_path: Path) -> None:
    data = problem_to_dict(read(bundled("js3x3")))
    text = json.dumps(data).replace('"duration": 3', '"duration": ' + "9" * 5000, 1)
    with pytest.raises(FormatError, match="invalid JSON: Exceeds the limit"):
        read(_write(tmp_path, "digits.json", text))


def test_version_true_is_refused(tmp_path: Path) -> None:
    data = problem_to_dict(read(bundled("js3x3")))
    data["version"] = True
    with pytest.raises(FormatError, match="unsupported schema version True"):
        read(_write(tmp_path, "v.json", json.dumps(data)))


def test_fjs_header_of_10_to_the_8_machines_is_refused_at_once(tmp_path: Path) -> None:
    path = _write(tmp_path, "huge.fjs", "1 100000000\n1 1 1 5\n")
    started = time.perf_counter()
    with pytest.raises(FormatError, match=r"huge.fjs: line 1: the header declares 100000000 machines but"):
        read(path)
    assert time.perf_counter() - started < 1.0
    # a header that matches the content still reads, unused machines included
    assert read(_write(tmp_path, "ok.fjs", "1 2\n1 1 1 5\n")).num_resources == 2


@pytest.mark.parametrize("token", ["1_000", "+7", "\u0663", "\uff17", "0x7"])
def test_numbers_python_accepts_but_the_formats_do_not(tmp_path: Path, token: str) -> None:
    text = bundled("js3x3").read_text().replace("0 3 1 2 2 2", f"0 {token} 1 2 2 2")
    with pytest.raises(FormatError, match=r"line 4: expected an integer \(time of job 0 operation 0\)"):
        read(_write(tmp_path, "js", text), format="jobshop")


@pytest.mark.parametrize("value", [2**62, 2**63, 10**40])
def test_integers_of_2_to_the_62_and_beyond_are_refused_by_the_readers(tmp_path: Path, value: int) -> None:
    text = bundled("js3x3").read_text().replace("0 3 1 2 2 2", f"0 {value} 1 2 2 2")
    with pytest.raises(FormatError, match=r"line 4: time of job 0 operation 0 .* is beyond 2\^62 - 1"):
        read(_write(tmp_path, "js", text), format="jobshop")
    largest = bundled("js3x3").read_text().replace("0 3 1 2 2 2", f"0 {2**40} 1 2 2 2")
    assert read(_write(tmp_path, "ok", largest), format="jobshop").tasks[0].modes[0].duration == 2**40


def test_patterson_cyclic_successors_are_refused(tmp_path: Path) -> None:
    lines = bundled("rcpsp8.rcp").read_text().splitlines()
    lines[6] = "5\t2\t2\t1\t2"  # activity 5 (line 7) -> 2, while 2 -> 5 already: a cycle
    path = _write(tmp_path, "cyclic.rcp", "\n".join(lines) + "\n")
    expected = r"cyclic.rcp: line 4: the successor lists contain a cycle: activities 2 -> 5 -> 2"
    with pytest.raises(FormatError, match=expected):
        read(path)


def test_wt_name_digits_must_be_ascii(tmp_path: Path) -> None:
    path = tmp_path / "wt\u0665.txt"  # ARABIC-INDIC FIVE: not a job count
    path.write_bytes(bundled("wt5.txt").read_bytes())
    with pytest.raises(FormatError):
        read(path, format="wt", index=0)
