/* The precision policy: how scores, differences and parts are shown. */
#include "core/precision.h"

#include <assert.h>
#include <math.h>

#include "util/json.h"

#include "util/banned.h"

/* A score difference below this (in scaled units) is floating-point noise. */
#define KEY_TOLERANCE 1e-9

static const double scale_of[PRECISION_MAX + 1] = {1e0, 1e1, 1e2, 1e3, 1e4,
                                                   1e5, 1e6, 1e7, 1e8, 1e9};

long long precision_key(double v, int decimals)
{
    assert(decimals >= 0 && decimals <= PRECISION_MAX);
    assert(isfinite(v));
    double q = v * scale_of[decimals];
    assert(fabs(q) < 1e15);
    return (long long)floor(q + 0.5 + KEY_TOLERANCE);
}

double precision_round(double v, int decimals)
{
    if (isnan(v))
        return NAN;
    return (double)precision_key(v, decimals) / scale_of[decimals];
}

double precision_difference(double a, double b, int decimals)
{
    if (isnan(a) || isnan(b))
        return NAN;
    long long d = precision_key(a, decimals) - precision_key(b, decimals);
    return (double)d / scale_of[decimals];
}

void precision_score(struct strbuf *out, double v, int decimals)
{
    if (isnan(v))
        strbuf_adds(out, PRECISION_NA);
    else
        strbuf_addf(out, "%.*f", decimals, precision_round(v, decimals));
}

void precision_diff(struct strbuf *out, double a, double b, int decimals)
{
    if (isnan(a) || isnan(b)) {
        strbuf_adds(out, PRECISION_NA);
        return;
    }
    long long d = precision_key(a, decimals) - precision_key(b, decimals);
    strbuf_addf(out, "%c%.*f", d < 0 ? '-' : '+', decimals,
                (double)(d < 0 ? -d : d) / scale_of[decimals]);
}

void precision_part(struct strbuf *out, double v, int decimals)
{
    if (isnan(v))
        strbuf_adds(out, PRECISION_NA);
    else
        strbuf_addf(out, "%+.*f", decimals + PRECISION_PART_EXTRA, v);
}

void precision_csv(struct csvio_writer *w, double v, int decimals)
{
    if (isnan(v))
        csvio_empty(w);
    else
        csvio_num(w, precision_round(v, decimals), decimals);
}

void precision_csv_part(struct csvio_writer *w, double v, int decimals)
{
    if (isnan(v))
        csvio_empty(w);
    else
        csvio_num(w, v, decimals + PRECISION_PART_EXTRA);
}

void precision_json(struct strbuf *sb, double v, int decimals)
{
    json_num(sb, precision_round(v, decimals), decimals);
}

void precision_json_part(struct strbuf *sb, double v, int decimals)
{
    json_num(sb, v, decimals + PRECISION_PART_EXTRA);
}

void precision_correlation(struct strbuf *out, double r)
{
    if (isnan(r))
        strbuf_adds(out, PRECISION_NA);
    else
        strbuf_addf(out, "%.*f", PRECISION_CORRELATION, r);
}

void precision_json_correlation(struct strbuf *sb, double r)
{
    json_num(sb, r, PRECISION_CORRELATION);
}
