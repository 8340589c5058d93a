"""Measure the reply analyzer on held-out replies (eval/replies.yml) → docs/reply-report.md.

.venv-app/bin/python eval/replies.py
"""

import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.language import detect_language  # noqa: E402
from bot.reply_analyzer import reply_analyzer  # noqa: E402


def main() -> None:
    items = yaml.safe_load((ROOT / "eval" / "replies.yml").read_text(encoding="utf-8"))["replies"]
    counts: dict[str, Counter[str]] = {lang: Counter() for lang in ("zh", "en", "all")}
    misses = []
    for item in items:
        analysis = reply_analyzer().analyze(item["reply"], item.get("customer_type"))
        found = {flag.code for flag in analysis.flags if flag.severity == "avoid"}
        expected = set(item["avoid"])
        lang: str = detect_language(item["reply"]) or "zh"
        for bucket in (lang, "all"):
            counts[bucket]["tp"] += len(found & expected)
            counts[bucket]["fp"] += len(found - expected)
            counts[bucket]["fn"] += len(expected - found)
            counts[bucket]["styles"] += 1
            counts[bucket]["style_ok"] += analysis.feedback_style == item["feedback"]
        if found != expected or analysis.feedback_style != item["feedback"]:
            misses.append((item["reply"], sorted(expected), sorted(found), item["feedback"],
                           analysis.feedback_style))  # fmt: skip
    lines = [
        "# Reply analyzer report",
        "",
        "Written by `eval/replies.py`; do not edit by hand.",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {len(items)} held-out replies "
        "(`eval/replies.yml`), written apart from the cue lists and unit tests by the same "
        "team, so treat the figures as an upper bound for unseen replies.",
        "",
        "| Language | avoid precision | avoid recall | feedback style accuracy | replies |",
        "|---|---|---|---|---|",
    ]
    for lang in ("zh", "en", "all"):
        c = counts[lang]
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        accuracy = c["style_ok"] / c["styles"] if c["styles"] else 0.0
        lines.append(
            f"| {lang} | {precision:.2f} | {recall:.2f} | {accuracy:.2f} | {c['styles']} |"
        )
    lines += ["", "## Disagreements", ""]
    lines += [
        f"- `{reply}` expected avoid {want}, got {got}; feedback expected {style}, got {seen}"
        for reply, want, got, style, seen in misses
    ] or ["None."]
    report = "\n".join(lines) + "\n"
    (ROOT / "docs" / "reply-report.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
