/*
 * parsescore: the CPU cost of parsing and scoring profiles, without the
 * store. Reads every file first (untimed), then, ROUNDS times over all of
 * them, hashes, parses (doc_parse_hashed) and scores (score_document)
 * each one, timing each step with the process's CPU clock. Files the
 * parser refuses are counted and left out of the figures.
 *
 * usage: parsescore [--rubric PATH] [--rounds N] FILE|DIR...
 *   (a DIR means its *.txt files; --rubric defaults to rubric/gci2014.csv)
 * prints: "parsescore: D documents, B bytes, R refused, N rounds:
 *          hash H s, parse P s, score S s, total T s cpu,
 *          X MB/s of cpu, Y docs/s of cpu"
 * where MB is 10^6 bytes of input read by the parser.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/doc.h"
#include "core/rubric.h"
#include "core/score.h"
#include "util/fileio.h"
#include "util/sha256.h"

#include "util/banned.h"

struct input {
    char *path;
    struct strbuf data;
};

struct inputs {
    struct input *items;
    size_t n, cap;
};

static void add_file(struct inputs *in, const char *path)
{
    struct cw_error err;
    if (in->n == in->cap) {
        in->cap = in->cap ? in->cap * 2 : 256;
        in->items = realloc(in->items, in->cap * sizeof *in->items);
        if (!in->items) {
            fputs("parsescore: out of memory\n", stderr);
            exit(1);
        }
    }
    struct input *x = &in->items[in->n];
    strbuf_init(&x->data);
    if (fileio_read(path, DOC_MAX_BYTES, &x->data, &err)) {
        fprintf(stderr, "parsescore: %s\n", err.msg);
        exit(1);
    }
    size_t len = strlen(path) + 1;
    x->path = malloc(len);
    if (!x->path) {
        fputs("parsescore: out of memory\n", stderr);
        exit(1);
    }
    memcpy(x->path, path, len);
    in->n++;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(struct inputs *in, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        add_file(in, path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        exit(1);
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 ||
            strcmp(e->d_name + len - 4, ".txt") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            names = realloc(names, cap * sizeof *names);
            if (!names) {
                fputs("parsescore: out of memory\n", stderr);
                exit(1);
            }
        }
        size_t size = strlen(path) + len + 2;
        names[n] = malloc(size);
        if (!names[n]) {
            fputs("parsescore: out of memory\n", stderr);
            exit(1);
        }
        snprintf(names[n++], size, "%s/%s", path, e->d_name);
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++) {
        add_file(in, names[i]);
        free(names[i]);
    }
    free(names);
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    const char *rubric_path = "rubric/gci2014.csv";
    unsigned long rounds = 1;
    int a = 1;
    for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
        if (!strcmp(argv[a], "--rubric"))
            rubric_path = argv[a + 1];
        else if (!strcmp(argv[a], "--rounds"))
            rounds = strtoul(argv[a + 1], NULL, 10);
        else
            break;
    }
    if (a >= argc || rounds == 0) {
        fputs("usage: parsescore [--rubric PATH] [--rounds N] FILE|DIR...\n",
              stderr);
        return 2;
    }
    struct cw_errors *errs = calloc(1, sizeof *errs);
    struct rubric *r = errs ? rubric_load(rubric_path, errs) : NULL;
    if (!r) {
        fprintf(stderr, "parsescore: cannot load rubric '%s': %s\n",
                rubric_path, errs && errs->n ? errs->e[0].msg : "?");
        free(errs);
        return 1;
    }
    free(errs);
    struct inputs in = {0};
    for (; a < argc; a++)
        add_path(&in, argv[a]);

    double t_hash = 0, t_parse = 0, t_score = 0;
    size_t n_docs = 0, n_bytes = 0, n_refused = 0;
    for (unsigned long k = 0; k < rounds; k++) {
        for (size_t i = 0; i < in.n; i++) {
            const struct input *x = &in.items[i];
            char hash[SHA256_HEX_LEN + 1];
            struct cw_error err;
            double t0 = cpu_now();
            sha256_hex(x->data.buf, x->data.len, hash);
            double t1 = cpu_now();
            struct doc *d =
                doc_parse_hashed(x->path, x->data.buf, x->data.len, hash, &err);
            double t2 = cpu_now();
            if (!d) {
                if (k == 0)
                    n_refused++;
                continue;
            }
            struct score_result res;
            score_document(r, d, &res);
            score_release(&res);
            double t3 = cpu_now();
            doc_free(d);
            t_hash += t1 - t0;
            t_parse += t2 - t1;
            t_score += t3 - t2;
            n_docs++;
            n_bytes += x->data.len;
        }
    }
    double total = t_hash + t_parse + t_score;
    printf("parsescore: %zu documents, %zu bytes, %zu refused, %lu rounds: "
           "hash %.3f s, parse %.3f s, score %.3f s, total %.3f s cpu, "
           "%.2f MB/s of cpu, %.0f docs/s of cpu\n",
           n_docs / rounds, n_bytes / rounds, n_refused, rounds, t_hash,
           t_parse, t_score, total,
           total > 0 ? (double)n_bytes / total / 1e6 : 0,
           total > 0 ? (double)n_docs / total : 0);
    for (size_t i = 0; i < in.n; i++) {
        free(in.items[i].path);
        strbuf_release(&in.items[i].data);
    }
    free(in.items);
    rubric_free(r);
    return 0;
}
