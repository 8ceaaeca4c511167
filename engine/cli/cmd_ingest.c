/* cyberwell ingest PATH...: parse, score and store profiles. */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/exitcode.h"
#include "core/country.h"
#include "core/ingest.h"
#include "store/store.h"
#include "util/xalloc.h"

#include "util/banned.h"

const char usage_ingest[] =
    "usage: cyberwell ingest [options] PATH...\n"
    "\n"
    "Parse each profile, identify its country from its title, score it\n"
    "under every registered rubric (rubric/gci2014.csv is registered on\n"
    "first use) and store it in the database. A PATH may be a PDF (its\n"
    "text is extracted with pdftotext); a folder PATH means its *.txt and\n"
    "*.pdf files, in name order. Each document is stored whole or not at\n"
    "all: a bad one is reported and skipped, the others land (exit 3).\n"
    "The same content twice is a no-op (\"unchanged\"); a changed document\n"
    "of a known country is stored as a new version.\n"
    "\n"
    "options:\n"
    "  --country ISO3   the country of every PATH (when titles do not say)\n"
    "  --rubric PATH    also register and score under this rubric\n"
    "                   (repeatable); a newly registered rubric also\n"
    "                   scores every document stored before\n"
    "  --variant        register a changed --rubric whose name and version\n"
    "                   are taken as VERSION+HASH instead of refusing it\n"
    "  --batch N        documents per commit (default 500)\n"
    "  -q, --quiet      print only the summary line\n"
    "  -v, --verbose    report each commit on stderr\n"
    "  --encoding NAME  read every PATH in this encoding (an iconv name:\n"
    "                   WINDOWS-1252, GBK, UTF-16 ...) instead of\n"
    "                   detecting it\n"
    "  --pdftotext PROG the pdftotext program that reads PDF files\n"
    "                   (default: $CYBERWELL_PDFTOTEXT, else on PATH)\n"
    "\n"
    "Prints one line per document (\"stored BEL data/profiles/bel.txt\")\n"
    "and a summary. A progress line goes to stderr when it is a terminal.\n";

#define DEFAULT_RUBRIC   "rubric/gci2014.csv"
#define INGEST_MAX_PATHS 10000000

struct paths {
    char **items; /* owned */
    size_t n, cap;
};

static void paths_add(struct paths *p, char *path)
{
    CW_GROW(p->items, p->n + 1, p->cap);
    p->items[p->n++] = path;
}

static void paths_release(struct paths *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->items[i]);
    free(p->items);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool is_document_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 &&
           (!strcmp(name + n - 4, ".txt") || !strcmp(name + n - 4, ".pdf"));
}

/* Expand a folder into its *.txt and *.pdf files, sorted. */
static int expand_dir(const char *dir, struct paths *out, struct cw_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return cw_errorf(err, CW_ERR_IO, CW_LOC_NONE, "cannot open folder '%s'",
                         dir);
    size_t first = out->n;
    struct dirent *e;
    size_t dl = strlen(dir);
    bool slash = dl > 0 && dir[dl - 1] == '/';
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !is_document_name(e->d_name))
            continue;
        if (out->n >= INGEST_MAX_PATHS) {
            closedir(d);
            return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                             "more than %d documents", INGEST_MAX_PATHS);
        }
        size_t len = dl + 1 + strlen(e->d_name) + 1;
        char *p = xmalloc(len);
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", e->d_name);
        paths_add(out, p);
    }
    closedir(d);
    if (out->n > first)
        qsort(out->items + first, out->n - first, sizeof *out->items, cmp_str);
    return CW_OK;
}

struct progress {
    /* The terminal on stderr, written directly: the progress line's own
     * control sequences must not be escaped as stderr's text is (see
     * cw_escaping_stream). NULL when stderr is no terminal. */
    FILE *tty;
    bool is_verbose;
    size_t total, done;
    struct timespec start, last;
};

static double elapsed(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) +
           (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_show(struct progress *p, bool is_final)
{
    if (!p->tty)
        return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!is_final && elapsed(&p->last, &now) < 0.2)
        return;
    p->last = now;
    double secs = elapsed(&p->start, &now);
    double rate = secs > 0 ? (double)p->done / secs : 0;
    double left = rate > 0 ? (double)(p->total - p->done) / rate : 0;
    fprintf(p->tty, "\r\033[Kingest: %zu/%zu documents, %.0f/s, %lu:%02lu left",
            p->done, p->total, rate, (unsigned long)left / 60,
            (unsigned long)left % 60);
    if (is_final)
        fputc('\n', p->tty);
    fflush(p->tty);
}

/* Clear the progress line before a message. */
static void clear_progress(const struct progress *p)
{
    if (p->tty) {
        fputs("\r\033[K", p->tty);
        fflush(p->tty);
    }
}

static void on_commit(void *ctx, size_t n_committed)
{
    struct progress *p = ctx;
    if (p->is_verbose) {
        clear_progress(p);
        fprintf(stderr, "cyberwell: committed %zu documents\n", n_committed);
        fflush(stderr);
    }
}

static bool is_fatal(int code)
{
    return code == CW_ERR_DB || code == CW_ERR_BUSY || code == CW_ERR_USAGE;
}

/* What the documents came to, reported as they are stored. */
struct tally {
    struct progress *prog;
    const char *country; /* --country, or NULL */
    bool quiet;
    size_t n_out[3], n_failed;
    int first_failure; /* its status gives the exit code */
};

/* Say how many of the documents listed as stored a failure lost (why:
 * what failed). */
static void say_unstored(const struct tally *t, const struct ingest *in,
                         const char *why)
{
    size_t n_listed = t->n_out[INGEST_STORED] + t->n_out[INGEST_NEW_VERSION];
    size_t n_kept = ingest_n_committed(in);
    if (n_listed > n_kept)
        fprintf(stderr,
                "cyberwell: the last %zu document%s listed as stored %s not "
                "stored: %s\n",
                n_listed - n_kept, n_listed - n_kept == 1 ? "" : "s",
                n_listed - n_kept == 1 ? "is" : "are", why);
}

static int report(void *ctx, const struct ingest_report *r)
{
    struct tally *t = ctx;
    t->prog->done++;
    if (r->read) {
        clear_progress(t->prog);
        cli_print_decode_warning(r->path, r->read);
    }
    if (r->status) {
        clear_progress(t->prog);
        cli_print_error(r->err);
        if (is_fatal(r->status))
            return r->status;
        if (!t->first_failure)
            t->first_failure = r->status;
        t->n_failed++;
        return CW_OK;
    }
    t->n_out[r->outcome]++;
    /* --country against what the document says (issue 15, D8). */
    if (t->country && (*r->title_iso3 || (r->outcome == INGEST_UNCHANGED &&
                                          strcmp(r->iso3, t->country) != 0))) {
        clear_progress(t->prog);
        if (*r->title_iso3)
            fprintf(stderr,
                    "cyberwell: warning: %s: --country %s contradicts its "
                    "title '%s' (%s); stored as %s\n",
                    r->path, t->country, r->title, r->title_iso3, r->iso3);
        else
            fprintf(stderr,
                    "cyberwell: warning: %s: --country %s ignored: the same "
                    "content is already stored as %s\n",
                    r->path, t->country, r->iso3);
    }
    if (!t->quiet)
        printf("%-11s %s %s\n", ingest_outcome_name(r->outcome), r->iso3,
               r->path);
    progress_show(t->prog, false);
    return CW_OK;
}

/* Score every stored document under the session's rubrics and commit. */
static int rescore_stored(struct store *s, struct ingest *in, bool quiet)
{
    struct cw_error err;
    int64_t *ids = NULL;
    size_t n_ids = 0;
    int status = store_doc_ids(s, &ids, &n_ids, &err);
    if (!status && n_ids)
        status = ingest_rescore_all(in, ids, n_ids, &err);
    if (!status)
        status = ingest_commit(in, &err);
    free(ids);
    if (status) {
        cli_print_error(&err);
        fputs("cyberwell: the stored documents are not all scored under the "
              "new rubric; run 'cyberwell rescore'\n",
              stderr);
        return status;
    }
    if (n_ids && !quiet)
        printf("rescored    %zu stored document%s under the new rubric\n",
               n_ids, n_ids == 1 ? "" : "s");
    return CW_OK;
}

int cmd_ingest(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"country", required_argument, NULL, 'c'},
        {"rubric", required_argument, NULL, 'r'},
        {"variant", no_argument, NULL, 'V'},
        {"batch", required_argument, NULL, 'b'},
        {"quiet", no_argument, NULL, 'q'},
        {"verbose", no_argument, NULL, 'v'},
        CLI_INPUT_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct doc_read_opts ro = {NULL, true, NULL};
    const char *country = NULL;
    const char **rubrics = xcalloc((size_t)argc + 1, sizeof *rubrics);
    size_t n_rubrics = 0, batch = 0;
    bool quiet = false, is_variant_ok = false;
    struct progress prog = {0};
    struct paths paths = {0};
    struct ingest *in = NULL;
    struct cw_errors *errs = NULL;
    struct cw_error err;
    int status = CW_OK;
    int c;
    while ((c = getopt_long(argc, argv, ":qv", opts, NULL)) != -1) {
        int in_opt = cli_input_option("ingest", c, optarg, &ro);
        if (in_opt < 0) {
            status = in_opt;
            goto out;
        }
        if (in_opt)
            continue;
        switch (c) {
        case 'c':
            country = optarg;
            break;
        case 'r':
            rubrics[n_rubrics++] = optarg;
            break;
        case 'V':
            is_variant_ok = true;
            break;
        case 'b':
            status = cli_parse_batch("ingest", optarg, &batch);
            if (status)
                goto out;
            break;
        case 'q':
            quiet = true;
            break;
        case 'v':
            prog.is_verbose = true;
            break;
        case ':':
            status = cmd_usage_error("ingest", "option '%s' needs an argument",
                                     argv[optind - 1]);
            goto out;
        default:
            status = cmd_usage_error("ingest", "unknown option '%s'",
                                     argv[optind - 1]);
            goto out;
        }
    }
    if (optind >= argc) {
        status = cmd_usage_error("ingest", "no profile or folder given");
        goto out;
    }
    char iso3[4];
    if (country) {
        struct store_country sc;
        if (!country_iso3_norm(country, iso3)) {
            status = cmd_usage_error(
                "ingest", "--country takes an ISO 3166 alpha-3 code, not '%s'",
                country);
            goto out;
        }
        if (store_country_get(ctx->store, iso3, &sc, &err)) {
            status = cmd_usage_error("ingest",
                                     "unknown country '%s' (not in "
                                     "data/countries.csv)",
                                     iso3);
            goto out;
        }
        free(sc.name);
        free(sc.region);
        country = iso3;
    }
    for (int i = optind; i < argc; i++) {
        struct stat sb;
        if (stat(argv[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
            status = expand_dir(argv[i], &paths, &err);
            if (status) {
                cli_print_error(&err);
                goto out;
            }
        } else {
            paths_add(&paths, xstrdup(argv[i]));
        }
    }

    in = ingest_new(ctx->store, batch, 0, &err);
    if (!in) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    ingest_set_read_opts(in, &ro);
    ingest_allow_variants(in, is_variant_ok);
    errs = xcalloc(1, sizeof *errs);
    if (ingest_n_rubrics(in) == 0) {
        char buf[4096];
        const char *def = cli_data_path(ctx, DEFAULT_RUBRIC, buf, sizeof buf);
        status = ingest_add_rubric(in, def, NULL, NULL, errs);
        if (status) {
            cli_print_errors(errs);
            goto out;
        }
    }
    bool has_new_rubric = false;
    for (size_t i = 0; i < n_rubrics; i++) {
        bool is_new = false;
        errs->n = errs->n_dropped = 0;
        status = ingest_add_rubric(in, rubrics[i], &is_new, NULL, errs);
        if (status) {
            cli_print_errors(errs);
            goto out;
        }
        has_new_rubric = has_new_rubric || is_new;
    }
    /* A rubric registered now becomes the newest of its name: every
     * document stored before is scored under it too, so that no reader
     * finds the store half under one rubric (issue 15, D5). */
    if (has_new_rubric) {
        status = rescore_stored(ctx->store, in, quiet);
        if (status)
            goto out;
    }

    if (isatty(STDERR_FILENO) == 1) {
        int fd = dup(STDERR_FILENO);
        prog.tty = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!prog.tty && fd >= 0)
            close(fd);
    }
    prog.total = paths.n;
    clock_gettime(CLOCK_MONOTONIC, &prog.start);
    prog.last = prog.start;
    ingest_set_commit_hook(in, on_commit, &prog);
    struct tally t = {.prog = &prog, .country = country, .quiet = quiet};
    status = ingest_files(in, paths.items, paths.n, country, report, &t);
    if (status) {
        /* Keep the documents of the batch that did land. */
        struct cw_error e2;
        say_unstored(&t, in,
                     ingest_commit(in, &e2) ? "the commit failed"
                                            : "the batch was rolled back");
        goto out;
    }
    status = ingest_commit(in, &err);
    if (status) {
        cli_print_error(&err);
        say_unstored(&t, in, "the commit failed");
        goto out;
    }
    progress_show(&prog, true);
    printf("%zu document%s: %zu stored, %zu new versions, %zu unchanged, "
           "%zu failed\n",
           paths.n, paths.n == 1 ? "" : "s", t.n_out[INGEST_STORED],
           t.n_out[INGEST_NEW_VERSION], t.n_out[INGEST_UNCHANGED], t.n_failed);
    if (t.n_failed)
        status = t.first_failure;
out:
    if (prog.tty)
        fclose(prog.tty);
    ingest_free(in);
    free(errs);
    paths_release(&paths);
    free(rubrics);
    return status;
}
