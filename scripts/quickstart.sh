#!/usr/bin/env bash
# Quick start: installs what is missing, builds dskill, and runs the main job on the bundled
# DigComp item bank: a simulated adaptive test of 10,000 examinees (accuracy, length, exposure).
# In a terminal it then offers to let you take the adaptive test yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target dskill_cli
dskill=build/release/dskill
bank=item_banks/digcomp-core.yaml
spec=item_banks/specs/digcomp-cat.yaml

echo "== validating the bundled bank against DigComp 2.2"
"$dskill" validate "$bank" --framework item_banks/frameworks/digcomp-2.2.yaml

echo "== simulating an adaptive test of 10,000 examinees on $bank"
mkdir -p out
"$dskill" simulate --bank "$bank" --spec "$spec" --examinees 10000 --seed 2026 --threads "$(nproc)" \
  --out out/simulation.csv | tee out/simulation-summary.json
echo "per-examinee results: out/simulation.csv; summary: out/simulation-summary.json"

if [[ -t 0 && -t 1 ]]; then
  read -r -p "Take the adaptive test yourself now? [y/N] " answer
  if [[ "$answer" =~ ^[yY] ]]; then
    read -r -p "Language (en/vi) [en]: " lang
    "$dskill" take --bank "$bank" --spec "$spec" --framework item_banks/frameworks/digcomp-2.2.yaml --lang "${lang:-en}"
  fi
fi
