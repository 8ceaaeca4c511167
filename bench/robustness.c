/*
 * benchrobust: time `robustness`'s engine (robust_run) on synthetic status
 * matrices, for a grid of countries x draws x threads, and print draws per
 * second, nanoseconds per country-draw and the ratios measured in the same
 * run. Not a test: figures on a shared machine are noisy, so each cell is
 * the best of --repeat runs (wall time; and the process CPU time of all
 * threads, which a loaded machine inflates less). wall ns, cpu ns: per
 * country and draw; x 1 thread: wall time of 1 thread over this one's.
 *
 * usage: benchrobust [--rubric R] [--uncertainty U] [--countries 50,195,..]
 *                    [--draws 10000,100000] [--threads 1,2] [--repeat 3]
 * (run from the project folder: the defaults are rubric/gci2014.csv and
 * rubric/gci2014-uncertainty.csv)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/robust.h"
#include "core/rubric.h"
#include "core/uncertainty.h"
#include "util/xalloc.h"

#define MAX_LIST 16

static size_t parse_list(const char *s, size_t *out)
{
    size_t n = 0;
    while (*s && n < MAX_LIST) {
        char *end;
        unsigned long v = strtoul(s, &end, 10);
        if (end == s)
            break;
        out[n++] = v;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Statuses in the proportions of the bundled profiles, roughly. */
static enum cw_state *synthetic(size_t n, size_t k, uint64_t seed)
{
    static const double cdf[CW_N_STATES] = {0.30, 0.45, 0.90, 0.97, 1.0};
    struct robust_rng g;
    robust_rng_seed(&g, seed, 0);
    enum cw_state *st = xmalloc(n * k * sizeof *st);
    for (size_t i = 0; i < n * k; i++) {
        double u = robust_rng_uniform(&g);
        int s = 0;
        while (s + 1 < CW_N_STATES && u >= cdf[s])
            s++;
        st[i] = (enum cw_state)s;
    }
    return st;
}

int main(int argc, char **argv)
{
    const char *rpath = "rubric/gci2014.csv";
    const char *upath = "rubric/gci2014-uncertainty.csv";
    size_t countries[MAX_LIST] = {50, 100, 195, 400, 800}, n_c = 5;
    size_t draws[MAX_LIST] = {10000, 100000}, n_d = 2;
    size_t threads[MAX_LIST] = {1, 2}, n_t = 2;
    size_t repeat = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rubric"))
            rpath = argv[i + 1];
        else if (!strcmp(argv[i], "--uncertainty"))
            upath = argv[i + 1];
        else if (!strcmp(argv[i], "--countries"))
            n_c = parse_list(argv[i + 1], countries);
        else if (!strcmp(argv[i], "--draws"))
            n_d = parse_list(argv[i + 1], draws);
        else if (!strcmp(argv[i], "--threads"))
            n_t = parse_list(argv[i + 1], threads);
        else if (!strcmp(argv[i], "--repeat"))
            repeat = strtoul(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr, "benchrobust: unknown option '%s'\n", argv[i]);
            return 2;
        }
    }
    if (!repeat)
        repeat = 1;
    struct cw_errors errs;
    struct rubric *r = rubric_load(rpath, &errs);
    if (!r) {
        fprintf(stderr, "benchrobust: %s\n", errs.e[0].msg);
        return 1;
    }
    struct uncertainty *u = uncertainty_load(upath, &errs);
    if (!u) {
        fprintf(stderr, "benchrobust: %s:%u: %s\n", errs.e[0].file,
                errs.e[0].line, errs.e[0].msg);
        rubric_free(r);
        return 1;
    }
    printf("benchrobust: rubric %s, uncertainty %s, best of %zu runs\n", rpath,
           upath, repeat);
    printf("%9s %9s %7s %8s %8s %10s %8s %8s %10s\n", "countries", "draws",
           "threads", "wall s", "cpu s", "draws/s", "wall ns", "cpu ns",
           "x 1 thread");
    double *t1 = xcalloc(n_c * n_d, sizeof *t1);
    int status = 0;
    for (size_t ci = 0; ci < n_c; ci++) {
        enum cw_state *st = synthetic(countries[ci], r->n_indicators, 42);
        struct robust_input in = {r, st, countries[ci], u};
        for (size_t di = 0; di < n_d; di++)
            for (size_t ti = 0; ti < n_t; ti++) {
                struct robust_options o = ROBUST_OPTIONS_INIT;
                o.n_draws = draws[di];
                o.n_threads = (unsigned)threads[ti];
                o.focus = 0;
                double best = 1e300, best_cpu = 1e300;
                for (size_t k = 0; k < repeat; k++) {
                    struct cw_error err;
                    double t0 = clock_s(CLOCK_MONOTONIC);
                    double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
                    struct robust_result *m = robust_run(&in, &o, &err);
                    double dt = clock_s(CLOCK_MONOTONIC) - t0;
                    double dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
                    best_cpu = dc < best_cpu ? dc : best_cpu;
                    if (!m) {
                        fprintf(stderr, "benchrobust: %s\n", err.msg);
                        status = 1;
                        break;
                    }
                    robust_result_free(m);
                    best = dt < best ? dt : best;
                }
                if (threads[ti] == 1)
                    t1[ci * n_d + di] = best;
                double base = t1[ci * n_d + di];
                double cd = (double)draws[di] * (double)countries[ci];
                printf("%9zu %9zu %7zu %8.3f %8.3f %10.0f %8.1f %8.1f",
                       countries[ci], draws[di], threads[ti], best, best_cpu,
                       (double)draws[di] / best, best * 1e9 / cd,
                       best_cpu * 1e9 / cd);
                if (base > 0)
                    printf(" %10.2f\n", base / best);
                else
                    printf(" %10s\n", "-");
            }
        free(st);
    }
    free(t1);
    uncertainty_free(u);
    rubric_free(r);
    return status;
}
