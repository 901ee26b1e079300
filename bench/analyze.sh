#!/usr/bin/env bash
# Times `noharm analyze` with every built-in pack on generated portfolio
# models: 5,000 elements and 10,000 flows (the target: under 1 s and 300 MB
# on a 2-core machine), and ten times that, to show growth is linear.
#
#   bench/analyze.sh            # builds release, generates, measures
#
# Prints one line per size: wall seconds (best of 3), peak RSS, findings.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/noharm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

measure() {
    local elements=$1 flows=$2 dir="$work/m$1"
    python3 bench/gen_model.py "$dir" --elements "$elements" --flows "$flows"
    "$bin" check --quiet "$dir/model.json" >/dev/null
    local best="" rss=""
    for _ in 1 2 3; do
        # GNU time's %e is wall seconds and %M peak resident KB.
        local line
        line=$( { /usr/bin/time -f "%e %M" "$bin" analyze "$dir/model.json" --format json \
            --output "$work/out.json" >/dev/null; } 2>&1 | tail -1)
        local secs=${line% *} kb=${line#* }
        if [[ -z $best ]] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; fi
        if [[ -z $rss ]] || (( kb > rss )); then rss=$kb; fi
    done
    local findings
    findings=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['summary']['total'])" "$work/out.json")
    printf '%7d elements %7d flows: %6.2f s  %6.1f MB peak  %7d findings\n' \
        "$elements" "$flows" "$best" "$(awk "BEGIN{print $rss/1024}")" "$findings"
}

measure 5000 10000
measure 50000 100000
