"""Run `rasa run ARGS...` with the API token read from the file COACH_RASA_TOKEN_FILE names.

Passing `--auth-token` on the command line would show the token to anyone who can run `ps`;
here it only enters this process's own argument list, after exec.
"""

import os
import sys
from pathlib import Path

from rasa.__main__ import main


def rasa_argv(args: list[str], token: str) -> list[str]:
    """The `rasa run` argument list; `--auth-token=` keeps a token that starts with "-" whole."""
    return ["rasa", "run", *args, f"--auth-token={token}"]


if __name__ == "__main__":
    token = Path(os.environ["COACH_RASA_TOKEN_FILE"]).read_text(encoding="utf-8").strip()
    if not token:
        raise SystemExit("the Rasa API token file is empty; delete it to generate a new token")
    sys.argv = rasa_argv(sys.argv[1:], token)
    main()
