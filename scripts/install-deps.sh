#!/usr/bin/env bash
# Installs every Debian 12 package dskill needs to build, test and benchmark (as root, or with
# sudo). Safe to run again: apt-get skips what is already installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-serialization-dev libeigen3-dev libfmt-dev libyaml-cpp-dev libyaml-dev
  doctest-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libsodium-dev libssl-dev libtbb-dev
  clang libclang-rt-14-dev
  python3-dev python3-numpy python3-pytest python3-pandas python3-setuptools pybind11-dev
  python3-dask python3-distributed
  libsqlite3-dev libpq-dev postgresql libjwt-dev wrk chromium
  nodejs
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Debian's npm, unless an npm came with nodejs (NodeSource's nodejs ships one, and conflicts with it).
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The independent verifiers CI runs over issued credentials (tests/interop: Digital Bazaar's VC
# stack, jsonld, ajv), at the exact versions of its package-lock.json.
interop="$(cd "$(dirname "$0")/.." && pwd)/tests/interop"
if [[ ! -f "$interop/node_modules/.package-lock.json" || "$interop/package-lock.json" -nt "$interop/node_modules/.package-lock.json" ]]; then
  (cd "$interop" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "dskill: build dependencies present"
