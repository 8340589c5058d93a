"""Foundation benchmarks: set-up, training, start-to-ready, Rasa RSS, chat latency vs bare Rasa.

Prints the figures and writes docs/benchmarks.md. Latency is measured in one run for both
paths, interleaved request by request (API `/api/v1/chat` and Rasa's own REST channel), so
machine noise hits both alike; compare the ratio and the p50 difference, not absolute times.

    .venv-app/bin/python -m bench.run [--requests 300] [--skip-setup]
"""

import argparse
import os
import platform
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.practice import measure_practice, practice_rows
from bench.report import write_section
from bench.slack import measure_slack, slack_rows
from bench.turn_profile import measure_turn_profile, profile_rows
from bench.web import measure_web, web_rows
from testkit.fake_slack import fake_slack_server
from testkit.stack import RunningStack, free_port, running_stack

ROOT = Path(__file__).resolve().parent.parent

MESSAGES = [
    "你好",
    "hello",
    "帮助",
    "help",
    "今天天气怎么样",
    "what's the weather like",
    "再见",
    "bye",
]
CUSTOMER_LINES = [
    "工程师今天几点能到？我只要一个准确时间",
    "Sorry to bother you, no rush, whenever suits you",
    "我女儿的生日礼物还没到，我真的好难过😭",
    "Could you send the calibration records and explain the root cause?",
]


def time_setup_from_empty_caches() -> float:
    """A fresh clone and `scripts/setup.sh` with an empty pip cache (both environments)."""
    with tempfile.TemporaryDirectory(prefix="coach-bench-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**os.environ, "PIP_CACHE_DIR": str(Path(tmp) / "pip-cache")}
        started = time.monotonic()
        subprocess.run([str(clone / "scripts" / "setup.sh")], cwd=clone, env=env, check=True)
        return time.monotonic() - started


def time_training() -> float:
    """A full `rasa train` of the current data, with an empty Rasa cache, into a temp folder."""
    with tempfile.TemporaryDirectory(prefix="coach-train-") as out:
        env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "RASA_CACHE_DIRECTORY": str(Path(out) / "cache"),
        }
        started = time.monotonic()
        subprocess.run(
            [str(ROOT / ".venv-rasa" / "bin" / "rasa"), "train", "--out", out, "--quiet"],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.monotonic() - started


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the Rasa server is one process)."""
    total_kb = 0
    for each in [pid, *_children(pid)]:
        for line in Path(f"/proc/{each}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total_kb += int(line.split()[1])
    return total_kb / 1024


def _children(pid: int) -> list[int]:
    """A process's live children (of any of its threads)."""
    found = []
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in children.read_text().split()]
        except OSError:  # the thread or process ended meanwhile
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and all its live descendants
    (PostgreSQL's backends are its postmaster's children, under the launcher)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids, pending = [], [pid]
    while pending:
        each = pending.pop()
        pids.append(each)
        pending += _children(each)
    total = 0
    for each in pids:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited since the list was read
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


Request = Callable[[httpx.Client, int], httpx.Response]
WARM_UP = 20


def interleaved(requests: int, api: Request, rasa: Request) -> dict[str, list[float]]:
    """Time both paths request by request, alternating which goes first; ms per request."""
    timings: dict[str, list[float]] = {"api": [], "rasa": []}
    calls = {"api": api, "rasa": rasa}
    with httpx.Client(timeout=30) as client:
        for index in range(requests + WARM_UP):
            for path in ("api", "rasa") if index % 2 == 0 else ("rasa", "api"):
                started = time.perf_counter()
                response = calls[path](client, index)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                if index >= WARM_UP:
                    timings[path].append(elapsed)
    return timings


def measure_chat(stack: RunningStack, requests: int) -> dict[str, list[float]]:
    """The API's /chat against Rasa's own (token-checked) REST channel, same messages."""

    def api(client: httpx.Client, index: int) -> httpx.Response:
        message = MESSAGES[index % len(MESSAGES)]
        body = {"conversation_id": f"bench-api-{index % 10}", "message": message}
        return client.post(f"{stack.api_url}/api/v1/chat", json=body, headers=stack.trainee_headers)

    def rasa(client: httpx.Client, index: int) -> httpx.Response:
        body = {"sender": f"bench-rasa-{index % 10}", "message": MESSAGES[index % len(MESSAGES)]}
        return client.post(
            f"{stack.rasa_url}/webhooks/coach/webhook", json=body, headers=stack.channel_headers
        )

    return interleaved(requests, api, rasa)


def measure_classify(stack: RunningStack, requests: int) -> dict[str, list[float]]:
    """One customer line per request: the API's /classify against Rasa's own /model/parse."""
    token = (stack.state_dir / "secrets" / "rasa_token").read_text().strip()

    def api(client: httpx.Client, index: int) -> httpx.Response:
        text = CUSTOMER_LINES[index % len(CUSTOMER_LINES)]
        return client.post(
            f"{stack.api_url}/api/v1/classify", json={"text": text}, headers=stack.trainee_headers
        )

    def rasa(client: httpx.Client, index: int) -> httpx.Response:
        text = CUSTOMER_LINES[index % len(CUSTOMER_LINES)]
        return client.post(
            f"{stack.rasa_url}/model/parse", params={"token": token}, json={"text": text}
        )

    return interleaved(requests, api, rasa)


DRAFT_REPLIES = [
    ("请您别着急，我们马上处理，这是公司的规定", None),
    ("To sum up: on site by 10 am, and I'll personally follow it up.", "power"),
    ("您一定很失望，我明天中午前把新的送到。", "social"),
    ("According to the log the alarm occurs while heating; report by 3 pm.", "thinking"),
]


def measure_api_only(stack: RunningStack, requests: int) -> dict[str, list[float]]:
    """Endpoints with no bare-Rasa counterpart: /review-reply (no Rasa call at all) and a
    coach-mode turn (a customer line through /chat, answered by the coaching-card action)."""
    timings: dict[str, list[float]] = {"review": [], "coach_turn": []}
    with httpx.Client(timeout=30, headers=stack.trainee_headers) as client:
        for index in range(requests + WARM_UP):
            reply, customer_type = DRAFT_REPLIES[index % len(DRAFT_REPLIES)]
            started = time.perf_counter()
            response = client.post(
                f"{stack.api_url}/api/v1/review-reply",
                json={"reply": reply, "customer_type": customer_type},
            )
            review_ms = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            started = time.perf_counter()
            response = client.post(
                f"{stack.api_url}/api/v1/chat",
                json={
                    "conversation_id": f"bench-coach-{index // 5}",
                    "message": CUSTOMER_LINES[index % len(CUSTOMER_LINES)],
                },
            )
            turn_ms = (time.perf_counter() - started) * 1000
            response.raise_for_status()
            if index >= WARM_UP:
                timings["review"].append(review_ms)
                timings["coach_turn"].append(turn_ms)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-setup", action="store_true", help="skip the slow set-up timing")
    args = parser.parse_args()

    setup_s = None if args.skip_setup else time_setup_from_empty_caches()
    train_s = time_training()
    with (
        tempfile.TemporaryDirectory(prefix="coach-stack-") as state,
        fake_slack_server(free_port()) as slack,
        running_stack(Path(state), env=slack.stack_env()) as stack,
    ):
        timings = measure_chat(stack, args.requests)
        classify = measure_classify(stack, args.requests)
        api_only = measure_api_only(stack, args.requests)
        practice = measure_practice(stack)
        profile = measure_turn_profile(stack)
        slack_figures = measure_slack(stack, slack, args.requests)
        web = measure_web(stack, 100)
        rasa_rss = rss_mb(stack.pids["rasa"])
        ready_s = stack.ready_seconds

    api, rasa = timings["api"], timings["rasa"]
    rows = [
        (
            "Set-up from empty caches (both environments, spaCy pipeline)",
            "not measured (--skip-setup)" if setup_s is None else f"{setup_s:.0f} s",
            "—",
        ),
        ("Training (`rasa train`, current data)", f"{train_s:.0f} s", "≤ 300 s"),
        ("Start to ready (`/readyz` 200)", f"{ready_s:.1f} s", "≤ 60 s"),
        ("Rasa server RSS after the latency run", f"{rasa_rss:.0f} MB", "—"),
        (
            "`/api/v1/chat` latency p50 / p95",
            f"{statistics.median(api):.1f} / {percentile(api, 0.95):.1f} ms",
            "—",
        ),
        (
            "Bare Rasa REST latency p50 / p95",
            f"{statistics.median(rasa):.1f} / {percentile(rasa, 0.95):.1f} ms",
            "—",
        ),
        (
            "API overhead over bare Rasa at p50",
            f"{statistics.median(api) - statistics.median(rasa):.1f} ms",
            "≤ 10 ms",
        ),
        (
            "API / bare Rasa ratio at p50",
            f"{statistics.median(api) / statistics.median(rasa):.2f}",
            "—",
        ),
        (
            "`/api/v1/classify` one line, p50 / p95",
            f"{statistics.median(classify['api']):.1f} / "
            f"{percentile(classify['api'], 0.95):.1f} ms",
            "p95 ≤ 50 ms",
        ),
        (
            "Bare Rasa `/model/parse`, p50 / p95",
            f"{statistics.median(classify['rasa']):.1f} / "
            f"{percentile(classify['rasa'], 0.95):.1f} ms",
            "—",
        ),
        (
            "`/api/v1/review-reply`, p50 / p95",
            f"{statistics.median(api_only['review']):.1f} / "
            f"{percentile(api_only['review'], 0.95):.1f} ms",
            "p95 ≤ 30 ms",
        ),
        (
            "Coach-mode turn (customer line → coaching card) via `/api/v1/chat`, p50 / p95",
            f"{statistics.median(api_only['coach_turn']):.1f} / "
            f"{percentile(api_only['coach_turn'], 0.95):.1f} ms",
            "p95 ≤ 150 ms",
        ),
        *practice_rows(practice, percentile(practice.turn_ms, 0.95)),
        *slack_rows(
            slack_figures,
            percentile(slack_figures.ack_ms, 0.95),
            percentile(slack_figures.answer_ms, 0.95),
        ),
        *web_rows(
            web,
            {
                "inbox": percentile(web.inbox_ms, 0.95),
                "filtered": percentile(web.filtered_ms, 0.95),
                "browser": percentile(web.browser_ms, 0.95),
            },
        ),
    ]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (`make bench`); do not edit by hand.",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}. Latency: {len(api)} sequential requests per path, "
        "one client, interleaved API / bare Rasa, messages cycling through greet, help "
        "(custom action), out-of-scope and goodbye in Chinese and English. Classify: the same "
        "protocol with four customer lines (both languages), against Rasa's own `/model/parse`.",
        "",
        "| Measure | Value | Target |",
        "|---|---|---|",
        *[f"| {name} | {value} | {target} |" for name, value, target in rows],
        "",
        "Practice sessions are played by the scripted strong trainee of "
        "`testkit/practice_scripts.py`; the reading is the scorecard's conversation-level "
        "reading of the customer's lines.",
        "",
        *(
            [
                "Sessions whose reading differed:",
                "",
                *[f"- {item}" for item in practice.disagreements],
                "",
            ]
            if practice.disagreements
            else []
        ),
    ]
    lines += [
        "## Where a practice turn's time goes",
        "",
        "Each part measured on its own in the same run (`bench/turn_profile.py`): the "
        "trainee's reply through Rasa's NLU, the action server's practice step in process, "
        "the NLU pass on the simulated customer's line; the remainder is what the whole turn "
        "costs beyond them.",
        "",
        *profile_rows(profile, statistics.median(practice.turn_ms)),
        "",
    ]
    report = "\n".join(lines)
    write_section(ROOT / "docs" / "benchmarks.md", "main", report)
    print(report)
    print("written to docs/benchmarks.md")


if __name__ == "__main__":
    main()
