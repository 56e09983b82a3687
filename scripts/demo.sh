#!/usr/bin/env bash
# The main job on the shipped corpus: read the plan, make machine renderings, align
# the four languages (regenerating alignments/), check and score the renderings, and
# typeset the bilingual editions (jobs/demo.toml → out/).
set -euo pipefail
cd "$(dirname "$0")/.."
c=.venv/bin/celac-i18n
plan=2022-2024
step() { printf '\n== %s\n' "$*" >&2; }

step "corpus"
$c corpus list --format table
$c corpus show $plan:es --format table
step "clauses of the Spanish plan"
$c clauses $plan:es --kind clause --format table

step "machine renderings (apertium; cached after the first run)"
mkdir -p out
$c translate $plan:es --to en -o out/$plan.en.apertium.txt
$c translate $plan:es --to pt -o out/$plan.pt.apertium.txt

step "four-language alignment → alignments/"
langs="$plan:es $plan:en $plan:zh $plan:pt"
$c align $langs -o alignments/$plan.es-en-zh-pt.clause.jsonl
$c align $langs -o alignments/$plan.es-en-zh-pt.clause.tmx

step "QA of the reference renderings (critical findings)"
for l in en zh pt; do
  $c qa $plan:es $plan:$l:reference --severity critical --format table
done

step "scores of the machine renderings against the reference renderings"
$c score $plan:en:apertium $plan:en:reference --format table
$c score $plan:pt:apertium $plan:pt:reference --format table

step "bilingual editions (PDF) → out/"
$c batch jobs/demo.toml

step "proofreading the editions from their PDFs (kinsoku, markers, paths, ids)"
.venv/bin/python -m celac_i18n.typeset.proof out/$plan.*.pdf

step "page images → out/preview/ (title page, a middle page of es-zh, the four-language table)"
mkdir -p out/preview
pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}'; }
png() { pdftoppm -png -r 90 -f "$2" -l "$2" -singlefile "$1" "out/preview/$3"; }
zh=out/$plan.es-zh.pdf four=out/$plan.es-en-zh-pt.pdf
png $zh 1 es-zh.title
png $zh $(( ($(pages $zh) + 1) / 2 )) es-zh.middle
png $four 2 es-en-zh-pt.first
png $four $(( ($(pages $four) + 1) / 2 )) es-en-zh-pt.middle
ls out/preview >&2
