#!/usr/bin/env bash
# Set up vanthu on a fresh Debian 12 machine: Debian packages (Tesseract with Vietnamese
# data, fonts, poppler, chromium for the review page's browser test, a C compiler, PostgreSQL's
# server programs for the store tests and tools/scale_test.py, which start throw-away clusters), then
# the locked Python environment in .venv/ (uv, from PyPI, on the system's Python 3.11;
# nothing else is downloaded; the test extra brings pytest, ruff and mypy), then
# pngstore, the small library that spares Tesseract its internal PNG compression
# (pipeline/ocr/native/pngstore.c). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

apt_packages=(python3 python3-venv python3-pip tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd fonts-liberation2 poppler-utils chromium gcc libc6-dev postgresql)
missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

"$PY" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "vanthu needs Python 3.11; set PYTHON=/usr/bin/python3.11")'

UV_VERSION="0.13.9"
if [ ! -x .tools/bin/uv ] || ! .tools/bin/uv --version 2>/dev/null | grep -q "$UV_VERSION"; then
  "$PY" -m venv .tools
  .tools/bin/pip install -q "uv==$UV_VERSION"
fi
UV_PYTHON_DOWNLOADS=never .tools/bin/uv sync --frozen --extra test --compile-bytecode --python "$PY" -q
# Tesseract PNG-encodes every text line it reads; preloaded, pngstore makes that PNG
# stored instead of compressed: the same words for 14% less CPU (pipeline/ocr/tesseract.py).
mkdir -p .venv/lib/vanthu
if [ pipeline/ocr/native/pngstore.c -nt .venv/lib/vanthu/pngstore.so ]; then
  cc -O2 -Wall -Werror -shared -fPIC -o .venv/lib/vanthu/pngstore.so.tmp pipeline/ocr/native/pngstore.c -ldl
  mv .venv/lib/vanthu/pngstore.so.tmp .venv/lib/vanthu/pngstore.so
fi
echo "setup: ready ($(.venv/bin/vanthu --version), $(tesseract --version 2>&1 | head -1))" >&2
