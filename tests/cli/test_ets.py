"""``schedkit ets study`` and ``schedkit ets search``: tiny runs, files written, one-line errors."""

from __future__ import annotations

import json

from schedkit.cli import main


def last_json(text: str) -> dict:
    return json.loads(text.strip().splitlines()[-1])


def test_study_tiny_json_and_files(tmp_path, capsys):
    prefix = tmp_path / "ets_study"
    code = main(["ets", "study", "--widths", "4,8", "--trees", "2", "--seed", "1", "--json", "--out", str(prefix)])
    assert code == 0
    data = last_json(capsys.readouterr().out)
    assert data["status"] == "ok"
    rows = {(r["width"], r["method"]): r for r in data["rows"]}
    assert set(rows) == {(w, m) for w in (4, 8) for m in ("rebase", "ets", "beam", "dvts")}
    assert rows[(8, "rebase")]["kv_ratio"] is None
    ets = rows[(8, "ets")]
    assert ets["kv_ratio"] == rows[(8, "rebase")]["total_kv"] / ets["total_kv"]
    assert 0.0 <= ets["accuracy"] <= 1.0 and ets["selection_ms_median"] >= 0.0
    for suffix in (".txt", ".csv", ".json"):
        assert prefix.with_suffix(suffix).exists()
    assert "REBASE total KV / method total KV" in prefix.with_suffix(".txt").read_text(encoding="utf-8")


def test_study_lambda_c_variants(capsys):
    code = main(["ets", "study", "--widths", "4", "--trees", "1", "--methods", "rebase,ets", "--lambda-c", "1,3"])
    assert code == 0
    out = capsys.readouterr().out
    assert "ets-lc3" in out and "rebase" in out


def test_search_synthetic_plot_record_and_replay(tmp_path, capsys):
    plot, record = tmp_path / "tree.png", tmp_path / "tree.jsonl"
    code = main(["ets", "search", "--seed", "2", "--width", "8", "--plot", str(plot), "--record", str(record)])
    assert code == 0 and plot.exists() and record.exists()
    assert "weighted vote" in capsys.readouterr().out
    code = main(["ets", "search", "--trace", str(record), "--width", "8", "--method", "beam", "--json"])
    assert code == 0
    data = last_json(capsys.readouterr().out)
    assert data["method"] == "beam" and data["tree"] == "synthetic2" and data["total_kv"] > 0


def test_bad_inputs_are_one_line_errors(tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "r", "text": "Q", "tokens": -1}\n', encoding="utf-8")
    assert main(["ets", "search", "--trace", str(bad)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.jsonl: line 1: field 'tokens'" in err[0]
    assert main(["ets", "search", "--trace", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["ets", "study", "--trees", "0"]) == 2
