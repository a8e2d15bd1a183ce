"""Seeded mutations of instance files for the fuzz test: numbers, counts, structure, bytes, JSON values.

Each mutation takes the file's bytes and a ``random.Random`` and returns new
bytes. They aim at what crashed or exhausted the readers before: numbers
Python's ``int()`` accepts but the formats do not (``1_000``, ``+7``,
non-ASCII digits), integers of 2^62 and beyond, header counts the content
does not back (10^8 machines), truncation, deleted, duplicated and swapped
lines, invalid UTF-8, and for JSON deep nesting and values of the wrong type.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable

NUMBER = re.compile(rb"-?\d+")

ODD_NUMBERS: tuple[bytes, ...] = (
    b"0",
    b"-1",
    b"-7",
    b"1_000",
    b"+7",
    "\u0663".encode(),  # ARABIC-INDIC DIGIT THREE
    "\uff17".encode(),  # FULLWIDTH DIGIT SEVEN
    b"4611686018427387904",  # 2^62
    b"9223372036854775808",  # 2^63
    b"1" + b"0" * 40,
    b"9" * 5000,
    b"100000000",
    b"1e9",
    b"nan",
    b"3.5",
    b"",
    b"x",
)


def _numbers(data: bytes) -> list[re.Match[bytes]]:
    return list(NUMBER.finditer(data))


def replace_number(data: bytes, rng: random.Random) -> bytes:
    found = _numbers(data)
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + rng.choice(ODD_NUMBERS) + data[match.end() :]


def inflate_first_number(data: bytes, rng: random.Random) -> bytes:
    """A header count the content does not back (10^6 .. 10^8)."""
    found = _numbers(data)[:4]
    if not found:
        return data
    match = rng.choice(found)
    return data[: match.start()] + str(10 ** rng.randint(6, 8)).encode() + data[match.end() :]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    k = rng.randrange(len(lines))
    lines.insert(k, lines[k])
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def delete_token(data: bytes, rng: random.Random) -> bytes:
    tokens = list(re.finditer(rb"\S+", data))
    if not tokens:
        return data
    match = rng.choice(tokens)
    return data[: match.start()] + data[match.end() :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    junk = rng.choice([b"\xff\xfe", b"\x00", b"\xc3", b"\t\t", b"*" * 20, b"\r\n", b"#", "\u00e9".encode()])
    return data[:at] + junk + data[at:]


def _json_mutate(value: object, rng: random.Random, depth: int = 0) -> object:
    """Replace one value somewhere inside a decoded JSON document."""
    replacements: list[Callable[[], object]] = [
        lambda: None,
        lambda: True,
        lambda: "x",
        lambda: 2**62,
        lambda: 2**63,
        lambda: -1,
        lambda: 1.5,
        lambda: float("inf"),
        lambda: [],
        lambda: {},
        lambda: {"k": 1},
        lambda: 10**9,
    ]
    if isinstance(value, dict) and value and rng.random() < 0.85:
        key = rng.choice(list(value))
        copy = dict(value)
        if rng.random() < 0.1:
            del copy[key]
        else:
            copy[key] = _json_mutate(value[key], rng, depth + 1)
        return copy
    if isinstance(value, list) and value and rng.random() < 0.85:
        copy_list = list(value)
        k = rng.randrange(len(copy_list))
        copy_list[k] = _json_mutate(copy_list[k], rng, depth + 1)
        return copy_list
    return rng.choice(replacements)()


def mutate_json_value(data: bytes, rng: random.Random) -> bytes:
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return data
    return json.dumps(_json_mutate(document, rng)).encode()


def nest_json(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([100, 1000, 5000, 100000])
    where = rng.choice(["top", "meta"])
    if where == "top":
        return b"[" * depth + b"]" * depth
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return data
    if not isinstance(document, dict):
        return data
    document["meta"] = {"deep": "@@"}
    text = json.dumps(document).encode()
    return text.replace(b'"@@"', b"[" * depth + b"]" * depth)


TEXT_MUTATIONS = (
    replace_number,
    replace_number,
    inflate_first_number,
    delete_line,
    duplicate_line,
    swap_lines,
    delete_token,
    truncate,
    insert_bytes,
)
"""Mutations of the text formats (weighted by repetition)."""

JSON_MUTATIONS = (mutate_json_value, mutate_json_value, mutate_json_value, nest_json, replace_number, truncate)
"""Mutations of the JSON formats."""


def mutate(data: bytes, rng: random.Random, is_json: bool) -> bytes:
    """One to three mutations in a row."""
    pool = JSON_MUTATIONS if is_json else TEXT_MUTATIONS
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(pool)(data, rng)
    return data
