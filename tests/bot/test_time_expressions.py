"""Which words are a concrete time: the time a trainee commits to is credited from these."""

import pytest

from bot.time_expressions import find_times


def times(text: str, lang: str = "zh") -> list[str]:
    return [text[start:end] for start, end in find_times(text, lang)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text", ["一点都不麻烦", "请您稍等一点", "早一点给您回复", "有一点慢", "这一点您放心"]
)
def test_yidian_as_an_amount_is_no_time(text: str) -> None:
    assert times(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下午一点前给您回电", ["下午一点前"]),
        ("我们一点半到", ["一点半到"]),
        ("一点前到", ["一点前"]),
        ("明天两点到", ["明天两点到"]),
        ("十点前上门", ["十点前"]),
    ],
)
def test_clock_times_stay_times(text: str, expected: list[str]) -> None:
    assert times(text) == expected


def test_english_clock_time_is_one_span() -> None:
    assert times("It ran from 9:10 until 11 am", "en") == ["from 9:10", "until 11 am"]
