#!/usr/bin/env bash
# The main job on the shipped corpus. Later stages (align, score, diff, PDFs) extend it.
set -euo pipefail
cd "$(dirname "$0")/.."
c=.venv/bin/celac-i18n
$c corpus list --format table
$c corpus show 2022-2024:es --format table
$c clauses 2022-2024:es --kind clause --format table
