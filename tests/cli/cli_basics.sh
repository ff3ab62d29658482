# CLI contract: help/version to stdout with exit 0, usage errors exit 2, config dump round trip.
source "$(dirname "$0")/lib/common.bash"

expect_rc 0 "$GB_BIN" --help
check "--help lists commands" grep -q "batch" "$T/out"
expect_rc 0 "$GB_BIN" --version
check "--version names HDF5, FFTW and libsndfile" \
  bash -c "grep -q HDF5 '$T/out' && grep -qi fftw '$T/out' && grep -qi libsndfile '$T/out'"
expect_rc 2 "$GB_BIN"
expect_rc 2 "$GB_BIN" frobnicate
check "unknown command message" grep -q "gaitbatch: error: unknown command 'frobnicate'" "$T/err"
for cmd in analyze batch show synth eval bench config; do
  expect_rc 0 "$GB_BIN" "$cmd" --help
  check "$cmd --help prints usage on stdout" grep -qi "usage" "$T/out"
done
expect_rc 2 "$GB_BIN" analyze
expect_rc 2 "$GB_BIN" analyze x.wav
expect_rc 2 "$GB_BIN" analyze --location knee -o "$T/o" x.wav
check "bad --location named" grep -q -- "--location" "$T/err"
expect_rc 2 "$GB_BIN" batch "$T" -o "$T/o" -j 0
expect_rc 2 "$GB_BIN" batch "$T" -o "$T/o" --progress sometimes

# config: dump, edit, reload; errors name the line
expect_rc 0 "$GB_BIN" config --dump
cp "$T/out" "$T/cfg.ini"
check "dump cites sources" grep -q "Frandsen" "$T/cfg.ini"
sed -i 's/^pta_high_g = .*/pta_high_g = 9/' "$T/cfg.ini"
expect_rc 0 "$GB_BIN" config --dump -c "$T/cfg.ini"
check "edited value applied" grep -q "^pta_high_g = 9$" "$T/out"
printf '[risk]\n\npta_high_g = lots\n' > "$T/bad.ini"
expect_rc 2 "$GB_BIN" config -c "$T/bad.ini"
check "config error names file:line" grep -q "bad.ini:3" "$T/err"
expect_rc 0 "$GB_BIN" config --flags
check "flag catalogue lists load.session_spike" grep -q "load.session_spike" "$T/out"

# analyze: missing file -> exit 3 (nothing written) with the path named
expect_rc 3 "$GB_BIN" analyze -o "$T/o" "$T/nope.wav"
check "missing file named" grep -q "nope.wav" "$T/err"

# analyze's heap warm-up (src/cli/heap_warm.h) changes where memory comes from,
# never a number: with and without it the report's bytes are the same
expect_rc 0 "$GB_BIN" synth -o "$T/w" --run --minutes 0.5 --location sacrum -q
export SOURCE_DATE_EPOCH=1767225600
expect_rc 0 "$GB_BIN" analyze -q -o "$T/warm" --location sacrum "$T/w/synth_steady.wav"
GB_HEAP_WARM=0 expect_rc 0 "$GB_BIN" analyze -q -o "$T/cold" --location sacrum "$T/w/synth_steady.wav"
check "analyze report byte-identical without the heap warm-up" \
  cmp -s "$T/warm/runs/synth_steady.h5" "$T/cold/runs/synth_steady.h5"
unset SOURCE_DATE_EPOCH
finish
