/*
 * The offline site: a card per country (core/report.h), the index and
 * group pages (io/sitehtml.h) and the export CSV files (core/export.h).
 */
#include "core/site.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/export.h"
#include "core/precision.h"
#include "core/report.h"
#include "io/html.h"
#include "io/plot.h"
#include "io/sitehtml.h"
#include "util/arena.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

#ifndef CYBERWELL_VERSION
#define CYBERWELL_VERSION "unknown"
#endif

void site_card_dir(const char *iso3, struct strbuf *out)
{
    char name[PLOT_MAX_STEM + 1];
    strbuf_addf(out, SITE_COUNTRY_DIR "/%s",
                plot_country_file_name(iso3, iso3, name, sizeof name));
}

/* Entries in world order: ranked best first, then the others. */
static size_t *world_order(const struct model *m, size_t *n)
{
    size_t n_ranked, n_other;
    const size_t *ranked = model_ranked(m, &n_ranked);
    const size_t *other = model_unranked(m, &n_other);
    size_t *idx = xcalloc(n_ranked + n_other + 1, sizeof *idx);
    memcpy(idx, ranked, n_ranked * sizeof *idx);
    memcpy(idx + n_ranked, other, n_other * sizeof *idx);
    *n = n_ranked + n_other;
    return idx;
}

/* Mark the entries o selects in is_sel (model_count of them). */
static int select_entries(const struct model *m, struct store *s,
                          const struct site_opts *o, bool *is_sel,
                          struct cw_error *err)
{
    size_t n = model_count(m);
    if (o->group) {
        struct store_strings members = {NULL, 0};
        int rc = store_group_members(s, o->group, &members, err);
        if (rc)
            return rc;
        for (size_t i = 0; i < members.n; i++) {
            long k = model_find(m, members.items[i]);
            if (k >= 0)
                is_sel[k] = true;
        }
        store_strings_release(&members);
    }
    if (o->countries) {
        const char *p = o->countries;
        size_t n_codes = 0;
        for (;;) {
            size_t len = strcspn(p, ",");
            char code[4];
            if (++n_codes > SITE_MAX_LIST)
                return cw_errorf(err, CW_ERR_LIMIT, CW_LOC_NONE,
                                 "over %d codes in --countries", SITE_MAX_LIST);
            if (len != 3 || !(((p[0] | 32) >= 'a' && (p[0] | 32) <= 'z') &&
                              ((p[1] | 32) >= 'a' && (p[1] | 32) <= 'z') &&
                              ((p[2] | 32) >= 'a' && (p[2] | 32) <= 'z')))
                return cw_errorf(err, CW_ERR_USAGE, CW_LOC_NONE,
                                 "'%.*s' in --countries is not an ISO3 "
                                 "country code",
                                 (int)(len > 40 ? 40 : len), p);
            for (size_t i = 0; i < 3; i++)
                code[i] = (char)(p[i] & ~32);
            code[3] = '\0';
            long k = model_find(m, code);
            if (k < 0)
                return model_missing(m, s, code, "country", err);
            is_sel[k] = true;
            if (!p[len])
                break;
            p += len + 1;
        }
    }
    if (!o->group && !o->countries)
        for (size_t k = 0; k < n; k++)
            is_sel[k] = true;
    return CW_OK;
}

/* "AAA,BBB": up to SITE_NEIGHBOURS entries nearest to position at in the
 * world order, alternately above and below. */
static char *neighbours(const struct model *m, const size_t *order, size_t n,
                        size_t at)
{
    struct strbuf sb = STRBUF_INIT;
    size_t taken = 0;
    for (size_t d = 1; d < n && taken < SITE_NEIGHBOURS; d++) {
        for (int side = 0; side < 2 && taken < SITE_NEIGHBOURS; side++) {
            if (side == 0 && at < d)
                continue;
            size_t j = side == 0 ? at - d : at + d;
            if (j >= n)
                continue;
            strbuf_addf(&sb, "%s%s", taken ? "," : "",
                        model_entry(m, order[j])->iso3);
            taken++;
        }
    }
    if (!taken) {
        strbuf_release(&sb);
        return NULL;
    }
    return strbuf_detach(&sb, NULL);
}

int site_plan(struct store *s, const struct site_opts *o, struct site_plan *out,
              struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    struct model_opts mo = o->model;
    mo.group = NULL;
    struct model *m = model_load(s, &mo, NULL, NULL, err);
    if (!m)
        return err->code;
    size_t n = 0;
    size_t *order = world_order(m, &n);
    bool *is_sel = xcalloc(model_count(m) + 1, sizeof *is_sel);
    int rc = select_entries(m, s, o, is_sel, err);
    if (rc)
        goto out;
    out->cards = xcalloc(n + 1, sizeof *out->cards);
    for (size_t at = 0; at < n; at++) {
        size_t k = order[at];
        if (!is_sel[k])
            continue;
        struct site_card *c = &out->cards[out->n++];
        memcpy(c->iso3, model_entry(m, k)->iso3, 4);
        struct model_peers peers;
        struct cw_error e2;
        rc = model_choose_peers(m, s, k, NULL, NULL, &peers, &e2);
        if (rc == CW_ERR_NOTFOUND ||
            (rc == CW_OK && peers.n > REPORT_MAX_PEERS))
            c->peers = neighbours(m, order, n, at);
        else if (rc) {
            *err = e2;
            goto out;
        }
        if (rc == CW_OK)
            model_peers_release(&peers);
        rc = CW_OK;
    }
    if (!out->n)
        rc = cw_errorf(err, CW_ERR_NOTFOUND, CW_LOC_NONE,
                       "no country to build a site for: no document is "
                       "scored under rubric '%s'%s%s",
                       model_rubric_label(m), o->group ? " in group " : "",
                       o->group ? o->group : "");
out:
    if (rc)
        site_plan_release(out);
    free(is_sel);
    free(order);
    model_free(m);
    return rc;
}

void site_plan_release(struct site_plan *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->cards[i].peers);
    free(p->cards);
    p->cards = NULL;
    p->n = 0;
}

/* ---- a card ------------------------------------------------------------ */

int site_country(struct store *s, const struct site_opts *o,
                 const struct site_card *c, struct cw_error *err)
{
    struct report_opts ro;
    memset(&ro, 0, sizeof ro);
    ro.iso3 = c->iso3;
    ro.peers = c->peers;
    ro.model = o->model;
    ro.model.group = NULL;
    ro.command = o->command;
    ro.db_path = o->db_path;
    ro.home = "../../index.html";
    struct strbuf dir = STRBUF_INIT;
    struct strbuf note_bufs[REPORT_N_KINDS + 2];
    const char *notes[REPORT_N_KINDS + 2];
    size_t n_notes = 0;
    struct plot_job *job = NULL;
    int status = CW_OK;

    struct report *r = report_load(s, &ro, err);
    if (!r)
        return err->code;
    strbuf_addf(&dir, "%s/", o->dir);
    site_card_dir(c->iso3, &dir);
    job = plot_job_new(dir.buf, err);
    if (!job) {
        status = err->code;
        goto out;
    }
    if (c->peers) {
        strbuf_init(&note_bufs[n_notes]);
        strbuf_addf(&note_bufs[n_notes],
                    "Peers: no group of %s has another scored member, or "
                    "its groups have more than %d, so it is compared with "
                    "its neighbours in the world ranking.",
                    report_country(r), REPORT_MAX_PEERS);
        notes[n_notes] = note_bufs[n_notes].buf;
        n_notes++;
    }
    for (size_t k = 0; k < REPORT_N_KINDS; k++) {
        int rc = report_chart(r, job, (enum report_kind)k, err);
        if (rc == CW_ERR_NOTFOUND) {
            strbuf_init(&note_bufs[n_notes]);
            strbuf_addf(&note_bufs[n_notes], "No %s chart: %s.",
                        report_kind_name((enum report_kind)k), err->msg);
            notes[n_notes] = note_bufs[n_notes].buf;
            n_notes++;
        } else if (rc) {
            status = rc;
            goto out;
        }
    }
    status = report_tables(r, job, err);
    if (status)
        goto out;
    struct cw_error render_err;
    int rendered = plot_render(job, o->gnuplot, &render_err);
    if (rendered) {
        strbuf_init(&note_bufs[n_notes]);
        strbuf_addf(&note_bufs[n_notes], "Charts not rendered: %s.",
                    render_err.msg);
        notes[n_notes] = note_bufs[n_notes].buf;
        n_notes++;
    }
    status = report_card(r, job, rendered == CW_OK, notes, n_notes, err);
    if (!status && rendered) {
        *err = render_err;
        status = rendered;
    }
out:
    for (size_t i = 0; i < n_notes; i++)
        strbuf_release(&note_bufs[i]);
    plot_job_free(job);
    report_free(r);
    strbuf_release(&dir);
    return status;
}

/* ---- index and group pages --------------------------------------------- */

/* The texts of the pages, kept until they are rendered. */
struct pages {
    const struct model *m;
    const struct site_opts *o;
    struct arena a;     /* every string and array below */
    struct strbuf sb;   /* scratch */
    const char **names; /* the pillars, as column heads */
    bool *is_apart;
    size_t n_pillars;
    struct html_kv prov[8];
    size_t n_prov;
    struct sitehtml_link files[EXPORT_N_FILES];
    size_t n_files;
};

static const char *keep(struct pages *pg)
{
    const char *s = arena_strdup(&pg->a, pg->sb.buf);
    strbuf_reset(&pg->sb);
    return s;
}

/* The href of entry e's card from a page prefix ("" or "../"), or NULL
 * when the card was not written. */
static const char *card_href(struct pages *pg, const struct model_entry *e,
                             const char *prefix)
{
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/", pg->o->dir);
    site_card_dir(e->iso3, &path);
    strbuf_adds(&path, "/index.html");
    bool is_there = access(path.buf, F_OK) == 0;
    strbuf_release(&path);
    if (!is_there)
        return NULL;
    strbuf_adds(&pg->sb, prefix);
    site_card_dir(e->iso3, &pg->sb);
    strbuf_adds(&pg->sb, "/index.html");
    return keep(pg);
}

/* Row of entry e; rank 0: not ranked. */
static void fill_row(struct pages *pg, const struct model_entry *e, size_t rank,
                     size_t best, size_t worst, bool is_tied,
                     const char *prefix, struct sitehtml_row *row)
{
    const struct model *m = pg->m;
    const struct rubric *rb = model_rubric(m);
    int dec = model_decimals(m);
    row->iso3 = e->iso3;
    row->name = e->country;
    row->href = card_href(pg, e, prefix);
    row->is_ranked = rank > 0;
    if (rank) {
        strbuf_addf(&pg->sb, "%zu%s", rank, is_tied ? "=" : "");
        row->rank = keep(pg);
        if (best == worst)
            strbuf_addf(&pg->sb, "%zu", best);
        else
            strbuf_addf(&pg->sb, "%zu-%zu", best, worst);
        row->range = keep(pg);
        row->rank_key = (double)rank;
    } else {
        row->rank = "-";
        row->range = "-";
        row->rank_key = 1e9;
    }
    model_place_text(m, e, &pg->sb);
    row->place = keep(pg);
    precision_score(&pg->sb, e->scores.overall, dec);
    row->overall = keep(pg);
    row->overall_key = isnan(e->scores.overall) ? -1 : e->scores.overall;
    strbuf_addf(&pg->sb, "%zu/%zu", e->scores.coverage, e->scores.n_counted);
    row->coverage = keep(pg);
    row->coverage_key = (double)e->scores.coverage;
    const char **texts = arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *texts);
    const char **cells = arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *cells);
    double *values = arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *values);
    bool *is_partial =
        arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *is_partial);
    for (size_t p = 0; p < rb->n_pillars; p++) {
        model_value_text(m, e, p, &pg->sb);
        texts[p] = keep(pg);
        values[p] = model_value(m, e, p);
        precision_score(&pg->sb, values[p], dec);
        cells[p] = keep(pg);
        size_t stated, of;
        model_coverage(m, e, p, &stated, &of);
        is_partial[p] = stated > 0 && stated < of;
    }
    row->pillars = texts;
    row->cells = cells;
    row->pillar_values = values;
    row->is_partial = is_partial;
}

static void page_common(struct pages *pg, struct sitehtml_page *p)
{
    p->pillar_names = pg->names;
    p->pillar_apart = pg->is_apart;
    p->n_pillars = pg->n_pillars;
    p->provenance = pg->prov;
    p->n_provenance = pg->n_prov;
}

static int write_page(struct plot_job *job, const char *name,
                      const struct sitehtml_page *p, struct cw_error *err)
{
    struct strbuf html = STRBUF_INIT;
    sitehtml_render(p, &html);
    int rc = plot_job_write(job, name, html.buf, html.len, err);
    strbuf_release(&html);
    return rc;
}

static int write_group(struct pages *pg, struct store *s, struct plot_job *job,
                       const char *group, struct cw_error *err)
{
    const struct model *m = pg->m;
    struct store_strings members = {NULL, 0};
    int rc = store_group_members(s, group, &members, err);
    if (rc)
        return rc;
    size_t *idx = xcalloc(members.n + 1, sizeof *idx);
    const char **missing = xcalloc(members.n + 1, sizeof *missing);
    size_t n = 0, n_missing = 0;
    for (size_t i = 0; i < members.n; i++) {
        long k = model_find(m, members.items[i]);
        if (k >= 0)
            idx[n++] = (size_t)k;
        else
            missing[n_missing++] = members.items[i];
    }
    size_t *rank = xcalloc(n + 1, sizeof *rank);
    size_t *best = xcalloc(n + 1, sizeof *best);
    size_t *worst = xcalloc(n + 1, sizeof *worst);
    size_t n_ranked = 0;
    model_rank_subset(m, idx, n, rank, best, worst, &n_ranked);
    /* ranked members best first (iso3 order on ties), then the others in
     * the world's order */
    size_t *order = xcalloc(n + 1, sizeof *order);
    size_t n_order = 0;
    for (size_t r = 1; r <= n; r++)
        for (size_t i = 0; i < n; i++)
            if (rank[i] == r)
                order[n_order++] = i;
    size_t n_other;
    const size_t *other = model_unranked(m, &n_other);
    for (size_t u = 0; u < n_other; u++)
        for (size_t i = 0; i < n; i++)
            if (idx[i] == other[u])
                order[n_order++] = i;
    struct sitehtml_row *rows = xcalloc(n_order + 1, sizeof *rows);
    for (size_t j = 0; j < n_order; j++) {
        size_t i = order[j];
        bool is_tied = false;
        for (size_t t = 0; t < n && rank[i]; t++)
            is_tied = is_tied || (t != i && rank[t] == rank[i]);
        fill_row(pg, model_entry(m, idx[i]), rank[i], best[i], worst[i],
                 is_tied, "../", &rows[j]);
    }
    struct sitehtml_page p;
    memset(&p, 0, sizeof p);
    page_common(pg, &p);
    p.title = group;
    p.kicker = "Cyberwellness group";
    strbuf_addf(&pg->sb,
                "%zu members, %zu with a document scored under %s, %zu "
                "ranked; ranks are among the group's members.",
                members.n, n, model_rubric_label(m), n_ranked);
    p.intro = keep(pg);
    p.home = "../index.html";
    p.rows = rows;
    p.n_rows = n_order;
    p.rows_note = "range: joint rank range within the group, with every "
                  "unresolved indicator at its best and at its worst. "
                  "Members below the rubric's min_coverage are listed, not "
                  "ranked.";
    p.missing = missing;
    p.n_missing = n_missing;
    char name[PLOT_MAX_STEM + 1];
    plot_safe_name(group, name, sizeof name - 5);
    strbuf_addf(&pg->sb, "%s.html", name);
    rc = write_page(job, pg->sb.buf, &p, err);
    strbuf_reset(&pg->sb);
    free(rows);
    free(order);
    free(rank);
    free(best);
    free(worst);
    free(idx);
    free(missing);
    store_strings_release(&members);
    return rc;
}

static void pages_init(struct pages *pg, const struct model *m,
                       const struct site_opts *o)
{
    memset(pg, 0, sizeof *pg);
    pg->m = m;
    pg->o = o;
    arena_init(&pg->a);
    strbuf_init(&pg->sb);
    const struct rubric *rb = model_rubric(m);
    pg->n_pillars = rb->n_pillars;
    pg->names = arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *pg->names);
    pg->is_apart =
        arena_calloc(&pg->a, rb->n_pillars + 1, sizeof *pg->is_apart);
    for (size_t p = 0; p < rb->n_pillars; p++) {
        pg->names[p] = rb->pillars[p].name;
        pg->is_apart[p] = !rb->pillars[p].in_overall;
    }
    struct html_kv *pv = pg->prov;
    pv[pg->n_prov].key = "Rubric";
    pv[pg->n_prov++].value = model_rubric_label(m);
    pv[pg->n_prov].key = "Rubric SHA-256";
    pv[pg->n_prov++].value = model_rubric_sha256(m);
    pv[pg->n_prov].key = "Ranks";
    strbuf_addf(&pg->sb, "%s ties at %d decimals; ranked: %s",
                compare_ties_name(model_ties(m)), model_decimals(m),
                model_includes_incomplete(m)
                    ? "every document (--include-incomplete)"
                    : "documents stating at least the rubric's "
                      "min_coverage");
    pv[pg->n_prov++].value = keep(pg);
    pv[pg->n_prov].key = "Analyst overrides";
    pv[pg->n_prov++].value =
        model_is_computed(m) ? "ignored (--no-overrides)" : "applied";
    pv[pg->n_prov].key = "Engine";
    pv[pg->n_prov++].value = "cyberwell " CYBERWELL_VERSION;
    if (o->db_path) {
        pv[pg->n_prov].key = "Database";
        pv[pg->n_prov++].value = o->db_path;
    }
    if (o->command) {
        pv[pg->n_prov].key = "Command";
        pv[pg->n_prov++].value = o->command;
    }
}

static void pages_release(struct pages *pg)
{
    arena_release(&pg->a);
    strbuf_release(&pg->sb);
}

int site_pages(struct store *s, const struct site_opts *o,
               struct site_summary *out, struct cw_error *err)
{
    memset(out, 0, sizeof *out);
    struct model_opts mo = o->model;
    mo.group = NULL;
    struct export_summary es;
    struct strbuf path = STRBUF_INIT;
    strbuf_addf(&path, "%s/" SITE_DATA_DIR, o->dir);
    int rc = export_csv(s, &mo, path.buf, &es, err);
    strbuf_release(&path);
    if (rc)
        return rc;
    struct model *m = model_load(s, &mo, NULL, NULL, err);
    if (!m)
        return err->code;
    struct pages pg;
    pages_init(&pg, m, o);
    struct plot_job *job = NULL, *gjob = NULL;
    struct store_strings groups = {NULL, 0};
    struct sitehtml_link *glinks = NULL;
    size_t n = 0;
    size_t *order = world_order(m, &n);
    struct sitehtml_row *rows = xcalloc(n + 1, sizeof *rows);

    for (size_t i = 0; export_file_name(i); i++) {
        pg.files[i].text = export_file_name(i);
        strbuf_addf(&pg.sb, SITE_DATA_DIR "/%s", export_file_name(i));
        pg.files[i].href = keep(&pg);
        pg.n_files++;
    }
    for (size_t at = 0; at < n; at++) {
        const struct model_entry *e = model_entry(m, order[at]);
        fill_row(&pg, e, e->rank, e->rank_best, e->rank_worst,
                 e->is_ranked && model_is_tied(m, e), "", &rows[at]);
        out->n_cards += rows[at].href != NULL;
        out->n_ranked += e->is_ranked;
    }
    out->n_countries = n;

    rc = store_groups_get(s, &groups, err);
    if (rc)
        goto out;
    glinks = xcalloc(groups.n + 1, sizeof *glinks);
    strbuf_addf(&pg.sb, "%s/" SITE_GROUP_DIR, o->dir);
    gjob = groups.n ? plot_job_new(pg.sb.buf, err) : NULL;
    strbuf_reset(&pg.sb);
    if (groups.n && !gjob) {
        rc = err->code;
        goto out;
    }
    for (size_t g = 0; g < groups.n; g++) {
        rc = write_group(&pg, s, gjob, groups.items[g], err);
        if (rc)
            goto out;
        char name[PLOT_MAX_STEM + 1];
        plot_safe_name(groups.items[g], name, sizeof name - 5);
        glinks[g].text = groups.items[g];
        strbuf_addf(&pg.sb, SITE_GROUP_DIR "/%s.html", name);
        glinks[g].href = keep(&pg);
        out->n_groups++;
    }

    struct sitehtml_page p;
    memset(&p, 0, sizeof p);
    page_common(&pg, &p);
    p.title = "Cyberwellness ranking";
    p.kicker = "Cyberwellness profiles";
    strbuf_addf(&pg.sb,
                "%zu countries with a document scored under %s, %zu ranked "
                "(coverage at least %zu of %zu indicators%s); %zu report "
                "cards.",
                n, model_rubric_label(m), out->n_ranked, model_min_coverage(m),
                model_n_counted(m),
                model_includes_incomplete(m) ? ", or every one with "
                                               "--include-incomplete"
                                             : "",
                out->n_cards);
    p.intro = keep(&pg);
    p.rows = rows;
    p.n_rows = n;
    p.rows_note = "range: joint rank range, with the country's unresolved "
                  "indicators at their best and every other's at their "
                  "worst, and the reverse. Countries below the rubric's "
                  "min_coverage are listed after the ranked ones, not "
                  "ranked. Press a column head to sort.";
    p.groups = glinks;
    p.n_groups = groups.n;
    p.files = pg.files;
    p.n_files = pg.n_files;
    job = plot_job_new(o->dir, err);
    if (!job) {
        rc = err->code;
        goto out;
    }
    rc = write_page(job, "index.html", &p, err);
out:
    plot_job_free(job);
    plot_job_free(gjob);
    free(glinks);
    store_strings_release(&groups);
    free(rows);
    free(order);
    pages_release(&pg);
    model_free(m);
    return rc;
}
