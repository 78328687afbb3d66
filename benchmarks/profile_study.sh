#!/usr/bin/env bash
# The profile study of issue 11 on the bundled profile bank: today's test (one theta, each area
# scored alone) against the multidimensional test, 20, 25 and 30 items, 5,000 simulated people.
# Writes study.csv, study.json and study.html (table and plots) to OUT (default
# /tmp/dskill-profile-study) and prints the table; docs/profile_study.md quotes it. One thread:
# progressive-restricted exposure reads the rates of the sessions before, so the order matters.
#
#   benchmarks/profile_study.sh [BUILD_DIR] [OUT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
OUT=${2:-/tmp/dskill-profile-study}
mkdir -p "$OUT"
time "$BUILD/benchmarks/profile_study" \
  --bank "$ROOT/item_banks/digcomp-profile.yaml" \
  --framework "$ROOT/item_banks/frameworks/digcomp-2.2.yaml" \
  --spec "$ROOT/item_banks/specs/digcomp-cat.yaml" \
  --profile-spec "$ROOT/item_banks/specs/digcomp-profile-cat.yaml" \
  --examinees 5000 --lengths 20,25,30 --seed 11 --threads 1 --min-probability 0.8,0.9 --out "$OUT"
echo "report: $OUT/study.html"
