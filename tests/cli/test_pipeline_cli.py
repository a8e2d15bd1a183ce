"""``schedkit pipeline``: the JSON a user gets, the listing, the plot, and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from schedkit.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["pipeline", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_hopper_forward_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    plot = tmp_path / "kernel.png"
    code, out, _ = run(capsys, "forward", "--machine", "hopper", "--budget", "16", "--json", "--plot", str(plot))
    assert code == 0
    data = json.loads(out.strip().splitlines()[-1])
    assert data["status"] == "optimal" and data["ii"] == data["ii_lower_bound"] and data["ii_optimal"]
    assert data["length"] == data["length_lower_bound"] and data["seconds"] > 0
    groups = {g["name"]: g for g in data["warp_groups"]}
    assert groups["wg0"]["ops"] == ["load_K", "load_V"]
    assert data["structure"]["fa3"]["holds"]
    assert set(data["listing"]) == {"ii", "length", "copies", "prologue", "kernel", "epilogue"}
    assert data["normalisation"]["budget"] == 16 and data["ii_cycles"] > 0
    assert plot.stat().st_size > 0 and data["plot"] == str(plot)


def test_text_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "forward", "--machine", "hopper", "--budget", "12", "--listing", "--time-limit", "30")
    assert code == 0
    assert "-- kernel (steady state, repeats every II)" in out and "FA3          holds" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["forward", "--machine", "hopper", "--tile", "128x128"], "--tile: tile '128x128' is not ROWSxCOLSxDEPTH"),
        (["forward", "--machine", "hopper", "--without", "lunch"], "--without: unknown constraint(s) lunch"),
        (["forward", "--machine", "hopper", "--tile", "96x128x128"], "multiples of the 64-row MMA of hopper"),
        (["forward", "--machine", "hopper", "--plot", "kernel"], "--plot: cannot write kernel: unknown image type"),
        (["forward", "--machine", "hopper", "--budget", "3"], "budget U = 3 is below the"),
    ],
)
def test_bad_input_is_one_line(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, _, err = run(capsys, *args)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1
