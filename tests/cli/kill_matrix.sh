#!/usr/bin/env bash
# Crash safety of score with credentials: scripts/kill_matrix.sh at a size CI can afford
# (2,000 rows, 3 kill points per credential mode and salt kind). A full run (200,000 rows) is
# `scripts/kill_matrix.sh build/release/dskill`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
bash "$SRC/scripts/kill_matrix.sh" "$DSKILL" 2000 3
