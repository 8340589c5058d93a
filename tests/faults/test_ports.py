"""The test stacks pick their own ports: one stack's ports must never collide."""

from testkit.stack import ephemeral_range_start, free_port


def test_ports_handed_out_are_distinct_and_outside_the_ephemeral_range() -> None:
    firsts = [free_port(3) for _ in range(20)] + [free_port() for _ in range(60)]
    ports = [port for first in firsts[:20] for port in range(first, first + 3)] + firsts[20:]

    assert len(set(ports)) == len(ports)
    assert max(ports) < ephemeral_range_start()
