#!/bin/sh
# Benchmark: simulated downtime (zonesim clock_s) and attach attempts of zonerescue's `auto`
# and `ladder` against the oracle's gentlest plan, for every scenario in testdata/scenarios.
# Usage: scripts/bench-recovery.sh [OUTPUT.md]   (default: stdout). Needs jq and a built tree
# (cargo build --release is used). SCENARIOS=DIR benchmarks another directory of scenarios;
# GENERATED=A..B the generated worlds of those seeds (tests/world_gen, written out by
# tests/engine_random_worlds.rs with ZR_WORLD_DUMP).
set -eu
cd "$(dirname "$0")/.."
cargo build --release --quiet
ZR=$PWD/target/release/zonerescue
ZS=$PWD/target/release/zonesim
out=${1:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

run() { # scenario zone mode [after-operator] -> "clock attempts result applied"
    dir=$tmp/$3${4:-}-$(basename "$1" .toml)-$2
    "$ZS" init "$1" "$dir" >/dev/null
    start=0
    if [ -n "${4:-}" ]; then
        # The administrator's own attempt first (as on a real host before anyone calls
        # zonerescue); only what zonerescue adds after it is counted.
        "$dir/bin/zoneadm" -z "$2" detach >/dev/null 2>&1 || true
        if "$dir/bin/zoneadm" -z "$2" attach -u >/dev/null 2>&1; then
            echo "- - not-needed -"; return
        fi
        start=$("$ZS" show "$dir" --json | jq -r '.clock_s')
    fi
    "$ZR" --command-dir "$dir/bin" --system-root "$dir" --state-dir "$dir/state" --json \
        --strategy "$3" --yes --allow-destructive "$2" >"$dir.events" 2>/dev/null || true
    clock=$(( $("$ZS" show "$dir" --json | jq -r '.clock_s') - start ))
    tail -n 1 "$dir.events" | jq -r --arg c "$clock" \
        '"\($c) \(.attempts) \(.result) \(.strategies_applied | join(","))"'
}

if [ -n "${GENERATED:-}" ]; then
    SCENARIOS=$tmp/generated
    mkdir "$SCENARIOS"
    ZR_WORLD_DUMP=$SCENARIOS ZR_WORLD_SEEDS=$GENERATED cargo test --release --quiet \
        --test engine_random_worlds generated_worlds_are_valid >/dev/null
fi

table=$tmp/table.md
{
    echo "| scenario | zone | oracle clock_s | oracle plan | auto clock_s | auto attempts | auto result | auto applied | ladder clock_s | ladder attempts | ladder result | ladder applied | after the operator's failed attach: auto clock_s | auto attempts | ladder clock_s | ladder attempts |"
    echo "|---|---|---:|---|---:|---:|---|---|---:|---:|---|---|---:|---:|---:|---:|"
    for scn in "${SCENARIOS:-testdata/scenarios}"/*.toml; do
        "$ZS" oracle "$scn" --json | jq -r '.[] | "\(.zone) \(.clock_s) \(.gentlest | join(","))"' |
        while read -r zone oclock oplan; do
            set -- $(run "$scn" "$zone" auto </dev/null); aclock=$1 aatt=$2 ares=$3 aplan=${4:-}
            set -- $(run "$scn" "$zone" ladder </dev/null); lclock=$1 latt=$2 lres=$3 lplan=${4:-}
            set -- $(run "$scn" "$zone" auto after </dev/null); pclock=$1 patt=$2
            set -- $(run "$scn" "$zone" ladder after </dev/null); qclock=$1 qatt=$2
            echo "| $(basename "$scn" .toml) | $zone | $oclock | ${oplan:--} | $aclock | $aatt | $ares | $aplan | $lclock | $latt | $lres | $lplan | $pclock | $patt | $qclock | $qatt |"
        done
    done
} >"$table"
# Totals over every zone, then over the attachable ones only (the oracle has a plan): the time
# spent on a zone that nothing attaches is not downtime one strategy saves over another.
awk -F'|' 'NR>2 { o+=$4; a+=$6; l+=$10; p+=$14; q+=$16 }
    NR>2 && $5 !~ /^ *- *$/ { ao+=$4; aa+=$6; al+=$10; ap+=$14; aq+=$16 }
    END {
        printf "\n**Total simulated downtime:** oracle %d s, auto %d s, ladder %d s (auto/ladder = %.2f; the oracle'"'"'s own minimum is %.2f of ladder).\n\n**After the operator'"'"'s own failed attach** (zones whose attach fails; what zonerescue adds): auto %d s, ladder %d s (auto/ladder = %.2f).\n", o, a, l, (l>0 ? a/l : 0), (l>0 ? o/l : 0), p, q, (q>0 ? p/q : 0)
        printf "\n**Attachable zones only** (the oracle has a plan): oracle %d s, auto %d s, ladder %d s (auto/ladder = %.2f; oracle/ladder = %.2f); after the operator'"'"'s failed attach: auto %d s, ladder %d s (auto/ladder = %.2f).\n", ao, aa, al, (al>0 ? aa/al : 0), (al>0 ? ao/al : 0), ap, aq, (aq>0 ? ap/aq : 0)
    }' "$table" >>"$table"
if [ -n "$out" ]; then cp "$table" "$out"; else cat "$table"; fi
