#!/usr/bin/env bash
# Create or update both Python environments and the blank spaCy pipeline. Idempotent: each
# part carries a stamp (hash of its inputs) and is skipped when the stamp matches, so a second
# run on a set-up machine takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
log=var/log/setup.log
PYTHON=${PYTHON:-python3}

say() { printf '[setup] %s\n' "$*"; }
fail() { say "failed: $*"; say "last lines of $log:"; tail -n 25 "$log" >&2; exit 1; }
stamp_of() { cat "$@" | sha256sum | cut -c1-16; }

ensure_python() {
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    say "Python 3.11 is required as '$PYTHON' (found: $("$PYTHON" --version 2>&1 || echo none))"
    exit 1
  fi
  if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    say "installing python3-venv (Debian package)"
    { apt-get update && apt-get install -y python3-venv; } >>"$log" 2>&1 || fail "apt-get install python3-venv"
  fi
}

# make_env DIR STAMP INSTALL-FUNCTION: (re)build DIR unless its stamp matches.
make_env() {
  local dir=$1 stamp=$2 installer=$3
  if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$stamp" ]]; then
    say "$dir is up to date"
    return
  fi
  say "building $dir (this takes a few minutes the first time; log: $log)"
  local start=$SECONDS
  [[ -x "$dir/bin/python" ]] || "$PYTHON" -m venv "$dir" >>"$log" 2>&1 || fail "python -m venv $dir"
  "$installer" "$dir" >>"$log" 2>&1 || fail "installing $dir"
  echo "$stamp" >"$dir/.stamp"
  say "$dir ready in $((SECONDS - start)) s"
}

install_rasa() {
  local pip="$1/bin/pip"
  "$pip" install --quiet --disable-pip-version-check -r requirements/rasa.txt
  # Rasa 3.6 declares Python <3.11; its dependencies are pinned above, so install it alone.
  "$pip" install --quiet --disable-pip-version-check --no-deps --ignore-requires-python \
    -r requirements/rasa-nodeps.txt
  "$pip" install --quiet --disable-pip-version-check -r requirements/rasa-dev.txt \
    -c requirements/rasa.txt
  RASA_TELEMETRY_ENABLED=false "$1/bin/rasa" --version
}

install_app() {
  "$1/bin/pip" install --quiet --disable-pip-version-check -r requirements/app.txt
}

build_spacy() {
  local stamp
  stamp=$(stamp_of scripts/build_spacy_pipeline.py requirements/rasa.txt)
  if [[ -f var/spacy/zh_jieba/.stamp && "$(cat var/spacy/zh_jieba/.stamp)" == "$stamp" ]]; then
    say "spaCy pipeline var/spacy/zh_jieba is up to date"
    return
  fi
  say "building the blank Chinese spaCy pipeline (jieba) in var/spacy/zh_jieba"
  rm -rf var/spacy/zh_jieba
  TF_CPP_MIN_LOG_LEVEL=2 .venv-rasa/bin/python scripts/build_spacy_pipeline.py var/spacy/zh_jieba \
    >>"$log" 2>&1 || fail "building the spaCy pipeline"
  echo "$stamp" >var/spacy/zh_jieba/.stamp
}

# Browser tests drive Debian's Chromium through Playwright (no browser download at run time);
# the CJK fonts make Chinese pages render (and the screenshots readable).
ensure_chromium() {
  if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver && -d /usr/share/fonts/opentype/noto ]]; then
    say "chromium is installed"
    return
  fi
  say "installing chromium, chromium-driver and fonts-noto-cjk (Debian packages) for the browser tests"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      chromium chromium-driver fonts-noto-cjk; } >>"$log" 2>&1 \
    || fail "apt-get install chromium chromium-driver fonts-noto-cjk"
}

# The production profile (`make run-prod`) and its tests run PostgreSQL and Redis from
# Debian's packages, on loopback, started by scripts/services.py.
ensure_prod_services() {
  if compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null && [[ -x /usr/bin/redis-server ]]; then
    say "postgresql and redis-server are installed"
    return
  fi
  say "installing postgresql and redis-server (Debian packages) for the production profile"
  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      postgresql redis-server; } >>"$log" 2>&1 || fail "apt-get install postgresql redis-server"
}

ensure_python
ensure_chromium
ensure_prod_services
make_env .venv-rasa "$(stamp_of requirements/rasa.txt requirements/rasa-nodeps.txt requirements/rasa-dev.txt)" install_rasa
make_env .venv-app "$(stamp_of requirements/app.txt)" install_app
build_spacy
say "done"
