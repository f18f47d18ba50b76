# Sourced by bin/up and bin/test: make .venv if needed and install the project
# into it, pinned by constraints.txt, whenever pyproject.toml or the pins changed.
# Needs only python3 (>= 3.11).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
EXTRAS="${1:-}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "Creating a virtual environment in $VENV" >&2
  "$PY" -m venv "$VENV"
fi
HASH="$(cat "$ROOT/pyproject.toml" "$ROOT/constraints.txt" | sha1sum | cut -c1-12)"
STAMP="$VENV/.installed-$HASH${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ]; then
  echo "Installing the suite and its dependencies into $VENV" >&2
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -c "$ROOT/constraints.txt" -e "$ROOT${EXTRAS:+[$EXTRAS]}" >&2
  find "$VENV" -maxdepth 1 -name '.installed-*' ! -name ".installed-$HASH*" -delete
  touch "$STAMP"
  # the test extras include the base install, so they stand for it too
  if [ -n "$EXTRAS" ]; then touch "$VENV/.installed-$HASH"; fi
fi
