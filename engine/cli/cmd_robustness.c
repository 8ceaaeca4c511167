/* cyberwell robustness: how far ranks move under defensible choices. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmputil.h"
#include "cli/commands.h"
#include "cli/reportcli.h"
#include "core/compare.h"
#include "core/model.h"
#include "core/robust.h"
#include "core/uncertainty.h"
#include "io/csvio.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include "util/banned.h"

// clang-format off
const char usage_robustness[] =
    "usage: cyberwell robustness [--vs ISO3] [--top K] [--draws N] "
    "[--seed S] [options]\n"
    "\n"
    "How robust is each country's rank? Draws many alternative but\n"
    "defensible versions of the index (pillar weights, the worth of\n"
    "'partial', the treatment of unknown and not-stated indicators, the\n"
    "aggregation, alternative rubrics: the choices an uncertainty file\n"
    "declares), ranks every country in each, and reports its nominal rank,\n"
    "median rank, 5th-95th percentile interval, the probability of being\n"
    "in the top K and of ranking above the --vs country, and the choice\n"
    "that moves it most (first-order sensitivity index). Method:\n"
    "docs/robustness.md. Each country's latest document is used.\n"
    "\n"
    "With --vs, also: one sentence on how stable that country's rank is,\n"
    "and the fewest indicators whose change from absent or partial to\n"
    "present would move it up one rank, and up to its peers' median score\n"
    "(peers as 'compare' chooses them).\n"
    "\n"
    "options:\n"
    "  --vs ISO3          the focus country\n"
    "  --peers LIST       its peers: comma-separated ISO3 codes\n"
    "  --group G          its peers: the other members of group G\n"
    "  --top K            report P(rank <= K) (default 10)\n"
    "  --draws N          draws, 1 to 10000000 (default 10000)\n"
    "  --seed S           seed of the draws, 0 to 2^64-1 (default 1)\n"
    "  --threads N        threads, 1 to 64 (default: the processors online);\n"
    "                     the results do not depend on it\n"
    "  --uncertainty FILE the uncertain choices (default\n"
    "                     rubric/RUBRIC-uncertainty.csv)\n"
    "  --no-weights       keep the rubric's pillar weights\n"
    "  --no-levels        keep the rubric's worth of partial\n"
    "  --no-missing       keep the rubric's points for unknown/not stated\n"
    "  --no-aggregation   keep the rubric's aggregation\n"
    "  --no-rubrics       keep the stored rubric only\n"
    "  --nominal          all of the above: every draw is the nominal index\n"
    CMPUTIL_OPTIONS_HELP
    "\n"
    "exit status: 0 ok, 1 unknown country, rubric or group, nothing to\n"
    "rank, or an unreadable uncertainty file, 2 usage error, 3 invalid\n"
    "uncertainty file, 4 database error.\n";
// clang-format on

#define MAX_TOP  100000
#define MAX_LIST 4000 /* bytes in --peers */

struct run {
    const struct model *m;
    const size_t *sel; /* model entries drawn: robust country k is sel[k] */
    const struct uncertainty *unc;
    const struct robust_result *res;
    unsigned off;  /* choices switched off on the command line */
    size_t *order; /* owned: display order (nominal, as rank) */
    long focus;    /* entry index, or -1 */
    size_t *peers; /* owned */
    size_t n_peers;
    size_t n_rows;           /* countries drawn */
    const char *peers_from;  /* "--peers", "group G", "the groups of X" */
    struct strbuf peer_note; /* why there are no peers, or "" */
    struct robust_path up, median;
    double peer_median;
};

/*
 * The status matrix of the countries the model ranks (each one's latest
 * document under the rubric, overrides applied unless --no-overrides;
 * every country with --include-incomplete), rows in iso3 order: row k is
 * model entry sel[k]. *states and *sel are owned (free()).
 */
static enum cw_state *status_matrix(const struct model *m, size_t **sel,
                                    size_t *n)
{
    size_t k = model_rubric(m)->n_indicators, n_ranked = 0;
    (void)model_ranked(m, &n_ranked);
    *sel = xmalloc((n_ranked + 1) * sizeof **sel);
    enum cw_state *states = xmalloc((n_ranked * k + 1) * sizeof *states);
    *n = 0;
    for (size_t e = 0; e < model_count(m); e++) {
        const struct model_entry *me = model_entry(m, e);
        if (!me->is_ranked)
            continue;
        memcpy(states + *n * k, me->states, k * sizeof *states);
        (*sel)[(*n)++] = e;
    }
    return states;
}

/* Row of model entry e in the matrix, or -1 when it is not drawn. */
static long row_of(const struct run *v, size_t n, size_t e)
{
    for (size_t k = 0; k < n; k++)
        if (v->sel[k] == e)
            return (long)k;
    return -1;
}

static const char *choice_name(unsigned c)
{
    switch (c) {
    case ROBUST_WEIGHTS:
        return "weights";
    case ROBUST_LEVELS:
        return "partial";
    case ROBUST_MISSING:
        return "missing";
    case ROBUST_AGGREGATION:
        return "aggregation";
    default:
        return "rubric";
    }
}

static const char *choice_flag(unsigned c)
{
    switch (c) {
    case ROBUST_WEIGHTS:
        return "--no-weights";
    case ROBUST_LEVELS:
        return "--no-levels";
    case ROBUST_MISSING:
        return "--no-missing";
    case ROBUST_AGGREGATION:
        return "--no-aggregation";
    default:
        return "--no-rubrics";
    }
}

/* How choice c is drawn, in words. */
static void describe_choice(const struct run *v, unsigned c, struct strbuf *out)
{
    const struct uncertainty *u = v->unc;
    switch (c) {
    case ROBUST_WEIGHTS:
        if (u->weights == UNCERTAINTY_WEIGHTS_DIRICHLET)
            strbuf_addf(out,
                        "pillar shares ~ Dirichlet(%g x the rubric's shares)",
                        u->concentration);
        else
            strbuf_addf(out, "each pillar's share x U(%g, %g)%s, then rescaled",
                        u->low, u->high,
                        u->n_ranges ? " (or its own range)" : "");
        break;
    case ROBUST_LEVELS:
        strbuf_addf(out,
                    "worth of partial ~ U(%g, %g) of the way from "
                    "absent to present",
                    u->partial_low, u->partial_high);
        break;
    case ROBUST_MISSING:
        for (int m = 0; m < UNCERTAINTY_N_MISSING; m++)
            strbuf_addf(out, "%s%s %.2f", m ? ", " : "",
                        uncertainty_missing_name((enum uncertainty_missing)m),
                        u->missing[m]);
        break;
    case ROBUST_AGGREGATION:
        strbuf_addf(out, "points %.2f, pillars %.2f",
                    u->aggregation[RUBRIC_AGG_POINTS],
                    u->aggregation[RUBRIC_AGG_PILLARS]);
        break;
    default:
        strbuf_addf(out, "%s (stored) %.2f", model_rubric_name(v->m),
                    v->res->rubric_p[0]);
        for (size_t a = 0; a < u->n_rubrics; a++)
            strbuf_addf(out, ", %s %.2f", u->rubrics[a].rubric->name,
                        v->res->rubric_p[a + 1]);
        break;
    }
}

static const char *iso3_of(const struct run *v, size_t c)
{
    return model_entry(v->m, v->sel[c])->iso3;
}

static const char *name_of(const struct run *v, size_t c)
{
    return model_entry(v->m, v->sel[c])->country;
}

/* ---- text ---------------------------------------------------------------- */

static void print_path(const struct run *v, const struct robust_path *p,
                       const char *goal)
{
    const struct rubric *r = model_rubric(v->m);
    const struct robust_country *rc = &v->res->countries[v->focus];
    const char *iso3 = iso3_of(v, (size_t)v->focus);
    printf("  %s: ", goal);
    if (p->is_already) {
        printf("nothing to change (%s scores %.*f, rank %zu)\n", iso3,
               v->res->decimals, rc->score, rc->rank);
        return;
    }
    if (!p->is_reachable) {
        printf("out of reach: every absent or partial indicator raised to "
               "present gives %.*f, below %.*f",
               v->res->decimals, p->score, v->res->decimals, p->goal_score);
        if (p->n_open)
            printf(" (%zu indicator%s unknown or not stated)", p->n_open,
                   p->n_open == 1 ? " is" : "s are");
        printf("\n");
        return;
    }
    printf("raise %zu indicator%s to present (score %.*f -> %.*f, rank "
           "%zu -> %zu)\n",
           p->n_steps, p->n_steps == 1 ? "" : "s", v->res->decimals, rc->score,
           v->res->decimals, p->score, rc->rank, p->rank);
    for (size_t s = 0; s < p->n_steps; s++) {
        const struct rubric_indicator *ind =
            &r->indicators[p->steps[s].indicator];
        printf("    %s %s (%s, now %s): +%.*f\n", ind->id, ind->name,
               r->pillars[ind->pillar].name, cw_state_name(p->steps[s].from),
               v->res->decimals, p->steps[s].gain);
    }
    if (p->n_equal)
        printf("    (or instead of the last, any of %zu other indicator%s "
               "worth as much)\n",
               p->n_equal, p->n_equal == 1 ? "" : "s");
}

static void print_focus(const struct run *v)
{
    const struct robust_result *res = v->res;
    size_t f = (size_t)v->focus;
    struct strbuf sb = STRBUF_INIT;
    robust_summary(res, f, name_of(v, f), &sb);
    printf("\n%s (%s): %s\n", iso3_of(v, f), name_of(v, f), sb.buf);
    strbuf_release(&sb);
    if (v->n_peers) {
        printf("peers (%s):", v->peers_from);
        for (size_t i = 0; i < v->n_peers; i++)
            printf(" %s", iso3_of(v, v->peers[i]));
        printf("\n");
    } else {
        printf("peers: none (%s)\n", v->peer_note.buf);
    }
    printf("what would move it (nominal index, the others unchanged):\n");
    print_path(v, &v->up, "up one rank");
    if (v->n_peers) {
        char goal[96];
        snprintf(goal, sizeof goal, "to the peer median (%.*f)", res->decimals,
                 v->peer_median);
        print_path(v, &v->median, goal);
    }
}

static void print_text(const struct run *v)
{
    const struct robust_result *res = v->res;
    const struct model *m = v->m;
    struct strbuf sb = STRBUF_INIT;
    robust_add_count(&sb, res->n_draws);
    printf("robustness: %zu countries under rubric %s %s, %s draws, seed "
           "%llu\n",
           res->n, model_rubric_name(m), model_rubric_version(m), sb.buf,
           (unsigned long long)res->seed);
    printf("uncertainty: %s (sha256 %s)\n", v->unc->path, v->unc->hash);
    printf("rubrics: %s %s (stored, sha256 %s)", model_rubric_name(m),
           model_rubric_version(m), model_rubric_sha256(m));
    for (size_t a = 0; a < v->unc->n_rubrics; a++) {
        const struct uncertainty_rubric *ur = &v->unc->rubrics[a];
        printf("; %s %s (%s, sha256 %s)", ur->rubric->name, ur->rubric->version,
               ur->resolved, ur->rubric->hash);
    }
    printf("\n");
    for (unsigned c = 1; c <= ROBUST_RUBRICS; c <<= 1) {
        strbuf_reset(&sb);
        if (res->choices & c)
            describe_choice(v, c, &sb);
        else if (v->off & c)
            strbuf_addf(&sb, "off (%s)", choice_flag(c));
        else
            strbuf_adds(&sb, "not declared: the rubric's");
        printf("  %-12s %s\n", choice_name(c), sb.buf);
    }
    printf("ranks: %s; scores tie at %d decimals\n",
           res->ties == COMPARE_TIES_DENSE ? "dense (ITU style: 1, 2, 3, 3, 4)"
                                           : "competition (1, 2, 3, 3, 5)",
           res->decimals);
    printf("mean absolute rank shift against the nominal ranking: %.2f\n",
           res->mean_shift);
    char top[32], above[32];
    snprintf(top, sizeof top, "top %zu", res->top_k);
    if (v->focus >= 0)
        snprintf(above, sizeof above, "above %s", iso3_of(v, (size_t)v->focus));
    printf("\n%4s  %6s  %-9s  %7s  ", "rank", "median", "5-95%", top);
    if (v->focus >= 0)
        printf("%9s  ", above);
    printf("%-4s  %-22s  %7s  %-11s  %s\n", "iso3", "country", "score", "5-95%",
           "moves most (S)");
    for (size_t i = 0; i < res->n; i++) {
        size_t c = v->order[i];
        const struct robust_country *rc = &res->countries[c];
        char interval[32], sint[32], most[96];
        snprintf(interval, sizeof interval, "%zu-%zu", rc->p05, rc->p95);
        snprintf(sint, sizeof sint, "%.3f-%.3f", rc->score_p05, rc->score_p95);
        if (rc->most >= 0)
            snprintf(most, sizeof most, "%s %.2f", res->factors[rc->most].id,
                     rc->s[rc->most]);
        else
            snprintf(most, sizeof most, "-");
        printf("%4zu  %6zu  %-9s  %6.1f%%  ", rc->rank, rc->median, interval,
               rc->p_top * 100);
        if ((long)c == v->focus)
            printf("%9s  ", "-");
        else if (v->focus >= 0)
            printf("%8.1f%%  ", rc->p_above * 100);
        printf("%-4s  %-22.22s  %7.*f  %-11s  %s\n", iso3_of(v, c),
               name_of(v, c), res->decimals, rc->score, sint, most);
    }
    if (res->n_factors) {
        printf("\nfirst-order sensitivity S (share of a rank's variance the "
               "choice explains alone):\n");
        printf("  %-24s  %10s", "choice", "mean shift");
        if (v->focus >= 0)
            printf("  %6s", iso3_of(v, (size_t)v->focus));
        printf("  %s\n", "what varies");
        for (size_t f = 0; f < res->n_factors; f++) {
            printf("  %-24s  %10.3f", res->factors[f].id, res->shift_s[f]);
            if (v->focus >= 0)
                printf("  %6.3f", res->countries[v->focus].s[f]);
            printf("  %s\n", res->factors[f].label);
        }
    }
    printf("\nrank: nominal (as 'cyberwell rank'); median and 5-95%%: over "
           "the draws;\nS: first-order index, estimated by conditioning on "
           "each choice (docs/robustness.md);\nmean shift: S for the mean "
           "absolute rank shift of a draw\n");
    if (v->focus >= 0)
        print_focus(v);
    strbuf_release(&sb);
}

/* ---- CSV ----------------------------------------------------------------- */

static void alternatives(const struct run *v, struct strbuf *out)
{
    for (size_t a = 0; a < v->unc->n_rubrics; a++) {
        const struct uncertainty_rubric *ur = &v->unc->rubrics[a];
        strbuf_addf(
            out, "%s%s %s %.6g", a ? "; " : "", ur->path, ur->rubric->hash,
            v->res->choices & ROBUST_RUBRICS ? v->res->rubric_p[a + 1] : 0.0);
    }
}

static int print_csv(const struct run *v)
{
    const struct robust_result *res = v->res;
    struct csvio_writer w;
    csvio_writer_init(&w, stdout);
    static const char *const head[] = {"rubric",        "rubric_version",
                                       "rubric_sha256", "alternatives",
                                       "uncertainty",   "uncertainty_sha256",
                                       "draws",         "seed",
                                       "ties",          "decimals",
                                       "top",           "vs",
                                       "iso3",          "country",
                                       "rank",          "rank_median",
                                       "rank_p05",      "rank_p95",
                                       "rank_best",     "rank_worst",
                                       "rank_mean",     "rank_sd",
                                       "p_top",         "p_above",
                                       "score",         "score_median",
                                       "score_p05",     "score_p95",
                                       "moves_most"};
    for (size_t i = 0; i < sizeof head / sizeof *head; i++)
        csvio_text(&w, head[i]);
    struct strbuf sb = STRBUF_INIT;
    for (size_t f = 0; f < res->n_factors; f++) {
        strbuf_reset(&sb);
        strbuf_addf(&sb, "s_%s", res->factors[f].id);
        csvio_text(&w, sb.buf);
    }
    csvio_end_row(&w);
    strbuf_reset(&sb);
    alternatives(v, &sb);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)res->seed);
    for (size_t i = 0; i < res->n; i++) {
        size_t c = v->order[i];
        const struct robust_country *rc = &res->countries[c];
        csvio_text(&w, model_rubric_name(v->m));
        csvio_text(&w, model_rubric_version(v->m));
        csvio_text(&w, model_rubric_sha256(v->m));
        csvio_text(&w, sb.buf);
        csvio_text(&w, v->unc->path);
        csvio_text(&w, v->unc->hash);
        csvio_int(&w, (long long)res->n_draws);
        csvio_text(&w, seed);
        csvio_text(&w, compare_ties_name(res->ties));
        csvio_int(&w, res->decimals);
        csvio_int(&w, (long long)res->top_k);
        csvio_text(&w, v->focus >= 0 ? iso3_of(v, (size_t)v->focus) : NULL);
        csvio_text(&w, iso3_of(v, c));
        csvio_text(&w, name_of(v, c));
        csvio_int(&w, (long long)rc->rank);
        csvio_int(&w, (long long)rc->median);
        csvio_int(&w, (long long)rc->p05);
        csvio_int(&w, (long long)rc->p95);
        csvio_int(&w, (long long)rc->best);
        csvio_int(&w, (long long)rc->worst);
        csvio_num(&w, rc->mean_rank, 4);
        csvio_num(&w, rc->sd_rank, 4);
        csvio_num(&w, rc->p_top, 4);
        if (v->focus >= 0)
            csvio_num(&w, rc->p_above, 4);
        else
            csvio_empty(&w);
        csvio_num(&w, rc->score, 6);
        csvio_num(&w, rc->score_median, 3);
        csvio_num(&w, rc->score_p05, 3);
        csvio_num(&w, rc->score_p95, 3);
        csvio_text(&w, rc->most >= 0 ? res->factors[rc->most].id : NULL);
        for (size_t f = 0; f < res->n_factors; f++)
            csvio_num(&w, rc->s[f], 4);
        csvio_end_row(&w);
    }
    strbuf_release(&sb);
    return csvio_writer_status(&w);
}

/* ---- JSON ---------------------------------------------------------------- */

/* Append key (the JSON text before a value, such as ",\"name\":") and the
 * string s as a JSON string (NULL: null). */
static void member(struct strbuf *sb, const char *key, const char *s)
{
    strbuf_adds(sb, key);
    json_str(sb, s);
}

static void json_path(const struct run *v, const struct robust_path *p,
                      struct strbuf *sb)
{
    const struct rubric *r = model_rubric(v->m);
    int dec = v->res->decimals;
    strbuf_addf(sb, "{\"already\":%s,\"reachable\":%s,\"goal_score\":",
                p->is_already ? "true" : "false",
                p->is_reachable ? "true" : "false");
    json_num(sb, p->goal_score, dec);
    strbuf_adds(sb, ",\"steps\":[");
    for (size_t s = 0; s < p->n_steps; s++) {
        const struct rubric_indicator *ind =
            &r->indicators[p->steps[s].indicator];
        strbuf_adds(sb, s ? ",{\"indicator\":" : "{\"indicator\":");
        json_str(sb, ind->id);
        member(sb, ",\"name\":", ind->name);
        member(sb, ",\"from\":", cw_state_name(p->steps[s].from));
        strbuf_adds(sb, ",\"gain\":");
        json_num(sb, p->steps[s].gain, 6);
        strbuf_addch(sb, '}');
    }
    strbuf_addf(sb, "],\"equal_alternatives\":%zu,\"score\":", p->n_equal);
    json_num(sb, p->score, 6);
    strbuf_addf(sb, ",\"rank\":%zu,\"unknown_or_not_stated\":%zu}", p->rank,
                p->n_open);
}

static void json_run(const struct run *v, struct strbuf *sb)
{
    const struct robust_result *res = v->res;
    const struct uncertainty *u = v->unc;
    /* "ties" and "decimals" open the answer (cmputil_json_rubric). */
    strbuf_addf(sb, ",\"draws\":%zu,\"seed\":%llu,\"top\":%zu,\"vs\":",
                res->n_draws, (unsigned long long)res->seed, res->top_k);
    json_str(sb, v->focus >= 0 ? iso3_of(v, (size_t)v->focus) : NULL);
    member(sb, ",\"uncertainty\":{\"path\":", u->path);
    member(sb, ",\"sha256\":", u->hash);
    member(sb, ",\"name\":", u->name);
    member(sb, ",\"version\":", u->version);
    strbuf_adds(sb, "},\"alternatives\":[");
    for (size_t a = 0; a < u->n_rubrics; a++) {
        const struct uncertainty_rubric *ur = &u->rubrics[a];
        strbuf_adds(sb, a ? ",{\"name\":" : "{\"name\":");
        json_str(sb, ur->rubric->name);
        member(sb, ",\"version\":", ur->rubric->version);
        member(sb, ",\"path\":", ur->resolved);
        member(sb, ",\"sha256\":", ur->rubric->hash);
        strbuf_adds(sb, ",\"probability\":");
        json_num(sb, res->choices & ROBUST_RUBRICS ? res->rubric_p[a + 1] : 0.0,
                 6);
        strbuf_addch(sb, '}');
    }
    strbuf_adds(sb, "],\"choices\":{");
    struct strbuf d = STRBUF_INIT;
    for (unsigned c = 1; c <= ROBUST_RUBRICS; c <<= 1) {
        strbuf_adds(sb, c > 1 ? "," : "");
        json_str(sb, choice_name(c));
        strbuf_reset(&d);
        if (res->choices & c)
            describe_choice(v, c, &d);
        strbuf_adds(sb, ":");
        json_str(sb, res->choices & c ? d.buf
                     : v->off & c     ? "off"
                                      : "not declared");
    }
    strbuf_release(&d);
    strbuf_adds(sb, "}");
}

static void print_json(const struct run *v)
{
    const struct robust_result *res = v->res;
    struct strbuf sb = STRBUF_INIT;
    strbuf_addch(&sb, '{');
    cmputil_json_rubric(v->m, &sb);
    json_run(v, &sb);
    strbuf_adds(&sb, ",\"mean_shift\":");
    json_num(&sb, res->mean_shift, 4);
    strbuf_adds(&sb, ",\"factors\":[");
    for (size_t f = 0; f < res->n_factors; f++) {
        strbuf_adds(&sb, f ? ",{\"id\":" : "{\"id\":");
        json_str(&sb, res->factors[f].id);
        strbuf_adds(&sb, ",\"label\":");
        json_str(&sb, res->factors[f].label);
        strbuf_addf(&sb,
                    ",\"bins\":%zu,\"s_mean_shift\":", res->factors[f].n_bins);
        json_num(&sb, res->shift_s[f], 4);
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "],\"countries\":[");
    for (size_t i = 0; i < res->n; i++) {
        size_t c = v->order[i];
        const struct robust_country *rc = &res->countries[c];
        strbuf_adds(&sb, i ? ",{\"iso3\":" : "{\"iso3\":");
        json_str(&sb, iso3_of(v, c));
        strbuf_adds(&sb, ",\"country\":");
        json_str(&sb, name_of(v, c));
        strbuf_addf(&sb,
                    ",\"rank\":%zu,\"rank_median\":%zu,\"rank_interval\":[%zu,"
                    "%zu],\"rank_range\":[%zu,%zu],\"rank_mean\":",
                    rc->rank, rc->median, rc->p05, rc->p95, rc->best,
                    rc->worst);
        json_num(&sb, rc->mean_rank, 4);
        strbuf_adds(&sb, ",\"rank_sd\":");
        json_num(&sb, rc->sd_rank, 4);
        strbuf_adds(&sb, ",\"p_top\":");
        json_num(&sb, rc->p_top, 4);
        strbuf_adds(&sb, ",\"p_above\":");
        if (v->focus >= 0)
            json_num(&sb, rc->p_above, 4);
        else
            strbuf_adds(&sb, "null");
        strbuf_adds(&sb, ",\"score\":");
        json_num(&sb, rc->score, 6);
        strbuf_adds(&sb, ",\"score_median\":");
        json_num(&sb, rc->score_median, 3);
        strbuf_adds(&sb, ",\"score_interval\":[");
        json_num(&sb, rc->score_p05, 3);
        strbuf_addch(&sb, ',');
        json_num(&sb, rc->score_p95, 3);
        strbuf_adds(&sb, "],\"moves_most\":");
        json_str(&sb, rc->most >= 0 ? res->factors[rc->most].id : NULL);
        strbuf_adds(&sb, ",\"s\":{");
        for (size_t f = 0; f < res->n_factors; f++) {
            strbuf_adds(&sb, f ? "," : "");
            json_str(&sb, res->factors[f].id);
            strbuf_addch(&sb, ':');
            json_num(&sb, rc->s[f], 4);
        }
        strbuf_adds(&sb, "}}");
    }
    strbuf_addch(&sb, ']');
    if (v->focus >= 0) {
        size_t f = (size_t)v->focus;
        struct strbuf sum = STRBUF_INIT;
        robust_summary(res, f, name_of(v, f), &sum);
        strbuf_adds(&sb, ",\"focus\":{\"iso3\":");
        json_str(&sb, iso3_of(v, f));
        strbuf_adds(&sb, ",\"summary\":");
        json_str(&sb, sum.buf);
        strbuf_release(&sum);
        strbuf_adds(&sb, ",\"peers_from\":");
        json_str(&sb, v->n_peers ? v->peers_from : NULL);
        strbuf_adds(&sb, ",\"peers\":[");
        for (size_t i = 0; i < v->n_peers; i++) {
            strbuf_adds(&sb, i ? "," : "");
            json_str(&sb, iso3_of(v, v->peers[i]));
        }
        strbuf_adds(&sb, "],\"up_one_rank\":");
        json_path(v, &v->up, &sb);
        strbuf_adds(&sb, ",\"peer_median\":");
        if (v->n_peers) {
            strbuf_adds(&sb, "{\"score\":");
            json_num(&sb, v->peer_median, 6);
            strbuf_adds(&sb, ",\"path\":");
            json_path(v, &v->median, &sb);
            strbuf_addch(&sb, '}');
        } else {
            strbuf_adds(&sb, "null");
        }
        strbuf_addch(&sb, '}');
    }
    strbuf_adds(&sb, "}\n");
    fputs(sb.buf, stdout);
    strbuf_release(&sb);
}

/* ---- the focus country ------------------------------------------------- */

/*
 * Peers of the focus, as compare chooses them. A list or group that fails
 * is an error; the default (the country's groups) may find none, which
 * only leaves the peer median out.
 */
static int choose_peers(struct cw_ctx *ctx, struct run *v, const char *list,
                        const char *group)
{
    struct cw_error err;
    int status = CW_OK;
    struct store *s = cmputil_store(ctx, &status);
    if (!s)
        return status;
    struct model_peers mp = {0};
    status =
        model_choose_peers(v->m, s, v->sel[v->focus], list, group, &mp, &err);
    if (status == CW_ERR_USAGE)
        return cmd_usage_error("robustness", "%s", err.msg);
    if (status == CW_ERR_NOTFOUND && !list && !group) {
        strbuf_adds(&v->peer_note, err.msg);
        status = CW_OK;
    } else if (status) {
        cli_print_error(&err);
    }
    /* Peers the model does not rank have no rank to compare. */
    v->peers = xmalloc((mp.n + 1) * sizeof *v->peers);
    for (size_t i = 0; i < mp.n; i++) {
        long k = row_of(v, v->n_rows, mp.idx[i]);
        if (k >= 0)
            v->peers[v->n_peers++] = (size_t)k;
    }
    struct strbuf from = STRBUF_INIT;
    if (!status)
        model_peers_source(&mp, &from);
    else
        strbuf_addf(&from, "the groups of %s", iso3_of(v, (size_t)v->focus));
    v->peers_from = strbuf_detach(&from, NULL);
    model_peers_release(&mp);
    return status;
}

static void focus_paths(struct run *v, const enum cw_state *states,
                        enum compare_ties ties)
{
    const struct robust_result *res = v->res;
    size_t f = (size_t)v->focus;
    robust_path_up(model_rubric(v->m), states, res->n, f, ROBUST_GOAL_UP_ONE, 0,
                   res->decimals, ties, &v->up);
    if (!v->n_peers)
        return;
    double *vals = xmalloc(v->n_peers * sizeof *vals);
    for (size_t i = 0; i < v->n_peers; i++)
        vals[i] = res->countries[v->peers[i]].score;
    struct compare_stat st;
    compare_stats(vals, v->n_peers, res->decimals, &st);
    free(vals);
    v->peer_median = st.median;
    robust_path_up(model_rubric(v->m), states, res->n, f, ROBUST_GOAL_SCORE,
                   st.median, res->decimals, ties, &v->median);
}

/* ---- options ------------------------------------------------------------- */

enum {
    OPT_VS = 0x200,
    OPT_PEERS,
    OPT_GROUP,
    OPT_TOP,
    OPT_DRAWS,
    OPT_SEED,
    OPT_THREADS,
    OPT_UNCERTAINTY,
    OPT_NOMINAL,
    OPT_NO = 0x300 /* + enum robust_choice */
};

/* The number options: --top, --draws, --seed, --threads (opt) into o. */
static int number_option(int opt, const char *arg, struct robust_options *o)
{
    static const struct {
        int opt;
        const char *name;
        unsigned long long min, max;
    } ranges[] = {{OPT_TOP, "--top", 1, MAX_TOP},
                  {OPT_DRAWS, "--draws", 1, ROBUST_MAX_DRAWS},
                  {OPT_SEED, "--seed", 0, ~0ull},
                  {OPT_THREADS, "--threads", 1, ROBUST_MAX_THREADS}};
    size_t i = 0;
    while (ranges[i].opt != opt)
        i++;
    unsigned long long v = 0;
    int rc = reportcli_number("robustness", ranges[i].name, arg, ranges[i].min,
                              ranges[i].max, &v);
    if (rc)
        return rc;
    if (opt == OPT_TOP)
        o->top_k = (size_t)v;
    else if (opt == OPT_DRAWS)
        o->n_draws = (size_t)v;
    else if (opt == OPT_SEED)
        o->seed = v;
    else
        o->n_threads = (unsigned)v;
    return CW_OK;
}

int cmd_robustness(int argc, char **argv, struct cw_ctx *ctx)
{
    static const struct option opts[] = {
        {"vs", required_argument, NULL, OPT_VS},
        {"peers", required_argument, NULL, OPT_PEERS},
        {"group", required_argument, NULL, OPT_GROUP},
        {"top", required_argument, NULL, OPT_TOP},
        {"draws", required_argument, NULL, OPT_DRAWS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"threads", required_argument, NULL, OPT_THREADS},
        {"uncertainty", required_argument, NULL, OPT_UNCERTAINTY},
        {"nominal", no_argument, NULL, OPT_NOMINAL},
        {"no-weights", no_argument, NULL, OPT_NO + ROBUST_WEIGHTS},
        {"no-levels", no_argument, NULL, OPT_NO + ROBUST_LEVELS},
        {"no-missing", no_argument, NULL, OPT_NO + ROBUST_MISSING},
        {"no-aggregation", no_argument, NULL, OPT_NO + ROBUST_AGGREGATION},
        {"no-rubrics", no_argument, NULL, OPT_NO + ROBUST_RUBRICS},
        CMPUTIL_LONG_OPTIONS,
        {NULL, 0, NULL, 0}};
    struct cmputil_opts o = CMPUTIL_OPTS_INIT;
    struct robust_options ro = ROBUST_OPTIONS_INIT;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    ro.n_threads = cpus < 1                    ? 1
                   : cpus > ROBUST_MAX_THREADS ? ROBUST_MAX_THREADS
                                               : (unsigned)cpus;
    const char *vs = NULL, *list = NULL, *group = NULL, *upath = NULL;
    unsigned off = 0;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int used = cmputil_option("robustness", c, optarg, &o);
        if (used < 0)
            return used;
        if (used)
            continue;
        switch (c) {
        case OPT_VS:
            vs = optarg;
            break;
        case OPT_PEERS:
            list = optarg;
            break;
        case OPT_GROUP:
            group = optarg;
            break;
        case OPT_TOP:
        case OPT_DRAWS:
        case OPT_SEED:
        case OPT_THREADS:
            if (number_option(c, optarg, &ro) < 0)
                return CW_ERR_USAGE;
            break;
        case OPT_UNCERTAINTY:
            upath = optarg;
            break;
        case OPT_NOMINAL:
            off = ROBUST_ALL;
            break;
        default:
            if (c > OPT_NO && c <= OPT_NO + ROBUST_ALL) {
                off |= (unsigned)(c - OPT_NO);
                break;
            }
            return cmd_usage_error("robustness", "unknown option '%s'",
                                   argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cmd_usage_error("robustness", "unexpected argument '%s'",
                               argv[optind]);
    char iso3[4];
    if (vs && !cmputil_iso3(vs, iso3))
        return cmd_usage_error("robustness",
                               "'%s' is not an ISO 3166 alpha-3 code", vs);
    if ((list || group) && !vs)
        return cmd_usage_error("robustness", "--peers and --group need --vs");
    if (list && group)
        return cmd_usage_error("robustness",
                               "--peers and --group cannot be combined");
    if (list && (!*list || strlen(list) > MAX_LIST))
        return cmd_usage_error("robustness", "--peers takes 1 to %d codes",
                               MAX_LIST / 4);
    ro.decimals = o.model.decimals;
    ro.ties = o.model.ties;
    ro.choices = ROBUST_ALL & ~off;

    int status = CW_OK;
    enum cw_state *states = NULL;
    struct uncertainty *unc = NULL;
    struct robust_result *res = NULL;
    struct run v = {0};
    v.focus = -1;
    v.off = off;
    strbuf_init(&v.peer_note);
    struct model *m = cmputil_load(ctx, &o, NULL, NULL, &status);
    size_t *sel = NULL;
    if (!m)
        goto out;
    v.m = m;
    states = status_matrix(m, &sel, &v.n_rows);
    v.sel = sel;
    if (!v.n_rows) {
        fprintf(stderr,
                "cyberwell: error: no country is ranked under rubric '%s' "
                "(%zu stored, none states the %zu indicators it needs); "
                "run 'cyberwell ingest' first, or use --include-incomplete\n",
                model_rubric_name(m), model_count(m), model_min_coverage(m));
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    if (vs) {
        long e = model_find(m, iso3);
        if (e < 0) {
            status = cmputil_not_found(ctx, m, iso3, "country");
            goto out;
        }
        v.focus = row_of(&v, v.n_rows, (size_t)e);
        if (v.focus < 0) {
            struct strbuf place = STRBUF_INIT;
            model_place_text(m, model_entry(m, (size_t)e), &place);
            fprintf(stderr,
                    "cyberwell: error: %s is %s: use --include-incomplete "
                    "to draw it too\n",
                    iso3, place.buf);
            strbuf_release(&place);
            status = CW_ERR_NOTFOUND;
            goto out;
        }
    }
    char buf[4096];
    if (!upath)
        upath = reportcli_uncertainty_path(ctx, model_rubric_name(m), buf,
                                           sizeof buf);
    if (!upath) {
        fprintf(stderr,
                "cyberwell: error: rubric '%s' has no default uncertainty "
                "file name: give one with --uncertainty\n",
                model_rubric_name(m));
        status = CW_ERR_NOTFOUND;
        goto out;
    }
    struct cw_errors *errs = xcalloc(1, sizeof *errs);
    unc = uncertainty_load(upath, errs);
    if (!unc) {
        cli_print_errors(errs);
        status = errs->e[0].code;
        free(errs);
        goto out;
    }
    free(errs);
    if (v.focus >= 0) {
        status = choose_peers(ctx, &v, list, group);
        if (status)
            goto out;
    }
    struct robust_input in = {model_rubric(m), states, v.n_rows, unc};
    ro.focus = v.focus;
    struct cw_error err;
    res = robust_run(&in, &ro, &err);
    if (!res) {
        cli_print_error(&err);
        status = err.code;
        goto out;
    }
    v.unc = unc;
    v.res = res;
    double *vals = xmalloc(v.n_rows * sizeof *vals);
    for (size_t k = 0; k < v.n_rows; k++)
        vals[k] = res->countries[k].score;
    v.order = xmalloc(v.n_rows * sizeof *v.order);
    compare_order(vals, v.n_rows, res->decimals, v.order);
    free(vals);
    if (v.focus >= 0)
        focus_paths(&v, states, ro.ties);
    if (o.format == CMPUTIL_TEXT)
        print_text(&v);
    else if (o.format == CMPUTIL_CSV)
        status = print_csv(&v);
    else
        print_json(&v);
    /* A failed write to stdout is reported once, by main (finish). */
out:
    robust_path_release(&v.up);
    robust_path_release(&v.median);
    free(v.order);
    free(v.peers);
    free((char *)v.peers_from);
    strbuf_release(&v.peer_note);
    robust_result_free(res);
    uncertainty_free(unc);
    free(states);
    free(sel);
    model_free(m);
    cmputil_done(ctx);
    return status;
}
