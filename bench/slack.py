"""`/coach` through the real stack: how fast Slack gets its acknowledgement, and how long
until the full card reaches `response_url` (a local fake Slack server)."""

import itertools
import statistics
import time
from dataclasses import dataclass

import httpx

from testkit.fake_slack import FakeSlack, signed_headers, slash_command
from testkit.stack import RunningStack

COMMANDS = [
    "我不想听解释，今天之内必须修好",
    "Could you send the error log and calibration data before the visit?",
    "哎呀终于有人理我了，我跟你们合作好多年了，这次真让我伤心",
    "Sorry to bother you, whenever suits your engineer is fine",
    "thinking",
    "check 权力型: 您先别激动，这是公司规定",
]


@dataclass
class SlackFigures:
    ack_ms: list[float]
    answer_ms: list[float]


def measure_slack(stack: RunningStack, slack: FakeSlack, requests: int) -> SlackFigures:
    """Sequential commands, one client: each one's ack, then its delivered answer."""
    figures = SlackFigures([], [])
    with httpx.Client(timeout=10) as client:
        for number, text in zip(range(requests), itertools.cycle(COMMANDS), strict=False):
            name = f"bench-{number}"
            body = slash_command(text, slack.response_url(name))
            headers = {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(body)}
            started = time.monotonic()
            response = client.post(f"{stack.api_url}/slack/events", content=body, headers=headers)
            acked = time.monotonic()
            response.raise_for_status()
            answer = slack.wait_for(f"/response/{name}", timeout=10)[0]
            figures.ack_ms.append((acked - started) * 1000)
            figures.answer_ms.append((answer.at - started) * 1000)
    return figures


def slack_rows(
    figures: SlackFigures, p95_ack: float, p95_answer: float
) -> list[tuple[str, str, str]]:
    return [
        (
            f"Slack `/coach` acknowledgement, p50 / p95 ({len(figures.ack_ms)} commands)",
            f"{statistics.median(figures.ack_ms):.1f} / {p95_ack:.1f} ms",
            "p95 ≤ 300 ms",
        ),
        (
            "Slack `/coach` full answer delivered to `response_url`, p50 / p95",
            f"{statistics.median(figures.answer_ms):.1f} / {p95_answer:.1f} ms",
            "p95 ≤ 1,500 ms",
        ),
    ]
