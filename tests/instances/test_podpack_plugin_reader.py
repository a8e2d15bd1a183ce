"""Reading the plugin's solver JSON through read(): detection, the format name, errors."""

from __future__ import annotations

import json

import pytest

from schedkit.instances import FORMATS, FormatError, detect_format, read
from schedkit.models import save_problem
from schedkit.models.podpack import Node, Pod, podpack, request_payload

NODES = [Node("n1", 1000, 1000), Node("n2", 1000, 1000)]
PODS = [Pod("a", 600, 100, 2, node="n1"), Pod("b", 600, 100, 1, node="n2"), Pod("c", 500, 100, 2)]


def test_plugin_json_is_detected_and_read(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(request_payload(NODES, PODS, timeout_ms=1000)))
    assert "podpack-plugin" in FORMATS
    assert detect_format(path) == "podpack-plugin"
    problem = read(path)
    assert problem.family == "podpack" and problem.name == "request"
    assert problem.meta["format"] == "podpack-plugin" and problem.meta["mode"] == "require_pending"
    assert read(path, format="podpack-plugin").meta["plugin"]["timeout_ms"] == 1000


def test_ir_json_of_a_podpack_problem_stays_json(tmp_path):
    path = tmp_path / "problem.json"
    save_problem(podpack(NODES, PODS), path)
    assert detect_format(path) == "json"
    assert read(path).family == "podpack"


def test_plugin_errors_name_the_file_and_field(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"solver_input": {"nodes": [{"name": "n1", "cap_cpu_m": -5, "cap_mem_bytes": 1}], "pods": []}}')
    with pytest.raises(FormatError, match=r"nodes\[0\]\.cap_cpu_m.*>= 0"):
        read(path, format="podpack-plugin")
    path.write_text('{"solver_input": {"nodes": [}')
    with pytest.raises(FormatError, match="line 1: invalid JSON"):
        read(path, format="podpack-plugin")
    path.write_text("[1, 2]")
    with pytest.raises(FormatError, match="expected a JSON object"):
        read(path, format="podpack-plugin")
