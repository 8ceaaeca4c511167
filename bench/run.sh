#!/bin/sh
# Benchmark ingest, rank and export at N = 1,000 and 10,000 synthetic
# profiles (one synthetic country each), against the floor: reading the
# same files and inserting the same rows with prepared statements in one
# transaction (bench/floor.c), measured in the same run.
#
# usage: bench/run.sh [BUILD_DIR]      (BENCH_NS="1000 10000" to change N)
# Each step runs BENCH_REPEAT times (default 3; ingest into a fresh
# database each time) and the best wall and CPU times are reported, which
# damps the noise of a shared machine.
# Without BUILD_DIR, configures and builds build-bench (Release, no
# sanitizers) in the project folder. Not a ctest test.
set -eu
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-}
if [ -z "$build" ]; then
    build="$src/build-bench"
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DENABLE_ASAN=OFF -DENABLE_UBSAN=OFF -DBUILD_TESTING=OFF >/dev/null
    cmake --build "$build" -j2 --target cyberwell genprofiles benchfloor \
        benchrun >/dev/null
fi
if grep -Eq '^ENABLE_(ASAN|UBSAN):BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null
then
    echo "bench: warning: $build has sanitizers on; figures are not" \
         "representative (run bench/run.sh with no argument)" >&2
fi
cw="$build/cyberwell"
gen="$build/genprofiles"
floor="$build/benchfloor"
brun="$build/benchrun"
ns=${BENCH_NS:-"1000 10000"}
repeat=${BENCH_REPEAT:-3}
work=$(mktemp -d "${TMPDIR:-/tmp}/cwbench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# field N (1 wall s, 2 cpu s, 3 KB, 4 exit) of the benchrun lines in file
# F: the best (smallest) time over the repetitions, the largest peak RSS
# and exit code
field() {
    sed -n 's/^benchrun: \([0-9.]*\) s, \([0-9.]*\) s cpu, \([0-9]*\) KB, exit \([0-9]*\)$/\1 \2 \3 \4/p' \
        "$2" | cut -d' ' -f"$1" | sort -n |
        if [ "$1" -ge 3 ]; then tail -1; else head -1; fi
}

printf '%-7s %-7s %8s %8s %9s %9s %10s %8s %8s\n' N step "wall s" "cpu s" \
    "docs/s" "cpu us/doc" "peak RSS" "x floor" "(cpu)"
for n in $ns; do
    w="$work/$n"
    mkdir -p "$w/empty"
    "$gen" --seed 42 --home "$w/home" "$n" "$w/docs"
    ln -s "$src/rubric" "$w/home/rubric"
    db="$w/db.sqlite"
    # set-up outside the timing: the countries (N of them) and the rubric
    (cd "$w/home" && "$cw" --db "$w/setup.sqlite" ingest -q "$w/empty" \
        >/dev/null)
    for i in $(seq "$repeat"); do
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$w/setup.sqlite" "$db"
        (cd "$w/home" && "$brun" --out /dev/null "$cw" --db "$db" ingest -q \
            "$w/docs") 2>>"$w/ingest.t"
    done
    for i in $(seq "$repeat"); do
        (cd "$w/home" && "$brun" --out /dev/null "$cw" --db "$db" rank) \
            2>>"$w/rank.t" || true
        (cd "$w/home" && "$brun" --out /dev/null "$cw" --db "$db" export \
            --csv "$w/out") 2>>"$w/export.t"
        "$brun" --out "$w/floor.out" "$floor" "$db" "$w/floor.db" \
            2>>"$w/floor.t"
        cat "$w/floor.out" >>"$w/floor.all"
    done
    fsecs=$(sed -n 's/^floor: .*, \([0-9.]*\) s, .* s cpu, .*/\1/p' \
        "$w/floor.all" | sort -n | head -1)
    fcpu=$(sed -n 's/^floor: .*, \([0-9.]*\) s cpu, .*/\1/p' \
        "$w/floor.all" | sort -n | head -1)
    for step in ingest rank export floor; do
        if [ "$step" = floor ]; then
            secs=$fsecs
            cpu=$fcpu
        else
            secs=$(field 1 "$w/$step.t")
            cpu=$(field 2 "$w/$step.t")
        fi
        kb=$(field 3 "$w/$step.t")
        code=$(field 4 "$w/$step.t")
        if [ "$code" != 0 ] && [ "$step" != rank ]; then
            echo "bench: $step failed at N=$n:" >&2
            cat "$w/$step.t" >&2
            exit 1
        fi
        if [ "$code" != 0 ]; then
            printf '%-8s %-7s %9s\n' "$n" "$step" "(exit $code)"
            continue
        fi
        awk -v n="$n" -v step="$step" -v s="$secs" -v c="$cpu" -v kb="$kb" \
            -v f="$fsecs" -v fc="$fcpu" \
            'BEGIN { r = (step == "ingest") ? sprintf("%.2f", s / f) : "";
                     rc = (step == "ingest") ? sprintf("%.2f", c / fc) : "";
                     printf "%-7s %-7s %8.3f %8.3f %9.0f %9.1f %7.1f MB %8s %8s\n",
                            n, step, s, c, n / s, c * 1e6 / n, kb / 1024, r, rc }'
    done
done
echo "docs/s from wall time; x floor: ingest time / floor time (wall, and"
echo "cpu = user + system). floor: reading the N files and inserting the same"
echo "rows with prepared statements in one transaction (its peak RSS holds"
echo "all the rows in memory). load average: $(cut -d' ' -f1-3 /proc/loadavg)"
