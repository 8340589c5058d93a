"""Where a practice turn's time goes: the parts measured one by one on the same machine and
run, next to the whole turn through the API, so the remainder (policies, tracker store, the
HTTP hops between API, Rasa and the action server) is what is left over."""

import itertools
import statistics
import time
from dataclasses import dataclass

import httpx

from bot.coaching_codes import TYPE_CODES
from bot.language import SUPPORTED_LANGS
from bot.practice_session import new_session, settings_with_defaults, take_turn
from bot.reply_analyzer import reply_analyzer
from bot.scenarios import load_library
from testkit.practice_scripts import script
from testkit.stack import RunningStack


@dataclass
class TurnProfile:
    parse_reply_ms: float  # Rasa NLU on the trainee's reply (/model/parse)
    parse_customer_ms: float  # Rasa NLU on the simulated customer's line, the first time
    analysis_ms: float  # the reply model's analysis, in process
    session_step_ms: float  # the whole practice step in process (analysis included)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000 if samples else float("nan")


def measure_turn_profile(stack: RunningStack, cases: int = 32) -> TurnProfile:
    combos = list(
        itertools.islice(
            itertools.product(sorted(load_library().scenarios), TYPE_CODES, SUPPORTED_LANGS), cases
        )
    )
    replies: list[str] = []
    customer_lines: list[str] = []
    analysis: list[float] = []
    steps: list[float] = []
    analyzer = reply_analyzer()
    for number, (scenario, customer_type, lang) in enumerate(combos):
        settings = settings_with_defaults(number, lang, scenario, customer_type, "normal")
        session = new_session(settings)
        for reply in script(scenario, customer_type, lang)[:3]:
            replies.append(reply)
            started = time.perf_counter()
            analyzer.analyze(reply, customer_type, lang=lang)
            analysis.append(time.perf_counter() - started)
            started = time.perf_counter()
            session = take_turn(session, reply, lang)
            steps.append(time.perf_counter() - started)
        customer_lines.extend(line["text"] for line in session["customer_lines"])
    parse_reply: list[float] = []
    parse_customer: list[float] = []
    with httpx.Client(timeout=30) as client:
        url = f"{stack.rasa_url}/model/parse"
        params = {"token": stack.rasa_token}
        for texts, samples in ((replies, parse_reply), (customer_lines, parse_customer)):
            for text in texts:
                started = time.perf_counter()
                client.post(url, params=params, json={"text": text}).raise_for_status()
                samples.append(time.perf_counter() - started)
    return TurnProfile(
        parse_reply_ms=_median_ms(parse_reply),
        parse_customer_ms=_median_ms(parse_customer),
        analysis_ms=_median_ms(analysis),
        session_step_ms=_median_ms(steps),
    )


def profile_rows(profile: TurnProfile, turn_p50_ms: float) -> list[str]:
    measured = profile.parse_reply_ms + profile.session_step_ms
    return [
        "| Part of a practice turn (p50) | ms |",
        "|---|---|",
        f"| Whole turn through `/api/v1/chat` | {turn_p50_ms:.1f} |",
        f"| Rasa NLU on the trainee's reply (`/model/parse`) | {profile.parse_reply_ms:.1f} |",
        f"| Practice step in the action server (reply model, needs, mood, the customer's "
        f"answer) | {profile.session_step_ms:.1f} |",
        f"| … of which the reply model's analysis | {profile.analysis_ms:.1f} |",
        f"| Rasa NLU on the simulated customer's line, first time | "
        f"{profile.parse_customer_ms:.1f} |",
        "| … the same line again: the action server's kept reading, a dictionary lookup "
        "(`actions/nlu_reading.py`) | ≈ 0 |",
        f"| Remainder: policies, tracker store, API, HTTP hops | "
        f"{max(0.0, turn_p50_ms - measured):.1f} |",
    ]
