"""Role-play through the real stack: practice-turn latency, and whether the trained model's
reading of the simulated customer's lines equals the hidden type (easy and normal)."""

import itertools
import json
import statistics
import time
from dataclasses import dataclass

import httpx

from bot.coaching_codes import TYPE_CODES
from bot.scenarios import load_library
from testkit.practice_scripts import script
from testkit.stack import RunningStack

DIFFICULTIES = ("easy", "normal")
LANGS = ("zh", "en")


@dataclass
class PracticeFigures:
    turn_ms: list[float]
    sessions: int
    agreeing: dict[str, int]  # difficulty -> sessions whose reading equals the hidden type
    per_difficulty: dict[str, int]
    disagreements: list[str]


def measure_practice(stack: RunningStack) -> PracticeFigures:
    figures = PracticeFigures(
        [], 0, dict.fromkeys(DIFFICULTIES, 0), dict.fromkeys(DIFFICULTIES, 0), []
    )
    combos = itertools.product(sorted(load_library().scenarios), TYPE_CODES, LANGS, DIFFICULTIES)
    with httpx.Client(timeout=30, headers=stack.trainee_headers) as client:
        for number, (scenario, customer_type, lang, difficulty) in enumerate(combos):
            conversation = f"bench-practice-{number}"
            options = {
                "scenario": scenario,
                "customer_type": customer_type,
                "difficulty": difficulty,
                "language": lang,
                "seed": number,
            }
            start = f"/start_practice{json.dumps(options)}"
            client.post(
                f"{stack.api_url}/api/v1/chat",
                json={"conversation_id": conversation, "message": start},
            ).raise_for_status()
            for reply in script(scenario, customer_type, lang):
                started = time.perf_counter()
                response = client.post(
                    f"{stack.api_url}/api/v1/chat",
                    json={"conversation_id": conversation, "message": reply},
                )
                figures.turn_ms.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()
                if any(
                    (message.get("custom") or {}).get("kind") == "practice_scorecard"
                    for message in response.json()["messages"]
                ):
                    break
            card = client.get(f"{stack.api_url}/api/v1/practice/{conversation}/scorecard")
            card.raise_for_status()
            reading = card.json()["reading"] or {}
            figures.sessions += 1
            figures.per_difficulty[difficulty] += 1
            if reading.get("customer_type") == customer_type:
                figures.agreeing[difficulty] += 1
            else:
                figures.disagreements.append(
                    f"{scenario}/{customer_type}/{lang}/{difficulty}: read "
                    f"{reading.get('customer_type')}"
                )
    return figures


def practice_rows(figures: PracticeFigures, percentile_ms: float) -> list[tuple[str, str, str]]:
    agreeing = sum(figures.agreeing.values())
    rows = [
        (
            "Practice turn (trainee reply → analysis, mood, customer line) via `/api/v1/chat`, "
            "p50 / p95",
            f"{statistics.median(figures.turn_ms):.1f} / {percentile_ms:.1f} ms",
            "p95 ≤ 150 ms",
        ),
        (
            f"Model's reading of the simulated customer = hidden type, easy + normal "
            f"({figures.sessions} sessions: every scenario × type × language)",
            f"{100 * agreeing / figures.sessions:.1f} %",
            "≥ 95 %",
        ),
    ]
    rows += [
        (
            f"… on {difficulty}",
            f"{100 * figures.agreeing[difficulty] / figures.per_difficulty[difficulty]:.1f} %",
            "—",
        )
        for difficulty in DIFFICULTIES
    ]
    return rows
