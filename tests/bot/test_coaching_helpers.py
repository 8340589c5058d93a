"""Small helpers of coach mode: the draft after "my reply:", axis answers, type names."""

import pytest

from bot.axes_answers import answers_in_text, type_from_answers
from bot.customer_types import type_named_in
from bot.draft_reply import draft_from_message


@pytest.mark.parametrize(
    ("message", "draft"),
    [
        ("我打算这样回复：请您别着急", "请您别着急"),
        ("my reply: to sum up: by 10 am", "to sum up: by 10 am"),
        ("my reply:", ""),
    ],
)
def test_draft_is_the_text_after_the_lead_in(message: str, draft: str) -> None:
    assert draft_from_message(message) == draft


@pytest.mark.parametrize(
    ("directness", "orientation", "customer_type"),
    [
        ("direct", "facts", "power"),
        ("direct", "people", "social"),
        ("indirect", "people", "harmonious"),
        ("indirect", "facts", "thinking"),
        ("direct", None, None),
    ],
)
def test_answers_map_to_the_contract_corners(
    directness: str, orientation: str | None, customer_type: str | None
) -> None:
    assert type_from_answers(directness, orientation) == customer_type


def test_indirect_is_not_read_as_direct() -> None:
    assert answers_in_text("rather indirect, cares about results") == ("indirect", "facts")
    assert answers_in_text("很直接，讲感情") == ("direct", "people")


@pytest.mark.parametrize(
    ("text", "customer_type"),
    [("思考型客户怎么沟通", "thinking"), ("tips for Power", "power"), ("hello", None)],
)
def test_type_named_in(text: str, customer_type: str | None) -> None:
    assert type_named_in(text) == customer_type
