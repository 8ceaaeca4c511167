/* cyberwell compare ISO3: a country against its peers, pillar by pillar. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "core/compare.h"
#include "core/peerset.h"
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
    "the peers' median and best; its rank among them; its gaps (indicators\n"
    "that peers have, present or partial, and it lacks) and strengths (the\n"
    "reverse), each with the sentence that decided it.\n"
    "\n"
    "Peers: --peers lists them; --group takes the members of group G from\n"
    "data/groups.csv. By default the peers are the members of every group\n"
    "the country belongs to (for BEL: Benelux, EU, EU28-2015 and\n"
    "ITU-Europe), in each case only countries with a scored document.\n"
    "\n"
    "Gaps and strengths count only indicators that both documents state\n"
    "(present, partial or absent), unless --unstated-as-absent is given.\n"
    "\n"
    "options:\n"
    "  --peers LIST       comma-separated ISO 3166 alpha-3 codes\n"
    "  --group G          the other members of group G\n"
    "  --unstated-as-absent\n"
    "                     count unknown and not stated indicators as absent\n"
    "  --ties T           dense (default) or competition, for the rank\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, or no peer\n"
    "with scores, 2 usage error, 4 database error.\n";
// clang-format on

#define MAX_PEERS 1000 /* codes in --peers */

struct view {
    const struct peerset *ps;
    size_t self;   /* entry index of the country */
    size_t *peers; /* owned: entry indices */
    size_t n_peers;
    const char *group;           /* --group, or NULL */
    bool is_listed;              /* --peers */
    struct store_strings groups; /* default: the country's groups */
    unsigned flags;              /* enum compare_flags */
    enum compare_ties ties;
    int dec;
    struct compare_stat *stats; /* owned: n_pillars + 1, overall last */
    struct compare_findings findings;
    size_t rank, rank_best, rank_worst; /* among the country and peers */
};

static const struct peerset_entry *entry(const struct view *v, size_t k)
{
    return &v->ps->entries[k];
}

/* Score of measure m (a pillar, or n_pillars for the overall). */
static double measure(const struct view *v, size_t e, size_t m)
{
    const struct compare_scores *s = &v->ps->entries[e].scores;
    return m < v->ps->rubric->n_pillars ? s->pillars[m] : s->overall;
}

static const char *measure_id(const struct view *v, size_t m)
{
    return m < v->ps->rubric->n_pillars ? v->ps->rubric->pillars[m].id
                                        : "overall";
}

static const char *measure_name(const struct view *v, size_t m)
{
    return m < v->ps->rubric->n_pillars ? v->ps->rubric->pillars[m].name
                                        : "Overall";
}

static int choose_peers(struct cw_ctx *ctx, struct view *v, const char *list)
{
    struct cw_error err;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    status = peerset_choose_peers(v->ps, s, v->self, list, v->group, &v->peers,
                                  &v->n_peers, &v->groups, &err);
    if (status == CW_ERR_USAGE)
        return cmd_usage_error("compare", "%s", err.msg);
    if (status)
        cli_print_error(&err);
    return status;
}

static void view_compute(struct view *v)
{
    const struct rubric *r = v->ps->rubric;
    size_t n_m = r->n_pillars + 1, n = v->n_peers;
    double *vals = xmalloc((n + 1) * sizeof *vals);
    v->stats = xcalloc(n_m, sizeof *v->stats);
    for (size_t m = 0; m < n_m; m++) {
        for (size_t j = 0; j < n; j++)
            vals[j] = measure(v, v->peers[j], m);
        compare_stats(vals, n, v->dec, &v->stats[m]);
    }
    /* rank among the country (index 0) and its peers */
    double *lo = xmalloc((n + 1) * sizeof *lo);
    double *hi = xmalloc((n + 1) * sizeof *hi);
    size_t *idx = xmalloc((n + 1) * sizeof *idx);
    size_t *rank = xmalloc((n + 1) * sizeof *rank);
    size_t *best = xmalloc((n + 1) * sizeof *best);
    size_t *worst = xmalloc((n + 1) * sizeof *worst);
    idx[0] = v->self;
    for (size_t j = 0; j < n; j++)
        idx[j + 1] = v->peers[j];
    peerset_values(v->ps, idx, n + 1, vals, lo, hi);
    compare_rank(vals, n + 1, v->dec, v->ties, rank);
    compare_rank_range(vals, lo, hi, n + 1, v->dec, v->ties, best, worst);
    v->rank = rank[0];
    v->rank_best = best[0];
    v->rank_worst = worst[0];
    const enum cw_state **peer_states =
        xmalloc((n ? n : 1) * sizeof *peer_states);
    for (size_t j = 0; j < n; j++)
        peer_states[j] = entry(v, v->peers[j])->states;
    compare_findings_build(r, entry(v, v->self)->states,
                           (const enum cw_state *const *)peer_states, n,
                           v->flags, &v->findings);
    free(peer_states);
    free(vals);
    free(lo);
    free(hi);
    free(idx);
    free(rank);
    free(best);
    free(worst);
}

static void view_release(struct view *v)
{
    free(v->peers);
    free(v->stats);
    store_strings_release(&v->groups);
    compare_findings_release(&v->findings);
}

/* "GBR", or "GBR+2" when two more peers tie with it for best. */
static void best_label(const struct view *v, size_t m, char *out, size_t cap)
{
    const struct compare_stat *st = &v->stats[m];
    const char *iso3 = entry(v, v->peers[st->best_index])->score->iso3;
    if (st->n_best > 1)
        snprintf(out, cap, "%s+%zu", iso3, st->n_best - 1);
    else
        snprintf(out, cap, "%s", iso3);
}

static void print_source(const struct view *v)
{
    if (v->is_listed) {
        printf("peers from: --peers\n");
    } else if (v->group) {
        printf("peers from: group %s\n", v->group);
    } else {
        printf("peers from: the groups of %s (",
               entry(v, v->self)->score->iso3);
        for (size_t g = 0; g < v->groups.n; g++)
            printf("%s%s", g ? ", " : "", v->groups.items[g]);
        printf(")\n");
    }
}

/* The sentence behind indicator i of entry k, on one line. */
static void print_evidence(const struct view *v, size_t k, size_t i)
{
    const struct peerset_entry *e = entry(v, k);
    const struct store_indicator *ind = e->indicators[i];
    struct strbuf st = STRBUF_INIT;
    cmputil_status(e, i, true, &st);
    if (ind->evidence)
        printf("    %s %s, line %u: \"%s\"\n", e->score->iso3, st.buf,
               ind->line, ind->evidence);
    else
        printf("    %s %s: (%s)\n", e->score->iso3, st.buf,
               ind->reason ? ind->reason : "no sentence");
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
            const struct peerset_entry *pe = entry(v, v->peers[it->peers[j]]);
            if (pe->states[it->indicator] != order[s])
                continue;
            if (first)
                printf("%s%s in ", first_state ? "" : "; ",
                       cw_state_name(order[s]));
            printf("%s%s", first ? "" : ", ", pe->score->iso3);
            first = first_state = false;
        }
    }
}

static void print_findings_text(const struct view *v,
                                enum compare_finding_kind kind)
{
    const struct rubric *r = v->ps->rubric;
    const struct compare_findings *f = &v->findings;
    const char *iso3 = entry(v, v->self)->score->iso3;
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
        printf(" (%zu of %zu peers compared)\n", it->n_peers, it->n_compared);
        print_evidence(v, v->self, it->indicator);
        for (size_t j = 0; j < it->n_peers; j++)
            print_evidence(v, v->peers[it->peers[j]], it->indicator);
    }
}

static void print_text(const struct view *v)
{
    const struct peerset *ps = v->ps;
    const struct rubric *r = ps->rubric;
    const struct peerset_entry *me = entry(v, v->self);
    int dec = v->dec, w = dec + 2 < 6 ? 6 : dec + 2;
    size_t n_m = r->n_pillars + 1;
    printf("compare %s (%s) with %zu peer%s:", me->score->iso3,
           me->score->country, v->n_peers, v->n_peers == 1 ? "" : "s");
    for (size_t j = 0; j < v->n_peers; j++)
        printf(" %s", entry(v, v->peers[j])->score->iso3);
    printf("\n");
    print_source(v);
    printf("rubric %s %s; scores tie at %d decimals\n", r->name, r->version,
           dec);

    printf("\n%-26s %*s %*s %*s  %-9s  %*s %*s\n", "pillar", w, me->score->iso3,
           w + 1, "median", w, "best", "best peer", w + 3, "vs median", w + 2,
           "vs best");
    for (size_t m = 0; m < n_m; m++) {
        const struct compare_stat *st = &v->stats[m];
        double mine = measure(v, v->self, m);
        char who[32];
        best_label(v, m, who, sizeof who);
        printf("%-26.26s %*.*f %*.*f %*.*f  %-9s  %+*.*f %+*.*f\n",
               measure_name(v, m), w, dec, mine, w + 1, dec, st->median, w, dec,
               st->best, who, w + 3, dec, mine - st->median, w + 2, dec,
               mine - st->best);
    }

    printf("\n%-26s %*s", "pillar", w, me->score->iso3);
    for (size_t j = 0; j < v->n_peers; j++)
        printf(" %*s", w, entry(v, v->peers[j])->score->iso3);
    printf("\n");
    for (size_t m = 0; m < n_m; m++) {
        printf("%-26.26s %*.*f", measure_name(v, m), w, dec,
               measure(v, v->self, m));
        for (size_t j = 0; j < v->n_peers; j++)
            printf(" %*.*f", w, dec, measure(v, v->peers[j], m));
        printf("\n");
    }
    printf("\nrank among these %zu: %s %zu (%s), range %zu-%zu\n",
           v->n_peers + 1, me->score->iso3, v->rank, compare_ties_name(v->ties),
           v->rank_best, v->rank_worst);
    printf("gaps and strengths: %s\n",
           v->flags & COMPARE_UNSTATED_AS_ABSENT
               ? "unknown and not stated count as absent"
               : "only indicators that both documents state");
    print_findings_text(v, COMPARE_GAP);
    print_findings_text(v, COMPARE_STRENGTH);
    bool any = me->has_overrides;
    for (size_t j = 0; j < v->n_peers; j++)
        any = any || entry(v, v->peers[j])->has_overrides;
    if (any)
        printf("\nscores use analyst overrides (--no-overrides for the "
               "computed ones)\n");
}

static void csv_lead(struct csvio_writer *w, const struct view *v,
                     const char *kind, const char *item, const char *name,
                     const char *peer)
{
    csvio_text(w, v->ps->set->rubric_name);
    csvio_text(w, v->ps->set->rubric_version);
    csvio_text(w, entry(v, v->self)->score->iso3);
    csvio_text(w, kind);
    csvio_text(w, item);
    csvio_text(w, name);
    csvio_text(w, peer);
}

static void print_csv(const struct view *v)
{
    const struct rubric *r = v->ps->rubric;
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
                                       "country_value",
                                       "country_status",
                                       "peer_status",
                                       "country_line",
                                       "country_evidence",
                                       "peer_line",
                                       "peer_evidence"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    csvio_end_row(&w);
    for (size_t m = 0; m < r->n_pillars + 1; m++) {
        double mine = measure(v, v->self, m);
        for (size_t j = 0; j < v->n_peers; j++) {
            const struct peerset_entry *pe = entry(v, v->peers[j]);
            csv_lead(&w, v, "score", measure_id(v, m), measure_name(v, m),
                     pe->score->iso3);
            csvio_num(&w, measure(v, v->peers[j], m), 6);
            csvio_num(&w, mine, 6);
            for (int k = 0; k < 6; k++)
                csvio_empty(&w);
            csvio_end_row(&w);
        }
        const struct compare_stat *st = &v->stats[m];
        csv_lead(&w, v, "median", measure_id(v, m), measure_name(v, m), NULL);
        csvio_num(&w, st->median, 6);
        csvio_num(&w, mine, 6);
        for (int k = 0; k < 6; k++)
            csvio_empty(&w);
        csvio_end_row(&w);
        csv_lead(&w, v, "best", measure_id(v, m), measure_name(v, m),
                 entry(v, v->peers[st->best_index])->score->iso3);
        csvio_num(&w, st->best, 6);
        csvio_num(&w, mine, 6);
        for (int k = 0; k < 6; k++)
            csvio_empty(&w);
        csvio_end_row(&w);
    }
    const struct peerset_entry *me = entry(v, v->self);
    for (size_t k = 0; k < v->findings.n_items; k++) {
        const struct compare_finding *it = &v->findings.items[k];
        const struct rubric_indicator *ind = &r->indicators[it->indicator];
        const struct store_indicator *mi = me->indicators[it->indicator];
        for (size_t j = 0; j < it->n_peers; j++) {
            const struct peerset_entry *pe = entry(v, v->peers[it->peers[j]]);
            const struct store_indicator *pi = pe->indicators[it->indicator];
            struct strbuf ms = STRBUF_INIT, ps = STRBUF_INIT;
            cmputil_status(me, it->indicator, false, &ms);
            cmputil_status(pe, it->indicator, false, &ps);
            csv_lead(&w, v, it->kind == COMPARE_GAP ? "gap" : "strength",
                     ind->id, ind->name, pe->score->iso3);
            csvio_empty(&w);
            csvio_empty(&w);
            csvio_text(&w, ms.buf);
            csvio_text(&w, ps.buf);
            if (mi->evidence)
                csvio_int(&w, mi->line);
            else
                csvio_empty(&w);
            csvio_text(&w, mi->evidence);
            if (pi->evidence)
                csvio_int(&w, pi->line);
            else
                csvio_empty(&w);
            csvio_text(&w, pi->evidence);
            csvio_end_row(&w);
            strbuf_release(&ms);
            strbuf_release(&ps);
        }
    }
}

static void json_status(struct strbuf *sb, const struct peerset_entry *e,
                        size_t i)
{
    const struct store_indicator *ind = e->indicators[i];
    strbuf_adds(sb, "{\"iso3\":");
    json_str(sb, e->score->iso3);
    strbuf_adds(sb, ",\"status\":");
    json_str(sb, cw_state_name(e->states[i]));
    strbuf_adds(sb, ",\"computed_status\":");
    json_str(sb, cw_state_name(e->computed[i]));
    strbuf_adds(sb, ",\"overridden\":");
    strbuf_adds(sb, ind->override ? "true" : "false");
    strbuf_adds(sb, ",\"line\":");
    if (ind->evidence)
        strbuf_addf(sb, "%u", ind->line);
    else
        strbuf_adds(sb, "null");
    strbuf_adds(sb, ",\"evidence\":");
    json_str(sb, ind->evidence);
    strbuf_addch(sb, '}');
}

static void print_json(const struct view *v)
{
    const struct rubric *r = v->ps->rubric;
    const struct peerset_entry *me = entry(v, v->self);
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(v->ps, &sb);
    strbuf_adds(&sb, ",\"country\":");
    json_str(&sb, me->score->iso3);
    strbuf_adds(&sb, ",\"name\":");
    json_str(&sb, me->score->country);
    strbuf_adds(&sb, ",\"peers_from\":");
    json_str(&sb, v->is_listed ? "peers" : v->group ? "group" : "groups");
    strbuf_adds(&sb, ",\"groups\":[");
    if (v->group) {
        json_str(&sb, v->group);
    } else {
        for (size_t g = 0; g < v->groups.n; g++) {
            strbuf_adds(&sb, g ? "," : "");
            json_str(&sb, v->groups.items[g]);
        }
    }
    strbuf_adds(&sb, "],\"peers\":[");
    for (size_t j = 0; j < v->n_peers; j++) {
        strbuf_adds(&sb, j ? "," : "");
        json_str(&sb, entry(v, v->peers[j])->score->iso3);
    }
    strbuf_addf(&sb, "],\"decimals\":%d,\"measures\":[", v->dec);
    for (size_t m = 0; m < r->n_pillars + 1; m++) {
        const struct compare_stat *st = &v->stats[m];
        strbuf_adds(&sb, m ? ",{\"id\":" : "{\"id\":");
        json_str(&sb, measure_id(v, m));
        strbuf_adds(&sb, ",\"name\":");
        json_str(&sb, measure_name(v, m));
        strbuf_adds(&sb, ",\"country\":");
        json_num(&sb, measure(v, v->self, m), 6);
        strbuf_adds(&sb, ",\"median\":");
        json_num(&sb, st->median, 6);
        strbuf_adds(&sb, ",\"best\":");
        json_num(&sb, st->best, 6);
        strbuf_adds(&sb, ",\"best_peer\":");
        json_str(&sb, entry(v, v->peers[st->best_index])->score->iso3);
        strbuf_addf(&sb, ",\"best_ties\":%zu,\"peers\":{", st->n_best);
        for (size_t j = 0; j < v->n_peers; j++) {
            strbuf_adds(&sb, j ? "," : "");
            json_str(&sb, entry(v, v->peers[j])->score->iso3);
            strbuf_addch(&sb, ':');
            json_num(&sb, measure(v, v->peers[j], m), 6);
        }
        strbuf_adds(&sb, "}}");
    }
    strbuf_adds(&sb, "],\"rank\":{\"ties\":");
    json_str(&sb, compare_ties_name(v->ties));
    strbuf_addf(&sb, ",\"rank\":%zu,\"range\":[%zu,%zu],\"of\":%zu}", v->rank,
                v->rank_best, v->rank_worst, v->n_peers + 1);
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
            json_status(&sb, me, it->indicator);
            strbuf_adds(&sb, ",\"peers\":[");
            for (size_t j = 0; j < it->n_peers; j++) {
                strbuf_adds(&sb, j ? "," : "");
                json_status(&sb, entry(v, v->peers[it->peers[j]]),
                            it->indicator);
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
        {"ties", required_argument, NULL, 't'},
        CMPUTIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    struct view v = {0};
    const char *list = NULL;
    v.ties = COMPARE_TIES_DENSE;
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
            v.group = optarg;
            break;
        case 'u':
            v.flags |= COMPARE_UNSTATED_AS_ABSENT;
            break;
        case 't':
            if (!compare_ties_parse(optarg, &v.ties))
                return cmd_usage_error(
                    "compare", "--ties takes dense or competition, not '%s'",
                    optarg);
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
    if (list && v.group)
        return cmd_usage_error("compare",
                               "--peers and --group cannot be combined");
    if (list && (!*list || strlen(list) > (size_t)MAX_PEERS * 4))
        return cmd_usage_error("compare", "--peers takes 1 to %d codes",
                               MAX_PEERS);
    v.is_listed = list != NULL;
    v.dec = o.decimals;

    int status = CW_OK;
    struct peerset *ps = cmputil_load(ctx, &o, NULL, &status);
    if (!ps)
        goto out;
    v.ps = ps;
    long self = peerset_find(ps, iso3);
    if (self < 0) {
        status = cmputil_not_found(ctx, ps, iso3, "country");
        goto out;
    }
    v.self = (size_t)self;
    status = choose_peers(ctx, &v, list);
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
    peerset_free(ps);
    cmputil_done(ctx);
    return status;
}
