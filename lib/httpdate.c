/* SPDX-License-Identifier: MIT */
/*
 * HTTP-date (RFC 9110, Section 5.6.7) in its three forms, and Retry-After
 * (RFC 9110, Section 10.2.3). Calendar arithmetic is done here with the
 * proleptic Gregorian days-from-civil formulas, never with timegm(),
 * mktime() or strftime(), which depend on the time zone and the locale.
 */
#include "redir.h"

#include "util.h"

#include <string.h>

/* Earliest and latest times the formatter accepts: 0000-01-01T00:00:00Z
 * and 9999-12-31T23:59:59Z. */
#define MIN_FORMAT_TIME (-62167219200LL)
#define MAX_FORMAT_TIME (253402300799LL)

static const char month_names[12][4] = {"Jan", "Feb", "Mar", "Apr",
                                        "May", "Jun", "Jul", "Aug",
                                        "Sep", "Oct", "Nov", "Dec"};
/* day-name, indexed by days since Sunday */
static const char day_names[7][4] = {"Sun", "Mon", "Tue", "Wed",
                                     "Thu", "Fri", "Sat"};
/* day-name-l (RFC 850 form) */
static const char *const day_names_long[7] = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
    "Saturday"};

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). m is 1..12, d 1..31. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                 /* 0..399 */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* 0..365 */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* 0..146096 */
    return era * 146097 + doe - 719468;
}

/* The inverse: the civil date of a day count. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* 0 = Sunday */
static int weekday_of(int64_t days)
{
    return (int)(((days % 7) + 7 + 4) % 7); /* 1970-01-01 was a Thursday */
}

/* ---- a small cursor over the input ------------------------------------- */

typedef struct cursor {
    const char *p;
    size_t n, i;
} cursor;

static bool lit(cursor *c, const char *s)
{
    size_t k = strlen(s);
    if (c->n - c->i < k || memcmp(c->p + c->i, s, k) != 0)
        return false;
    c->i += k;
    return true;
}

/* Exactly `k` digits. */
static bool digits(cursor *c, size_t k, int *v)
{
    if (c->n - c->i < k)
        return false;
    int x = 0;
    for (size_t j = 0; j < k; j++) {
        char ch = c->p[c->i + j];
        if (!rd_is_digit((unsigned char)ch))
            return false;
        x = x * 10 + (ch - '0');
    }
    c->i += k;
    *v = x;
    return true;
}

/* month = "Jan" / ... (case-sensitive, RFC 9110 Section 5.6.7) */
static bool month(cursor *c, int *m)
{
    if (c->n - c->i < 3)
        return false;
    for (int k = 0; k < 12; k++)
        if (memcmp(c->p + c->i, month_names[k], 3) == 0) {
            c->i += 3;
            *m = k + 1;
            return true;
        }
    return false;
}

/* time-of-day = hour ":" minute ":" second */
static bool time_of_day(cursor *c, int *hh, int *mm, int *ss)
{
    return digits(c, 2, hh) && lit(c, ":") && digits(c, 2, mm) &&
           lit(c, ":") && digits(c, 2, ss);
}

typedef struct fields {
    int64_t year;
    int month, day, hour, minute, second;
    int wday; /* as named in the input */
} fields;

/* Range checks and the weekday; *t receives the time. */
static bool to_time(const fields *f, int64_t *t)
{
    if (f->month < 1 || f->month > 12 || f->day < 1 ||
        f->day > days_in_month(f->year, f->month))
        return false;
    /* "00:00:00 - 23:59:60 (leap second)": second 60 is read as second 59
     * of the same minute, since Unix time does not count leap seconds;
     * the result then stays within the day the date names. */
    if (f->hour > 23 || f->minute > 59 || f->second > 60)
        return false;
    int64_t days = days_from_civil(f->year, f->month, f->day);
    if (weekday_of(days) != f->wday)
        return false; /* the weekday must agree with the date */
    int sec = f->second == 60 ? 59 : f->second;
    *t = days * 86400 + (int64_t)f->hour * 3600 + (int64_t)f->minute * 60 + sec;
    return true;
}

/* IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
 * date1 = day SP month SP year */
static bool imf_fixdate(cursor *c, fields *f)
{
    int y;
    if (!(lit(c, ", ") && digits(c, 2, &f->day) && lit(c, " ") &&
          month(c, &f->month) && lit(c, " ") && digits(c, 4, &y) &&
          lit(c, " ") && time_of_day(c, &f->hour, &f->minute, &f->second) &&
          lit(c, " GMT") && c->i == c->n))
        return false;
    f->year = y;
    return true;
}

/* asctime-date = day-name SP date3 SP time-of-day SP year
 * date3 = month SP ( 2DIGIT / ( SP DIGIT ) ) */
static bool asctime_date(cursor *c, fields *f)
{
    int y;
    if (!lit(c, " ") || !month(c, &f->month) || !lit(c, " "))
        return false;
    if (lit(c, " ")) {
        if (!digits(c, 1, &f->day))
            return false;
    } else if (!digits(c, 2, &f->day)) {
        return false;
    }
    if (!lit(c, " ") || !time_of_day(c, &f->hour, &f->minute, &f->second) ||
        !lit(c, " ") || !digits(c, 4, &y) || c->i != c->n)
        return false;
    f->year = y;
    return true;
}

/* Is (y, m, d, secs-of-day) later than (ny, nm, nd, nsecs)? */
static bool later(int64_t y, int m, int d, int64_t s, int64_t ny, int nm,
                  int nd, int64_t ns)
{
    if (y != ny)
        return y > ny;
    if (m != nm)
        return m > nm;
    if (d != nd)
        return d > nd;
    return s > ns;
}

/* rfc850-date = day-name-l "," SP date2 SP time-of-day SP GMT
 * date2 = day "-" month "-" 2DIGIT */
static bool rfc850_date(cursor *c, fields *f, int64_t now)
{
    int yy;
    if (!(lit(c, ", ") && digits(c, 2, &f->day) && lit(c, "-") &&
          month(c, &f->month) && lit(c, "-") && digits(c, 2, &yy) &&
          lit(c, " ") && time_of_day(c, &f->hour, &f->minute, &f->second) &&
          lit(c, " GMT") && c->i == c->n))
        return false;
    /* RFC 9110, Section 5.6.7: a two-digit year that appears to be more
     * than 50 years in the future is the most recent year in the past
     * with the same last two digits. `now` is clamped to years 0..9999 so
     * that nothing below can overflow. */
    if (now < MIN_FORMAT_TIME)
        now = MIN_FORMAT_TIME;
    if (now > MAX_FORMAT_TIME)
        now = MAX_FORMAT_TIME;
    int64_t ndays = floor_div(now, 86400);
    int64_t nsecs = now - ndays * 86400;
    int64_t ny;
    int nm, nd;
    civil_from_days(ndays, &ny, &nm, &nd);
    int64_t y = ny - ny % 100 + yy;
    int64_t s = (int64_t)f->hour * 3600 + (int64_t)f->minute * 60 + f->second;
    /* The result lies in the century-long window that ends 50 years from
     * now: later than that goes back a century, and a year that would
     * leave the window on the other side (only when "now" is late in its
     * century, e.g. "20" read in 2080) goes forward one. */
    if (later(y, f->month, f->day, s, ny + 50, nm, nd, nsecs))
        y -= 100;
    else if (!later(y + 100, f->month, f->day, s, ny + 50, nm, nd, nsecs))
        y += 100;
    f->year = y;
    return true;
}

/* The form is told by the day name: a long one is RFC 850, a short one
 * followed by "," is IMF-fixdate, and followed by a space asctime. */
static bool any_form(cursor *c, fields *f, int64_t now)
{
    memset(f, 0, sizeof *f);
    for (int k = 0; k < 7; k++) {
        cursor l = *c;
        if (lit(&l, day_names_long[k]) && l.i < l.n && l.p[l.i] == ',') {
            f->wday = k;
            return rfc850_date(&l, f, now);
        }
    }
    for (int k = 0; k < 7; k++)
        if (lit(c, day_names[k])) {
            f->wday = k;
            if (c->i < c->n && c->p[c->i] == ',')
                return imf_fixdate(c, f);
            return asctime_date(c, f);
        }
    return false;
}

redir_result redir_http_date_parse(const char *s, size_t len, int64_t now,
                                   int64_t *t)
{
    if (!s || !t)
        return REDIR_E_NULL;
    *t = 0;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    /* surrounding whitespace is not part of the field value */
    rd_trim_ows(&s, &len);
    if (len == 0)
        return REDIR_E_EMPTY;

    cursor c = {s, len, 0};
    fields f;
    if (!any_form(&c, &f, now) || !to_time(&f, t)) {
        *t = 0;
        return REDIR_E_DATE;
    }
    return REDIR_OK;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

redir_result redir_http_date_format(int64_t t, char *buf, size_t cap,
                                    size_t *len)
{
    if (!len || (!buf && cap))
        return REDIR_E_NULL;
    *len = 29;
    if (t < MIN_FORMAT_TIME || t > MAX_FORMAT_TIME)
        return REDIR_E_ARGUMENT;
    if (cap < 30)
        return REDIR_E_BUFFER_TOO_SMALL;
    int64_t days = floor_div(t, 86400);
    int secs = (int)(t - days * 86400);
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    /* "Sun, 06 Nov 1994 08:49:37 GMT" */
    memcpy(buf, day_names[weekday_of(days)], 3);
    memcpy(buf + 3, ", ", 2);
    put2(buf + 5, d);
    buf[7] = ' ';
    memcpy(buf + 8, month_names[m - 1], 3);
    buf[11] = ' ';
    put2(buf + 12, (int)(y / 100));
    put2(buf + 14, (int)(y % 100));
    buf[16] = ' ';
    put2(buf + 17, secs / 3600);
    buf[19] = ':';
    put2(buf + 20, secs / 60 % 60);
    buf[22] = ':';
    put2(buf + 23, secs % 60);
    memcpy(buf + 25, " GMT", 5); /* with the NUL */
    return REDIR_OK;
}

/* ---- Retry-After ---------------------------------------------------------- */

redir_result redir_retry_after_parse(const char *s, size_t len, int64_t now,
                                     int64_t *delay)
{
    if (!s || !delay)
        return REDIR_E_NULL;
    *delay = 0;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    rd_trim_ows(&s, &len);
    if (len == 0)
        return REDIR_E_EMPTY;
    /* Retry-After = HTTP-date / delay-seconds; delay-seconds = 1*DIGIT.
     * A delay too large for int64_t is clamped to INT64_MAX. */
    if (rd_is_digit((unsigned char)s[0])) {
        int64_t v = 0;
        for (size_t i = 0; i < len; i++) {
            if (!rd_is_digit((unsigned char)s[i]))
                return REDIR_E_DATE; /* "120s", "1.5" */
            int dv = s[i] - '0';
            if (v > (INT64_MAX - dv) / 10)
                v = INT64_MAX;
            else
                v = v * 10 + dv;
        }
        *delay = v;
        return REDIR_OK;
    }
    int64_t t;
    if (redir_http_date_parse(s, len, now, &t) != REDIR_OK)
        return REDIR_E_DATE; /* "-5", junk */
    /* a date in the past means "now" */
    if (t <= now)
        *delay = 0;
    else if (now < 0 && t > INT64_MAX + now)
        *delay = INT64_MAX;
    else
        *delay = t - now;
    return REDIR_OK;
}
