# Sourced by scripts/demo and scripts/test: a virtual environment with coachkit installed.
# VENV may name another folder (default: .venv beside this repository).
VENV="${VENV:-$PWD/.venv}"
PYTHON="${PYTHON:-python3}"

ensure_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating the virtual environment in $VENV"
    "$PYTHON" -m venv "$VENV"
  fi
  echo "==> installing coachkit$extras into $VENV"
  # (this machine's pip configuration names local mirrors that may be absent: drop those notes)
  "$VENV/bin/python" -m pip install --quiet --upgrade pip 2> >(grep -v "^WARNING: Location" >&2)
  "$VENV/bin/python" -m pip install --quiet -e ".$extras" 2> >(grep -v "^WARNING: Location" >&2)
  export PATH="$VENV/bin:$PATH"
}

# Debian packages (Chromium for browser tests and PDF, PostgreSQL for the store's tests,
# poppler-utils to look at PDF pages); installed when apt-get is there and we are root.
ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  [ "${1:-}" = "all" ] && { command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql); }
  [ "${1:-}" = "all" ] && { command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils); }
  [ ${#missing[@]} -eq 0 ] && return 0
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "==> installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "!! missing ${missing[*]} and cannot install them here (needs root and apt-get)" >&2
  fi
}
