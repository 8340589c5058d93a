"""Helpers the test suites and the benchmarks share: the real stack on free ports, a fake
Slack, scripted trainees. A plain package, imported the same way by both."""
