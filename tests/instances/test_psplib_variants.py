"""PSPLIB layout variants: no RESOURCES block, CRLF and tabs, a byte-order mark, doubly constrained resources."""

from schedkit.instances import bundled, read
from schedkit.models import ResourceKind


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_without_resources_block_counts_come_from_the_availability_header(tmp_path):
    text = bundled("mrcpsp6.mm").read_text()
    kept = [line for line in text.splitlines() if not line.strip().startswith("- ")]
    assert len(kept) == len(text.splitlines()) - 3
    problem = read(write(tmp_path, "mrcpsp6.mm", "\n".join(kept)))
    assert problem == read(bundled("mrcpsp6.mm"))


def test_crlf_tabs_and_byte_order_mark(tmp_path):
    text = bundled("rcpsp8.sm").read_text().replace("  ", "\t").replace("\n", "\r\n")
    path = write(tmp_path, "rcpsp8.sm", b"\xef\xbb\xbf" + text.encode())
    assert read(path) == read(bundled("rcpsp8.sm"))


DOUBLY = """\
jobs (incl. supersource/sink ):  3
RESOURCES
  - renewable                 :  1   R
  - nonrenewable              :  0   N
  - doubly constrained        :  1   D
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          1           2
   2        2          1           3
   3        1          0
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  D 1
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     2       1    3
         2     4       1    1
  3      1     0       0    0
RESOURCEAVAILABILITIES:
  R 1  D 1
    2    5
"""


def test_doubly_constrained_resource_is_renewable_and_budget(tmp_path):
    problem = read(write(tmp_path, "doubly.mm", DOUBLY))
    assert [(r.name, r.kind, r.capacity) for r in problem.resources] == [
        ("R1", ResourceKind.RENEWABLE, 2),
        ("R2", ResourceKind.RENEWABLE, 5),
        ("N1", ResourceKind.CONSUMABLE, 5),
    ]
    modes = problem.tasks[1].modes
    assert [m.duration for m in modes] == [2, 4]
    assert sorted((d.resource, d.amount) for d in modes[0].demands) == [(0, 1), (1, 3), (2, 3)]
