#!/usr/bin/env bash
# Regenerates tests/data/golden from the current build, on purpose: run it when a change of
# output is meant, read `git diff tests/data/golden`, and commit the files with the change.
# Usage: tests/cli/update_golden.sh DSKILL_BINARY [SOURCE_DIR (default: this checkout)]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DSKILL_UPDATE_GOLDEN=1 exec bash "$here/golden.sh" "${1:?usage: $0 DSKILL_BINARY [SOURCE_DIR]}" "${2:-$(cd "$here/../.." && pwd)}"
