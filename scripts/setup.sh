#!/usr/bin/env bash
# Set up vanthu on a fresh Debian or Ubuntu machine: the Debian packages running needs
# (Tesseract with Vietnamese and orientation data, fonts, a C compiler), then the locked
# Python environment in .venv/ (uv, from PyPI, on the system's Python 3.11, 3.12 or 3.13;
# nothing else is downloaded), then pngstore, the small library that spares Tesseract its
# internal PNG compression (pipeline/ocr/native/pngstore.c). Safe to run again.
#
# What the tests need, by VANTHU_SETUP_TESTS:
#   unset  the test extra in .venv/ (pytest, hypothesis, ruff, mypy: Python packages only),
#          so that `./scripts/setup.sh && .venv/bin/python -m pytest -q` works; the tests
#          that need chromium or poppler skip, saying how to get them
#   1      also the Debian packages of those tests: chromium (the review page's browser
#          test), poppler-utils (pdftotext) and postgresql (the store tests and
#          tools/scale_test.py start throw-away clusters); the README's test command and
#          .ci/run set it
#   0      running only: no test extra (an office machine or a server)
# `./scripts/setup.sh --packages` prints the Debian packages it would install, and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

TESTS="${VANTHU_SETUP_TESTS:-}"
case "$TESTS" in
  "" | 0 | 1) ;;
  *) echo "setup: VANTHU_SETUP_TESTS must be 0, 1 or unset, not '$TESTS'" >&2; exit 2 ;;
esac

apt_packages=(python3 python3-venv python3-pip tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 gcc libc6-dev)
[ "$TESTS" = 1 ] && apt_packages+=(chromium poppler-utils postgresql)
if [ "${1:-}" = "--packages" ]; then  # what would be installed, and nothing else
  echo "${apt_packages[*]}"
  exit 0
fi
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# the system Python of Debian 12/13 and Ubuntu 24.04/25.04 (uv.lock resolves for all three)
"$PY" -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "vanthu needs Python 3.11, 3.12 or 3.13, not %d.%d; set PYTHON=/usr/bin/python3.X" % v)'

UV_VERSION="0.13.9"
if [ ! -x .tools/bin/uv ] || ! .tools/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  "$PY" -m venv .tools
  .tools/bin/pip install -q "uv==$UV_VERSION"
fi
extras=(--extra test)
[ "$TESTS" = 0 ] && extras=()
# a .venv made with another Python is replaced (uv sync recreates it for --python)
UV_PYTHON_DOWNLOADS=never .tools/bin/uv sync --frozen "${extras[@]}" --compile-bytecode --python "$PY" -q
# Tesseract PNG-encodes every text line it reads; preloaded, pngstore makes that PNG
# stored instead of compressed: the same words for 14% less CPU (pipeline/ocr/tesseract.py).
mkdir -p .venv/lib/vanthu
if [ pipeline/ocr/native/pngstore.c -nt .venv/lib/vanthu/pngstore.so ]; then
  cc -O2 -Wall -Werror -shared -fPIC -o .venv/lib/vanthu/pngstore.so.tmp pipeline/ocr/native/pngstore.c -ldl
  mv .venv/lib/vanthu/pngstore.so.tmp .venv/lib/vanthu/pngstore.so
fi
echo "setup: ready ($(.venv/bin/vanthu --version), $(tesseract --version 2>&1 | head -1))" >&2
