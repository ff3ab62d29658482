# Shared by the CLI tests (sourced). GB_BIN, GB_SOURCE_DIR, GB_SHARED_DIR come from ctest.
set -euo pipefail
: "${GB_BIN:?GB_BIN must point at the gaitbatch binary}"
: "${GB_SOURCE_DIR:?}"
export SOURCE_DATE_EPOCH=1767225600   # fixed report creation time: byte-comparable outputs
export LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/gbcli.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
ok()   { echo "ok   - $*"; }
bad()  { echo "FAIL - $*"; fails=$((fails + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# expect_rc WANT CMD...: runs CMD, stores stdout/stderr in $T/out $T/err
expect_rc() {
  local want=$1; shift
  local rc=0
  "$@" >"$T/out" 2>"$T/err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "exit $want: $*"; else bad "exit $rc (want $want): $* -- $(head -c 600 "$T/err")"; fi
}
have_h5py() { /usr/bin/python3 -c 'import h5py, pandas' 2>/dev/null; }
py() { /usr/bin/python3 "$@"; }
finish() {
  if [ "$fails" -gt 0 ]; then echo "$fails check(s) failed"; exit 1; fi
  echo "all checks passed"
}
