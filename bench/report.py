"""docs/benchmarks.md is written by more than one benchmark: each owns a marked section.

`bench/run.py` writes the "main" section, `bench/roleplay.py` the "roleplay" section and
`bench/load.py` the "load" section; writing one keeps the others as they were.
"""

import re
from pathlib import Path

ORDER = ("main", "roleplay", "load")
_SECTION = re.compile(r"<!-- section:(\w+) -->\n(.*?)<!-- /section:\1 -->\n", re.DOTALL)


def write_section(path: Path, name: str, text: str) -> None:
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    sections = {match[1]: match[2] for match in _SECTION.finditer(existing)}
    sections[name] = text.rstrip("\n") + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "\n".join(
            f"<!-- section:{key} -->\n{sections[key]}<!-- /section:{key} -->\n"
            for key in ORDER
            if key in sections
        ),
        encoding="utf-8",
    )
