/*
 * ISO 8601 calendar dates as cyberwell reads them from its users: "2015",
 * "2015-02" or "2015-02-02", years 1900 to 2999 (the years a profile can
 * be dated), every day checked against its month ("2016-02-30" is no
 * date). The one validator of every date a user types or imports
 * (--as-of, override dates).
 */
#ifndef CYBERWELL_UTIL_ISODATE_H
#define CYBERWELL_UTIL_ISODATE_H

#include <stdbool.h>

#include "util/diag.h"

#define ISODATE_MIN_YEAR 1900
#define ISODATE_MAX_YEAR 2999

enum isodate_precision {
    ISODATE_YEAR = 1 << 0,  /* "2015" */
    ISODATE_MONTH = 1 << 1, /* "2015-02" */
    ISODATE_DAY = 1 << 2,   /* "2015-02-02" */
    ISODATE_ANY = ISODATE_YEAR | ISODATE_MONTH | ISODATE_DAY
};

struct isodate {
    int year;
    int month; /* 1-12, 0 when not given */
    int day;   /* 1-31, 0 when not given */
};

/* Days in month (1-12) of year (Gregorian). */
int isodate_days_in_month(int year, int month);

/*
 * Parse s (borrowed) as a date of one of the allowed precisions (enum
 * isodate_precision bits) into out (fills; may be NULL). On failure
 * returns CW_ERR_PARSE with a message that quotes s and says what is wrong
 * ("'2016-02-30' is not a date: February 2016 has 29 days"), located at
 * loc.
 */
int isodate_parse(const char *s, unsigned allowed, struct isodate *out,
                  struct cw_loc loc, struct cw_error *err);

#endif
