"""The model's probabilities become a type, a confidence, a place on the axes, or undetermined."""

import pytest

from bot.customer_reading import (
    LineScores,
    axes_of,
    calibrated,
    line_scores,
    no_signal,
    read_conversation,
    reading_trail,
)


def ranking(**confidences: float) -> list[dict[str, object]]:
    return [{"name": name, "confidence": value} for name, value in confidences.items()]


def styled(customer_type: str, confidence: float = 0.9) -> LineScores:
    others = {
        f"customer_{t}": (1 - confidence) / 3
        for t in ("power", "social", "harmonious", "thinking")
        if t != customer_type
    }
    return line_scores(ranking(**{f"customer_{customer_type}": confidence}, **others))


def test_scores_are_renormalised_over_the_four_types() -> None:
    raw = ranking(customer_power=0.6, customer_thinking=0.2, customer_neutral=0.15, greet=0.05)
    line = line_scores(raw, temperature=1.0)
    assert line.scores == pytest.approx(
        {"power": 0.75, "social": 0.0, "harmonious": 0.0, "thinking": 0.25}, abs=1e-3
    )
    assert line.style_mass == pytest.approx(0.8)


def test_calibration_softens_the_model_without_changing_the_order() -> None:
    raw = ranking(customer_power=0.6, customer_thinking=0.2, customer_neutral=0.15, greet=0.05)
    line = line_scores(raw)
    expected = calibrated({"power": 0.75, "social": 0.0, "harmonious": 0.0, "thinking": 0.25})
    assert line.scores == pytest.approx(expected, abs=1e-3)
    assert 0.5 < line.scores["power"] < 0.75
    assert line.scores["power"] > line.scores["thinking"] > line.scores["social"]


@pytest.mark.parametrize(
    ("customer_type", "corner"),
    [("power", (1, -1)), ("social", (1, 1)), ("harmonious", (-1, 1)), ("thinking", (-1, -1))],
)
def test_a_certain_type_sits_in_its_contract_corner(
    customer_type: str, corner: tuple[int, int]
) -> None:
    scores = {t: 1.0 if t == customer_type else 0.0 for t in corner_types()}
    axes = axes_of(scores)
    assert (axes.directness, axes.orientation) == corner


def corner_types() -> tuple[str, ...]:
    return ("power", "social", "harmonious", "thinking")


def test_even_scores_sit_in_the_middle() -> None:
    axes = axes_of(dict.fromkeys(corner_types(), 0.25))
    assert (axes.directness, axes.orientation) == (0, 0)


def test_a_clear_line_gives_its_type() -> None:
    reading = read_conversation([styled("thinking", 0.98)])
    assert reading.customer_type == "thinking"
    assert 0.6 < reading.confidence < 0.98  # calibrated: the raw 0.98 is over-confident
    assert reading.axes.directness < 0 and reading.axes.orientation < 0


def test_a_split_line_is_undetermined() -> None:
    line = line_scores(ranking(customer_power=0.45, customer_social=0.45, customer_thinking=0.1))
    assert read_conversation([line]).customer_type == "undetermined"


def test_a_neutral_line_alone_is_undetermined() -> None:
    line = line_scores(ranking(customer_neutral=0.92, customer_power=0.06, customer_social=0.02))
    reading = read_conversation([line])
    assert reading.customer_type == "undetermined"


def test_a_neutral_first_line_does_not_decide_the_type() -> None:
    neutral = line_scores(ranking(customer_neutral=0.8, customer_power=0.2))
    reading = read_conversation([neutral, styled("harmonious", 0.97)])
    assert reading.customer_type == "harmonious"


def test_several_lines_outvote_one_overconfident_line() -> None:
    lines = [styled("power", 0.999), styled("thinking", 0.97), styled("thinking", 0.97)]
    assert read_conversation(lines).customer_type == "thinking"


def test_later_lines_count_a_little_more() -> None:
    early_power = read_conversation([styled("power", 0.9), styled("social", 0.9)])
    assert early_power.scores["social"] > early_power.scores["power"]


def test_no_text_no_reading() -> None:
    assert read_conversation([no_signal(), no_signal()]).customer_type == "undetermined"
    assert read_conversation([]).customer_type == "undetermined"


def test_trail_has_one_point_per_line_and_ends_with_the_reading() -> None:
    lines = [no_signal(), styled("social"), styled("social")]
    trail = reading_trail(lines)
    assert len(trail) == 3
    assert trail[0].customer_type == "undetermined"
    assert trail[-1] == read_conversation(lines)
