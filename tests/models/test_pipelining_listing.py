"""The pipelined program (prologue, kernel, epilogue per warp group) and the structures read off a schedule."""

from __future__ import annotations

from schedkit.models.pipelining import OpSchedule, describe, fa3_structure, fa4_structure, format_listing, listing
from schedkit.models.pipelining.roles import kind_and_subtile, role


def op(name: str, group: str, issue: int, ii: int, latency: int = 1) -> OpSchedule:
    return OpSchedule(name, group, issue, issue // ii, issue % ii, latency)


def twill_figure_1() -> dict[str, OpSchedule]:
    """Twill Fig. 1: S at 0, P at 2, O at 3 with II = 2 (L = 4, two overlapped copies)."""
    return {name: op(name, "w", t, 2) for name, t in (("S", 0), ("P", 2), ("O", 3))}


def test_listing_of_twill_figure_1() -> None:
    lst = listing(twill_figure_1(), 2)
    assert (lst.ii, lst.length, lst.copies, lst.kernel_start) == (2, 4, 2, 2)
    assert [(x.op, x.iteration, x.start) for x in lst.prologue["w"]] == [("S", 0, 0)]
    assert [(x.op, x.iteration, x.start) for x in lst.kernel["w"]] == [("P", 0, 2), ("S", 1, 2), ("O", 0, 3)]
    assert [(x.op, x.iteration, x.start) for x in lst.epilogue["w"]] == [("P", 1, 4), ("O", 1, 5)]
    text = format_listing(lst, cycles_per_unit=1024)
    assert "II = 2, L = 4, 2 overlapped iterations (1 unit ~ 1024 cycles: II ~ 2048 cycles)" in text
    kernel = text.split("-- kernel")[1].split("-- epilogue")[0]
    assert "S          iteration i" in kernel and "P          iteration i-1" in kernel  # S hoisted (FA3's pipeline)
    assert lst.to_dict()["kernel"]["w"][1] == ["S", 1, 2, 3]


def test_listing_shifts_the_schedule_to_start_at_zero() -> None:
    shifted = {name: op(s.op, s.warp_group or "w", s.issue + 10, 2) for name, s in twill_figure_1().items()}
    assert listing(shifted, 2) == listing(twill_figure_1(), 2)


def test_op_names_and_roles() -> None:
    assert kind_and_subtile("dV_b") == ("dV", "b") and kind_and_subtile("load_K") == ("load", None)
    assert [role(name) for name in ("S_a", "P_a", "C_b", "load_V", "reduce_a", "stage_b")] == [
        "mma",
        "softmax",
        "correction",
        "load",
        "load",
        "staging",
    ]


def fa3_like(ii: int = 20) -> dict[str, OpSchedule]:
    """The FA3 shape: loads on wg0, sub-tile a on wg1 and b on wg2, a's exps under b's GEMMs and back."""
    rows = [
        ("load_K", "wg0", 0, 0),
        ("load_V", "wg0", 2, 0),
        ("S_a", "wg1", 0, 5),
        ("M_a", "wg1", 5, 2),
        ("P_a", "wg1", 8, 5),
        ("O_a", "wg1", 15, 5),
        ("S_b", "wg2", 10, 5),
        ("M_b", "wg2", 15, 2),
        ("P_b", "wg2", 18, 5),
        ("O_b", "wg2", 25, 5),
    ]
    return {name: op(name, group, t, ii, length) for name, group, t, length in rows}


def test_fa3_structure_facts() -> None:
    check = fa3_structure(fa3_like(), 20)
    assert check.holds, check.evidence
    assert "S_b" in check.evidence["pingpong"]  # P_a [8, 13) overlaps S_b [10, 15)
    assert "S_a(i+1) at 20 during P_b(i) [18, 23)" in check.evidence["next_S_during_softmax"]
    mixed = fa3_like()
    mixed["O_a"] = op("O_a", "wg2", 15, 20, 5)  # a's second GEMM on the other group
    assert not fa3_structure(mixed, 20).facts["each_consumer_runs_its_subtile"]
    lockstep = {name: op(s.op, s.warp_group or "", s.issue, 40, s.latency) for name, s in fa3_like().items()}
    assert not fa3_structure(lockstep, 40).facts["next_S_during_softmax"]  # one iteration at a time


def test_fa4_structure_facts() -> None:
    rows = [
        ("load_K", "w14", 0, 0),
        ("load_V", "w14", 1, 0),
        ("S_a", "w12", 0, 4),
        ("S_b", "w12", 4, 4),
        ("O_a", "w12", 8, 4),
        ("O_b", "w12", 12, 4),
        ("M_a", "wg0", 4, 1),
        ("P_a", "wg0", 5, 8),
        ("L_a", "wg0", 13, 1),
        ("M_b", "wg1", 8, 1),
        ("P_b", "wg1", 9, 8),
        ("L_b", "wg1", 17, 1),
        ("C_a", "wg2", 6, 1),
        ("C_b", "wg2", 10, 1),
    ]
    schedule = {name: op(name, group, t, 18, length) for name, group, t, length in rows}
    check = fa4_structure(schedule, 18)
    assert check.holds, check.evidence
    assert {g.group: g.description for g in describe(schedule)} == {
        "w14": "loads",
        "w12": "MMA issue (a, b)",
        "wg0": "softmax (a)",
        "wg1": "softmax (b)",
        "wg2": "correction (a, b)",
    }
    schedule["C_b"] = op("C_b", "wg1", 10, 18, 1)
    assert not fa4_structure(schedule, 18).facts["one_correction_group_for_all_subtiles"]
