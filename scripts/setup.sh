#!/usr/bin/env bash
# Set up everything celac-i18n needs on Debian 12 / Python 3.11: Debian packages
# (apertium MT, Noto CJK fonts, poppler tools for the PDF tests, Chromium for the review
# page's browser test (driven by Playwright, never `playwright install`), LibreOffice Writer to
# read back the diff's tracked-changes DOCX), a virtual
# environment in .venv, and the package with its test, neural and cluster extras.
# Idempotent: packages already installed are not reinstalled.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS=(apertium apertium-eng-spa apertium-es-pt fonts-noto-cjk poppler-utils libreoffice-writer-nogui chromium)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# torch is pinned to 2.13.0 in the neural extra: that CPU build is on local disk;
# an open range would pull a multi-GB CUDA build.
.venv/bin/python -m pip install -q -e '.[test,neural,cluster]'
touch .venv/.celac-setup-done
