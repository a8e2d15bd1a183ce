"""Format detection from names and content, and the benchmark folder lookup."""

import pytest

from schedkit.instances import UnknownFormatError, benchmarks_dir, bundled, detect_format, read
from schedkit.instances.benchmarks import ENV_VAR


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("js3x3", "jobshop"),
        ("js3x3.json", "json"),
        ("rcpsp8.sm", "psplib"),
        ("rcpsp8.rcp", "patterson"),
        ("mrcpsp6.mm", "psplib"),
        ("fjs3x3.fjs", "fjs"),
        ("wt5.txt", "wt"),
    ],
)
def test_bundled_files(name, fmt):
    assert detect_format(bundled(name)) == fmt


@pytest.mark.parametrize(
    "source, target, fmt",
    [
        ("fjs3x3.fjs", "mk99.txt", "fjs"),  # Brandimarte/Hurink files end in .txt: decided by content
        ("fjs3x3.fjs", "noext", "fjs"),
        ("js3x3", "la99.txt", "jobshop"),
        ("rcpsp8.rcp", "project.txt", "patterson"),
        ("rcpsp8.sm", "project.dat", "psplib"),
        ("js3x3.json", "problem.txt", "json"),
        ("wt5.txt", "wt5_copy", "wt"),  # the name wt<digits>... decides
        ("wt5.txt", "WT100.TXT", "wt"),
        ("js3x3", "x.SM", "psplib"),  # an extension decides even against the content
    ],
)
def test_name_and_content_rules(tmp_path, source, target, fmt):
    path = tmp_path / target
    path.write_text(bundled(source).read_text())
    assert detect_format(path) == fmt


def test_undetectable_content(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n")
    with pytest.raises(UnknownFormatError, match="cannot tell the format.*--format"):
        detect_format(path)
    with pytest.raises(UnknownFormatError):
        read(path)


def test_wt_file_without_digits_needs_format_and_n(tmp_path):
    path = tmp_path / "tardiness.txt"
    path.write_text(bundled("wt5.txt").read_text())
    with pytest.raises(UnknownFormatError):
        read(path, index=0)
    assert read(path, format="wt", n=5, index=1).name == "tardiness#1"


def test_benchmarks_dir_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert benchmarks_dir() == tmp_path.resolve()
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "missing"))
    assert benchmarks_dir() is None
    monkeypatch.delenv(ENV_VAR)
    found = benchmarks_dir()
    assert found is None or (found.name == "benchmarks" and found.parent.name == "shared")
