# Shared setup for the CLI tests (tests/cli/*.sh); not a test itself (CMake registers every other
# script). Each script sets its own shell options, then sources this file first:
#
#   set -euo pipefail                      # or set -u, for scripts that count failures and go on
#   source "$(dirname "$0")/lib.sh"        # reads the script's $1 (dskill binary) and $2 (source dir)
#
# It gives:
#   DSKILL, SRC                 the binary and the source directory
#   REF_DIR                     the peer libraries' reference values (../shared/reference, or
#                               $DSKILL_REFERENCE_DIR as CMake sets it), read in place
#   T                           a fresh temporary directory, removed when the script exits
#   fail MSG...                 report and stop (exit 1)
#   soft_fail MSG...            report, count, and go on; `finish` turns any count into exit 1
#   check DESC WANT GOT         soft_fail unless WANT == GOT
#   expect_exit CODE CMD...     run CMD (stdout to $T/stdout, stderr to $T/stderr); fail unless it
#                               exits with CODE; works with or without `set -e`
#   expect_contains FILE TEXT [WHAT]   fail unless FILE contains the fixed string TEXT
#   json_num KEY FILE           the first number after "KEY": in FILE
#   finish NAME                 exit 1 if anything soft-failed, else print "NAME: ok"
#
# Never pipe a command into `grep -q`: grep stops reading at the first match, the writer dies of
# SIGPIPE and, with pipefail, the pipeline fails although the text was there. Write to a file and
# grep the file, or grep a here-string (<<<"$out").

DSKILL=${1:?usage: $0 DSKILL_BINARY SOURCE_DIR}
SRC=${2:?usage: $0 DSKILL_BINARY SOURCE_DIR}
REF_DIR=${DSKILL_REFERENCE_DIR:-$SRC/../shared/reference}
[[ -d $REF_DIR ]] || { echo "FAIL: no reference values at $REF_DIR (set DSKILL_REFERENCE_DIR)" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
failures=0

fail() { echo "FAIL: $*" >&2; exit 1; }
soft_fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
check() { [[ "$2" == "$3" ]] || soft_fail "$1: expected '$2', got '$3'"; }

expect_exit() {
  local want=$1 got opts=$-
  shift
  set +e
  "$@" >"$T/stdout" 2>"$T/stderr"
  got=$?
  [[ $opts == *e* ]] && set -e
  [[ $got == "$want" ]] || { cat "$T/stderr" >&2; fail "exit $got, expected $want: $*"; }
}

expect_contains() {
  grep -qF -- "$2" "$1" || fail "${3:-$1} lacks '$2'"
}

json_num() { grep "\"$1\"" "$2" | head -1 | sed -E 's/.*: *(-?[0-9.eE+-]+).*/\1/'; }

finish() {
  if ((failures > 0)); then
    echo "$1: $failures failure(s)" >&2
    exit 1
  fi
  echo "$1: ok"
}
