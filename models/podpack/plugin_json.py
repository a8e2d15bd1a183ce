"""The solver JSON of the paper's scheduler plugin (MyPriorityOptimizer): requests in, plans out.

The plugin sends (``PythonSolverPayload`` in its Go code)::

    {"solver_input": {
        "nodes": [{"name": "n1", "cap_cpu_m": 4000, "cap_mem_bytes": 8000000000}],
        "pods":  [{"uid": "u1", "namespace": "ns", "name": "web-1", "req_cpu_m": 500,
                   "req_mem_bytes": 200000000, "priority": 2, "protected": false, "node": "n1"}],
        "preemptor": {...a pod...},          # optional: the per-pod mode
        "timeout_ms": 1000},
     "solver_options": {"guaranteed_tier_fraction": 0.4, "move_fraction_of_tier": 0.3}}

and reads back::

    {"status": "OPTIMAL",
     "placements": [{"uid", "name", "namespace", "old_node": "" | "n1", "node": "n2"}],
     "evictions":  [{"uid", "name", "namespace", "node": "n1"}],
     "phases": [{"tier": 2, "stage": "place" | "disruption", "status", "duration_ms", "relative_gap"}],
     "duration_ms": 70}

Reading follows the plugin's own solver where it decides something:

* every field the Go side leaves out when empty has its zero default
  (``priority`` 0, ``protected`` false, ``node`` "" = pending, requests 0);
* pods are identified by ``uid``; a repeated uid keeps the first record,
  upgraded to a later one that has a node when the first has none. Unlike the
  plugin (which drops pods without uid), a pod without uid is identified by
  its name, so hand-written files need no uids;
* a ``node`` naming no known node counts as pending (as in the plugin; the
  pod is listed in ``warnings``); ``protected`` on a pending pod has no effect;
* a ``preemptor`` (per-pod mode) must be placed; it is added as a pending pod
  when it is not among the pods. Without a preemptor and with pending pods
  (background modes), at least one pending pod must be placed. ``mode="free"``
  drops both rules (the pure lexicographic problem);
* a flat payload (the ``solver_input`` object itself) is accepted too.

The pod names in the problem are the pods' ``name`` when these are unique,
else ``namespace/name`` when those are, else the uids;
``meta["plugin"]`` maps them back to uid, name and namespace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from schedkit.models.errors import ModelError
from schedkit.models.podpack.builder import podpack
from schedkit.models.podpack.cluster import Node, Pod
from schedkit.models.podpack.plan import Plan
from schedkit.models.problem import ProblemData

DEFAULT_TIMEOUT_MS = 3000
"""The plugin solver's ``timeout_ms`` when the request has none."""
MODES = ("plugin", "free")
"""``plugin``: the plugin's mode constraints (preemptor placed, or one pending pod placed); ``free``: none."""


@dataclass
class PluginRequest:
    """A parsed plugin request: the cluster, the mode and the solver settings."""

    nodes: list[Node]
    pods: list[Pod]
    identities: dict[str, dict[str, str]]
    preemptor: str | None = None
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    options: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[str]:
        """Names of the pods without a node."""
        return [pod.name for pod in self.pods if pod.node is None]


def _integer(value: Any, where: str, default: int = 0, minimum: int | None = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ModelError("plugin request", where, f"must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise ModelError("plugin request", where, f"must be >= {minimum}, got {value}")
    return int(value)


def _string(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ModelError("plugin request", where, f"must be a string, got {value!r}")
    return value


def _objects(data: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    items = data.get(key) or []
    if not isinstance(items, list):
        raise ModelError("plugin request", key, "must be a list")
    for k, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise ModelError("plugin request", f"{key}[{k}]", "must be an object")
    return items


def parse_request(payload: Mapping[str, Any]) -> PluginRequest:
    """Read a plugin payload (see the module docstring); raises ``ModelError`` naming the field."""
    if not isinstance(payload, Mapping):
        raise ModelError("plugin request", "", f"must be a JSON object, got {type(payload).__name__}")
    data = payload.get("solver_input", payload)
    options = payload.get("solver_options") or {}
    if not isinstance(data, Mapping):
        raise ModelError("plugin request", "solver_input", "must be an object")
    if not isinstance(options, Mapping):
        raise ModelError("plugin request", "solver_options", "must be an object")
    nodes = []
    for k, raw in enumerate(_objects(data, "nodes")):
        name = _string(raw.get("name"), f"nodes[{k}].name")
        if not name:
            raise ModelError("plugin request", f"nodes[{k}].name", "must be a non-empty string")
        nodes.append(
            Node(
                name,
                _integer(raw.get("cap_cpu_m"), f"nodes[{k}].cap_cpu_m"),
                _integer(raw.get("cap_mem_bytes"), f"nodes[{k}].cap_mem_bytes"),
            )
        )
    known = {node.name for node in nodes}
    records: dict[str, dict[str, Any]] = {}
    warnings: list[str] = []
    raw_pods = list(_objects(data, "pods"))
    preemptor_raw = data.get("preemptor")
    if preemptor_raw is not None and not isinstance(preemptor_raw, Mapping):
        raise ModelError("plugin request", "preemptor", "must be an object")
    preemptor_key = None
    entries = [(f"pods[{k}]", raw) for k, raw in enumerate(raw_pods)]
    if preemptor_raw:
        preemptor_key = _string(preemptor_raw.get("uid"), "preemptor.uid") or _string(
            preemptor_raw.get("name"), "preemptor.name"
        )
        if not preemptor_key:
            raise ModelError("plugin request", "preemptor.uid", "the preemptor needs a uid or a name")
        entries.append(("preemptor", {"name": "preemptor", "namespace": "default", **preemptor_raw, "node": ""}))
    for where, raw in entries:
        record = _pod_record(raw, where, known, warnings)
        key = record["uid"] or record["name"]
        if not key:
            raise ModelError("plugin request", f"{where}.uid", "a pod needs a uid or a name")
        if key in records:
            if where == "preemptor":
                continue  # the preemptor is already among the pods
            if not records[key]["node"] and record["node"]:
                records[key] = record  # the plugin's upgrade rule: keep the record that knows the node
            continue
        records[key] = record
    names = _unique_names(list(records.values()))
    pods, identities = [], {}
    for (key, record), name in zip(records.items(), names):
        pods.append(
            Pod(
                name,
                record["cpu"],
                record["memory"],
                record["priority"],
                node=record["node"] or None,
                protected=record["protected"] and bool(record["node"]),
            )
        )
        identities[name] = {"uid": record["uid"] or key, "name": record["name"], "namespace": record["namespace"]}
    preemptor = None
    if preemptor_key is not None:
        preemptor = names[list(records).index(preemptor_key)]
    return PluginRequest(
        nodes=nodes,
        pods=pods,
        identities=identities,
        preemptor=preemptor,
        timeout_ms=_integer(data.get("timeout_ms"), "timeout_ms", DEFAULT_TIMEOUT_MS, minimum=0),
        options=dict(options),
        warnings=warnings,
    )


def _pod_record(raw: Mapping[str, Any], where: str, known: set[str], warnings: list[str]) -> dict[str, Any]:
    node = _string(raw.get("node"), f"{where}.node")
    name = _string(raw.get("name"), f"{where}.name")
    if node and node not in known:
        warnings.append(f"{where} ({name or raw.get('uid')}): unknown node {node!r}, taken as pending")
        node = ""
    protected = raw.get("protected", False)
    if not isinstance(protected, bool):
        raise ModelError("plugin request", f"{where}.protected", f"must be true or false, got {protected!r}")
    return {
        "uid": _string(raw.get("uid"), f"{where}.uid"),
        "name": name,
        "namespace": _string(raw.get("namespace"), f"{where}.namespace"),
        "cpu": _integer(raw.get("req_cpu_m"), f"{where}.req_cpu_m"),
        "memory": _integer(raw.get("req_mem_bytes"), f"{where}.req_mem_bytes"),
        "priority": _integer(raw.get("priority"), f"{where}.priority", minimum=None),
        "protected": protected,
        "node": node,
    }


def _unique_names(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """Pod names for the problem: names, else namespace/name, else uids (whichever is unique first)."""
    for candidate in (
        [r["name"] for r in records],
        [f"{r['namespace']}/{r['name']}" if r["namespace"] else r["name"] for r in records],
    ):
        if all(candidate) and len(set(candidate)) == len(candidate):
            return candidate
    return [r["uid"] or r["name"] for r in records]


def problem_from_request(
    request: PluginRequest, mode: str = "plugin", name: str = "plugin-request", **options: Any
) -> ProblemData:
    """The problem of a request. ``mode`` is ``"plugin"`` (the plugin's rule) or ``"free"`` (see the module doc).

    ``options`` go to :func:`~schedkit.models.podpack.podpack` (e.g.
    ``disruption_order``). Raises :class:`~schedkit.models.podpack.cluster.ModeInfeasible`
    when the mode cannot be met (the plugin's ``INFEASIBLE``).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    preemptor = request.preemptor if mode == "plugin" else None
    require_pending = mode == "plugin" and preemptor is None and bool(request.pending)
    problem = podpack(
        request.nodes, request.pods, name=name, preemptor=preemptor, require_pending=require_pending, **options
    )
    problem.meta["plugin"] = {
        "identities": request.identities,
        "timeout_ms": request.timeout_ms,
        "options": request.options,
        "warnings": request.warnings,
    }
    return problem


def problem_from_payload(payload: Mapping[str, Any], mode: str = "plugin", name: str = "plugin-request") -> ProblemData:
    """:func:`parse_request` then :func:`problem_from_request`."""
    return problem_from_request(parse_request(payload), mode=mode, name=name)


def request_payload(
    nodes: Sequence[Node],
    pods: Sequence[Pod],
    *,
    timeout_ms: int = DEFAULT_TIMEOUT_MS,
    preemptor: str | None = None,
    options: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The plugin payload of a cluster (uids are the pod names; ``preemptor`` names one of the pods)."""
    pod_entries = []
    for pod in pods:
        entry: dict[str, Any] = {
            "uid": pod.name,
            "name": pod.name,
            "req_cpu_m": pod.cpu,
            "req_mem_bytes": pod.memory,
            "priority": pod.priority,
        }
        if pod.protected:
            entry["protected"] = True
        if pod.node is not None:
            entry["node"] = pod.node
        pod_entries.append(entry)
    data: dict[str, Any] = {
        "nodes": [{"name": n.name, "cap_cpu_m": n.cpu, "cap_mem_bytes": n.memory} for n in nodes],
        "pods": pod_entries,
        "timeout_ms": timeout_ms,
    }
    if preemptor is not None:
        match = [entry for entry in pod_entries if entry["name"] == preemptor]
        if not match:
            raise ValueError(f"preemptor {preemptor!r} is not one of the pods")
        data["preemptor"] = {k: v for k, v in match[0].items() if k != "node"}
    return {"solver_input": data, "solver_options": dict(options or {})}


def plugin_output(
    plan: Plan,
    identities: Mapping[str, Mapping[str, str]] | None,
    status: str,
    phases: Sequence[Mapping[str, Any]] = (),
    duration_ms: int | None = None,
) -> dict[str, Any]:
    """The plugin's answer for ``plan``: placements (binds and moves) and evictions with uid, name, namespace.

    ``identities`` maps problem pod names to uid, name and namespace
    (``meta["plugin"]["identities"]``); a pod it does not list is reported
    with its problem name as uid and name and an empty namespace.
    """

    def who(pod: str) -> dict[str, str]:
        ident = (identities or {}).get(pod) or {"uid": pod, "name": pod, "namespace": ""}
        return {"uid": ident["uid"], "name": ident["name"], "namespace": ident["namespace"]}

    placements = [{**who(m.pod), "old_node": m.source, "node": m.target} for m in plan.moves]
    placements += [{**who(b.pod), "old_node": "", "node": b.node} for b in plan.binds]
    out: dict[str, Any] = {
        "status": status,
        "placements": placements,
        "evictions": [{**who(e.pod), "node": e.node} for e in plan.evictions],
        "phases": [dict(p) for p in phases],
    }
    if duration_ms is not None:
        out["duration_ms"] = duration_ms
    return out
