#!/usr/bin/env bash
# Prepare the seed corpus of one libFuzzer harness in the build folder and
# run it for a number of seconds.
#
#   tests/fuzz/run.sh doc|rubric|csv|decode|pdf|import [seconds] [build-dir] [-- libFuzzer args]
#
# Seeds are copied from the source tree at run time (nothing is duplicated in
# git): doc <- tests/fixtures/layouts/*.txt, data/profiles/*.txt, tests/fixtures/profiles/*.txt;
# rubric <- rubric/*.csv; csv <- data/*.csv, data/reference/*.csv;
# decode <- tests/fixtures/layouts/*.txt (every encoding), tests/fixtures/docs/*;
# pdf <- tests/fixtures/pdf/*.pdf; import <- data/reference/*.csv,
# tests/fixtures/{store,compare}/overrides*.csv, tests/fixtures/badinput/*.csv
# (every kind of import file, good and bad); each also
# gets tests/fixtures/fuzz-regressions/<harness>/*. The growing corpus is kept
# in <build-dir>/fuzz/corpus/<harness>, crashes in <build-dir>/fuzz/artifacts/
# <harness>, and libFuzzer's output in <build-dir>/fuzz/<harness>.log.
set -euo pipefail

usage() {
    echo "usage: $0 doc|rubric|csv|decode|pdf|import [seconds] [build-dir] [-- libFuzzer args]" >&2
    exit 2
}

[ $# -ge 1 ] || usage
harness=$1
shift
seconds=600
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
    seconds=$1
    shift
fi
src=$(cd "$(dirname "$0")/../.." && pwd)
build=$src/build-fuzz
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
    build=$1
    shift
fi
[ $# -ge 1 ] && [ "$1" = "--" ] && shift

case $harness in
doc)
    seeds="tests/fixtures/layouts/*.txt data/profiles/*.txt tests/fixtures/profiles/*.txt"
    max_len=65536 ;;
rubric)
    seeds="rubric/*.csv"
    max_len=16384 ;;
csv)
    seeds="data/*.csv data/reference/*.csv"
    max_len=81920 ;;
decode)
    seeds="tests/fixtures/layouts/*.txt tests/fixtures/docs/*.txt"
    max_len=65536 ;;
pdf)
    seeds="tests/fixtures/pdf/*.pdf"
    max_len=65536 ;;
import)
    seeds="data/reference/*.csv tests/fixtures/store/overrides*.csv tests/fixtures/compare/overrides*.csv tests/fixtures/badinput/*.csv"
    max_len=65536 ;;
*)
    usage ;;
esac

bin=$build/tests/fuzz/fuzz_$harness
if [ ! -x "$bin" ]; then
    echo "$0: $bin is missing; build it with:" >&2
    echo "  CC=clang cmake -S $src -B $build -DCYBERWELL_FUZZ=ON -DBUILD_TESTING=OFF" >&2
    echo "  cmake --build $build -j2" >&2
    exit 1
fi

work=$build/fuzz
seed_dir=$work/seeds/$harness
corpus=$work/corpus/$harness
artifacts=$work/artifacts/$harness
mkdir -p "$seed_dir" "$corpus" "$artifacts"
cd "$src"
# shellcheck disable=SC2086 # the patterns are meant to expand
for f in $seeds tests/fixtures/fuzz-regressions/$harness/*; do
    case $f in *.expect) continue ;; esac
    if [ -f "$f" ]; then cp "$f" "$seed_dir/"; fi
done

echo "fuzz_$harness: ${seconds}s, corpus $corpus, artifacts $artifacts" >&2
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$max_len" -dict="$src/tests/fuzz/$harness.dict" \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$@" \
    "$corpus" "$seed_dir" 2>&1 | tee "$work/$harness.log"
