/* cyberwell compare ISO3: a country against its peers, pillar by pillar. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/model.h"
#include "io/csvio.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

// clang-format off
const char usage_compare[] =
    "usage: cyberwell compare ISO3 [--peers ISO3,ISO3,...|--group G] "
    "[options]\n"
    "\n"
    "Compare a country with its peers under one rubric, each by its latest\n"
    "document: pillar and overall scores against each peer and against\n"
    "the peers' median and best; its rank among itself and its ranked\n"
    "peers, and among every ranked country; its gaps (indicators that\n"
    "peers have, present or partial, and it lacks) and strengths (the\n"
    "reverse), each with the sentence that decided it.\n"
    "\n"
    "Peers: --peers lists them; --group takes the members of group G from\n"
    "data/groups.csv. By default the peers are the members of every group\n"
    "the country belongs to (for BEL: Benelux, EU, EU28-2015 and\n"
    "ITU-Europe), in each case only countries with a scored document.\n"
    "\n"
    "Coverage: the overall median and best are taken over the ranked\n"
    "peers, a pillar's over the peers that leave no more of it unresolved\n"
    "than a ranked document may (docs/ranking.md), with the count shown;\n"
    "with no such peer they are n/a, never 0. A score shows its coverage\n"
    "(k/n) when the document does not state every indicator.\n"
    "Gaps and strengths count only indicators that both documents state\n"
    "(present, partial or absent), unless --unstated-as-absent is given.\n"
    "\n"
    "options:\n"
    "  --peers LIST       comma-separated ISO 3166 alpha-3 codes\n"
    "  --group G          the other members of group G\n"
    "  --unstated-as-absent\n"
    "                     count unknown and not stated indicators as absent\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, or no peer\n"
    "with scores, 2 usage error, 4 database error.\n";
// clang-format on

#define MAX_PEERS 1000 /* codes in --peers */

struct view {
    const struct model *m;
    size_t self; /* entry index of the country */
    struct model_peers peers;
    unsigned flags;             /* enum compare_flags */
    struct compare_stat *stats; /* owned: n_pillars + 1, overall last */
    struct compare_findings findings;
    size_t rank, rank_best, rank_worst; /* among the country and peers */
    size_t n_ranked;                    /* of them, ranked */
    struct store_scores **details;      /* owned: self, then each peer */
};

static const struct model_entry *entry(const struct view *v, size_t k)
{
    return model_entry(v->m, k);
}

static size_t n_measures(const struct view *v)
{
    return model_rubric(v->m)->n_pillars + 1;
}

static const char *measure_id(const struct view *v, size_t m_id)
{
    const struct rubric *r = model_rubric(v->m);
    return m_id < r->n_pillars ? r->pillars[m_id].id : "overall";
}

static const char *measure_name(const struct view *v, size_t m_id)
{
    const struct rubric *r = model_rubric(v->m);
    return m_id < r->n_pillars ? r->pillars[m_id].name : "Overall";
}

static int choose_peers(struct cw_ctx *ctx, struct view *v, const char *list,
                        const char *group)
{
    struct cw_error err;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    status = model_choose_peers(v->m, s, v->self, list, group, &v->peers, &err);
    if (status == CW_ERR_USAGE)
        return cmd_usage_error("compare", "%s", err.msg);
    if (status)
        cli_print_error(&err);
    return status;
}

/* The evidence of the country and of each peer. */
static int load_details(struct cw_ctx *ctx, struct view *v)
{
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    // an array of pointers, one per document (not of structs)
    // NOLINTNEXTLINE(bugprone-sizeof-expression)
    v->details = xcalloc(v->peers.n + 1, sizeof *v->details);
    for (size_t j = 0; j <= v->peers.n; j++) {
        struct cw_error err;
        v->details[j] =
            model_details(v->m, s, j ? v->peers.idx[j - 1] : v->self, &err);
        if (!v->details[j]) {
            cli_print_error(&err);
            return err.code;
        }
    }
    return CW_OK;
}

static void view_compute(struct view *v)
{
    const struct model *m = v->m;
    size_t n = v->peers.n;
    v->stats = xcalloc(n_measures(v), sizeof *v->stats);
    for (size_t k = 0; k < n_measures(v); k++)
        model_stats(m, v->peers.idx, n, k, &v->stats[k]);
    /* rank among the country (first) and its peers */
    size_t *idx = xmalloc((n + 1) * sizeof *idx);
    size_t *rank = xmalloc((n + 1) * sizeof *rank);
    size_t *best = xmalloc((n + 1) * sizeof *best);
    size_t *worst = xmalloc((n + 1) * sizeof *worst);
    idx[0] = v->self;
    memcpy(idx + 1, v->peers.idx, n * sizeof *idx);
    model_rank_subset(m, idx, n + 1, rank, best, worst, &v->n_ranked);
    v->rank = rank[0];
    v->rank_best = best[0];
    v->rank_worst = worst[0];
    const enum cw_state **peer_states =
        xmalloc((n ? n : 1) * sizeof *peer_states);
    for (size_t j = 0; j < n; j++)
        peer_states[j] = entry(v, v->peers.idx[j])->states;
    compare_findings_build(model_rubric(m), entry(v, v->self)->states,
                           (const enum cw_state *const *)peer_states, n,
                           v->flags, &v->findings);
    free(peer_states);
    free(idx);
    free(rank);
    free(best);
    free(worst);
}

static void view_release(struct view *v)
{
    if (v->details) /* one per peer and the country: before the peers go */
        for (size_t j = 0; j <= v->peers.n; j++)
            store_scores_free(v->details[j]);
    free(v->details);
    model_peers_release(&v->peers);
    free(v->stats);
    compare_findings_release(&v->findings);
}

/* "GBR", or "GBR+2" when two more peers tie with it for best; "" when
 * there is no best. */
static void best_label(const struct view *v, size_t k, struct strbuf *out)
{
    const struct compare_stat *st = &v->stats[k];
    if (!st->n)
        return;
    strbuf_adds(out, entry(v, v->peers.idx[st->best_index])->iso3);
    if (st->n_best > 1)
        strbuf_addf(out, "+%zu", st->n_best - 1);
}

/* The stored indicator i of the country (j == 0) or of peer j - 1. */
static const struct store_indicator *detail(const struct view *v, size_t j,
                                            size_t i)
{
    return model_indicator(v->m, &v->details[j]->items[0], i);
}

/* Position of entry k among self and peers (0 = self), for details. */
static size_t slot(const struct view *v, size_t k)
{
    if (k == v->self)
        return 0;
    for (size_t j = 0; j < v->peers.n; j++)
        if (v->peers.idx[j] == k)
            return j + 1;
    CW_BUG("entry %zu is neither the country nor a peer", k);
}

/* The sentence behind indicator i of entry k, on one line. */
static void print_evidence(const struct view *v, size_t k, size_t i)
{
    const struct model_entry *e = entry(v, k);
    const struct store_indicator *ind = detail(v, slot(v, k), i);
    struct strbuf st = STRBUF_INIT;
    model_status_text(v->m, e, i, MODEL_STATUS_LONG, &st);
    if (ind && ind->evidence)
        printf("    %s %s, line %u: \"%s\"\n", e->iso3, st.buf, ind->line,
               ind->evidence);
    else
        printf("    %s %s: (%s)\n", e->iso3, st.buf,
               ind && ind->reason ? ind->reason : "no sentence");
    strbuf_release(&st);
}

/* "present in GBR, ITA; partial in LUX": the peers of a finding by status. */
static void print_peer_states(const struct view *v,
                              const struct compare_finding *it)
{
    static const enum cw_state order[] = {CW_PRESENT, CW_PARTIAL, CW_ABSENT,
                                          CW_UNKNOWN, CW_UNSTATED};
    bool first_state = true;
    for (size_t s = 0; s < sizeof order / sizeof *order; s++) {
        bool first = true;
        for (size_t j = 0; j < it->n_peers; j++) {
            const struct model_entry *pe = entry(v, v->peers.idx[it->peers[j]]);
            if (pe->states[it->indicator] != order[s])
                continue;
            if (first)
                printf("%s%s in ", first_state ? "" : "; ",
                       cw_state_name(order[s]));
            printf("%s%s", first ? "" : ", ", pe->iso3);
            first = first_state = false;
        }
    }
}

static void print_findings_text(const struct view *v,
                                enum compare_finding_kind kind)
{
    const struct rubric *r = model_rubric(v->m);
    const struct compare_findings *f = &v->findings;
    const char *iso3 = entry(v, v->self)->iso3;
    size_t from = kind == COMPARE_GAP ? 0 : f->n_gaps;
    size_t to = kind == COMPARE_GAP ? f->n_gaps : f->n_items;
    if (kind == COMPARE_GAP)
        printf("\ngaps: %zu indicator%s that peers have and %s lacks\n",
               to - from, to - from == 1 ? "" : "s", iso3);
    else
        printf("\nstrengths: %zu indicator%s that %s has and peers lack\n",
               to - from, to - from == 1 ? "" : "s", iso3);
    for (size_t k = from; k < to; k++) {
        const struct compare_finding *it = &f->items[k];
        const struct rubric_indicator *ind = &r->indicators[it->indicator];
        printf("  %s %s (%s): %s in %s; ", ind->id, ind->name,
               r->pillars[ind->pillar].name,
               cw_state_name(entry(v, v->self)->states[it->indicator]), iso3);
        print_peer_states(v, it);
        printf(" (%zu of %zu peer%s compared)\n", it->n_peers, it->n_compared,
               it->n_compared == 1 ? "" : "s");
        print_evidence(v, v->self, it->indicator);
        for (size_t j = 0; j < it->n_peers; j++)
            print_evidence(v, v->peers.idx[it->peers[j]], it->indicator);
    }
}

/* The rank lines: among the country and its peers, and among all. */
static void print_ranks(const struct view *v)
{
    const struct model_entry *me = entry(v, v->self);
    size_t n_all;
    model_ranked(v->m, &n_all);
    const char *ties = compare_ties_name(model_ties(v->m));
    size_t n_out = v->peers.n + 1 - v->n_ranked;
    if (!me->is_ranked) {
        struct strbuf sb = STRBUF_INIT;
        model_place_text(v->m, me, &sb);
        printf("\nrank: %s %s (ranked from %zu of %zu); no rank among "
               "peers or among all\n",
               me->iso3, sb.buf, model_min_coverage(v->m),
               model_n_counted(v->m));
        strbuf_release(&sb);
        return;
    }
    printf("\nrank among %s and its ranked peers: %zu of %zu (%s), range "
           "%zu-%zu",
           me->iso3, v->rank, v->n_ranked, ties, v->rank_best, v->rank_worst);
    if (n_out)
        printf("; %zu peer%s not ranked", n_out, n_out == 1 ? "" : "s");
    printf("\nrank among all ranked countries: %zu of %zu (%s), range "
           "%zu-%zu\n",
           me->rank, n_all, ties, me->rank_best, me->rank_worst);
}

/* Width of a column of values as model_value_text writes them. */
static int value_width(const struct view *v, size_t k, int min)
{
    int w = min;
    for (size_t m_id = 0; m_id < n_measures(v); m_id++) {
        struct strbuf sb = STRBUF_INIT;
        model_value_text(v->m, entry(v, k), m_id, &sb);
        if ((int)sb.len > w)
            w = (int)sb.len;
        strbuf_release(&sb);
    }
    return w;
}

static void print_text(const struct view *v)
{
    const struct model *m = v->m;
    const struct model_entry *me = entry(v, v->self);
    const int dec = model_decimals(m);
    int w = dec + 2 < 6 ? 6 : dec + 2;
    struct strbuf sb = STRBUF_INIT, by = STRBUF_INIT, d1 = STRBUF_INIT,
                  d2 = STRBUF_INIT, med = STRBUF_INIT, best = STRBUF_INIT;
    printf("compare %s (%s) with %zu peer%s:", me->iso3, me->country,
           v->peers.n, v->peers.n == 1 ? "" : "s");
    for (size_t j = 0; j < v->peers.n; j++)
        printf(" %s", entry(v, v->peers.idx[j])->iso3);
    model_peers_source(&v->peers, &sb);
    printf("\npeers from: %s\n", sb.buf);
    cmputil_print_basis(m);
    printf("coverage (indicators stated):");
    for (size_t j = 0; j <= v->peers.n; j++) {
        const struct model_entry *e =
            entry(v, j ? v->peers.idx[j - 1] : v->self);
        printf("%s %s %zu/%zu%s", j ? "," : "", e->iso3, e->scores.coverage,
               e->scores.n_counted, e->is_ranked ? "" : " (not ranked)");
    }
    printf("\n");

    int wc = value_width(v, v->self, w);
    printf("\n%-26s %*s %*s %*s  %-9s %7s  %*s %*s\n", "pillar", wc, me->iso3,
           w + 1, "median", w, "best", "best peer", "peers", w + 3, "vs median",
           w + 2, "vs best");
    for (size_t k = 0; k < n_measures(v); k++) {
        const struct compare_stat *st = &v->stats[k];
        double mine = model_has_basis(m, me, k) ? model_value(m, me, k) : NAN;
        strbuf_reset(&sb);
        strbuf_reset(&by);
        strbuf_reset(&d1);
        strbuf_reset(&d2);
        strbuf_reset(&med);
        strbuf_reset(&best);
        model_value_text(m, me, k, &sb);
        best_label(v, k, &by);
        precision_score(&med, st->median, dec);
        precision_score(&best, st->best, dec);
        precision_diff(&d1, mine, st->median, dec);
        precision_diff(&d2, mine, st->best, dec);
        char peers[32];
        snprintf(peers, sizeof peers, "%zu of %zu", st->n, v->peers.n);
        printf("%-26.26s %*s %*s %*s  %-9s %7s  %*s %*s\n", measure_name(v, k),
               wc, sb.buf, w + 1, med.buf, w, best.buf, by.buf, peers, w + 3,
               d1.buf, w + 2, d2.buf);
    }
    printf("peers: those that leave no more of the pillar unresolved than a "
           "ranked document may (overall: the ranked peers); n/a: no basis\n");

    int *pw = xcalloc(v->peers.n + 1, sizeof *pw);
    for (size_t j = 0; j <= v->peers.n; j++)
        pw[j] = value_width(v, j ? v->peers.idx[j - 1] : v->self, w);
    printf("\n%-26s", "pillar");
    for (size_t j = 0; j <= v->peers.n; j++)
        printf(" %*s", pw[j],
               entry(v, j ? v->peers.idx[j - 1] : v->self)->iso3);
    printf("\n");
    for (size_t k = 0; k < n_measures(v); k++) {
        printf("%-26.26s", measure_name(v, k));
        for (size_t j = 0; j <= v->peers.n; j++) {
            strbuf_reset(&sb);
            model_value_text(m, entry(v, j ? v->peers.idx[j - 1] : v->self), k,
                             &sb);
            printf(" %*s", pw[j], sb.buf);
        }
        printf("\n");
    }
    free(pw);
    print_ranks(v);
    printf("gaps and strengths: %s\n",
           v->flags & COMPARE_UNSTATED_AS_ABSENT
               ? "unknown and not stated count as absent"
               : "only indicators that both documents state");
    print_findings_text(v, COMPARE_GAP);
    print_findings_text(v, COMPARE_STRENGTH);
    bool any = me->has_overrides;
    for (size_t j = 0; j < v->peers.n; j++)
        any = any || entry(v, v->peers.idx[j])->has_overrides;
    if (any)
        printf("\nscores use analyst overrides (--no-overrides for the "
               "computed ones)\n");
    strbuf_release(&sb);
    strbuf_release(&by);
    strbuf_release(&d1);
    strbuf_release(&d2);
    strbuf_release(&med);
    strbuf_release(&best);
}

static void csv_lead(struct csvio_writer *w, const struct view *v,
                     const char *kind, const char *item, const char *name,
                     const char *peer)
{
    csvio_text(w, model_rubric_name(v->m));
    csvio_text(w, model_rubric_version(v->m));
    csvio_text(w, entry(v, v->self)->iso3);
    csvio_text(w, kind);
    csvio_text(w, item);
    csvio_text(w, name);
    csvio_text(w, peer);
}

/* value, coverage "k/n" and the country's value and coverage. */
static void csv_values(struct csvio_writer *w, const struct view *v,
                       double value, size_t stated, size_t of, size_t m_id)
{
    const struct model_entry *me = entry(v, v->self);
    int dec = model_decimals(v->m);
    size_t k, n;
    struct strbuf sb = STRBUF_INIT;
    precision_csv(w, value, dec);
    strbuf_addf(&sb, "%zu/%zu", stated, of);
    csvio_text(w, sb.buf);
    precision_csv(w, model_value(v->m, me, m_id), dec);
    model_coverage(v->m, me, m_id, &k, &n);
    strbuf_reset(&sb);
    strbuf_addf(&sb, "%zu/%zu", k, n);
    csvio_text(w, sb.buf);
    strbuf_release(&sb);
    for (int i = 0; i < 6; i++)
        csvio_empty(w);
}

static void print_csv(const struct view *v)
{
    const struct model *m = v->m;
    const struct rubric *r = model_rubric(m);
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {"rubric",
                                       "rubric_version",
                                       "country",
                                       "kind",
                                       "item",
                                       "item_name",
                                       "peer",
                                       "value",
                                       "coverage",
                                       "country_value",
                                       "country_coverage",
                                       "country_status",
                                       "peer_status",
                                       "country_line",
                                       "country_evidence",
                                       "peer_line",
                                       "peer_evidence"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    csvio_end_row(&w);
    for (size_t k = 0; k < n_measures(v); k++) {
        for (size_t j = 0; j < v->peers.n; j++) {
            const struct model_entry *pe = entry(v, v->peers.idx[j]);
            size_t st, of;
            model_coverage(m, pe, k, &st, &of);
            csv_lead(&w, v, "score", measure_id(v, k), measure_name(v, k),
                     pe->iso3);
            csv_values(&w, v, model_value(m, pe, k), st, of, k);
            csvio_end_row(&w);
        }
        const struct compare_stat *st = &v->stats[k];
        csv_lead(&w, v, "median", measure_id(v, k), measure_name(v, k), NULL);
        csv_values(&w, v, st->median, st->n, v->peers.n, k);
        csvio_end_row(&w);
        csv_lead(&w, v, "best", measure_id(v, k), measure_name(v, k),
                 st->n ? entry(v, v->peers.idx[st->best_index])->iso3 : NULL);
        csv_values(&w, v, st->best, st->n, v->peers.n, k);
        csvio_end_row(&w);
    }
    const struct model_entry *me = entry(v, v->self);
    for (size_t k = 0; k < v->findings.n_items; k++) {
        const struct compare_finding *it = &v->findings.items[k];
        const struct rubric_indicator *ind = &r->indicators[it->indicator];
        const struct store_indicator *mi = detail(v, 0, it->indicator);
        for (size_t j = 0; j < it->n_peers; j++) {
            size_t pk = v->peers.idx[it->peers[j]];
            const struct model_entry *pe = entry(v, pk);
            const struct store_indicator *pi =
                detail(v, slot(v, pk), it->indicator);
            struct strbuf ms = STRBUF_INIT, ps = STRBUF_INIT;
            model_status_text(m, me, it->indicator, MODEL_STATUS_NOTE, &ms);
            model_status_text(m, pe, it->indicator, MODEL_STATUS_NOTE, &ps);
            csv_lead(&w, v, it->kind == COMPARE_GAP ? "gap" : "strength",
                     ind->id, ind->name, pe->iso3);
            for (int e = 0; e < 4; e++)
                csvio_empty(&w);
            csvio_text(&w, ms.buf);
            csvio_text(&w, ps.buf);
            if (mi && mi->evidence)
                csvio_int(&w, mi->line);
            else
                csvio_empty(&w);
            csvio_text(&w, mi ? mi->evidence : NULL);
            if (pi && pi->evidence)
                csvio_int(&w, pi->line);
            else
                csvio_empty(&w);
            csvio_text(&w, pi ? pi->evidence : NULL);
            csvio_end_row(&w);
            strbuf_release(&ms);
            strbuf_release(&ps);
        }
    }
}

static void json_status(struct strbuf *sb, const struct view *v, size_t k,
                        size_t i)
{
    const struct model_entry *e = entry(v, k);
    const struct store_indicator *ind = detail(v, slot(v, k), i);
    strbuf_adds(sb, "{\"iso3\":");
    json_str(sb, e->iso3);
    strbuf_adds(sb, ",\"status\":");
    json_str(sb, cw_state_name(e->states[i]));
    strbuf_adds(sb, ",\"computed_status\":");
    json_str(sb, cw_state_name(e->computed[i]));
    strbuf_adds(sb, ",\"overridden\":");
    strbuf_adds(sb, e->overrides && e->overrides[i] ? "true" : "false");
    strbuf_adds(sb, ",\"line\":");
    if (ind && ind->evidence)
        strbuf_addf(sb, "%u", ind->line);
    else
        strbuf_adds(sb, "null");
    strbuf_adds(sb, ",\"evidence\":");
    json_str(sb, ind ? ind->evidence : NULL);
    strbuf_addch(sb, '}');
}

static void json_value(struct strbuf *sb, const struct view *v,
                       const struct model_entry *e, size_t k)
{
    size_t st, of;
    model_coverage(v->m, e, k, &st, &of);
    strbuf_adds(sb, "{\"value\":");
    precision_json(sb, model_value(v->m, e, k), model_decimals(v->m));
    strbuf_addf(sb, ",\"stated\":%zu,\"of\":%zu}", st, of);
}

static void print_json(const struct view *v)
{
    const struct model *m = v->m;
    const struct rubric *r = model_rubric(m);
    const struct model_entry *me = entry(v, v->self);
    const int dec = model_decimals(m);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(m, &sb);
    strbuf_adds(&sb, ",\"country\":");
    json_str(&sb, me->iso3);
    strbuf_adds(&sb, ",\"name\":");
    json_str(&sb, me->country);
    strbuf_adds(&sb, ",\"peers_from\":");
    json_str(&sb, v->peers.from == MODEL_PEERS_LIST    ? "peers"
                  : v->peers.from == MODEL_PEERS_GROUP ? "group"
                                                       : "groups");
    strbuf_adds(&sb, ",\"groups\":[");
    if (v->peers.from == MODEL_PEERS_GROUP) {
        json_str(&sb, v->peers.group);
    } else {
        for (size_t g = 0; g < v->peers.groups.n; g++) {
            strbuf_adds(&sb, g ? "," : "");
            json_str(&sb, v->peers.groups.items[g]);
        }
    }
    strbuf_adds(&sb, "],\"peers\":[");
    for (size_t j = 0; j < v->peers.n; j++) {
        const struct model_entry *pe = entry(v, v->peers.idx[j]);
        strbuf_adds(&sb, j ? ",{\"iso3\":" : "{\"iso3\":");
        json_str(&sb, pe->iso3);
        strbuf_addf(&sb, ",\"coverage\":%zu,\"ranked\":%s}",
                    pe->scores.coverage, pe->is_ranked ? "true" : "false");
    }
    strbuf_adds(&sb, "],\"measures\":[");
    for (size_t k = 0; k < n_measures(v); k++) {
        const struct compare_stat *st = &v->stats[k];
        strbuf_adds(&sb, k ? ",{\"id\":" : "{\"id\":");
        json_str(&sb, measure_id(v, k));
        strbuf_adds(&sb, ",\"name\":");
        json_str(&sb, measure_name(v, k));
        strbuf_adds(&sb, ",\"country\":");
        json_value(&sb, v, me, k);
        strbuf_adds(&sb, ",\"median\":");
        precision_json(&sb, st->median, dec);
        strbuf_adds(&sb, ",\"best\":");
        precision_json(&sb, st->best, dec);
        strbuf_adds(&sb, ",\"best_peer\":");
        json_str(&sb,
                 st->n ? entry(v, v->peers.idx[st->best_index])->iso3 : NULL);
        strbuf_addf(&sb,
                    ",\"best_ties\":%zu,\"peers_with_basis\":%zu,"
                    "\"peers\":{",
                    st->n_best, st->n);
        for (size_t j = 0; j < v->peers.n; j++) {
            const struct model_entry *pe = entry(v, v->peers.idx[j]);
            strbuf_adds(&sb, j ? "," : "");
            json_str(&sb, pe->iso3);
            strbuf_addch(&sb, ':');
            json_value(&sb, v, pe, k);
        }
        strbuf_adds(&sb, "}}");
    }
    strbuf_adds(&sb, "],\"rank\":{\"ranked\":");
    strbuf_adds(&sb, me->is_ranked ? "true" : "false");
    if (me->is_ranked) {
        size_t n_all;
        model_ranked(m, &n_all);
        strbuf_addf(&sb,
                    ",\"among_peers\":{\"rank\":%zu,\"range\":[%zu,%zu],"
                    "\"of\":%zu,\"peers_not_ranked\":%zu},\"among_all\":{"
                    "\"rank\":%zu,\"range\":[%zu,%zu],\"of\":%zu}",
                    v->rank, v->rank_best, v->rank_worst, v->n_ranked,
                    v->peers.n + 1 - v->n_ranked, me->rank, me->rank_best,
                    me->rank_worst, n_all);
    }
    strbuf_addf(&sb, ",\"coverage\":%zu}", me->scores.coverage);
    strbuf_addf(&sb, ",\"unstated_as_absent\":%s",
                v->flags & COMPARE_UNSTATED_AS_ABSENT ? "true" : "false");
    for (int kind = COMPARE_GAP; kind <= COMPARE_STRENGTH; kind++) {
        strbuf_adds(&sb,
                    kind == COMPARE_GAP ? ",\"gaps\":[" : "],\"strengths\":[");
        bool first = true;
        for (size_t k = 0; k < v->findings.n_items; k++) {
            const struct compare_finding *it = &v->findings.items[k];
            if ((int)it->kind != kind)
                continue;
            const struct rubric_indicator *ind = &r->indicators[it->indicator];
            strbuf_adds(&sb, first ? "{\"indicator\":" : ",{\"indicator\":");
            first = false;
            json_str(&sb, ind->id);
            strbuf_adds(&sb, ",\"name\":");
            json_str(&sb, ind->name);
            strbuf_adds(&sb, ",\"pillar\":");
            json_str(&sb, r->pillars[ind->pillar].id);
            strbuf_addf(&sb, ",\"compared\":%zu,\"country\":", it->n_compared);
            json_status(&sb, v, v->self, it->indicator);
            strbuf_adds(&sb, ",\"peers\":[");
            for (size_t j = 0; j < it->n_peers; j++) {
                strbuf_adds(&sb, j ? "," : "");
                json_status(&sb, v, v->peers.idx[it->peers[j]], it->indicator);
            }
            strbuf_adds(&sb, "]}");
        }
    }
    strbuf_adds(&sb, "]}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

int cmd_compare(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"peers", required_argument, NULL, 'p'},
        {"group", required_argument, NULL, 'g'},
        {"unstated-as-absent", no_argument, NULL, 'u'},
        CMPUTIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    struct view v;
    memset(&v, 0, sizeof v);
    const char *list = NULL, *group = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("compare", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        switch (c) {
        case 'p':
            list = optarg;
            break;
        case 'g':
            group = optarg;
            break;
        case 'u':
            v.flags |= COMPARE_UNSTATED_AS_ABSENT;
            break;
        default:
            return cmd_usage_error("compare", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    char iso3[4];
    if (optind >= argc)
        return cmd_usage_error("compare", "no country given");
    if (optind + 1 < argc)
        return cmd_usage_error("compare", "unexpected argument '%s'",
                               argv[optind + 1]);
    if (!cmputil_iso3(argv[optind], iso3))
        return cmd_usage_error(
            "compare", "'%s' is not an ISO 3166 alpha-3 code", argv[optind]);
    if (list && group)
        return cmd_usage_error("compare",
                               "--peers and --group cannot be combined");
    if (list && (!*list || strlen(list) > (size_t)MAX_PEERS * 4))
        return cmd_usage_error("compare", "--peers takes 1 to %d codes",
                               MAX_PEERS);

    int status = CW_OK;
    struct model *m = cmputil_load(ctx, &o, NULL, NULL, &status);
    if (!m)
        goto out;
    v.m = m;
    long self = model_find(m, iso3);
    if (self < 0) {
        status = cmputil_not_found(ctx, m, iso3, "country");
        goto out;
    }
    v.self = (size_t)self;
    status = choose_peers(ctx, &v, list, group);
    if (status < 0)
        goto out;
    status = load_details(ctx, &v);
    if (status < 0)
        goto out;
    view_compute(&v);
    if (o.format == CMPUTIL_TEXT)
        print_text(&v);
    else if (o.format == CMPUTIL_CSV)
        print_csv(&v);
    else
        print_json(&v);
out:
    view_release(&v);
    model_free(m);
    cmputil_done(ctx);
    return status;
}
