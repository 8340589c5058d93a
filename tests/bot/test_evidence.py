"""Cue words are found with their positions, in both languages, and shown in reading order."""

from bot.evidence import evidence_finder


def found(text: str, lang: str) -> list[tuple[str, str]]:
    return [(e.text, e.type) for e in evidence_finder().find(text, lang)]  # type: ignore[arg-type]


def test_chinese_cues_are_found_whatever_the_segmentation() -> None:
    assert found("不好意思打扰您，不着急的", "zh") == [
        ("不好意思", "harmonious"),
        ("打扰", "harmonious"),
        ("不着急", "harmonious"),
    ]


def test_english_cues_ignore_case() -> None:
    assert ("Root cause", "thinking") in found("Root cause please, and the DATA", "en")
    assert ("DATA", "thinking") in found("Root cause please, and the DATA", "en")


def test_offsets_point_into_the_original_text() -> None:
    text = "<b>Sorry to bother</b> you, no rush"
    for evidence in evidence_finder().find(text, "en", turn=2):
        assert text[evidence.start : evidence.end] == evidence.text
        assert evidence.turn == 2


def test_longest_cue_wins_where_cues_overlap() -> None:
    texts = [text for text, _ in found("我想知道根本原因", "zh")]
    assert "根本原因" in texts and "原因" not in texts


def test_a_bare_problem_statement_has_no_cues() -> None:
    assert found("The printer won't print reports", "en") == []
