"""Admission control: at most N turns in flight per Rasa replica, the rest wait in line.

A burst (a class of 200 starting an exercise at once) must not reach Rasa all together: past
its capacity every turn gets slower until the API's deadline cuts them off, and a cut-off turn
may still be processed later. Here each replica takes `concurrency` turns at a time (its
measured capacity, per API worker); later turns wait in that replica's line, in arrival order.
A conversation holds one place in the line at a time, so its turns stay in order. Only when the
line is full, or a turn has waited `max_wait_seconds`, is it refused: 503 with `Retry-After`,
before anything reached Rasa, so "not processed" is then true.

Queue depth, turns in flight and wait times are exported at `/metrics` (Prometheus text).
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

WAIT_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class QueueFull(Exception):
    """The turn was not admitted (nothing reached Rasa); try again after `retry_after` s."""

    def __init__(self, reason: str, retry_after: int) -> None:
        super().__init__(reason)
        self.reason = reason  # "queue_full" | "queue_timeout"
        self.retry_after = retry_after


@dataclass
class _Line:
    """One replica's gate and its figures."""

    slots: asyncio.Semaphore
    waiting: int = 0
    in_flight: int = 0
    admitted: int = 0
    refused: int = 0
    wait_sum: float = 0.0
    wait_buckets: list[int] = field(default_factory=lambda: [0] * len(WAIT_BUCKETS))
    busy_seconds: float = 0.0  # for the average turn time behind Retry-After


class Admission:
    def __init__(self, concurrency: int, queue_limit: int, max_wait_seconds: float) -> None:
        self.concurrency = concurrency
        self.queue_limit = queue_limit
        self.max_wait_seconds = max_wait_seconds
        self._lines: dict[str, _Line] = {}
        self._conversations: dict[str, asyncio.Lock] = {}
        self._holders: dict[str, int] = {}

    def _line(self, replica: str) -> _Line:
        if replica not in self._lines:
            self._lines[replica] = _Line(asyncio.Semaphore(self.concurrency))
        return self._lines[replica]

    @asynccontextmanager
    async def turn(
        self, replica: str, conversation: str, max_wait: float | None = None
    ) -> AsyncIterator[float]:
        """Hold a place for one turn; yields how long it waited (seconds). `max_wait` caps the
        wait below the configured one (Slack must answer within 3 s)."""
        line = self._line(replica)
        if line.waiting >= self.queue_limit and line.slots.locked():
            line.refused += 1
            raise QueueFull("queue_full", self.retry_after(line))
        started = time.monotonic()
        line.waiting += 1
        lock = self._conversations.setdefault(conversation, asyncio.Lock())
        self._holders[conversation] = self._holders.get(conversation, 0) + 1
        admitted = False
        try:
            async with asyncio.timeout(
                min(self.max_wait_seconds, max_wait or self.max_wait_seconds)
            ):
                await lock.acquire()
                try:
                    await line.slots.acquire()
                except BaseException:
                    lock.release()
                    raise
            admitted = True
        except TimeoutError:
            line.refused += 1
            raise QueueFull("queue_timeout", self.retry_after(line)) from None
        finally:
            line.waiting -= 1
            if not admitted:
                self._let_go(conversation)
        waited = time.monotonic() - started
        self._record_wait(line, waited)
        line.in_flight += 1
        begun = time.monotonic()
        try:
            yield waited
        finally:
            line.in_flight -= 1
            line.busy_seconds += time.monotonic() - begun
            line.slots.release()
            lock.release()
            self._let_go(conversation)

    def _let_go(self, conversation: str) -> None:
        self._holders[conversation] -= 1
        if not self._holders[conversation]:
            del self._holders[conversation]
            del self._conversations[conversation]

    def _record_wait(self, line: _Line, waited: float) -> None:
        line.admitted += 1
        line.wait_sum += waited
        for index, bound in enumerate(WAIT_BUCKETS):
            if waited <= bound:
                line.wait_buckets[index] += 1

    def retry_after(self, line: _Line) -> int:
        """Seconds until the line has likely moved on: its length times the average turn."""
        average = line.busy_seconds / line.admitted if line.admitted else 0.5
        return max(1, min(60, round((line.waiting + 1) * average / self.concurrency)))

    def metrics(self) -> str:
        """The figures in Prometheus' text format, one series per replica."""
        out = [
            "# HELP coach_queue_depth Turns waiting for a Rasa replica.",
            "# TYPE coach_queue_depth gauge",
            *(f'coach_queue_depth{{replica="{r}"}} {line.waiting}' for r, line in self._rows()),
            "# HELP coach_turns_in_flight Turns a Rasa replica is handling now.",
            "# TYPE coach_turns_in_flight gauge",
            *(
                f'coach_turns_in_flight{{replica="{r}"}} {line.in_flight}'
                for r, line in self._rows()
            ),
            "# HELP coach_turns_refused_total Turns answered 503 by admission control.",
            "# TYPE coach_turns_refused_total counter",
            *(
                f'coach_turns_refused_total{{replica="{r}"}} {line.refused}'
                for r, line in self._rows()
            ),
            "# HELP coach_queue_wait_seconds Time a turn waited for its replica.",
            "# TYPE coach_queue_wait_seconds histogram",
        ]
        for replica, line in self._rows():
            for bound, count in zip(WAIT_BUCKETS, line.wait_buckets, strict=True):
                out.append(
                    f'coach_queue_wait_seconds_bucket{{replica="{replica}",le="{bound}"}} {count}'
                )
            out += [
                f'coach_queue_wait_seconds_bucket{{replica="{replica}",le="+Inf"}} {line.admitted}',
                f'coach_queue_wait_seconds_sum{{replica="{replica}"}} {line.wait_sum:.6f}',
                f'coach_queue_wait_seconds_count{{replica="{replica}"}} {line.admitted}',
            ]
        out.append(f"coach_replica_concurrency {self.concurrency}")
        return "\n".join(out) + "\n"

    def _rows(self) -> list[tuple[str, _Line]]:
        return sorted(self._lines.items())
