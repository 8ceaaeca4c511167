/*
 * precision: the one precision policy of every read-side output (text,
 * CSV, JSON, charts and the report card). Renderers format scores only
 * through these functions.
 *
 * The policy:
 *  - a score (overall or pillar, 0 to 1) is shown with `decimals` digits
 *    (PRECISION_DEFAULT, 3 as in the GCI tables, or --decimals), rounded
 *    half up exactly as precision_key rounds it: the digits shown are the
 *    digits the ranking compares, so two scores that print alike tie;
 *  - a difference of two scores is the difference of the two values as
 *    shown, with its sign, at the same digits;
 *  - an indicator's part of a difference (`explain`) is shown with
 *    decimals + PRECISION_PART_EXTRA digits, so that the parts visibly add
 *    up to the difference;
 *  - a rank correlation is shown with PRECISION_CORRELATION digits;
 *  - a value with no basis (NAN: a pillar nobody states, a median over no
 *    peer) is "n/a" in text, an empty cell in CSV and null in JSON; it is
 *    never written as 0.
 *
 * Rounding: v * 10^decimals rounded half up, a value within 1e-9 (in units
 * of the last digit) of a rounding step counting as on it, so that scores
 * equal in exact arithmetic (24/34 and 12/17) never split because of binary
 * floating point.
 */
#ifndef CYBERWELL_CORE_PRECISION_H
#define CYBERWELL_CORE_PRECISION_H

#include "io/csvio.h"
#include "util/strbuf.h"

#define PRECISION_DEFAULT     3 /* digits of a score unless --decimals */
#define PRECISION_MAX         9 /* largest --decimals accepted */
#define PRECISION_PART_EXTRA  3 /* more digits for the parts of a difference */
#define PRECISION_CORRELATION 2 /* digits of a rank correlation */

/* The text of a value with no basis. */
#define PRECISION_NA "n/a"

/*
 * The integer a finite score rounds to at `decimals` digits (0 to
 * PRECISION_MAX). Two scores tie exactly when their keys are equal.
 */
long long precision_key(double v, int decimals);

/* The score as shown: key / 10^decimals (NAN stays NAN). */
double precision_round(double v, int decimals);

/* a - b of the values as shown (NAN when either is NAN): the difference
 * every output writes. */
double precision_difference(double a, double b, int decimals);

/* Append the score ("0.706", or "n/a" for NAN). */
void precision_score(struct strbuf *out, double v, int decimals);
/* Append a - b of the shown values with its sign ("+0.353", "-0.029",
 * "+0.000"); "n/a" when either is NAN. */
void precision_diff(struct strbuf *out, double a, double b, int decimals);
/* Append an exact part of a difference at decimals + PRECISION_PART_EXTRA
 * digits with its sign ("+0.058824"). */
void precision_part(struct strbuf *out, double v, int decimals);

/* Append a rank correlation ("0.92", "-0.10", "n/a"). */
void precision_correlation(struct strbuf *out, double r);

/* The same rules for the machine outputs: a CSV number cell (empty for
 * NAN) and a JSON number (null for NAN). */
void precision_csv(struct csvio_writer *w, double v, int decimals);
void precision_csv_part(struct csvio_writer *w, double v, int decimals);
void precision_json(struct strbuf *sb, double v, int decimals);
void precision_json_part(struct strbuf *sb, double v, int decimals);
void precision_json_correlation(struct strbuf *sb, double r);

#endif
