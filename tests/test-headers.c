/* SPDX-License-Identifier: MIT */
/*
 * The header helpers: HTTP-date (RFC 9110, Section 5.6.7), Cache-Control
 * and the caching of redirects (RFC 9111), Retry-After (RFC 9110, Section
 * 10.2.3) and Strict-Transport-Security (RFC 6797). Table-driven; each
 * table's expectations are written here from the RFC text.
 */
#include <redir.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests.h"

/* 2023-11-14T22:13:20Z, "Tue, 14 Nov 2023 22:13:20 GMT" */
#define NOW INT64_C(1700000000)
/* 2025-06-01T12:00:00Z, for the RFC 850 century rule */
#define NOW_2025 INT64_C(1748779200)

/* A deterministic generator for the random inputs. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint32_t rng(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (uint32_t)(rng_state >> 33);
}

/* ==== HTTP-date ========================================================= */

static const struct {
    const char *in;
    int64_t now;
    int64_t want;
} date_ok[] = {
    /* the three examples of RFC 9110, Section 5.6.7 */
    {"Sun, 06 Nov 1994 08:49:37 GMT", NOW, 784111777},
    {"Sunday, 06-Nov-94 08:49:37 GMT", NOW, 784111777},
    {"Sun Nov  6 08:49:37 1994", NOW, 784111777},
    /* asctime with a two-digit day (date3 = month SP 2DIGIT) */
    {"Sun Nov 06 08:49:37 1994", NOW, 784111777},
    {"Thu, 01 Jan 1970 00:00:00 GMT", NOW, 0},
    {"Thu Jan  1 00:00:00 1970", NOW, 0},
    {"Wed, 31 Dec 1969 23:59:59 GMT", NOW, -1},
    {"Tue, 14 Nov 2023 22:13:20 GMT", NOW, NOW},
    /* leap years: 2000 (divisible by 400) and 2024 */
    {"Tue, 29 Feb 2000 12:00:00 GMT", NOW, 951825600},
    {"Thu, 29 Feb 2024 23:59:59 GMT", NOW, 1709251199},
    /* a leap second is read as second 59 of the same minute */
    {"Sat, 31 Dec 2016 23:59:60 GMT", NOW, 1483228799},
    {"Sat, 31 Dec 2016 23:59:59 GMT", NOW, 1483228799},
    /* the edges of the four-digit year */
    {"Sat, 01 Jan 0000 00:00:00 GMT", NOW, INT64_C(-62167219200)},
    {"Fri, 31 Dec 9999 23:59:59 GMT", NOW, INT64_C(253402300799)},
    /* surrounding whitespace */
    {"  Sun, 06 Nov 1994 08:49:37 GMT\t ", NOW, 784111777},
    {"\tSun Nov  6 08:49:37 1994", NOW, 784111777},
    /* RFC 850 two-digit years, read on 2025-06-01 12:00:00: more than 50
     * years ahead is the past century */
    {"Sunday, 01-Jun-70 12:00:00 GMT", NOW_2025, INT64_C(3168849600)},
    {"Tuesday, 01-Jun-76 12:00:00 GMT", NOW_2025, 202478400},
    {"Saturday, 01-Jun-75 12:00:00 GMT", NOW_2025, INT64_C(3326616000)},
    {"Sunday, 01-Jun-75 12:00:01 GMT", NOW_2025, 170856001},
    {"Saturday, 01-Jun-30 12:00:00 GMT", NOW_2025, 1906545600},
    {"Monday, 01-Jan-24 00:00:00 GMT", NOW_2025, 1704067200},
    /* read in 2080, "20" is 2120 (40 years ahead), not 2020 (60 back) */
    {"Tuesday, 05-Mar-20 01:02:03 GMT", INT64_C(3471292800), INT64_C(4739043723)},
};

START_TEST(date_valid)
{
    int64_t t = 42;
    redir_result r = redir_http_date_parse(date_ok[_i].in, strlen(date_ok[_i].in),
                                           date_ok[_i].now, &t);
    ck_assert_msg(r == REDIR_OK, "%s: %s", date_ok[_i].in, redir_result_name(r));
    ck_assert_msg(t == date_ok[_i].want, "%s: %lld, want %lld", date_ok[_i].in,
                  (long long)t, (long long)date_ok[_i].want);
}
END_TEST

static const char *const date_bad[] = {
    "Mon, 06 Nov 1994 08:49:37 GMT",     /* wrong weekday */
    "Sunday, 06-Nov-94 08:49:37 GMT x",  /* junk after, RFC 850 */
    "Monday, 06-Nov-94 08:49:37 GMT",    /* wrong weekday, RFC 850 */
    "Mon Nov  6 08:49:37 1994",          /* wrong weekday, asctime */
    "Fri, 30 Feb 2024 00:00:00 GMT",     /* Feb 30 */
    "Thu, 29 Feb 1900 00:00:00 GMT",     /* 1900 is not a leap year */
    "Wed, 29 Feb 2023 00:00:00 GMT",     /* nor 2023 */
    "Thu, 31 Apr 2024 00:00:00 GMT",     /* April has 30 days */
    "Sun, 00 Nov 1994 08:49:37 GMT",     /* day 0 */
    "Sun, 32 Nov 1994 08:49:37 GMT",
    "Sun, 06 Nov 1994 24:00:00 GMT",     /* hour 24 */
    "Sun, 06 Nov 1994 08:60:37 GMT",     /* minute 60 */
    "Sun, 06 Nov 1994 08:49:61 GMT",     /* second 61 */
    "Sun, 06 nov 1994 08:49:37 GMT",     /* lowercase month */
    "Sun, 06 NOV 1994 08:49:37 GMT",
    "sun, 06 Nov 1994 08:49:37 GMT",     /* lowercase day name */
    "SUNDAY, 06-Nov-94 08:49:37 GMT",
    "Sun, 06 Nov 1994 08:49:37",         /* missing GMT */
    "Sun, 06 Nov 1994 08:49:37 UTC",
    "Sun, 06 Nov 1994 08:49:37 gmt",
    "Sun, 06 Nov 1994 08:49:37 +0000",
    "Sun, 06 Nov 1994 08:49:37 GMT x",   /* junk after */
    "Sun, 06 Nov 1994 08:49:37 GMTx",
    "Sun, 06 Nov 1994 08:49:37 GMT, Sun, 06 Nov 1994 08:49:37 GMT",
    "Sun, 6 Nov 1994 08:49:37 GMT",      /* one-digit day */
    "Sun, 06 Nov 94 08:49:37 GMT",       /* two-digit year in IMF */
    "Sun, 06 Nov 1994 8:49:37 GMT",
    "Sun,  06 Nov 1994 08:49:37 GMT",    /* two spaces */
    "Sun 06 Nov 1994 08:49:37 GMT",      /* no comma */
    "Sun, 06-Nov-94 08:49:37 GMT",       /* RFC 850 with a short day name */
    "Sunday, 06-Nov-1994 08:49:37 GMT",  /* RFC 850 with four digits */
    "Sunday, 06 Nov 1994 08:49:37 GMT",  /* IMF with a long day name */
    "Sun Nov 6 08:49:37 1994",           /* asctime: one space, one digit */
    "Sun Nov  6 08:49:37 1994 GMT",
    "Sun Nov  6 08:49:37 94",
    "Sun Nov 6  08:49:37 1994",
    "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
    "Sun, 06 Nov 1994 08:49:37 \tGMT",
    "Sun, 06 Nov 1994 08-49-37 GMT",
    "Sun, 06 Nov -994 08:49:37 GMT",
    "Sun, +6 Nov 1994 08:49:37 GMT",
    "Xyz, 06 Nov 1994 08:49:37 GMT",
    "Sunday",
    "Sun",
    "0",
    "-1",
    "784111777",
    "now",
    "1994-11-06T08:49:37Z",
};

START_TEST(date_malformed)
{
    int64_t t = 42;
    redir_result r = redir_http_date_parse(date_bad[_i], strlen(date_bad[_i]),
                                           NOW, &t);
    ck_assert_msg(r == REDIR_E_DATE, "%s: %s", date_bad[_i], redir_result_name(r));
    ck_assert_int_eq(t, 0);
}
END_TEST

START_TEST(date_edges)
{
    int64_t t;
    /* RFC 850: the weekday must agree with the century the rule picks:
     * "75" on 2025-06-01 at 12:00:00 sharp is 2075 (a Saturday) */
    ck_assert_int_eq(redir_http_date_parse(
                         "Sunday, 01-Jun-75 12:00:00 GMT", 30, NOW_2025, &t),
                     REDIR_E_DATE);
    ck_assert_int_eq(redir_http_date_parse("", 0, NOW, &t), REDIR_E_EMPTY);
    ck_assert_int_eq(redir_http_date_parse(" \t ", 3, NOW, &t), REDIR_E_EMPTY);
    ck_assert_int_eq(redir_http_date_parse(NULL, 3, NOW, &t), REDIR_E_NULL);
    ck_assert_int_eq(redir_http_date_parse("x", 1, NOW, NULL), REDIR_E_NULL);
    /* a NUL inside, at every position */
    const char *good = "Sun, 06 Nov 1994 08:49:37 GMT";
    for (size_t i = 0; i < 29; i++) {
        char b[29];
        memcpy(b, good, 29);
        b[i] = '\0';
        ck_assert_int_eq(redir_http_date_parse(b, 29, NOW, &t), REDIR_E_DATE);
    }
    /* the length is respected: no read past it */
    ck_assert_int_eq(redir_http_date_parse(good, 29, NOW, &t), REDIR_OK);
    /* extreme `now` values are clamped to years 0..9999 for the RFC 850
     * rule: nothing overflows */
    ck_assert_int_eq(redir_http_date_parse("Sunday, 06-Nov-94 08:49:37 GMT", 30,
                                           INT64_MAX, &t), REDIR_OK);
    ck_assert_int_eq(t, INT64_C(253239727777)); /* 9994-11-06 */
    ck_assert_int_eq(redir_http_date_parse("Thursday, 06-Nov-94 08:49:37 GMT",
                                           32, INT64_MAX, &t), REDIR_E_DATE);
    redir_result r = redir_http_date_parse("Saturday, 06-Nov-94 08:49:37 GMT",
                                           32, INT64_MIN, &t);
    ck_assert(r == REDIR_OK || r == REDIR_E_DATE);
}
END_TEST

/* Every prefix of a valid date is invalid (and read within its length). */
START_TEST(date_truncated)
{
    static const char *const full[] = {"Sun, 06 Nov 1994 08:49:37 GMT",
                                       "Sunday, 06-Nov-94 08:49:37 GMT",
                                       "Sun Nov  6 08:49:37 1994"};
    for (size_t k = 0; k < LEN(full); k++) {
        size_t n = strlen(full[k]);
        for (size_t len = 0; len < n; len++) {
            /* a heap copy of exactly len bytes: ASan sees any over-read */
            char *b = malloc(len ? len : 1);
            ck_assert_ptr_nonnull(b);
            memcpy(b, full[k], len);
            int64_t t;
            redir_result r = redir_http_date_parse(b, len, NOW, &t);
            ck_assert_msg(r == (len == 0 ? REDIR_E_EMPTY : REDIR_E_DATE),
                          "%s cut at %zu: %s", full[k], len, redir_result_name(r));
            free(b);
        }
    }
}
END_TEST

/* 1000 random strings and 1000 mutated dates: no crash, no over-read, and
 * whatever parses formats back to a date that parses to the same time. */
START_TEST(date_random)
{
    static const char alphabet[] = "SunMoTeWdhFriaJnFbMrApyJlAgSOcNvD0123456789 ,:-GMT\t";
    const char *seed = "Sun, 06 Nov 1994 08:49:37 GMT";
    for (int k = 0; k < 2000; k++) {
        size_t len;
        char *b;
        if (k < 1000) {
            len = rng() % 40;
            b = malloc(len ? len : 1);
            ck_assert_ptr_nonnull(b);
            for (size_t i = 0; i < len; i++)
                b[i] = (k & 1) ? (char)(rng() & 0xff)
                               : alphabet[rng() % (sizeof alphabet - 1)];
        } else {
            len = 29;
            b = malloc(len);
            ck_assert_ptr_nonnull(b);
            memcpy(b, seed, len);
            b[rng() % len] = alphabet[rng() % (sizeof alphabet - 1)];
            if (rng() & 1)
                b[rng() % len] = (char)(rng() & 0xff);
        }
        int64_t t = 0, u = 0, d = 0;
        redir_result r = redir_http_date_parse(b, len, NOW, &t);
        ck_assert(r == REDIR_OK || r == REDIR_E_DATE || r == REDIR_E_EMPTY);
        if (r == REDIR_OK) {
            char out[30];
            size_t n;
            ck_assert_int_eq(redir_http_date_format(t, out, sizeof out, &n), REDIR_OK);
            ck_assert_int_eq(redir_http_date_parse(out, n, NOW, &u), REDIR_OK);
            ck_assert_int_eq(t, u);
        }
        r = redir_retry_after_parse(b, len, NOW, &d);
        ck_assert(r == REDIR_OK || r == REDIR_E_DATE || r == REDIR_E_EMPTY);
        ck_assert(d >= 0);
        free(b);
    }
}
END_TEST

static void check_format(int64_t t)
{
    char buf[30];
    size_t n = 0;
    ck_assert_int_eq(redir_http_date_format(t, buf, sizeof buf, &n), REDIR_OK);
    ck_assert_uint_eq(n, 29);
    ck_assert_uint_eq(strlen(buf), 29);
    int64_t back = 0;
    ck_assert_msg(redir_http_date_parse(buf, n, NOW, &back) == REDIR_OK, "%s", buf);
    ck_assert_msg(back == t, "%lld -> %s -> %lld", (long long)t, buf, (long long)back);
    /* the fields agree with the C library's own (UTC) breakdown */
    time_t tt = (time_t)t;
    struct tm tm;
    if ((int64_t)tt == t && gmtime_r(&tt, &tm)) {
        static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
        static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
        char want[64];
        snprintf(want, sizeof want, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                 wd[tm.tm_wday], tm.tm_mday, mo[tm.tm_mon], tm.tm_year + 1900,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
        ck_assert_str_eq(buf, want);
    }
}

START_TEST(date_format)
{
    char buf[64];
    size_t n;
    ck_assert_int_eq(redir_http_date_format(784111777, buf, sizeof buf, &n), REDIR_OK);
    ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
    ck_assert_int_eq(redir_http_date_format(0, buf, sizeof buf, &n), REDIR_OK);
    ck_assert_str_eq(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
    ck_assert_int_eq(redir_http_date_format(-1, buf, sizeof buf, &n), REDIR_OK);
    ck_assert_str_eq(buf, "Wed, 31 Dec 1969 23:59:59 GMT");
    ck_assert_int_eq(redir_http_date_format(INT64_C(-62167219200), buf, sizeof buf, &n),
                     REDIR_OK);
    ck_assert_str_eq(buf, "Sat, 01 Jan 0000 00:00:00 GMT");
    ck_assert_int_eq(redir_http_date_format(INT64_C(253402300799), buf, sizeof buf, &n),
                     REDIR_OK);
    ck_assert_str_eq(buf, "Fri, 31 Dec 9999 23:59:59 GMT");
    /* out of range */
    n = 0;
    ck_assert_int_eq(redir_http_date_format(INT64_C(-62167219201), buf, sizeof buf, &n),
                     REDIR_E_ARGUMENT);
    ck_assert_int_eq(redir_http_date_format(INT64_C(253402300800), buf, sizeof buf, &n),
                     REDIR_E_ARGUMENT);
    ck_assert_int_eq(redir_http_date_format(INT64_MAX, buf, sizeof buf, &n),
                     REDIR_E_ARGUMENT);
    ck_assert_int_eq(redir_http_date_format(INT64_MIN, buf, sizeof buf, &n),
                     REDIR_E_ARGUMENT);
    /* buffer sizes: 30 bytes needed, nothing written before that */
    for (size_t cap = 0; cap <= 31; cap++) {
        memset(buf, 0x5a, sizeof buf);
        n = 0;
        redir_result r = redir_http_date_format(NOW, cap ? buf : NULL, cap, &n);
        ck_assert_uint_eq(n, 29);
        if (cap < 30) {
            ck_assert_int_eq(r, REDIR_E_BUFFER_TOO_SMALL);
            for (size_t i = 0; i < sizeof buf; i++)
                ck_assert_int_eq((unsigned char)buf[i], 0x5a);
        } else {
            ck_assert_int_eq(r, REDIR_OK);
            ck_assert_str_eq(buf, "Tue, 14 Nov 2023 22:13:20 GMT");
            for (size_t i = 30; i < sizeof buf; i++)
                ck_assert_int_eq((unsigned char)buf[i], 0x5a);
        }
    }
    ck_assert_int_eq(redir_http_date_format(0, buf, sizeof buf, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_http_date_format(0, NULL, 30, &n), REDIR_E_NULL);
}
END_TEST

/* Round trips: the first and last second of every month of a few years,
 * every day of 1999-2001, and 5000 random times over years 0..9999. */
START_TEST(date_round_trip)
{
    static const int years[] = {0, 1, 4, 99, 100, 400, 1582, 1600, 1700, 1899,
                                1900, 1969, 1970, 1999, 2000, 2038, 2100, 2400,
                                9999};
    char buf[30];
    size_t n;
    static const char *const wd[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t prev_last = 0;
    for (size_t y = 0; y < LEN(years); y++)
        for (int m = 1; m <= 12; m++) {
            int yy = years[y];
            bool leap = (yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0;
            int last = mdays[m - 1] + (m == 2 && leap);
            /* exactly one weekday name makes the first, and the last, of the
             * month valid; the day after the last never is */
            int64_t first_t = 0, last_t = 0;
            for (int d = 0; d < 3; d++) {
                int day = d == 0 ? 1 : d == 1 ? last : last + 1;
                int found = 0;
                for (int w = 0; w < 7; w++) {
                    char in[40];
                    int64_t t;
                    snprintf(in, sizeof in, "%s, %02d %s %04d %s GMT", wd[w], day,
                             mo[m - 1], yy, d == 0 ? "00:00:00" : "23:59:59");
                    if (redir_http_date_parse(in, strlen(in), NOW, &t) == REDIR_OK) {
                        found++;
                        check_format(t);
                        if (d == 0)
                            first_t = t;
                        else
                            last_t = t;
                    }
                }
                ck_assert_msg(found == (d < 2), "%04d-%02d-%02d: %d", yy, m, day, found);
            }
            ck_assert_int_eq(last_t - first_t + 1, (int64_t)last * 86400);
            if (m > 1 && prev_last)
                ck_assert_int_eq(first_t, prev_last + 1);
            prev_last = last_t;
        }
    for (int64_t t = INT64_C(915148800) - 86400; t < INT64_C(1009843200) + 86400;
         t += 86400) {
        check_format(t);
        check_format(t + 86399);
    }
    for (int k = 0; k < 5000; k++) {
        uint64_t span = UINT64_C(253402300799) + UINT64_C(62167219200);
        uint64_t x = (((uint64_t)rng() << 32) | rng()) % (span + 1);
        check_format((int64_t)x - INT64_C(62167219200));
    }
    check_format(INT64_C(-62167219200));
    check_format(INT64_C(253402300799));
    check_format(INT32_MAX);
    check_format((int64_t)INT32_MAX + 1);
    ck_assert_int_eq(redir_http_date_format(951782400, buf, sizeof buf, &n), REDIR_OK);
    ck_assert_str_eq(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
}
END_TEST

/* ==== Cache-Control ===================================================== */

#define MA REDIR_CC_MAX_AGE
#define SMA REDIR_CC_S_MAXAGE
#define NC REDIR_CC_NO_CACHE
#define NS REDIR_CC_NO_STORE
#define PRIV REDIR_CC_PRIVATE
#define PUB REDIR_CC_PUBLIC
#define MR REDIR_CC_MUST_REVALIDATE
#define PR REDIR_CC_PROXY_REVALIDATE
#define NT REDIR_CC_NO_TRANSFORM
#define MU REDIR_CC_MUST_UNDERSTAND
#define IMM REDIR_CC_IMMUTABLE
#define SWR REDIR_CC_STALE_WHILE_REVALIDATE
#define SIE REDIR_CC_STALE_IF_ERROR
#define NCF REDIR_CC_NO_CACHE_FIELDS
#define PF REDIR_CC_PRIVATE_FIELDS
#define DUP REDIR_CCP_DUPLICATE
#define CONF REDIR_CCP_CONFLICT
#define BAD REDIR_CCP_BAD_VALUE
#define SYN REDIR_CCP_SYNTAX
#define UNK REDIR_CCP_UNKNOWN

static const struct {
    const char *in;
    size_t len; /* 0: strlen(in) */
    unsigned directives, problems;
    int64_t max_age, s_maxage;
} cc_cases[] = {
    {"", 0, 0, 0, 0, 0},
    {"max-age=3600", 0, MA, 0, 3600, 0},
    {"MAX-AGE=60", 0, MA, 0, 60, 0},
    {"Max-Age=60, No-Store, PUBLIC", 0, MA | NS | PUB, 0, 60, 0},
    {"max-age=\"60\"", 0, MA, 0, 60, 0},
    {"max-age=\"6\\0\"", 0, MA, 0, 60, 0},                 /* quoted-pair */
    {"max-age=0", 0, MA, 0, 0, 0},
    {"max-age=0000120", 0, MA, 0, 120, 0},
    {"s-maxage=10, max-age=20", 0, MA | SMA, 0, 20, 10},
    {"no-cache", 0, NC, 0, 0, 0},
    {"no-store", 0, NS, 0, 0, 0},
    {"private", 0, PRIV, 0, 0, 0},
    {"public", 0, PUB, 0, 0, 0},
    {"must-revalidate, proxy-revalidate, no-transform", 0, MR | PR | NT, 0, 0, 0},
    {"must-understand, no-store", 0, MU | NS, 0, 0, 0},
    {"immutable", 0, IMM, 0, 0, 0},
    {"stale-while-revalidate=30, stale-if-error=60", 0, SWR | SIE, 0, 0, 0},
    /* qualified no-cache and private: field lists, commas inside quotes */
    {"no-cache=\"Set-Cookie, X-Foo\"", 0, NCF, 0, 0, 0},
    {"no-cache=Set-Cookie", 0, NCF, 0, 0, 0},
    {"private=\"a,b\", max-age=5", 0, PF | MA, 0, 5, 0},
    {"no-cache=\"\"", 0, NCF, 0, 0, 0},
    {"no-cache=\"a b\"", 0, NC, BAD, 0, 0},              /* not a field list */
    {"no-cache=\"a;b\", private=\"x=y\"", 0, NC | PRIV, BAD, 0, 0},
    /* OWS and empty list elements (RFC 9110, Section 5.6.1) */
    {" , ,, max-age=5 ,,\t", 0, MA, 0, 5, 0},
    {",", 0, 0, 0, 0, 0},
    {"no-store ,\tno-cache", 0, NS | NC, 0, 0, 0},
    /* duplicates keep the smallest; different values conflict */
    {"max-age=60, max-age=30", 0, MA, DUP | CONF, 30, 0},
    {"max-age=30, max-age=60", 0, MA, DUP | CONF, 30, 0},
    {"max-age=60, max-age=60", 0, MA, DUP, 60, 0},
    {"max-age=60, MAX-AGE=\"60\"", 0, MA, DUP, 60, 0},
    {"s-maxage=5, s-maxage=9", 0, SMA, DUP | CONF, 0, 5},
    {"no-store, no-store", 0, NS, DUP, 0, 0},
    {"public, public", 0, PUB, DUP, 0, 0},
    /* conflicts */
    {"public, private", 0, PUB | PRIV, CONF, 0, 0},
    {"private, max-age=60, public", 0, PUB | PRIV | MA, CONF, 60, 0},
    {"public, private=\"Set-Cookie\"", 0, PUB | PF, 0, 0, 0},
    /* bad values: a bad max-age is read as 0, i.e. stale (RFC 9111,
     * Section 4.2.1) */
    {"max-age=abc", 0, MA, BAD, 0, 0},
    {"max-age=", 0, MA, BAD, 0, 0},
    {"max-age", 0, MA, BAD, 0, 0},
    {"max-age=-1", 0, MA, BAD, 0, 0},
    {"max-age=1.5", 0, MA, BAD, 0, 0},
    {"max-age=\"\"", 0, MA, BAD, 0, 0},
    {"max-age=60, max-age=x", 0, MA, BAD | DUP | CONF, 0, 0},
    {"s-maxage=x", 0, SMA, BAD, 0, 0},
    {"stale-if-error=x, stale-while-revalidate", 0, 0, BAD, 0, 0},
    {"no-store=1", 0, NS, BAD, 0, 0},                    /* still applied */
    {"must-revalidate=\"x\"", 0, MR, BAD, 0, 0},
    {"public=1", 0, 0, BAD, 0, 0},                       /* not applied */
    {"immutable=yes", 0, 0, BAD, 0, 0},
    /* delta-seconds cap, RFC 9111 Section 1.2.2 */
    {"max-age=2147483647", 0, MA, 0, 2147483647, 0},
    {"max-age=2147483648", 0, MA, 0, INT64_C(2147483648), 0},
    {"max-age=2147483649", 0, MA, 0, INT64_C(2147483648), 0},
    {"max-age=99999999999999999999999999999", 0, MA, 0, INT64_C(2147483648), 0},
    /* unknown extensions */
    {"foo", 0, 0, UNK, 0, 0},
    {"foo, bar=baz, x=\"a,b\"", 0, 0, UNK, 0, 0},
    {"x=\"a, max-age=1, no-store\"", 0, 0, UNK, 0, 0},
    {"community=\"UCI\", max-age=7", 0, MA, UNK, 7, 0},
    /* junk */
    {"max-age=5 junk", 0, MA, SYN, 5, 0},
    {"max-age=5;no-store", 0, MA, SYN, 5, 0},
    {"=5", 0, 0, SYN, 0, 0},
    {"@@@, no-store", 0, NS, SYN, 0, 0},
    {"\"quoted\", no-store", 0, NS, SYN, 0, 0},
    {"\"a,b\", no-cache", 0, NC, SYN, 0, 0},
    {"max-age = 5", 0, MA, SYN, 5, 0},
    {"max-age=\"5", 0, MA, SYN | BAD, 0, 0},             /* unterminated */
    {"max-age=\"5\\", 0, MA, SYN | BAD, 0, 0},
    {"max-age=\"5\x01\", no-store", 0, MA | NS, SYN | BAD, 0, 0},
    {"max-age=5\0, no-store", 20, MA | NS, SYN, 5, 0},   /* a NUL */
    {"\xff\xfe, private", 0, PRIV, SYN, 0, 0},
};

START_TEST(cache_control)
{
    redir_cache_control cc;
    memset(&cc, 0xa5, sizeof cc);
    size_t len = cc_cases[_i].len ? cc_cases[_i].len : strlen(cc_cases[_i].in);
    ck_assert_int_eq(redir_cache_control_parse(cc_cases[_i].in, len, false, &cc),
                     REDIR_OK);
    ck_assert_msg(cc.directives == cc_cases[_i].directives,
                  "%s: directives %#x, want %#x", cc_cases[_i].in, cc.directives,
                  cc_cases[_i].directives);
    ck_assert_msg(cc.problems == cc_cases[_i].problems,
                  "%s: problems %#x, want %#x", cc_cases[_i].in, cc.problems,
                  cc_cases[_i].problems);
    if (cc.directives & MA)
        ck_assert_msg(cc.max_age == cc_cases[_i].max_age, "%s: max-age %lld",
                      cc_cases[_i].in, (long long)cc.max_age);
    else
        ck_assert_int_eq(cc.max_age, 0);
    if (cc.directives & SMA)
        ck_assert_msg(cc.s_maxage == cc_cases[_i].s_maxage, "%s: s-maxage %lld",
                      cc_cases[_i].in, (long long)cc.s_maxage);
}
END_TEST

START_TEST(cache_control_more)
{
    redir_cache_control cc;
    /* values of the RFC 5861 directives */
    ck_assert_int_eq(redir_cache_control_parse(
                         "stale-while-revalidate=30, stale-if-error=\"60\"", 47,
                         false, &cc), REDIR_OK);
    ck_assert_int_eq(cc.stale_while_revalidate, 30);
    ck_assert_int_eq(cc.stale_if_error, 60);
    /* merge: several field lines */
    ck_assert_int_eq(redir_cache_control_parse("max-age=60, public", 18, false, &cc),
                     REDIR_OK);
    ck_assert_int_eq(redir_cache_control_parse("max-age=30, private", 19, true, &cc),
                     REDIR_OK);
    ck_assert_uint_eq(cc.directives, MA | PUB | PRIV);
    ck_assert_uint_eq(cc.problems, DUP | CONF);
    ck_assert_int_eq(cc.max_age, 30);
    ck_assert_int_eq(redir_cache_control_parse("no-store", 8, true, &cc), REDIR_OK);
    ck_assert_uint_eq(cc.directives, MA | PUB | PRIV | NS);
    /* without merge, a fresh start */
    ck_assert_int_eq(redir_cache_control_parse("no-cache", 8, false, &cc), REDIR_OK);
    ck_assert_uint_eq(cc.directives, NC);
    ck_assert_uint_eq(cc.problems, 0);
    ck_assert_int_eq(cc.max_age, 0);
    /* errors */
    ck_assert_int_eq(redir_cache_control_parse("x", 1, false, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_cache_control_parse(NULL, 1, false, &cc), REDIR_E_NULL);
    static char big[REDIR_MAX_INPUT + 2];
    memset(big, ',', sizeof big);
    ck_assert_int_eq(redir_cache_control_parse(big, sizeof big, false, &cc),
                     REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_cache_control_parse(big, REDIR_MAX_INPUT, false, &cc),
                     REDIR_OK);
    ck_assert_uint_eq(cc.directives | cc.problems, 0);
    /* a long run of quotes and backslashes stays linear and in bounds */
    for (size_t i = 0; i < REDIR_MAX_INPUT; i++)
        big[i] = "\"\\a,="[i % 5];
    ck_assert_int_eq(redir_cache_control_parse(big, REDIR_MAX_INPUT, false, &cc),
                     REDIR_OK);
    /* names */
    ck_assert_str_eq(redir_cc_directive_name(MA), "max-age");
    ck_assert_str_eq(redir_cc_directive_name(SMA), "s-maxage");
    ck_assert_str_eq(redir_cc_directive_name(NC), "no-cache");
    ck_assert_str_eq(redir_cc_directive_name(NS), "no-store");
    ck_assert_str_eq(redir_cc_directive_name(MU), "must-understand");
    ck_assert_str_eq(redir_cc_directive_name(SIE), "stale-if-error");
    for (unsigned b = 0; b < 15; b++)
        ck_assert_ptr_nonnull(redir_cc_directive_name(1u << b));
    ck_assert_ptr_null(redir_cc_directive_name(0));
    ck_assert_ptr_null(redir_cc_directive_name(MA | NS));
    ck_assert_ptr_null(redir_cc_directive_name(1u << 15));
    ck_assert_ptr_null(redir_cc_directive_name(1u << 31));
}
END_TEST

START_TEST(cache_control_random)
{
    static const char alphabet[] = "max-age=no-store,private\"\\ \t,=0123456789";
    for (int k = 0; k < 1000; k++) {
        size_t len = rng() % 64;
        char *b = malloc(len ? len : 1);
        ck_assert_ptr_nonnull(b);
        for (size_t i = 0; i < len; i++)
            b[i] = (k & 3) ? alphabet[rng() % (sizeof alphabet - 1)]
                           : (char)(rng() & 0xff);
        redir_cache_control cc;
        ck_assert_int_eq(redir_cache_control_parse(b, len, false, &cc), REDIR_OK);
        ck_assert(cc.max_age >= 0 && cc.max_age <= INT64_C(2147483648));
        ck_assert(cc.s_maxage >= 0 && cc.s_maxage <= INT64_C(2147483648));
        redir_hsts h;
        redir_result r = redir_hsts_parse(b, len, &h);
        ck_assert(r == REDIR_OK || r == REDIR_E_HSTS);
        /* the same bytes as every header redir_cache_evaluate() reads */
        static const char *const names[] = {"Cache-Control", "Expires", "Date",
                                            "Age", "Pragma", "Vary",
                                            "Last-Modified"};
        redir_header hs[LEN(names)];
        for (size_t i = 0; i < LEN(names); i++)
            hs[i] = (redir_header){names[i], strlen(names[i]), b, len};
        redir_cache_input in;
        memset(&in, 0, sizeof in);
        in.status = 301;
        in.method = "GET";
        in.method_len = 3;
        in.headers = hs;
        in.header_count = LEN(hs);
        in.now = NOW;
        in.heuristic_percent = 10;
        redir_cache_result res;
        ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
        ck_assert(res.private_cache.reason && res.shared_cache.reason);
        ck_assert(res.private_cache.age >= 0 && res.private_cache.ttl >= 0);
        free(b);
    }
}
END_TEST

/* ==== caching of redirects ============================================== */

typedef struct want {
    bool storable, heuristic, fresh, must_revalidate;
    int64_t lifetime;
    int64_t age;      /* -1: not checked */
    const char *why;  /* a substring of the reason */
} want;

#define NOPE(why) {false, false, false, false, 0, 0, why}
#define KEEP(heur, fresh, mr, life, age, why) {true, heur, fresh, mr, life, age, why}

/* Header values starting with "@" are HTTP-dates NOW + the number that
 * follows, formatted at run time. */
static const struct {
    const char *name;
    int status;
    const char *method;
    bool authorization;
    const char *headers[6]; /* "Name: value" */
    int64_t response_ago, request_ago; /* seconds before NOW; 0: not given */
    want priv, shared;
} eval_cases[] = {
    /* 301 and 308 are heuristically cacheable (RFC 9110, Sections 15.4.2
     * and 15.4.9): the default heuristic (600 s here) in both caches */
    {"301 bare", 301, "GET", false, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "default heuristic"),
     KEEP(true, true, false, 600, 0, "default heuristic")},
    {"308 bare", 308, "GET", false, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    {"301 with Date", 301, "GET", false, {"Date: @0"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    /* 302, 303 and 307 are not */
    {"302 bare", 302, "GET", false, {NULL}, 0, 0,
     NOPE("not heuristically cacheable"), NOPE("not heuristically cacheable")},
    {"303 bare", 303, "GET", false, {"Date: @0"}, 0, 0,
     NOPE("Section 15.1"), NOPE("Section 15.1")},
    {"307 bare", 307, "GET", false, {NULL}, 0, 0,
     NOPE("Section 3"), NOPE("Section 3")},
    {"302 max-age=3600", 302, "GET", false, {"Cache-Control: max-age=3600"}, 0, 0,
     KEEP(false, true, false, 3600, 0, "max-age"),
     KEEP(false, true, false, 3600, 0, "max-age")},
    {"307 Expires in an hour", 307, "GET", false,
     {"Date: @0", "Expires: @3600"}, 0, 0,
     KEEP(false, true, false, 3600, 0, "Expires minus Date"),
     KEEP(false, true, false, 3600, 0, "Expires minus Date")},
    {"307 Expires and an old Date", 307, "GET", false,
     {"Date: @-100", "Expires: @3500"}, 0, 0,
     KEEP(false, true, false, 3600, 100, "Expires"),
     KEEP(false, true, false, 3600, 100, "Expires")},
    {"307 Expires without Date", 307, "GET", false, {"Expires: @60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "Expires"),
     KEEP(false, true, false, 60, 0, "Expires")},
    {"307 Expires in the past", 307, "GET", false,
     {"Date: @0", "Expires: @-10"}, 0, 0,
     KEEP(false, false, false, 0, 0, "Expires"),
     KEEP(false, false, false, 0, 0, "Expires")},
    {"308 no-store", 308, "GET", false, {"Cache-Control: no-store"}, 0, 0,
     NOPE("no-store"), NOPE("no-store")},
    {"301 no-store with max-age", 301, "GET", false,
     {"Cache-Control: max-age=60, no-store"}, 0, 0,
     NOPE("5.2.2.5"), NOPE("5.2.2.5")},
    {"301 private", 301, "GET", false, {"Cache-Control: private"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"), NOPE("private")},
    {"302 private", 302, "GET", false, {"Cache-Control: private"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"), NOPE("5.2.2.7")},
    {"302 private max-age", 302, "GET", false,
     {"Cache-Control: private, max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"), NOPE("private")},
    {"301 private=Set-Cookie", 301, "GET", false,
     {"Cache-Control: private=\"Set-Cookie\", max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"302 public", 302, "GET", false, {"Cache-Control: public"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    /* Authorization (RFC 9111, Section 3.5) */
    {"301 Authorization", 301, "GET", true, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"), NOPE("Authorization")},
    {"302 Authorization max-age", 302, "GET", true,
     {"Cache-Control: max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"), NOPE("Section 3.5")},
    {"301 Authorization public", 301, "GET", true,
     {"Cache-Control: public, max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"302 Authorization s-maxage", 302, "GET", true,
     {"Cache-Control: s-maxage=60"}, 0, 0,
     NOPE("not heuristically cacheable"),
     KEEP(false, true, true, 60, 0, "s-maxage")},
    {"301 Authorization must-revalidate", 301, "GET", true,
     {"Cache-Control: must-revalidate"}, 0, 0,
     KEEP(true, true, true, 600, 0, "4.2.2"),
     KEEP(true, true, true, 600, 0, "4.2.2")},
    {"301 Authorization proxy-revalidate", 301, "GET", true,
     {"Cache-Control: proxy-revalidate"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"), NOPE("Authorization")},
    /* s-maxage is for shared caches only (RFC 9111, Section 5.2.2.10) */
    {"302 s-maxage", 302, "GET", false, {"Cache-Control: s-maxage=60"}, 0, 0,
     NOPE("Section 3"), KEEP(false, true, true, 60, 0, "s-maxage")},
    {"302 max-age and s-maxage", 302, "GET", false,
     {"Cache-Control: max-age=100, s-maxage=50"}, 0, 0,
     KEEP(false, true, false, 100, 0, "max-age"),
     KEEP(false, true, true, 50, 0, "s-maxage")},
    {"301 proxy-revalidate", 301, "GET", false,
     {"Cache-Control: proxy-revalidate, max-age=5"}, 0, 0,
     KEEP(false, true, false, 5, 0, "max-age"),
     KEEP(false, true, true, 5, 0, "max-age")},
    /* no-cache: stored, validated before each use (5.2.2.4) */
    {"301 no-cache", 301, "GET", false, {"Cache-Control: no-cache"}, 0, 0,
     KEEP(true, false, true, 600, 0, "no-cache"),
     KEEP(true, false, true, 600, 0, "no-cache")},
    {"302 no-cache max-age", 302, "GET", false,
     {"Cache-Control: no-cache, max-age=3600"}, 0, 0,
     KEEP(false, false, true, 3600, 0, "5.2.2.4"),
     KEEP(false, false, true, 3600, 0, "5.2.2.4")},
    {"302 no-cache alone", 302, "GET", false, {"Cache-Control: no-cache"}, 0, 0,
     NOPE("Section 3"), NOPE("Section 3")},
    {"302 qualified no-cache", 302, "GET", false,
     {"Cache-Control: no-cache=\"Set-Cookie\", max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    /* Pragma (RFC 9111, Section 5.4): only without Cache-Control */
    {"301 Pragma", 301, "GET", false, {"Pragma: no-cache"}, 0, 0,
     KEEP(true, false, true, 600, 0, "Pragma"),
     KEEP(true, false, true, 600, 0, "Pragma")},
    {"301 Pragma and Cache-Control", 301, "GET", false,
     {"Pragma: no-cache", "Cache-Control: max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    /* Vary: * (RFC 9111, Section 4.1) */
    {"301 Vary *", 301, "GET", false, {"Vary: *"}, 0, 0,
     NOPE("Vary"), NOPE("Vary")},
    {"302 Vary list with *", 302, "GET", false,
     {"Cache-Control: max-age=60", "Vary: Accept-Encoding, * "}, 0, 0,
     NOPE("4.1"), NOPE("4.1")},
    {"301 Vary Accept", 301, "GET", false, {"Vary: Accept, Accept-*"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    /* invalid Expires is already expired (RFC 9111, Section 5.3) */
    {"302 Expires 0", 302, "GET", false, {"Expires: 0"}, 0, 0,
     KEEP(false, false, false, 0, 0, "not a valid HTTP-date"),
     KEEP(false, false, false, 0, 0, "5.3")},
    {"301 Expires junk", 301, "GET", false, {"Date: @0", "Expires: soon"}, 0, 0,
     KEEP(false, false, false, 0, 0, "already stale"),
     KEEP(false, false, false, 0, 0, "already stale")},
    {"302 Expires junk, max-age wins", 302, "GET", false,
     {"Expires: -1", "Cache-Control: max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"307 two different Expires", 307, "GET", false,
     {"Date: @0", "Expires: @60", "Expires: @120"}, 0, 0,
     KEEP(false, false, false, 0, 0, "twice"),
     KEEP(false, false, false, 0, 0, "twice")},
    {"307 the same Expires twice", 307, "GET", false,
     {"Date: @0", "Expires: @60", "expires: @60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "Expires"),
     KEEP(false, true, false, 60, 0, "Expires")},
    /* Age and the age calculation (RFC 9111, Section 4.2.3) */
    {"302 max-age and Age", 302, "GET", false,
     {"Cache-Control: max-age=3600", "Age: 100"}, 0, 0,
     KEEP(false, true, false, 3600, 100, "max-age"),
     KEEP(false, true, false, 3600, 100, "max-age")},
    {"302 Age past max-age", 302, "GET", false,
     {"Cache-Control: max-age=3600", "Age: 4000"}, 0, 0,
     KEEP(false, false, false, 3600, 4000, "max-age"),
     KEEP(false, false, false, 3600, 4000, "max-age")},
    {"302 Age equal to max-age", 302, "GET", false,
     {"Cache-Control: max-age=60", "Age: 60"}, 0, 0,
     KEEP(false, false, false, 60, 60, "max-age"),
     KEEP(false, false, false, 60, 60, "max-age")},
    {"302 apparent age wins", 302, "GET", false,
     {"Cache-Control: max-age=3600", "Date: @-50", "Age: 20"}, 0, 0,
     KEEP(false, true, false, 3600, 50, "max-age"),
     KEEP(false, true, false, 3600, 50, "max-age")},
    {"302 Age wins", 302, "GET", false,
     {"Cache-Control: max-age=3600", "Date: @-10", "Age: 100"}, 0, 0,
     KEEP(false, true, false, 3600, 100, "max-age"),
     KEEP(false, true, false, 3600, 100, "max-age")},
    {"302 delay and resident time", 302, "GET", false,
     {"Cache-Control: max-age=3600", "Date: @-100", "Age: 5"}, 100, 110,
     KEEP(false, true, false, 3600, 115, "max-age"),
     KEEP(false, true, false, 3600, 115, "max-age")},
    {"302 Date in the future", 302, "GET", false,
     {"Cache-Control: max-age=60", "Date: @500"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"302 Age list and junk", 302, "GET", false,
     {"Cache-Control: max-age=60", "Age: 7, 9", "Age: 100"}, 0, 0,
     KEEP(false, true, false, 60, 7, "max-age"),
     KEEP(false, true, false, 60, 7, "max-age")},
    {"302 Age invalid", 302, "GET", false,
     {"Cache-Control: max-age=60", "Age: -5"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"302 Age huge", 302, "GET", false,
     {"Cache-Control: max-age=60", "Age: 99999999999999999999999"}, 0, 0,
     KEEP(false, false, false, 60, INT64_C(2147483648), "max-age"),
     KEEP(false, false, false, 60, INT64_C(2147483648), "max-age")},
    /* unregistered status codes (RFC 9110, Section 15) */
    {"399 bare", 399, "GET", false, {NULL}, 0, 0,
     NOPE("unregistered"), NOPE("unregistered")},
    {"399 max-age", 399, "GET", false, {"Cache-Control: max-age=60"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"),
     KEEP(false, true, false, 60, 0, "max-age")},
    {"399 max-age must-understand", 399, "GET", false,
     {"Cache-Control: max-age=60, must-understand"}, 0, 0,
     NOPE("must-understand"), NOPE("5.2.2.3")},
    {"399 public", 399, "GET", false, {"Cache-Control: public"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    /* must-understand with a status the cache knows: no-store is ignored
     * (RFC 9111, Section 5.2.2.3) */
    {"301 must-understand no-store", 301, "GET", false,
     {"Cache-Control: must-understand, no-store"}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    {"302 must-understand no-store", 302, "GET", false,
     {"Cache-Control: must-understand, no-store"}, 0, 0,
     NOPE("Section 3"), NOPE("Section 3")},
    /* methods: only GET and HEAD */
    {"301 POST", 301, "POST", false, {"Cache-Control: max-age=60"}, 0, 0,
     NOPE("GET and HEAD"), NOPE("GET and HEAD")},
    {"301 HEAD", 301, "HEAD", false, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    {"301 get", 301, "get", false, {NULL}, 0, 0,
     NOPE("GET and HEAD"), NOPE("GET and HEAD")},
    {"301 PUT", 301, "PUT", false, {NULL}, 0, 0, NOPE("Section 3"),
     NOPE("Section 3")},
    /* statuses this function does not store */
    {"304", 304, "GET", false, {"Cache-Control: max-age=60"}, 0, 0,
     NOPE("304"), NOPE("4.3.4")},
    {"206", 206, "GET", false, {"Cache-Control: max-age=60"}, 0, 0,
     NOPE("206"), NOPE("206")},
    {"103", 103, "GET", false, {"Cache-Control: max-age=60"}, 0, 0,
     NOPE("1xx"), NOPE("1xx")},
    /* heuristic from Last-Modified: 10% of Date - Last-Modified */
    {"301 Last-Modified 10 days", 301, "GET", false,
     {"Date: @0", "Last-Modified: @-864000"}, 0, 0,
     KEEP(true, true, false, 86400, 0, "Last-Modified"),
     KEEP(true, true, false, 86400, 0, "Last-Modified")},
    {"301 Last-Modified without Date", 301, "GET", false,
     {"Last-Modified: @-1000"}, 0, 0,
     KEEP(true, true, false, 100, 0, "Last-Modified"),
     KEEP(true, true, false, 100, 0, "Last-Modified")},
    {"301 Last-Modified after Date", 301, "GET", false,
     {"Date: @0", "Last-Modified: @1000"}, 0, 0,
     KEEP(true, false, false, 0, 0, "Last-Modified"),
     KEEP(true, false, false, 0, 0, "Last-Modified")},
    {"301 Last-Modified invalid", 301, "GET", false,
     {"Date: @0", "Last-Modified: yesterday"}, 0, 0,
     KEEP(true, true, false, 600, 0, "default"),
     KEEP(true, true, false, 600, 0, "default")},
    {"301 heuristic, stale", 301, "GET", false,
     {"Date: @-700", "Last-Modified: @-1700"}, 0, 0,
     KEEP(true, false, false, 100, 700, "Last-Modified"),
     KEEP(true, false, false, 100, 700, "Last-Modified")},
    {"301 explicit beats heuristic", 301, "GET", false,
     {"Date: @0", "Last-Modified: @-864000", "Cache-Control: max-age=5"}, 0, 0,
     KEEP(false, true, false, 5, 0, "max-age"),
     KEEP(false, true, false, 5, 0, "max-age")},
    {"301 max-age=0", 301, "GET", false, {"Cache-Control: max-age=0"}, 0, 0,
     KEEP(false, false, false, 0, 0, "max-age"),
     KEEP(false, false, false, 0, 0, "max-age")},
    {"301 max-age bad", 301, "GET", false, {"Cache-Control: max-age=soon"}, 0, 0,
     KEEP(false, false, false, 0, 0, "max-age"),
     KEEP(false, false, false, 0, 0, "max-age")},
    {"301 two Cache-Control lines", 301, "GET", false,
     {"cache-control: max-age=60", "CACHE-CONTROL: private"}, 0, 0,
     KEEP(false, true, false, 60, 0, "max-age"), NOPE("private")},
    /* other heuristically cacheable statuses, from the knowledge base */
    {"200 bare", 200, "GET", false, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    {"404 bare", 404, "GET", false, {NULL}, 0, 0,
     KEEP(true, true, false, 600, 0, "4.2.2"),
     KEEP(true, true, false, 600, 0, "4.2.2")},
    {"500 bare", 500, "GET", false, {NULL}, 0, 0,
     NOPE("Section 15.1"), NOPE("Section 15.1")},
};

static void check_verdict(const char *name, const char *which,
                          const redir_cache_verdict *v, const want *w)
{
    ck_assert_msg(v->storable == w->storable, "%s, %s: storable %d (%s)", name,
                  which, v->storable, v->reason);
    ck_assert_msg(v->reason && strstr(v->reason, w->why),
                  "%s, %s: reason \"%s\" lacks \"%s\"", name, which,
                  v->reason ? v->reason : "(null)", w->why);
    ck_assert_msg(strstr(v->reason, "(RFC ") != NULL, "%s: %s", name, v->reason);
    size_t n = strlen(v->reason);
    ck_assert_msg(n > 2 && v->reason[n - 1] == '.', "%s: %s", name, v->reason);
    if (w->age >= 0)
        ck_assert_msg(v->age == w->age, "%s, %s: age %lld, want %lld", name,
                      which, (long long)v->age, (long long)w->age);
    if (!w->storable) {
        ck_assert_msg(!v->fresh && !v->heuristic && v->lifetime == 0 && v->ttl == 0,
                      "%s, %s", name, which);
        return;
    }
    ck_assert_msg(v->heuristic == w->heuristic, "%s, %s: heuristic", name, which);
    ck_assert_msg(v->fresh == w->fresh, "%s, %s: fresh %d", name, which, v->fresh);
    ck_assert_msg(v->must_revalidate == w->must_revalidate,
                  "%s, %s: must_revalidate %d", name, which, v->must_revalidate);
    ck_assert_msg(v->lifetime == w->lifetime, "%s, %s: lifetime %lld, want %lld",
                  name, which, (long long)v->lifetime, (long long)w->lifetime);
    int64_t ttl = v->lifetime - v->age;
    ck_assert_msg(v->ttl == (ttl > 0 ? ttl : 0), "%s, %s: ttl", name, which);
}

START_TEST(cache_evaluate)
{
    char values[6][64];
    redir_header hs[6];
    size_t n = 0;
    for (; n < 6 && eval_cases[_i].headers[n]; n++) {
        const char *h = eval_cases[_i].headers[n];
        const char *colon = strstr(h, ": ");
        ck_assert_ptr_nonnull(colon);
        hs[n].name = h;
        hs[n].name_len = (size_t)(colon - h);
        const char *v = colon + 2;
        if (v[0] == '@') {
            size_t len;
            ck_assert_int_eq(redir_http_date_format(NOW + strtoll(v + 1, NULL, 10),
                                                    values[n], sizeof values[n], &len),
                             REDIR_OK);
            v = values[n];
        }
        hs[n].value = v;
        hs[n].value_len = strlen(v);
    }
    redir_cache_input in;
    memset(&in, 0, sizeof in);
    in.status = eval_cases[_i].status;
    in.method = eval_cases[_i].method;
    in.method_len = strlen(in.method);
    in.headers = hs;
    in.header_count = n;
    in.authorization = eval_cases[_i].authorization;
    in.now = NOW;
    if (eval_cases[_i].response_ago)
        in.response_time = NOW - eval_cases[_i].response_ago;
    if (eval_cases[_i].request_ago)
        in.request_time = NOW - eval_cases[_i].request_ago;
    in.heuristic_percent = 10;
    in.heuristic_default = 600;
    redir_cache_result res;
    memset(&res, 0xa5, sizeof res);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    check_verdict(eval_cases[_i].name, "private", &res.private_cache,
                  &eval_cases[_i].priv);
    check_verdict(eval_cases[_i].name, "shared", &res.shared_cache,
                  &eval_cases[_i].shared);
}
END_TEST

static redir_cache_input input(int status, const char *method,
                               const redir_header *hs, size_t n)
{
    redir_cache_input in;
    memset(&in, 0, sizeof in);
    in.status = status;
    in.method = method;
    in.method_len = method ? strlen(method) : 0;
    in.headers = hs;
    in.header_count = n;
    in.now = NOW;
    in.heuristic_percent = 10;
    in.heuristic_default = 600;
    return in;
}

START_TEST(cache_evaluate_more)
{
    redir_cache_result res;
    redir_header hs[] = {
        {"Cache-Control", 13, "max-age=60, public, private", 27},
        {"Date", 4, "Tue, 14 Nov 2023 22:13:20 GMT", 29},
        {"Expires", 7, "Tue, 14 Nov 2023 23:13:20 GMT", 29},
        {"Pragma", 6, "x, No-Cache", 11},
        {"Vary", 4, NULL, 0},
        {"X-Other", 7, NULL, 5}, /* NULL value: read as empty */
    };
    redir_cache_input in = input(301, "GET", hs, LEN(hs));
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    /* the facts read */
    ck_assert_uint_eq(res.cc.directives, MA | PUB | PRIV);
    ck_assert_uint_eq(res.cc.problems, CONF);
    ck_assert(res.has_date && res.date == NOW);
    ck_assert(res.has_expires && res.expires == NOW + 3600);
    ck_assert(res.pragma_no_cache);
    ck_assert(!res.vary_star);
    /* Pragma is ignored with Cache-Control; private wins for a shared cache */
    ck_assert(res.private_cache.storable && res.private_cache.fresh);
    ck_assert_int_eq(res.private_cache.lifetime, 60);
    ck_assert(!res.shared_cache.storable);

    /* Expires without max-age, and an invalid Expires reported as absent */
    redir_header h2[] = {{"Expires", 7, "0", 1}, {"Vary", 4, "*", 1}};
    in = input(301, "GET", h2, LEN(h2));
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert(!res.has_expires && res.expires == 0 && res.vary_star);
    ck_assert(!res.has_date);

    /* errors */
    in = input(301, "GET", NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert_int_eq(redir_cache_evaluate(NULL, &res), REDIR_E_NULL);
    ck_assert_int_eq(redir_cache_evaluate(&in, NULL), REDIR_E_NULL);
    in.header_count = 1;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_NULL);
    in = input(99, "GET", NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_STATUS_RANGE);
    in = input(600, "GET", NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_STATUS_RANGE);
    in = input(301, "", NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_METHOD);
    in = input(301, "G T", NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_METHOD);
    in = input(301, NULL, NULL, 0);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_NULL);
    redir_header bad = {NULL, 4, "x", 1};
    in = input(301, "GET", &bad, 1);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_NULL);
    static char big[REDIR_MAX_INPUT + 1];
    memset(big, ' ', sizeof big);
    redir_header long_cc = {"Cache-Control", 13, big, sizeof big};
    in = input(301, "GET", &long_cc, 1);
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_E_TOO_LONG);

    /* extreme times saturate instead of overflowing */
    in = input(301, "GET", hs + 1, 1);
    in.now = INT64_MAX;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert(res.private_cache.age >= 0);
    in.now = INT64_MIN;
    in.response_time = INT64_MAX;
    in.request_time = INT64_MIN;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert(res.private_cache.age >= 0 && res.private_cache.ttl >= 0);
    redir_header lm[] = {{"Date", 4, "Fri, 31 Dec 9999 23:59:59 GMT", 29},
                         {"Last-Modified", 13, "Sat, 01 Jan 0000 00:00:00 GMT", 29}};
    in = input(301, "GET", lm, 2);
    in.heuristic_percent = 4000000000u;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert_int_eq(res.private_cache.lifetime, INT64_MAX);
    in.heuristic_percent = 100;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert_int_eq(res.private_cache.lifetime,
                     INT64_C(253402300799) + INT64_C(62167219200));
    in = input(301, "GET", NULL, 0);
    in.heuristic_default = -5;
    ck_assert_int_eq(redir_cache_evaluate(&in, &res), REDIR_OK);
    ck_assert_int_eq(res.private_cache.lifetime, 0);
    ck_assert(res.private_cache.storable && !res.private_cache.fresh);
}
END_TEST

/* ==== Retry-After ======================================================= */

static const struct {
    const char *in;
    int64_t now;
    redir_result r;
    int64_t delay;
} retry_cases[] = {
    {"120", NOW, REDIR_OK, 120},
    {" 120\t", NOW, REDIR_OK, 120},
    {"0", NOW, REDIR_OK, 0},
    {"007", NOW, REDIR_OK, 7},
    {"99999999999999999999999", NOW, REDIR_OK, INT64_MAX},
    {"9223372036854775807", NOW, REDIR_OK, INT64_MAX},
    {"9223372036854775806", NOW, REDIR_OK, INT64_MAX - 1},
    {"Tue, 14 Nov 2023 23:13:20 GMT", NOW, REDIR_OK, 3600},
    {"Tuesday, 14-Nov-23 23:13:20 GMT", NOW, REDIR_OK, 3600},
    {"Tue Nov 14 23:13:20 2023", NOW, REDIR_OK, 3600},
    {"Tue, 14 Nov 2023 22:13:20 GMT", NOW, REDIR_OK, 0},
    {"Tue, 14 Nov 2023 21:13:20 GMT", NOW, REDIR_OK, 0}, /* past */
    {"Fri, 31 Dec 9999 23:59:59 GMT", INT64_MIN, REDIR_OK, INT64_MAX},
    {"Thu, 01 Jan 1970 00:00:00 GMT", INT64_MAX, REDIR_OK, 0},
    {"", NOW, REDIR_E_EMPTY, 0},
    {"  ", NOW, REDIR_E_EMPTY, 0},
    {"-5", NOW, REDIR_E_DATE, 0},
    {"+5", NOW, REDIR_E_DATE, 0},
    {"1.5", NOW, REDIR_E_DATE, 0},
    {"120s", NOW, REDIR_E_DATE, 0},
    {"1 20", NOW, REDIR_E_DATE, 0},
    {"soon", NOW, REDIR_E_DATE, 0},
    {"Tue, 14 Nov 2023 23:13:20", NOW, REDIR_E_DATE, 0},
    {"Mon, 14 Nov 2023 23:13:20 GMT", NOW, REDIR_E_DATE, 0},
};

START_TEST(retry_after)
{
    int64_t d = 42;
    redir_result r = redir_retry_after_parse(retry_cases[_i].in,
                                             strlen(retry_cases[_i].in),
                                             retry_cases[_i].now, &d);
    ck_assert_msg(r == retry_cases[_i].r, "%s: %s", retry_cases[_i].in,
                  redir_result_name(r));
    ck_assert_msg(d == retry_cases[_i].delay, "%s: %lld", retry_cases[_i].in,
                  (long long)d);
}
END_TEST

START_TEST(retry_after_null)
{
    int64_t d;
    ck_assert_int_eq(redir_retry_after_parse(NULL, 0, NOW, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_retry_after_parse("1", 1, NOW, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_retry_after_parse("12\0", 3, NOW, &d), REDIR_E_DATE);
    ck_assert_int_eq(redir_retry_after_parse("129", 2, NOW, &d), REDIR_OK);
    ck_assert_int_eq(d, 12);
}
END_TEST

/* ==== Strict-Transport-Security ========================================= */

static const struct {
    const char *in;
    redir_result r;
    int64_t max_age;
    bool subdomains, preload;
} hsts_cases[] = {
    {"max-age=31536000", REDIR_OK, 31536000, false, false},
    {"max-age=31536000; includeSubDomains", REDIR_OK, 31536000, true, false},
    {"max-age=63072000; includeSubDomains; preload", REDIR_OK, 63072000, true, true},
    {"MAX-AGE=5; INCLUDESUBDOMAINS; PRELOAD", REDIR_OK, 5, true, true},
    {"Max-Age=5;IncludeSubdomains", REDIR_OK, 5, true, false},
    {"max-age=\"31536000\"", REDIR_OK, 31536000, false, false},
    {"max-age=\"1\\0\"", REDIR_OK, 10, false, false},
    {"max-age=0", REDIR_OK, 0, false, false},
    {" ; max-age=0 ;; ", REDIR_OK, 0, false, false},
    {";;;max-age=7;;;", REDIR_OK, 7, false, false},
    {"max-age = 10 ; includeSubDomains ", REDIR_OK, 10, true, false},
    {"\tmax-age=10\t;\tincludeSubDomains", REDIR_OK, 10, true, false},
    {"includeSubDomains; max-age=10", REDIR_OK, 10, true, false},
    {"max-age=10; foo", REDIR_OK, 10, false, false},
    {"max-age=10; foo=bar; baz=\"a;b=c\"", REDIR_OK, 10, false, false},
    {"foo=\"max-age=1\"; max-age=10", REDIR_OK, 10, false, false},
    {"max-age=10; preload=yes", REDIR_OK, 10, false, false},
    {"max-age=99999999999999999999999", REDIR_OK, INT64_MAX, false, false},
    {"max-age=9223372036854775807", REDIR_OK, INT64_MAX, false, false},
    /* invalid */
    {"", REDIR_E_HSTS, 0, false, false},
    {";;", REDIR_E_HSTS, 0, false, false},
    {"includeSubDomains", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; max-age=10", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; MAX-AGE=20", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; includeSubDomains; includesubdomains", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; preload; PreLoad", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; foo; foo", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; foo=1; FOO=2", REDIR_E_HSTS, 0, false, false},
    {"max-age=", REDIR_E_HSTS, 0, false, false},
    {"max-age", REDIR_E_HSTS, 0, false, false},
    {"max-age=-1", REDIR_E_HSTS, 0, false, false},
    {"max-age=+1", REDIR_E_HSTS, 0, false, false},
    {"max-age=1.5", REDIR_E_HSTS, 0, false, false},
    {"max-age=abc", REDIR_E_HSTS, 0, false, false},
    {"max-age=\"\"", REDIR_E_HSTS, 0, false, false},
    {"max-age=\"10", REDIR_E_HSTS, 0, false, false},
    {"max-age=\"1 0\"", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; includeSubDomains=true", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; includeSubDomains=\"\"", REDIR_E_HSTS, 0, false, false},
    {"max-age=10 junk", REDIR_E_HSTS, 0, false, false},
    {"max-age=10, includeSubDomains", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; =x", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; foo=", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; foo=\"a", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; foo=\"a\x01\"", REDIR_E_HSTS, 0, false, false},
    {"max-age=10; \"x\"", REDIR_E_HSTS, 0, false, false},
    {"max-age=10\r\n", REDIR_E_HSTS, 0, false, false},
};

START_TEST(hsts_parse)
{
    redir_hsts h;
    memset(&h, 0xa5, sizeof h);
    redir_result r = redir_hsts_parse(hsts_cases[_i].in, strlen(hsts_cases[_i].in), &h);
    ck_assert_msg(r == hsts_cases[_i].r, "%s: %s", hsts_cases[_i].in,
                  redir_result_name(r));
    ck_assert_msg(h.max_age == hsts_cases[_i].max_age, "%s: max-age %lld",
                  hsts_cases[_i].in, (long long)h.max_age);
    ck_assert_msg(h.include_subdomains == hsts_cases[_i].subdomains, "%s",
                  hsts_cases[_i].in);
    ck_assert_msg(h.preload == hsts_cases[_i].preload, "%s", hsts_cases[_i].in);
}
END_TEST

START_TEST(hsts_parse_more)
{
    redir_hsts h;
    ck_assert_int_eq(redir_hsts_parse(NULL, 0, &h), REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_parse("max-age=1", 9, NULL), REDIR_E_NULL);
    /* the length is respected: "max-age=1" of "max-age=12" */
    ck_assert_int_eq(redir_hsts_parse("max-age=12", 9, &h), REDIR_OK);
    ck_assert_int_eq(h.max_age, 1);
    ck_assert_int_eq(redir_hsts_parse("max-age=1\0", 10, &h), REDIR_E_HSTS);
    /* many distinct unknown directives: 64 are remembered, more is hostile */
    char buf[2048];
    size_t n = (size_t)snprintf(buf, sizeof buf, "max-age=1");
    for (int k = 0; k < 64; k++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "; x%d=%d", k, k);
    ck_assert_int_eq(redir_hsts_parse(buf, n, &h), REDIR_OK);
    n += (size_t)snprintf(buf + n, sizeof buf - n, "; x64");
    ck_assert_int_eq(redir_hsts_parse(buf, n, &h), REDIR_E_HSTS);
    /* long input */
    static char big[REDIR_MAX_INPUT + 1];
    memset(big, ';', sizeof big);
    memcpy(big, "max-age=1", 9);
    ck_assert_int_eq(redir_hsts_parse(big, REDIR_MAX_INPUT, &h), REDIR_OK);
    ck_assert_int_eq(redir_hsts_parse(big, sizeof big, &h), REDIR_E_TOO_LONG);
}
END_TEST

/* A store of known HSTS hosts for the callback. */
typedef struct store {
    const char *const *hosts;
    int calls;
    char seen[512];
} store;

static bool known(void *ctx, const char *host, size_t len)
{
    store *s = ctx;
    s->calls++;
    ck_assert(len < sizeof s->seen);
    memcpy(s->seen, host, len);
    s->seen[len] = '\0';
    for (size_t i = 0; s->hosts[i]; i++)
        if (strlen(s->hosts[i]) == len && memcmp(s->hosts[i], host, len) == 0)
            return true;
    return false;
}

static const char *const known_hosts[] = {
    "example.com", "127.0.0.1", "127.1", "[::1]", "::1", "0x7f.0.0.1", "",
    "xn--bcher-kva.example", NULL};

static const struct {
    const char *url;
    redir_result r;
    const char *out;      /* NULL: the input */
    bool upgraded;
    const char *seen;     /* host given to the callback; NULL: not called */
} upgrade_cases[] = {
    {"http://example.com/", REDIR_OK, "https://example.com/", true, "example.com"},
    {"http://example.com", REDIR_OK, "https://example.com", true, "example.com"},
    {"http://other.example/", REDIR_OK, NULL, false, "other.example"},
    {"http://sub.example.com/", REDIR_OK, NULL, false, "sub.example.com"},
    {"http://Example.COM/Path?Q=1#Frag", REDIR_OK,
     "https://Example.COM/Path?Q=1#Frag", true, "example.com"},
    {"HTTP://example.com/x", REDIR_OK, "https://example.com/x", true, "example.com"},
    {"hTtP://EXAMPLE.com", REDIR_OK, "https://EXAMPLE.com", true, "example.com"},
    {"http://example.com./x", REDIR_OK, "https://example.com./x", true, "example.com"},
    {"http://example.com../", REDIR_OK, NULL, false, "example.com."},
    {"http://ex%41mple.com/", REDIR_OK, "https://ex%41mple.com/", true, "example.com"},
    {"http://example.com:80/x", REDIR_OK, "https://example.com:443/x", true,
     "example.com"},
    {"http://example.com:080/x", REDIR_OK, "https://example.com:443/x", true,
     "example.com"},
    {"http://example.com:80", REDIR_OK, "https://example.com:443", true, "example.com"},
    {"http://example.com:8080/x", REDIR_OK, "https://example.com:8080/x", true,
     "example.com"},
    {"http://example.com:443/", REDIR_OK, "https://example.com:443/", true,
     "example.com"},
    {"http://example.com:/x", REDIR_OK, "https://example.com:/x", true, "example.com"},
    {"http://user:pw@example.com:80/", REDIR_OK, "https://user:pw@example.com:443/",
     true, "example.com"},
    {"http://80.example.com:80/80", REDIR_OK, NULL, false, "80.example.com"},
    {"http://xn--bcher-kva.example/", REDIR_OK, "https://xn--bcher-kva.example/", true,
     "xn--bcher-kva.example"},
    /* never candidates: the callback is not asked */
    {"https://example.com/", REDIR_OK, NULL, false, NULL},
    {"https://example.com:80/", REDIR_OK, NULL, false, NULL},
    {"ws://example.com/", REDIR_OK, NULL, false, NULL},
    {"ftp://example.com/", REDIR_OK, NULL, false, NULL},
    {"httpx://example.com/", REDIR_OK, NULL, false, NULL},
    {"//example.com/", REDIR_OK, NULL, false, NULL},
    {"/relative", REDIR_OK, NULL, false, NULL},
    {"", REDIR_OK, NULL, false, NULL},
    {"http:example.com", REDIR_OK, NULL, false, NULL},
    {"http:///path", REDIR_OK, NULL, false, NULL},
    {"http://./", REDIR_OK, NULL, false, NULL},
    {"http://127.0.0.1/", REDIR_OK, NULL, false, NULL},
    {"http://127.0.0.1:80/", REDIR_OK, NULL, false, NULL},
    {"http://[::1]/", REDIR_OK, NULL, false, NULL},
    {"http://[v1.x]/", REDIR_OK, NULL, false, NULL},
    {"http://127.1/", REDIR_OK, NULL, false, NULL},
    {"http://0x7f.0.0.1/", REDIR_OK, NULL, false, NULL},
    {"http://example.123/", REDIR_OK, NULL, false, NULL},
    {"http://example.0x1f./", REDIR_OK, NULL, false, NULL},
    /* parse errors come back as they are */
    {"http://exa mple.com/", REDIR_E_SPACE, NULL, false, NULL},
    {"http://example.com:99999/", REDIR_E_PORT, NULL, false, NULL},
    {"http://[::1/", REDIR_E_IPV6, NULL, false, NULL},
    {"http://example.com/\n", REDIR_E_CONTROL, NULL, false, NULL},
};

START_TEST(hsts_upgrade)
{
    store s = {known_hosts, 0, ""};
    char out[128];
    size_t len = 0;
    bool up = true;
    const char *url = upgrade_cases[_i].url;
    redir_result r = redir_hsts_upgrade(url, strlen(url), known, &s, out,
                                        sizeof out, &len, &up);
    ck_assert_msg(r == upgrade_cases[_i].r, "%s: %s", url, redir_result_name(r));
    if (upgrade_cases[_i].seen) {
        ck_assert_msg(s.calls == 1, "%s: %d calls", url, s.calls);
        ck_assert_msg(strcmp(s.seen, upgrade_cases[_i].seen) == 0, "%s: saw %s",
                      url, s.seen);
    } else {
        ck_assert_msg(s.calls == 0, "%s: called with %s", url, s.seen);
    }
    if (r != REDIR_OK) {
        ck_assert(!up);
        return;
    }
    const char *expect = upgrade_cases[_i].out ? upgrade_cases[_i].out : url;
    ck_assert_msg(up == upgrade_cases[_i].upgraded, "%s: upgraded %d", url, up);
    ck_assert_str_eq(out, expect);
    ck_assert_uint_eq(len, strlen(expect));
}
END_TEST

/* Every capacity from 0 to past the need: the exact length is reported,
 * nothing is written past cap (a canary guards the rest). */
START_TEST(hsts_upgrade_buffers)
{
    static const char *const urls[] = {"http://example.com:80/a?b#c",
                                       "http://example.com/", "http://other.example/",
                                       "https://example.com/", ""};
    for (size_t u = 0; u < LEN(urls); u++) {
        store s = {known_hosts, 0, ""};
        char ref[128];
        size_t need;
        bool up;
        ck_assert_int_eq(redir_hsts_upgrade(urls[u], strlen(urls[u]), known, &s, ref,
                                            sizeof ref, &need, &up), REDIR_OK);
        for (size_t cap = 0; cap <= need + 3; cap++) {
            unsigned char buf[160];
            memset(buf, 0xa5, sizeof buf);
            size_t len = 12345;
            bool up2 = !up;
            redir_result r = redir_hsts_upgrade(urls[u], strlen(urls[u]), known, &s,
                                                cap ? (char *)buf + 8 : NULL, cap,
                                                &len, &up2);
            ck_assert_uint_eq(len, need);
            ck_assert(up2 == up);
            for (size_t i = 0; i < 8; i++)
                ck_assert_int_eq(buf[i], 0xa5);
            if (cap <= need) {
                ck_assert_int_eq(r, REDIR_E_BUFFER_TOO_SMALL);
                for (size_t i = 8; i < sizeof buf; i++)
                    ck_assert_int_eq(buf[i], 0xa5);
            } else {
                ck_assert_int_eq(r, REDIR_OK);
                ck_assert_int_eq(memcmp(buf + 8, ref, need + 1), 0);
                for (size_t i = 8 + cap; i < sizeof buf; i++)
                    ck_assert_int_eq(buf[i], 0xa5);
            }
        }
    }
}
END_TEST

START_TEST(hsts_upgrade_hosts)
{
    store s = {known_hosts, 0, ""};
    char url[700], out[800];
    size_t len;
    bool up;
    /* 256 bytes of host (plus a trailing dot) still reach the callback */
    memcpy(url, "http://", 7);
    memset(url + 7, 'a', 256);
    memcpy(url + 7 + 256, "./", 3);
    ck_assert_int_eq(redir_hsts_upgrade(url, strlen(url), known, &s, out, sizeof out,
                                        &len, &up), REDIR_OK);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_uint_eq(strlen(s.seen), 256);
    ck_assert(!up);
    ck_assert_str_eq(out, url);
    /* 257 bytes: not a DNS name, never upgraded, not asked */
    s.calls = 0;
    memset(url + 7, 'a', 257);
    memcpy(url + 7 + 257, "/", 2);
    ck_assert_int_eq(redir_hsts_upgrade(url, strlen(url), known, &s, out, sizeof out,
                                        &len, &up), REDIR_OK);
    ck_assert_int_eq(s.calls, 0);
    ck_assert_str_eq(out, url);
    /* percent-escapes count decoded: 3 * 100 bytes are 100 */
    s.calls = 0;
    size_t n = 7;
    for (int k = 0; k < 100; k++, n += 3)
        memcpy(url + n, "%41", 3);
    memcpy(url + n, "/", 2);
    ck_assert_int_eq(redir_hsts_upgrade(url, strlen(url), known, &s, out, sizeof out,
                                        &len, &up), REDIR_OK);
    ck_assert_int_eq(s.calls, 1);
    ck_assert_uint_eq(strlen(s.seen), 100);
    ck_assert_int_eq(s.seen[0], 'a');
    /* NULL arguments */
    ck_assert_int_eq(redir_hsts_upgrade(NULL, 0, known, &s, out, 8, &len, &up),
                     REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_upgrade("x", 1, NULL, &s, out, 8, &len, &up),
                     REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_upgrade("x", 1, known, &s, NULL, 8, &len, &up),
                     REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_upgrade("x", 1, known, &s, out, 8, NULL, &up),
                     REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_upgrade("x", 1, known, &s, out, 8, &len, NULL),
                     REDIR_E_NULL);
    /* the length is respected */
    s.calls = 0;
    ck_assert_int_eq(redir_hsts_upgrade("http://example.comX", 18, known, &s, out,
                                        sizeof out, &len, &up), REDIR_OK);
    ck_assert(up);
    ck_assert_str_eq(out, "https://example.com");
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("headers");
    TCase *tc = tcase_create("headers");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, date_valid, 0, (int)LEN(date_ok));
    tcase_add_loop_test(tc, date_malformed, 0, (int)LEN(date_bad));
    tcase_add_test(tc, date_edges);
    tcase_add_test(tc, date_truncated);
    tcase_add_test(tc, date_random);
    tcase_add_test(tc, date_format);
    tcase_add_test(tc, date_round_trip);
    tcase_add_loop_test(tc, cache_control, 0, (int)LEN(cc_cases));
    tcase_add_test(tc, cache_control_more);
    tcase_add_test(tc, cache_control_random);
    tcase_add_loop_test(tc, cache_evaluate, 0, (int)LEN(eval_cases));
    tcase_add_test(tc, cache_evaluate_more);
    tcase_add_loop_test(tc, retry_after, 0, (int)LEN(retry_cases));
    tcase_add_test(tc, retry_after_null);
    tcase_add_loop_test(tc, hsts_parse, 0, (int)LEN(hsts_cases));
    tcase_add_test(tc, hsts_parse_more);
    tcase_add_loop_test(tc, hsts_upgrade, 0, (int)LEN(upgrade_cases));
    tcase_add_test(tc, hsts_upgrade_buffers);
    tcase_add_test(tc, hsts_upgrade_hosts);
    suite_add_tcase(s, tc);
    return s;
}
