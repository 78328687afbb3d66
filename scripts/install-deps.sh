#!/usr/bin/env bash
# Installs every Debian 12 package dskill needs to build, test and benchmark (as root, or with
# sudo). Safe to run again: apt-get skips what is already installed.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-graph-dev libboost-serialization-dev libeigen3-dev libfmt-dev libyaml-cpp-dev libyaml-dev
  doctest-dev libbenchmark-dev libcli11-dev nlohmann-json3-dev zlib1g-dev libsodium-dev libtbb-dev
  clang libclang-rt-14-dev
  python3-dev python3-numpy python3-pytest python3-pandas python3-setuptools pybind11-dev
  python3-dask python3-distributed
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "dskill: build dependencies present"
