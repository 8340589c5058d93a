"""Whole numbers taken from URLs and forms: ASCII digits only, bounded.

Python's `int()` and pydantic accept more than a person types ("+12", " 12", "1_000") and
`str.isdigit()` says yes to "²" and "①", which `int()` then refuses; ids beyond 64 bits overflow
the database driver. Every page parameter that is a number goes through these types instead.
"""

import re
from typing import Annotated

from fastapi import Form, Path, Query
from pydantic import BeforeValidator

MAX_ROW_ID = 2**31 - 1  # every table's integer key fits a 32-bit signed integer
MAX_PAGE = 10_000
MAX_TURN = 100_000
_DIGITS = re.compile(r"[0-9]{1,10}")


def _ascii_digits(value: object) -> object:
    if isinstance(value, str) and not _DIGITS.fullmatch(value):
        raise ValueError("a whole number written with the digits 0-9")
    return value


def strict_int(value: str, low: int, high: int) -> int | None:
    """`value` as an int when it is 0-9 digits within [low, high], else None."""
    if not _DIGITS.fullmatch(value) or not low <= int(value) <= high:
        return None
    return int(value)


_Strict = BeforeValidator(_ascii_digits)
RowId = Annotated[int, _Strict, Path(ge=1, le=MAX_ROW_ID)]
PageNumber = Annotated[int, _Strict, Query(ge=1, le=MAX_PAGE)]
TurnNumber = Annotated[int, _Strict, Form(ge=0, le=MAX_TURN)]
