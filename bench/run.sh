#!/bin/sh
# Benchmark of ingest (issue 14): at each N (generated profiles, one
# synthetic country each), in ROUNDS alternating rounds, time
#   python  bench/baseline.py: the plain Python script (re + sqlite3, five
#           cue regexes, a row per document, per indicator and per score,
#           one transaction), the baseline to beat 5 times;
#   ingest  `cyberwell ingest` of the N files into a database holding only
#           the countries and the rubric;
#   floor   bench/floor.c: reading the N files and inserting the document,
#           score and indicator rows ingest wrote, with prepared statements
#           in one transaction (its timed part only);
#   rank, export  reading the database back (for their time and memory);
# then print the median of each, and the ratios python/ingest and
# ingest/floor (the median over the rounds of each round's ratio, by wall
# time and by CPU time). A last line per N gives parse + score alone
# (bench/parsescore.c) in bytes and documents per second of CPU, and, when
# the real profiles are beside the project, the same for them.
#
# usage: bench/run.sh [BUILD_DIR]
#   BENCH_NS="1000 10000 100000"   the values of N
#   BENCH_ROUNDS=3                 rounds per N (3 or more for a median)
#   BENCH_PROFILES=DIR             real profiles for parse + score (default
#                                  ../shared/data/itu-profiles)
#   BENCH_BASE=DIR                 a build of an earlier commit (its
#                                  benchparse): parse + score by both,
#                                  alternately, ROUNDS times, and the ratio
#   BENCH_PARSE_ONLY=1             parse + score only (no ingest steps)
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
        benchrun benchparse >/dev/null
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
bparse="$build/benchparse"
ns=${BENCH_NS:-"1000 10000 100000"}
rounds=${BENCH_ROUNDS:-3}
profiles=${BENCH_PROFILES:-"$src/../shared/data/itu-profiles"}
python=$(command -v python3 || true)
work=$(mktemp -d "${TMPDIR:-/tmp}/cwbench.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# Run a step under benchrun; append "wall cpu kb exit" to $w/STEP.t.
timed() {
    step=$1
    shift
    "$brun" --out "$w/$step.out" "$@" 2>"$w/$step.err" || true
    sed -n 's/^benchrun: \([0-9.]*\) s, \([0-9.]*\) s cpu, \([0-9]*\) KB, exit \([0-9]*\)$/\1 \2 \3 \4/p' \
        "$w/$step.err" >>"$w/$step.t"
    code=$(tail -1 "$w/$step.t" | cut -d' ' -f4)
    if [ "$code" != 0 ]; then
        echo "bench: $step failed at N=$n (exit $code):" >&2
        cat "$w/$step.out" "$w/$step.err" >&2
        exit 1
    fi
}

# Parse + score (benchparse ARGS...) printed as LABEL; with BENCH_BASE,
# the baseline's benchparse and ours alternately, ROUNDS times each: the
# median MB/s of cpu of both and their ratio.
parsescore() {
    label=$1
    shift
    if [ -z "${BENCH_BASE:-}" ]; then
        "$bparse" --rubric "$src/rubric/gci2014.csv" "$@" |
            sed "s/^parsescore: /$label: /"
        return
    fi
    : >"$work/ps.base"
    : >"$work/ps.now"
    for i in $(seq "$rounds"); do
        "$BENCH_BASE/benchparse" --rubric "$src/rubric/gci2014.csv" "$@" |
            sed -n 's/.*, \([0-9.]*\) MB\/s of cpu.*/\1/p' >>"$work/ps.base"
        "$bparse" --rubric "$src/rubric/gci2014.csv" "$@" >"$work/ps.out"
        sed -n 's/.*, \([0-9.]*\) MB\/s of cpu.*/\1/p' "$work/ps.out" \
            >>"$work/ps.now"
    done
    sed "s/^parsescore: /$label: /" "$work/ps.out"
    base=$(median <"$work/ps.base")
    now=$(median <"$work/ps.now")
    awk -v l="$label" -v b="$base" -v n="$now" -v r="$rounds" \
        'BEGIN { printf "%s: baseline %.2f MB/s, now %.2f MB/s of cpu " \
                        "(medians of %d alternating runs): %.2fx\n",
                        l, b, n, r, n / b }'
}

# The median of the numbers on standard input.
median() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) print "nan";
        else if (NR % 2) print v[(NR + 1) / 2];
        else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

printf '%-7s %-7s %8s %8s %8s %10s %9s %13s %13s\n' N step "wall s" "cpu s" \
    "docs/s" "cpu us/doc" "peak RSS" "python/ingest" "ingest/floor"
for n in $ns; do
    w="$work/$n"
    mkdir -p "$w/empty"
    "$gen" --seed 42 --home "$w/home" "$n" "$w/docs"
    ln -s "$src/rubric" "$w/home/rubric"
    db="$w/db.sqlite"
    # set-up outside the timing: the countries (N of them) and the rubric
    (cd "$w/home" && "$cw" --db "$w/setup.sqlite" ingest -q "$w/empty" \
        >/dev/null)
    for i in $(seq "$rounds"); do
        [ -n "${BENCH_PARSE_ONLY:-}" ] && break
        if [ -n "$python" ]; then
            timed python "$python" "$src/bench/baseline.py" "$w/docs" \
                "$w/py.sqlite"
        fi
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$w/setup.sqlite" "$db"
        (cd "$w/home" && timed ingest "$cw" --db "$db" ingest -q "$w/docs")
        timed floor "$floor" "$db" "$w/floor.db"
        # the floor's own timing of its timed part replaces benchrun's
        sed -n 's/^floor: .*, \([0-9.]*\) s, \([0-9.]*\) s cpu, .*/\1 \2/p' \
            "$w/floor.out" >>"$w/floor.own"
        (cd "$w/home" && timed rank "$cw" --db "$db" rank)
        (cd "$w/home" && timed export "$cw" --db "$db" export --csv "$w/out")
        rm -f "$w/floor.db" "$w/floor.db-wal" "$w/floor.db-shm" "$w/py.sqlite"
    done
    if [ -n "${BENCH_PARSE_ONLY:-}" ]; then
        parsescore "$n parse+score" "$w/docs"
        rm -rf "$w"
        continue
    fi
    # per-round ratios (wall and cpu): python/ingest and ingest/floor
    paste -d' ' "$w/ingest.t" "$w/floor.own" >"$w/if.t"
    ratio_if=$(awk '{ print $1 / $5 }' "$w/if.t" | median)
    ratio_if_cpu=$(awk '{ print $2 / $6 }' "$w/if.t" | median)
    ratio_pi="" ratio_pi_cpu=""
    if [ -n "$python" ]; then
        paste -d' ' "$w/python.t" "$w/ingest.t" >"$w/pi.t"
        ratio_pi=$(awk '{ print $1 / $5 }' "$w/pi.t" | median)
        ratio_pi_cpu=$(awk '{ print $2 / $6 }' "$w/pi.t" | median)
    fi
    for step in python ingest floor rank export; do
        [ -f "$w/$step.t" ] || continue
        if [ "$step" = floor ]; then
            secs=$(cut -d' ' -f1 "$w/floor.own" | median)
            cpu=$(cut -d' ' -f2 "$w/floor.own" | median)
        else
            secs=$(cut -d' ' -f1 "$w/$step.t" | median)
            cpu=$(cut -d' ' -f2 "$w/$step.t" | median)
        fi
        kb=$(cut -d' ' -f3 "$w/$step.t" | sort -n | tail -1)
        pi="" fl=""
        if [ "$step" = ingest ]; then
            [ -n "$ratio_pi" ] && pi=$(printf '%.2f (%.2f)' "$ratio_pi" \
                "$ratio_pi_cpu")
            fl=$(printf '%.2f (%.2f)' "$ratio_if" "$ratio_if_cpu")
        fi
        awk -v n="$n" -v step="$step" -v s="$secs" -v c="$cpu" -v kb="$kb" \
            -v pi="$pi" -v fl="$fl" \
            'BEGIN { printf "%-7s %-7s %8.3f %8.3f %8.0f %10.1f %6.1f MB %13s %13s\n",
                            n, step, s, c, n / s, c * 1e6 / n, kb / 1024, pi, fl }'
    done
    parsescore "$n parse+score" "$w/docs"
    rm -rf "$w"
done
if [ -d "$profiles" ]; then
    echo "real profiles: $profiles"
    parsescore "real parse+score" --rounds 20 "$profiles"
fi
echo "medians of $rounds alternating rounds; docs/s from wall time; cpu ="
echo "user + system. python/ingest and ingest/floor: the median of each"
echo "round's ratio, by wall time (and by cpu time). floor: reading the N"
echo "files and inserting the document, score and indicator rows with"
echo "prepared statements in one transaction (its peak RSS holds all the"
echo "rows in memory). parse+score: hash, parse and score alone, per"
echo "second of cpu. load average: $(cut -d' ' -f1-3 /proc/loadavg)"
