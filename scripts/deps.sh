#!/usr/bin/env bash
# Installs the Debian packages gaitbatch needs (only the missing ones). Idempotent.
# Usage: scripts/deps.sh [--fuzz | --bench | --test]
#   --test adds R with rhdf5 (Bioconductor, as Debian packages it): the test suite reads
#   reports from R as the README shows (tests/cli/report_r.sh)
set -euo pipefail
pkgs=(build-essential cmake pkg-config libfftw3-dev libsndfile1-dev libhdf5-dev hdf5-tools
      libinih-dev libxxhash-dev zlib1g-dev libcmocka-dev python3 python3-h5py python3-pandas python3-numpy
      python3-scipy)
[ "${1:-}" = "--fuzz" ] && pkgs+=(clang libclang-rt-14-dev)
[ "${1:-}" = "--bench" ] && pkgs+=(python3-soundfile)
[ "${1:-}" = "--test" ] && pkgs+=(r-bioc-rhdf5)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#pkgs[@]} Debian packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { echo "deps: FAILED at apt-get update" >&2; exit 1; }
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" \
  || { echo "deps: FAILED at apt-get install ${missing[*]}" >&2; exit 1; }
