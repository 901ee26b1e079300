#!/usr/bin/env bash
# Runs the loader fuzz target for a while, seeded with the bundled examples
# and the invalid-model corpus.
#
#   fuzz/run.sh [SECONDS]      (default 600)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). The stable toolchain builds
# it with RUSTC_BOOTSTRAP=1, since sanitizer flags are nightly-only.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-600}"
corpus=corpus/load_model
mkdir -p "$corpus"
cp ../examples/*.yaml ../examples/split/*.yaml "$corpus"/ 2>/dev/null || true
cp ../crates/noharm-model/tests/invalid/* "$corpus"/ 2>/dev/null || true
export RUSTC_BOOTSTRAP=1
exec cargo fuzz run load_model "$corpus" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
