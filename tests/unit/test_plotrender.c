/*
 * Real rendering: every chart kind, and the hostile title, through one
 * gnuplot process. Exits 77 (skipped) when gnuplot is not installed.
 * Output stays in ./plot-render (the test's build folder) for viewing.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/plot.h"
#include "plot_samples.h"
#include "test.h"
#include "util/fileio.h"
#include "util/strbuf.h"

#include "util/banned.h"

#define OUT "plot-render"

/* True when program (a path, or a name on PATH) can be executed. */
static bool can_run(const char *program)
{
    if (strchr(program, '/'))
        return access(program, X_OK) == 0;
    const char *path = getenv("PATH");
    struct strbuf dir = STRBUF_INIT;
    bool found = false;
    for (const char *p = path ? path : ""; !found;) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        strbuf_reset(&dir);
        strbuf_add(&dir, p, n);
        strbuf_addf(&dir, "%s%s", n ? "/" : "", program);
        found = access(dir.buf, X_OK) == 0;
        if (!end)
            break;
        p = end + 1;
    }
    strbuf_release(&dir);
    return found;
}

static bool is_png(const char *path)
{
    unsigned char sig[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    size_t n = fread(sig, 1, sizeof sig, f);
    fclose(f);
    return n == 8 && !memcmp(sig, "\x89PNG\r\n\x1a\n", 8);
}

static bool has_text(const char *path, const char *needle)
{
    struct strbuf sb = STRBUF_INIT;
    struct cw_error err;
    bool found = fileio_read(path, 1u << 24, &sb, &err) == CW_OK &&
                 strstr(sb.buf, needle) != NULL;
    strbuf_release(&sb);
    return found;
}

int main(void)
{
    const char *program = plot_program(NULL);
    if (!can_run(program)) {
        printf("skipped: gnuplot '%s' is not installed\n", program);
        return 77;
    }
    unlink(SAMPLE_PWNED);
    struct cw_error err;
    struct plot_job *job = plot_job_new(OUT, &err);
    CHECK(job != NULL);
    if (!job)
        return test_summary();
    CHECK_INT_EQ(plot_radar(job, "radar", &sample_meta, &sample_table, &err),
                 0);
    CHECK_INT_EQ(
        plot_ranking(job, "ranking", &sample_meta, &sample_ranking, &err), 0);
    CHECK_INT_EQ(
        plot_pillars(job, "pillars", &sample_meta, &sample_table, &err), 0);
    CHECK_INT_EQ(
        plot_heatmap(job, "heatmap", &sample_meta, &sample_heatmap, &err), 0);
    CHECK_INT_EQ(
        plot_scatter(job, "published", &sample_meta, &sample_scatter, &err), 0);
    CHECK_INT_EQ(plot_trend(job, "trend", &sample_meta, &sample_trend, &err),
                 0);
    CHECK_INT_EQ(plot_intervals(job, "robustness", &sample_meta,
                                &sample_intervals, &err),
                 0);
    CHECK_INT_EQ(
        plot_radar(job, "hostile", &hostile_meta, &hostile_table, &err), 0);
    int rc = plot_render(job, NULL, &err);
    CHECK_INT_EQ(rc, 0);
    if (rc)
        fprintf(stderr, "render: %s\n", err.msg);

    static const char *const stems[] = {"radar",      "ranking",   "pillars",
                                        "heatmap",    "published", "trend",
                                        "robustness", "hostile"};
    struct strbuf path = STRBUF_INIT;
    for (size_t i = 0; i < sizeof stems / sizeof *stems; i++) {
        strbuf_reset(&path);
        strbuf_addf(&path, OUT "/%s.png", stems[i]);
        CHECK(is_png(path.buf));
        strbuf_reset(&path);
        strbuf_addf(&path, OUT "/%s.svg", stems[i]);
        CHECK(has_text(path.buf, "</svg>"));
    }
    /* The hostile chart rendered, showed its text, and ran nothing. */
    CHECK(access(SAMPLE_PWNED, F_OK) != 0);
    CHECK(has_text(OUT "/hostile.svg", "Evil'\xE2\x80\x99`touch"));
    CHECK(has_text(OUT "/radar.svg", "Belgium"));
    /* No warning (labels that do not fit, missing data) from any chart. */
    CHECK(!has_text(OUT "/gnuplot.log", "warning"));
    plot_job_free(job);

    /* A folder whose name starts with a quote and holds a space. */
    struct plot_job *q = plot_job_new(OUT "/'s-Hertogenbosch it's", &err);
    CHECK(q != NULL);
    if (q) {
        CHECK_INT_EQ(plot_radar(q, "radar", &sample_meta, &sample_table, &err),
                     0);
        CHECK_INT_EQ(plot_render(q, NULL, &err), 0);
        CHECK(is_png(OUT "/'s-Hertogenbosch it's/radar.png"));
        plot_job_free(q);
    }
    strbuf_release(&path);
    return test_summary();
}
