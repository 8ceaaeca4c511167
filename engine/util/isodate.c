/* The one validator of user-given ISO 8601 dates. */
#include "util/isodate.h"

#include <stddef.h>
#include <string.h>

#include "util/banned.h"

static const char *const month_names[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

int isodate_days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};
    bool is_leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (month < 1 || month > 12)
        return 0;
    return month == 2 && is_leap ? 29 : days[month - 1];
}

/* The forms allowed, for messages: "YYYY, YYYY-MM or YYYY-MM-DD". */
static const char *forms(unsigned allowed)
{
    switch (allowed & ISODATE_ANY) {
    case ISODATE_YEAR:
        return "YYYY";
    case ISODATE_MONTH:
        return "YYYY-MM";
    case ISODATE_DAY:
        return "YYYY-MM-DD";
    case ISODATE_YEAR | ISODATE_MONTH:
        return "YYYY or YYYY-MM";
    case ISODATE_MONTH | ISODATE_DAY:
        return "YYYY-MM or YYYY-MM-DD";
    default:
        return "YYYY, YYYY-MM or YYYY-MM-DD";
    }
}

static int number(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int isodate_parse(const char *s, unsigned allowed, struct isodate *out,
                  struct cw_loc loc, struct cw_error *err)
{
    size_t n = s ? strlen(s) : 0;
    unsigned precision = n == 4    ? ISODATE_YEAR
                         : n == 7  ? ISODATE_MONTH
                         : n == 10 ? ISODATE_DAY
                                   : 0;
    for (size_t i = 0; precision && i < n; i++) {
        bool is_sep = i == 4 || i == 7;
        if (is_sep ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            precision = 0;
    }
    if (!precision || !(precision & allowed))
        return cw_errorf(err, CW_ERR_PARSE, loc, "'%s' is not a date: write %s",
                         s ? s : "", forms(allowed));
    struct isodate d = {number(s, 4), n >= 7 ? number(s + 5, 2) : 0,
                        n == 10 ? number(s + 8, 2) : 0};
    if (d.year < ISODATE_MIN_YEAR || d.year > ISODATE_MAX_YEAR)
        return cw_errorf(err, CW_ERR_PARSE, loc,
                         "'%s' is not a date cyberwell knows: the year is "
                         "outside %d to %d",
                         s, ISODATE_MIN_YEAR, ISODATE_MAX_YEAR);
    if (n >= 7 && (d.month < 1 || d.month > 12))
        return cw_errorf(err, CW_ERR_PARSE, loc,
                         "'%s' is not a date: there is no month %d", s,
                         d.month);
    if (n == 10) {
        int days = isodate_days_in_month(d.year, d.month);
        if (d.day < 1 || d.day > days)
            return cw_errorf(err, CW_ERR_PARSE, loc,
                             "'%s' is not a date: %s %d has %d days", s,
                             month_names[d.month - 1], d.year, days);
    }
    if (out)
        *out = d;
    return CW_OK;
}
