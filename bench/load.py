"""Load test: simulated trainees each play a 10-turn practice session through the API.

For each configuration the stack starts on free ports in a throw-away folder:
- `sqlite-1`: the dev profile (SQLite tracker store and app database, one Rasa, one worker);
- `postgres-1`: the production profile (PostgreSQL, Redis) with one Rasa replica;
- `postgres-2`: the production profile with two replicas (the acceptance configuration).
Then, in the same run:
1. Saturation: `clients` clients play sessions back to back for `seconds` seconds through
   the API, then the same sessions straight to Rasa's REST channel (bare Rasa: the same
   replicas, the same messages, no API). Turns/s of both and their ratio.
2. The cohort: `trainees` trainees (each with an account and token) start within the first
   10 s and play `turns` turns each, thinking `think` seconds between turns (reading the
   customer, typing a reply). Latency p50/p95/p99, turns/s and errors.
3. Events check (PostgreSQL): each cohort conversation's user events in Rasa's tracker store
   are exactly the messages sent, in order, each one answered by the bot.
4. Resident memory of each Rasa replica after the run.
Prints the figures and writes the "load" section of docs/benchmarks.md.

    .venv-app/bin/python -m bench.load [--trainees 200] [--turns 10] [--think 15 30]
        [--clients 16] [--seconds 30] [--configs postgres-2,postgres-1,sqlite-1]
"""

import argparse
import asyncio
import itertools
import json
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import select

from api.auth.accounts import create_team, create_token, create_user
from api.conversations import rasa_sender
from api.db.database import Database
from api.db.models import User
from api.rasa_client import replica_order
from bench.report import write_section
from bench.run import percentile, rss_mb
from bot.coaching_codes import TYPE_CODES
from bot.scenarios import load_library
from testkit.practice_scripts import script
from testkit.stack import RunningStack, event_problems, running_stack

ROOT = Path(__file__).resolve().parent.parent

CONFIGS = {
    "sqlite-1": ("dev", 1),
    "postgres-1": ("prod", 1),
    "postgres-2": ("prod", 2),
}


def session_messages(number: int, turns: int) -> list[str]:
    """A practice start and trainee replies, weaker ones first so the session lasts."""
    scenarios = sorted(load_library().scenarios)
    customer_type = TYPE_CODES[number % len(TYPE_CODES)]
    lang = ("zh", "en")[number // len(TYPE_CODES) % 2]
    scenario = scenarios[number % len(scenarios)]
    options = {
        "scenario": scenario,
        "customer_type": customer_type,
        "difficulty": "normal",
        "language": lang,
        "seed": number,
    }
    replies = itertools.cycle(
        [*script(scenario, customer_type, lang, "weak"), *script(scenario, customer_type, lang)]
    )
    return [f"/start_practice{json.dumps(options)}", *itertools.islice(replies, turns - 1)]


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    turns: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0


Send = Callable[[httpx.AsyncClient, str, str], Awaitable[None]]


def api_sender(stack: RunningStack, tokens: list[str]) -> Send:
    """Conversation `<prefix>-N` belongs to the trainee with token N (modulo their number)."""

    async def send(client: httpx.AsyncClient, conversation: str, message: str) -> None:
        owner = tokens[int(conversation.rsplit("-", 1)[1]) % len(tokens)]
        response = await client.post(
            f"{stack.api_url}/api/v1/chat",
            json={"conversation_id": conversation, "message": message},
            headers={"Authorization": f"Bearer {owner}"},
        )
        if response.status_code != 200 or not response.json()["messages"]:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:120]}")

    return send


def bare_rasa_sender(stack: RunningStack) -> Send:
    async def send(client: httpx.AsyncClient, conversation: str, message: str) -> None:
        replica = replica_order(stack.rasa_urls, conversation)[0]
        response = await client.post(
            f"{replica}/webhooks/coach/webhook",
            json={"sender": conversation, "message": message},
            headers=stack.channel_headers,
        )
        if response.status_code != 200 or not response.json():
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:120]}")

    return send


async def timed(run: Run, send: Send, client: httpx.AsyncClient, conv: str, msg: str) -> None:
    started = time.perf_counter()
    try:
        await send(client, conv, msg)
    except (httpx.HTTPError, RuntimeError) as exc:
        run.errors.append(f"{conv}: {exc}")
    run.latencies_ms.append((time.perf_counter() - started) * 1000)
    run.turns += 1


async def saturate(send: Send, prefix: str, clients: int, seconds: float, turns: int) -> Run:
    """`clients` loops playing whole sessions back to back until time is up."""
    run = Run()
    deadline = time.monotonic() + seconds
    numbers = itertools.count()

    async def loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            number = next(numbers)
            for message in session_messages(number, turns):
                if time.monotonic() >= deadline:
                    return
                await timed(run, send, client, f"{prefix}-{number}", message)

    started = time.monotonic()
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients)) as c:
        await asyncio.gather(*(loop(c) for _ in range(clients)))
    run.seconds = time.monotonic() - started
    return run


async def cohort(
    send: Send, trainees: int, turns: int, think: tuple[float, float]
) -> tuple[Run, dict[str, list[str]]]:
    run, sent = Run(), dict[str, list[str]]()
    rng = random.Random(11)

    async def trainee(client: httpx.AsyncClient, number: int) -> None:
        conversation = f"cohort-{number}"
        sent[conversation] = []
        await asyncio.sleep(rng.uniform(0, 10))
        for message in session_messages(number, turns):
            await timed(run, send, client, conversation, message)
            sent[conversation].append(message)
            await asyncio.sleep(rng.uniform(*think))

    started = time.monotonic()
    limits = httpx.Limits(max_connections=trainees)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(trainee(client, number) for number in range(trainees)))
    run.seconds = time.monotonic() - started
    return run, sent


def trainee_tokens(stack: RunningStack, count: int) -> tuple[list[str], dict[str, int]]:
    """`count` trainee accounts with a token each, written straight to the app database."""
    database = Database(stack.database_url)
    tokens, user_ids = [], {}
    try:
        with database.session() as session, session.begin():
            create_team(session, "load")
            for number in range(count):
                user = create_user(session, f"load-{number}", "trainee", f"load-pw-{number}-xyz")
                tokens.append(create_token(session, user, "load"))
            for user in session.scalars(select(User).where(User.name.like("load-%"))):
                user_ids[user.name] = user.id
    finally:
        database.dispose()
    return tokens, user_ids


def check_events(
    stack: RunningStack, sent: dict[str, list[str]], user_ids: dict[str, int]
) -> list[str]:
    """Problems found in the tracker store: missing, extra, reordered or unanswered turns."""
    senders = {
        conversation: rasa_sender(user_ids[f"load-{conversation.rsplit('-', 1)[1]}"], conversation)
        for conversation in sent
    }
    events = stack.tracker_events(senders.values())
    return [
        f"{conversation}: {problem}"
        for conversation, messages in sent.items()
        for problem in event_problems(events[senders[conversation]], messages)
    ]


@dataclass
class ConfigFigures:
    name: str
    api: Run
    bare: Run
    cohort: Run
    event_problems: list[str] | None
    rss_mb: list[float]
    other_rss_mb: dict[str, float]  # action server, API (all workers), PostgreSQL, Redis


async def measure(name: str, stack: RunningStack, args: argparse.Namespace) -> ConfigFigures:
    tokens, user_ids = trainee_tokens(stack, max(args.trainees, args.clients))
    turns = args.turns
    print(f"[{name}] saturation through the API, {args.clients} clients ...", flush=True)
    api = await saturate(api_sender(stack, tokens), "sat-api", args.clients, args.seconds, turns)
    print(f"[{name}] saturation on bare Rasa ...", flush=True)
    bare = await saturate(bare_rasa_sender(stack), "sat-bare", args.clients, args.seconds, turns)
    print(f"[{name}] cohort of {args.trainees} trainees x {turns} turns ...", flush=True)
    run, sent = await cohort(api_sender(stack, tokens), args.trainees, turns, args.think)
    problems = check_events(stack, sent, user_ids) if "postgresql" in stack.database_url else None
    replicas = ["rasa", *(f"rasa-{i}" for i in range(2, len(stack.rasa_urls) + 1))]
    others: dict[str, float] = {
        name: rss_mb(stack.pids[name])
        for name in ("actions", "api", "postgres", "redis")
        if name in stack.pids
    }
    return ConfigFigures(
        name, api, bare, run, problems, [rss_mb(stack.pids[each]) for each in replicas], others
    )


def report(figures: list[ConfigFigures], args: argparse.Namespace) -> str:
    lines = [
        "# Load test",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, this 2-core machine. Command: "
        f"`.venv-app/bin/python -m bench.load --trainees {args.trainees} --turns {args.turns} "
        f"--think {args.think[0]:g} {args.think[1]:g} --clients {args.clients} "
        f"--seconds {args.seconds:g} --configs {','.join(f.name for f in figures)}`.",
        "",
        "A turn is one trainee message of a practice session (start, then replies) and the "
        "bot's full answer: the API (token check, ownership, replica routing, conversation "
        "index) plus Rasa (NLU, policies, the action server's coaching and the simulated "
        "customer). Bare Rasa gets the same messages on its REST channel, same replicas.",
        "",
        "## Saturation throughput (clients send back to back)",
        "",
        "| Configuration | API turns/s | bare Rasa turns/s | API / bare | API p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures:
        ratio = f.api.per_second / f.bare.per_second if f.bare.per_second else 0.0
        lines.append(
            f"| {f.name} | {f.api.per_second:.1f} | {f.bare.per_second:.1f} | {ratio:.0%} "
            f"| {percentile(f.api.latencies_ms, 0.95):.0f} "
            f"| {len(f.api.errors) + len(f.bare.errors)} |"
        )
    lines += [
        "",
        f"## Cohort: {args.trainees} trainees × {args.turns} turns, "
        f"{args.think[0]:g}–{args.think[1]:g} s thinking between turns",
        "",
        "| Configuration | turns | turns/s | p50 ms | p95 ms | p99 ms | errors "
        "| events in PostgreSQL | Rasa RSS after (MB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        events = (
            "n/a (SQLite)"
            if f.event_problems is None
            else ("complete, in order" if not f.event_problems else f"{len(f.event_problems)} bad")
        )
        c = f.cohort
        lines.append(
            f"| {f.name} | {c.turns} | {c.per_second:.1f} | {percentile(c.latencies_ms, 0.5):.0f} "
            f"| {percentile(c.latencies_ms, 0.95):.0f} | {percentile(c.latencies_ms, 0.99):.0f} "
            f"| {len(c.errors)} | {events} | {' / '.join(f'{m:.0f}' for m in f.rss_mb)} |"
        )
    lines += [
        "",
        "Memory after the run (MB RSS, a process with its children): "
        + "; ".join(
            f"{f.name}: " + ", ".join(f"{k} {v:.0f}" for k, v in f.other_rss_mb.items())
            for f in figures
        )
        + ". PostgreSQL's figure is its postmaster only, not the per-connection backends.",
    ]
    problems = [p for f in figures for p in (f.cohort.errors + (f.event_problems or []))[:5]]
    if problems:
        lines += ["", "First problems:", "", *[f"- {p}" for p in problems]]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--think", type=float, nargs=2, default=(15.0, 30.0))
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--configs", default="postgres-2,postgres-1,sqlite-1")
    args = parser.parse_args()
    figures = []
    for name in args.configs.split(","):
        profile, replicas = CONFIGS[name]
        with (
            tempfile.TemporaryDirectory(prefix=f"coach-load-{name}-") as state,
            running_stack(Path(state), profile=profile, replicas=replicas) as stack,
        ):
            figures.append(asyncio.run(measure(name, stack, args)))
    text_report = report(figures, args)
    print(text_report)
    write_section(ROOT / "docs" / "benchmarks.md", "load", text_report)
    print("written to docs/benchmarks.md (section: load)")


if __name__ == "__main__":
    main()
