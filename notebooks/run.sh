#!/usr/bin/env bash
# Executes the three notebooks headless against the built jar (building it if needed) and fails if any cell fails.
# The executed copies, with their outputs, land in runs/notebooks/executed/ (the committed notebooks stay clean).
# Usage: notebooks/run.sh [NOTEBOOK.ipynb ...]   (default: all three, in order)
set -euo pipefail
cd "$(dirname "$0")"
./install.sh
../smwm --version >/dev/null
out=../runs/notebooks/executed
mkdir -p "$out"
if [ $# -gt 0 ]; then books=("$@"); else books=(01-trajectory-table.ipynb 02-training-run.ipynb 03-planning.ipynb); fi
for nb in "${books[@]}"; do
  start=$(date +%s)
  echo "notebooks: executing $nb ..."
  log="$out/${nb%.ipynb}.log"
  if ! /usr/bin/python3 -m nbconvert --to notebook --execute --ExecutePreprocessor.timeout=1800 \
      --ExecutePreprocessor.kernel_name=python3 --output-dir "$out" "$nb" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "notebooks: $nb FAILED (log: $log)" >&2
    exit 1
  fi
  echo "notebooks: $nb executed in $(( $(date +%s) - start )) s -> $out/$nb"
done
