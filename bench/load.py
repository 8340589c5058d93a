"""Load test: a class of simulated trainees each play a practice session through the API.

For each configuration the stack starts on free ports in a throw-away folder:
- `sqlite-1`: the dev profile (SQLite tracker store and app database, one Rasa, one worker);
- `postgres-1`: the production profile (PostgreSQL, Redis) with one Rasa replica;
- `postgres-2`: the production profile with two replicas (the acceptance configuration).
Then, in the same run:
1. Saturation: `clients` clients play sessions back to back through the API, and the same
   sessions straight to Rasa's channel (bare Rasa: the same replicas, the same messages, no
   API), `seconds` in all per side, in alternating rounds after a warm-up of both. Turns/s of
   both and their ratio.
2. A class start, once per `--start-within` value: `trainees` trainees (each with an account
   and token) all start within that many seconds (10 s, and 2 s: everyone at once) and play
   `turns` turns each, thinking `think` seconds between turns. Clients behave like the web
   chat (testkit/chat_client.py): one id per message, retried with it until answered.
   Latency p50/p95/p99 overall and per minute (the start burst, then the steady state),
   turns lost, turns retried, the deepest line /metrics showed.
3. Events check (PostgreSQL): each conversation's stored user events against the turns its
   client saw answered: duplicates, gaps and other differences counted apart.
4. Resident memory of each process after the run, and the replicas needed for N trainees
   from bare Rasa's capacity per replica measured here.
Prints the figures and writes the "load" section of docs/benchmarks.md.

    .venv-app/bin/python -m bench.load [--trainees 200] [--turns 10] [--think 15 30]
        [--clients 16] [--seconds 30] [--start-within 10 2]
        [--configs postgres-2,postgres-1,sqlite-1]
"""

import argparse
import asyncio
import itertools
import json
import math
import random
import tempfile
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
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
from bench.run import cpu_seconds, percentile, rss_mb
from bot.coaching_codes import TYPE_CODES
from bot.scenarios import load_library
from testkit import chat_client
from testkit.practice_scripts import script
from testkit.stack import EventCheck, RunningStack, check_events, running_stack

ROOT = Path(__file__).resolve().parent.parent

UTILISATION = 0.7  # replicas kept at most this busy in the sizing table
WARM_UP_SECONDS = 8.0
SATURATION_ROUNDS = 3  # API and bare alternate, `--seconds` in all per side
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
class Turn:
    conversation: str
    message: str
    message_id: str
    ok: bool
    seconds: float
    finished_at: float  # seconds since the run started
    attempts: int
    error: str | None = None


@dataclass
class Run:
    turns: list[Turn] = field(default_factory=list)
    seconds: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)  # CPU seconds per process (saturation)

    def cpu_ms_per_turn(self, process: str) -> float:
        return 1000 * self.cpu.get(process, 0.0) / self.answered if self.answered else 0.0

    @property
    def latencies_ms(self) -> list[float]:
        return [turn.seconds * 1000 for turn in self.turns if turn.ok]

    @property
    def answered(self) -> int:
        return sum(turn.ok for turn in self.turns)

    @property
    def lost(self) -> list[Turn]:
        return [turn for turn in self.turns if not turn.ok]

    @property
    def retried(self) -> int:
        return sum(turn.attempts > 1 for turn in self.turns)

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0


# One message to one conversation; returns (answered, attempts, error).
Send = Callable[[httpx.AsyncClient, str, str, str], Awaitable[tuple[bool, int, str | None]]]


def api_sender(stack: RunningStack, tokens: list[str]) -> Send:
    """Conversation `<prefix>-N` belongs to the trainee with token N (modulo their number);
    sent like the web chat does: one id per message, retried with it until answered."""

    async def send(
        client: httpx.AsyncClient, conversation: str, message: str, message_id: str
    ) -> tuple[bool, int, str | None]:
        owner = tokens[int(conversation.rsplit("-", 1)[1]) % len(tokens)]
        outcome = await chat_client.send(
            client, stack.api_url, owner, conversation, message, message_id=message_id
        )
        return outcome.ok, outcome.attempts, outcome.error

    return send


def bare_rasa_sender(stack: RunningStack) -> Send:
    async def send(
        client: httpx.AsyncClient, conversation: str, message: str, message_id: str
    ) -> tuple[bool, int, str | None]:
        replica = replica_order(stack.rasa_urls, conversation)[0]
        try:
            response = await client.post(
                f"{replica}/webhooks/coach/webhook",
                json={"sender": conversation, "message": message},
                headers=stack.channel_headers,
            )
        except httpx.HTTPError as exc:
            return False, 1, type(exc).__name__
        if response.status_code != 200 or not response.json():
            return False, 1, f"HTTP {response.status_code}: {response.text[:120]}"
        return True, 1, None

    return send


async def timed(
    run: Run, send: Send, client: httpx.AsyncClient, conv: str, msg: str, origin: float
) -> Turn:
    message_id = uuid.uuid4().hex
    started = time.perf_counter()
    ok, attempts, error = await send(client, conv, msg, message_id)
    turn = Turn(
        conv, msg, message_id, ok, time.perf_counter() - started, time.monotonic() - origin,
        attempts, error,
    )  # fmt: skip
    run.turns.append(turn)
    return turn


async def saturate(send: Send, prefix: str, clients: int, seconds: float, turns: int) -> Run:
    """`clients` loops playing whole sessions back to back until time is up."""
    run = Run()
    deadline = time.monotonic() + seconds
    numbers = itertools.count()
    started = time.monotonic()

    async def loop(client: httpx.AsyncClient) -> None:
        while time.monotonic() < deadline:
            number = next(numbers)
            for message in session_messages(number, turns):
                if time.monotonic() >= deadline:
                    return
                if not (await timed(run, send, client, f"{prefix}-{number}", message, started)).ok:
                    break

    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=clients)) as c:
        await asyncio.gather(*(loop(c) for _ in range(clients)))
    run.seconds = time.monotonic() - started
    return run


async def compare_saturation(
    stack: RunningStack, tokens: list[str], name: str, args: argparse.Namespace
) -> tuple[Run, Run]:
    """API and bare Rasa saturated in alternating rounds after a warm-up of both.

    On a shared machine the speed drifts by more than the difference measured here, and the
    action server's cache of customer-line readings favours whichever side runs second:
    alternating rounds on warm caches give both sides the same conditions."""
    senders = {"api": api_sender(stack, tokens), "bare": bare_rasa_sender(stack)}
    print(f"[{name}] saturation warm-up, {args.clients} clients ...", flush=True)
    for side, send in senders.items():
        await saturate(send, f"warm-{side}", args.clients, WARM_UP_SECONDS, args.turns)
    totals = {side: Run() for side in senders}
    for number in range(SATURATION_ROUNDS):
        for side, send in senders.items():
            print(f"[{name}] saturation round {number + 1}: {side} ...", flush=True)
            before = process_cpu(stack)
            run = await saturate(
                send, f"sat-{side}{number}", args.clients,
                args.seconds / SATURATION_ROUNDS, args.turns,
            )  # fmt: skip
            for process, seconds in process_cpu(stack).items():
                totals[side].cpu[process] = (
                    totals[side].cpu.get(process, 0.0) + seconds - before.get(process, 0.0)
                )
            totals[side].turns += run.turns
            totals[side].seconds += run.seconds
    return totals["api"], totals["bare"]


def process_cpu(stack: RunningStack) -> dict[str, float]:
    """CPU seconds so far of each part of the stack, and of this load generator."""
    used = {name: cpu_seconds(pid) for name, pid in stack.pids.items()}
    used["load generator"] = time.process_time()
    return used


async def cohort(
    send: Send,
    prefix: str,
    trainees: int,
    turns: int,
    think: tuple[float, float],
    start_within: float,
) -> tuple[Run, dict[str, list[tuple[str, str | None]]]]:
    """A class: every trainee starts within `start_within` s and plays `turns` turns,
    thinking between them. Returns the turns and, per conversation, the (text, id) turns the
    client saw answered; a trainee whose turn is never answered stops there."""
    run, answered = Run(), dict[str, list[tuple[str, str | None]]]()
    rng = random.Random(11)
    started = time.monotonic()

    async def trainee(client: httpx.AsyncClient, number: int) -> None:
        conversation = f"{prefix}-{number}"
        answered[conversation] = []
        await asyncio.sleep(rng.uniform(0, start_within))
        for message in session_messages(number, turns):
            turn = await timed(run, send, client, conversation, message, started)
            if not turn.ok:
                return
            answered[conversation].append((message, turn.message_id))
            await asyncio.sleep(rng.uniform(*think))

    limits = httpx.Limits(max_connections=trainees)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(trainee(client, number) for number in range(trainees)))
    run.seconds = time.monotonic() - started
    return run, answered


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


def check_cohort_events(
    stack: RunningStack,
    answered: dict[str, list[tuple[str, str | None]]],
    user_ids: dict[str, int],
    tokens: int,
) -> dict[str, EventCheck]:
    """Each conversation's stored events against what its client saw answered."""
    senders = {
        conversation: rasa_sender(
            user_ids[f"load-{int(conversation.rsplit('-', 1)[1]) % tokens}"], conversation
        )
        for conversation in answered
    }
    events = stack.tracker_events(senders.values())
    return {
        conversation: check_events(events[senders[conversation]], turns)
        for conversation, turns in answered.items()
    }


@dataclass
class Cohort:
    start_within: float
    run: Run
    checks: dict[str, EventCheck] | None  # None: SQLite tracker store, not checked

    def differing(self) -> list[str]:
        return [name for name, check in (self.checks or {}).items() if check.problems()]

    def count(self, kind: str) -> int:
        return sum(bool(getattr(check, kind)) for check in (self.checks or {}).values())


@dataclass
class ConfigFigures:
    name: str
    replicas: int
    api: Run
    bare: Run
    cohorts: list[Cohort]
    rss_mb: list[float]
    other_rss_mb: dict[str, float]  # action server, API (all workers), PostgreSQL, Redis
    queue_peak: int


async def measure(name: str, stack: RunningStack, args: argparse.Namespace) -> ConfigFigures:
    tokens, user_ids = trainee_tokens(stack, max(args.trainees, args.clients))
    turns = args.turns
    api, bare = await compare_saturation(stack, tokens, name, args)
    cohorts = []
    peak = QueuePeak(stack.api_url)
    for window in args.start_within:
        print(f"[{name}] class of {args.trainees} starting within {window:g} s ...", flush=True)
        prefix = f"class{window:g}".replace(".", "_")
        with peak.watching():
            run, answered = await cohort(
                api_sender(stack, tokens), prefix, args.trainees, turns, args.think, window
            )
        checks = (
            check_cohort_events(stack, answered, user_ids, len(tokens))
            if "postgresql" in stack.database_url
            else None
        )
        cohorts.append(Cohort(window, run, checks))
    replicas = ["rasa", *(f"rasa-{i}" for i in range(2, len(stack.rasa_urls) + 1))]
    others: dict[str, float] = {
        name: rss_mb(stack.pids[name])
        for name in ("actions", "api", "postgres", "redis")
        if name in stack.pids
    }
    return ConfigFigures(
        name,
        len(stack.rasa_urls),
        api,
        bare,
        cohorts,
        [rss_mb(stack.pids[each]) for each in replicas],
        others,
        peak.value,
    )


class QueuePeak:
    """The deepest line /metrics showed while a cohort ran (sampled twice a second)."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.value = 0

    @contextmanager
    def watching(self) -> Iterator[None]:
        stop = threading.Event()

        def sample() -> None:
            with httpx.Client(timeout=5) as client:
                while not stop.wait(0.5):
                    try:
                        text = client.get(f"{self.api_url}/metrics").text
                    except httpx.HTTPError:
                        continue
                    depths = [
                        int(float(line.rsplit(" ", 1)[1]))
                        for line in text.splitlines()
                        if line.startswith("coach_queue_depth{")
                    ]
                    self.value = max(self.value, sum(depths))

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()


def per_minute(run: Run) -> list[str]:
    """Latency of answered turns by the minute they finished in: the start burst, then the
    steady state."""
    minutes: dict[int, list[float]] = {}
    for turn in run.turns:
        if turn.ok:
            minutes.setdefault(int(turn.finished_at // 60), []).append(turn.seconds * 1000)
    return [
        f"| {minute + 1} | {len(values)} | {percentile(values, 0.5):.0f} "
        f"| {percentile(values, 0.95):.0f} | {percentile(values, 0.99):.0f} | {max(values):.0f} |"
        for minute, values in sorted(minutes.items())
    ]


def after_first_minute_p95(run: Run) -> float:
    values = [t.seconds * 1000 for t in run.turns if t.ok and t.finished_at >= 60]
    return percentile(values, 0.95) if values else 0.0


def sizing(figures: ConfigFigures, args: argparse.Namespace) -> list[str]:
    """Replicas needed for N trainees, from bare Rasa's capacity per replica measured here."""
    per_replica = figures.bare.per_second / figures.replicas
    think = sum(args.think) / 2
    lines = [
        f"Bare Rasa capacity measured on this machine: {per_replica:.1f} practice turns/s per "
        f"replica ({figures.name}). A trainee thinking {think:g} s on average between turns "
        f"sends one turn every ~{think + 1:g} s; keeping replicas at most {UTILISATION:.0%} busy:",
        "",
        "| Trainees | turns/s needed | replicas needed |",
        "|---|---|---|",
    ]
    for trainees in (50, 100, 200, 400, 800):
        needed = trainees / (think + 1)
        replicas = max(1, math.ceil(needed / (per_replica * UTILISATION)))
        lines.append(f"| {trainees} | {needed:.1f} | {replicas} |")
    return lines


def report(figures: list[ConfigFigures], args: argparse.Namespace) -> str:
    windows = " ".join(f"{w:g}" for w in args.start_within)
    lines = [
        "# Load test",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, this 2-core machine. Command: "
        f"`.venv-app/bin/python -m bench.load --trainees {args.trainees} --turns {args.turns} "
        f"--think {args.think[0]:g} {args.think[1]:g} --clients {args.clients} "
        f"--seconds {args.seconds:g} --start-within {windows} "
        f"--configs {','.join(f.name for f in figures)}`.",
        "",
        "A turn is one trainee message of a practice session (start, then replies) and the "
        "bot's full answer: the API (token check, ownership, exactly-once claim, admission "
        "control, replica routing, conversation index) plus Rasa (NLU, policies, the action "
        "server's coaching and the simulated customer). Clients behave like the web chat: "
        "one id per message, retried with the same id (honouring `Retry-After`) until "
        "answered, so a turn that waited in line or was retried is not lost; a turn is lost "
        "only if it is never answered (the client gives up after 180 s). Bare Rasa gets the "
        "same messages on its channel, same replicas, no API.",
        "",
        "## Saturation throughput (clients send back to back)",
        "",
        f"API and bare Rasa alternate in {SATURATION_ROUNDS} rounds, {args.seconds:g} s in all "
        "per side, after a warm-up of both: the same machine conditions and warm caches for "
        "each side.",
        "",
        "| Configuration | API turns/s | bare Rasa turns/s | API / bare | API p95 ms "
        "| turns retried | lost |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        ratio = f.api.per_second / f.bare.per_second if f.bare.per_second else 0.0
        lines.append(
            f"| {f.name} | {f.api.per_second:.1f} | {f.bare.per_second:.1f} | {ratio:.0%} "
            f"| {percentile(f.api.latencies_ms, 0.95):.0f} | {f.api.retried} "
            f"| {len(f.api.lost) + len(f.bare.lost)} |"
        )
    for f in figures:
        lines += [
            "",
            f"CPU per answered turn while saturated, {f.name} (ms; a process with its "
            "children): where the API's share goes.",
            "",
            "| Process | through the API | bare Rasa |",
            "|---|---|---|",
        ]
        for process in f.api.cpu:
            lines.append(
                f"| {process} | {f.api.cpu_ms_per_turn(process):.1f} "
                f"| {f.bare.cpu_ms_per_turn(process):.1f} |"
            )
        lines.append(
            f"| all | {sum(f.api.cpu_ms_per_turn(p) for p in f.api.cpu):.1f} "
            f"| {sum(f.bare.cpu_ms_per_turn(p) for p in f.bare.cpu):.1f} |"
        )
    lines += [
        "",
        f"## A class: {args.trainees} trainees × {args.turns} turns, "
        f"{args.think[0]:g}–{args.think[1]:g} s thinking between turns",
        "",
        "| Configuration | all start within | turns | lost | retried | p50 ms | p95 ms "
        "| p95 after minute 1 | p99 ms | conversations differing (duplicates / gaps / other) "
        "| deepest line |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in figures:
        for c in f.cohorts:
            run = c.run
            if c.checks is None:
                events = "n/a (SQLite)"
            else:
                other = len(c.differing()) - max(c.count("duplicates"), c.count("gaps"))
                events = (
                    f"{len(c.differing())} ({c.count('duplicates')} / {c.count('gaps')} / "
                    f"{max(0, other)})"
                )
            lines.append(
                f"| {f.name} | {c.start_within:g} s | {len(run.turns)} | {len(run.lost)} "
                f"| {run.retried} | {percentile(run.latencies_ms, 0.5):.0f} "
                f"| {percentile(run.latencies_ms, 0.95):.0f} | {after_first_minute_p95(run):.0f} "
                f"| {percentile(run.latencies_ms, 0.99):.0f} | {events} | {f.queue_peak} |"
            )
    for f in figures:
        for c in f.cohorts:
            lines += [
                "",
                f"Per minute, {f.name}, all starting within {c.start_within:g} s:",
                "",
                "| minute | turns answered | p50 ms | p95 ms | p99 ms | max ms |",
                "|---|---|---|---|---|---|",
                *per_minute(c.run),
            ]
    lines += [
        "",
        "Memory after the run (MB RSS, a process with its children): "
        + "; ".join(
            f"{f.name}: Rasa "
            + " / ".join(f"{m:.0f}" for m in f.rss_mb)
            + ", "
            + ", ".join(f"{k} {v:.0f}" for k, v in f.other_rss_mb.items())
            for f in figures
        )
        + ". PostgreSQL's figure is its postmaster only, not the per-connection backends.",
        "",
        "## Sizing",
        "",
        *sizing(max(figures, key=lambda f: f.replicas), args),
    ]
    problems = [
        p
        for f in figures
        for c in f.cohorts
        for p in (
            [f"{t.conversation}: {t.error}" for t in c.run.lost]
            + [
                f"{name}: {'; '.join(check.problems())}"
                for name, check in (c.checks or {}).items()
                if check.problems()
            ]
        )[:5]
    ]
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
    parser.add_argument(
        "--start-within",
        type=float,
        nargs="+",
        default=(10.0, 2.0),
        help="one class per value: every trainee starts within this many seconds",
    )
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
