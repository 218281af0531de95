/* SPDX-License-Identifier: MIT */
/*
 * Hostile input for every public function: NULL where documented invalid,
 * empty input, 1 MiB input, random bytes, NUL inside strings, every byte
 * value in every URL component, integer extremes for statuses and lengths,
 * output capacities 0 and 1. Each call must return its documented result
 * and never touch memory it was not given (run under ASan and valgrind in
 * CI; outputs are checked against canaries here).
 */
#include <redir.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

#define MIB (1u << 20)

static char *big; /* 1 MiB of 'a', NUL-terminated after it */

static void setup(void)
{
    big = malloc(MIB + 1);
    memset(big, 'a', MIB);
    big[MIB] = '\0';
}

static void teardown(void)
{
    free(big);
}

static unsigned long long rng = 0x2545f4914f6cdd1dull;
static unsigned char rnd(void)
{
    return xorshift_byte(&rng);
}

/* ---- strings of results and names never fail ---------------------------- */

START_TEST(names_of_anything)
{
    static const int values[] = {INT_MIN, -1, 0, 1, 25, 26, 27, 100, INT_MAX};
    for (size_t i = 0; i < LEN(values); i++) {
        ck_assert_ptr_nonnull(redir_strerror((redir_result)values[i]));
        ck_assert_ptr_nonnull(redir_result_name((redir_result)values[i]));
        ck_assert_ptr_nonnull(redir_verdict_name((redir_verdict)values[i]));
        ck_assert_ptr_nonnull(redir_header_action_name((redir_header_action)values[i]));
        ck_assert_ptr_nonnull(redir_status_class_name((redir_status_class)values[i]));
        ck_assert_ptr_nonnull(redir_retry_name((redir_retry)values[i]));
        ck_assert_ptr_nonnull(redir_monitor_name((redir_monitor)values[i]));
        ck_assert_ptr_nonnull(redir_status_reason(values[i]));
        (void)redir_flag_name((unsigned)values[i]);
        (void)redir_status_flag_name((unsigned)values[i]);
        (void)redir_status_flag_text((unsigned)values[i]);
        (void)redir_cc_directive_name((unsigned)values[i]);
        (void)redir_rule_row(values[i]);
        (void)redir_status_get(values[i]);
    }
    ck_assert_ptr_nonnull(redir_version());
    ck_assert_uint_eq(redir_version_num(), REDIR_VERSION_NUM);
    ck_assert_ptr_null(redir_status_at(SIZE_MAX));
    ck_assert_ptr_null(redir_profile_at(SIZE_MAX));
}
END_TEST

/* ---- NULL and lengths ------------------------------------------------------ */

START_TEST(null_arguments)
{
    char buf[64];
    size_t len;
    int code;
    int64_t t;
    uint64_t h;
    bool up;
    redir_uri u;
    redir_hsts hsts;
    redir_cache_control cc;
    redir_cache_result cr;
    redir_chain chain;
    redir_decision d;
    ck_assert_int_eq(redir_status_lookup(200, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_status_parse(NULL, 3, &code), REDIR_E_NULL);
    ck_assert_int_eq(redir_uri_parse(NULL, 3, 0, &u), REDIR_E_NULL);
    ck_assert_int_eq(redir_uri_parse("a", 1, 0, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve(NULL, 1, "a", 1, buf, sizeof buf, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve_location("http://a/", 9, NULL, 1, buf, sizeof buf, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_resolve_location_ex("http://a/", 9, "/", 1, 0, NULL, 1, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_policy_init(NULL, 1000, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_decide(NULL, NULL, NULL, NULL, 0, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_explain(NULL, NULL, buf, sizeof buf, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_explain(&d, NULL, buf, sizeof buf, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_chain_init(&chain, NULL, NULL, 0, "http://a/", 9), REDIR_E_NULL);
    ck_assert_int_eq(redir_chain_step(NULL, NULL, NULL, buf, sizeof buf, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_target_hash("GET", 3, NULL, 0, &h), REDIR_E_NULL);
    ck_assert_int_eq(redir_http_date_parse(NULL, 1, 0, &t), REDIR_E_NULL);
    ck_assert_int_eq(redir_http_date_parse("x", 1, 0, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_http_date_format(0, NULL, 1, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_cache_control_parse(NULL, 1, false, &cc), REDIR_E_NULL);
    ck_assert_int_eq(redir_cache_control_parse("x", 1, false, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_cache_evaluate(NULL, &cr), REDIR_E_NULL);
    ck_assert_int_eq(redir_retry_after_parse(NULL, 1, 0, &t), REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_parse(NULL, 1, &hsts), REDIR_E_NULL);
    ck_assert_int_eq(redir_hsts_upgrade(NULL, 1, NULL, NULL, buf, sizeof buf, &len, &up), REDIR_E_NULL);
    ck_assert_uint_eq(redir_header_class(NULL, 5), REDIR_HC_OTHER);
    ck_assert(!redir_method_is_safe(NULL, 3));
    ck_assert_int_eq(redir_rule_column(NULL, 3), REDIR_COL_OTHER);
    ck_assert_int_eq(redir_default_port(NULL, 4), -1);
    ck_assert_ptr_null(redir_profile_get(NULL));
    ck_assert_int_eq(redir_header_action_for(NULL, "Cookie", 6), REDIR_HEADER_KEEP);
}
END_TEST

/* Lengths larger than REDIR_MAX_INPUT are refused before anything is read:
 * the pointers given here are shorter than the lengths claimed. */
START_TEST(huge_lengths)
{
    static const size_t lens[] = {REDIR_MAX_INPUT + 1, SIZE_MAX / 2, SIZE_MAX};
    for (size_t k = 0; k < LEN(lens); k++) {
        size_t n = lens[k], len;
        char buf[64];
        int64_t t;
        uint64_t h;
        bool up;
        redir_uri u;
        redir_hsts hsts;
        redir_cache_control cc;
        ck_assert_int_eq(redir_uri_parse("a", n, 0, &u), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_resolve("http://a/", n, "b", 1, buf, sizeof buf, &len), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_resolve("http://a/", 9, "b", n, buf, sizeof buf, &len), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_resolve_location("http://a/", 9, "b", n, buf, sizeof buf, &len), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_http_date_parse("x", n, 0, &t), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_retry_after_parse("1", n, 0, &t), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_hsts_parse("x", n, &hsts), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_cache_control_parse("x", n, false, &cc), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_hsts_upgrade("http://a/", n, NULL, NULL, buf, sizeof buf, &len, &up), REDIR_E_NULL);
        ck_assert_int_eq(redir_target_hash("GET", n, "http://a/", 9, &h), REDIR_E_TOO_LONG);
        ck_assert_int_eq(redir_target_hash("GET", 3, "http://a/", n, &h), REDIR_E_TOO_LONG);
        ck_assert_uint_eq(redir_header_class("Cookie", n), REDIR_HC_OTHER);
        ck_assert(!redir_method_is_safe("GET", n));
        ck_assert_int_eq(redir_default_port("http", n), -1);
        ck_assert_int_eq(redir_rule_column("GET", n), REDIR_COL_OTHER);
        int code;
        ck_assert_int_eq(redir_status_parse("307", n, &code), REDIR_E_TOO_LONG);

        redir_request req = {"GET", n, "http://a/", 9, REDIR_BODY_NONE, NULL, 0};
        redir_header loc = {"Location", 8, "/x", 2};
        redir_response resp = {302, &loc, 1};
        redir_decision d;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_TOO_LONG);
        req.method_len = 3;
        req.url_len = n;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_TOO_LONG);
        req.url_len = 9;
        loc.value_len = n;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
        ck_assert_int_eq(d.error, REDIR_E_TOO_LONG);
        loc.value_len = 2;
        loc.name_len = n;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_NO_LOCATION);
        ck_assert_int_eq(redir_header_action_for(&d, "Cookie", n), REDIR_HEADER_KEEP);
        redir_chain c;
        ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", n, "http://a/", 9), REDIR_E_METHOD);
        ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", 3, "http://a/", n), REDIR_E_TOO_LONG);
    }
}
END_TEST

/* ---- 1 MiB and empty inputs -------------------------------------------------- */

START_TEST(one_mebibyte)
{
    char buf[64];
    size_t len;
    int64_t t;
    redir_uri u;
    redir_hsts hsts;
    redir_cache_control cc;
    ck_assert_int_eq(redir_uri_parse(big, MIB, 0, &u), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_resolve("http://a/", 9, big, MIB, buf, sizeof buf, &len), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_http_date_parse(big, MIB, 0, &t), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_retry_after_parse(big, MIB, 0, &t), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_hsts_parse(big, MIB, &hsts), REDIR_E_TOO_LONG);
    ck_assert_int_eq(redir_cache_control_parse(big, MIB, false, &cc), REDIR_E_TOO_LONG);
    /* the largest accepted input is parsed, and a too-small buffer says so */
    ck_assert_int_eq(redir_resolve("http://a/", 9, big, REDIR_MAX_INPUT, buf, sizeof buf, &len),
                     REDIR_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(len, 9 + REDIR_MAX_INPUT);
    /* a response with a 1 MiB header value of every kind */
    redir_header hs[] = {{"Cache-Control", 13, big, MIB}, {"Expires", 7, big, MIB},
                         {"Date", 4, big, MIB}, {"Age", 3, big, MIB},
                         {"Vary", 4, big, MIB}, {"Location", 8, big, MIB}};
    redir_cache_input in = {301, "GET", 3, hs, LEN(hs), false, 0, 0, 0, 10, 60};
    redir_cache_result cr;
    redir_result r = redir_cache_evaluate(&in, &cr);
    ck_assert(r == REDIR_OK || r == REDIR_E_TOO_LONG);
}
END_TEST

START_TEST(empty_inputs)
{
    char buf[64];
    size_t len;
    int code;
    int64_t t;
    redir_uri u;
    redir_hsts hsts;
    redir_cache_control cc;
    ck_assert_int_eq(redir_status_parse("", 0, &code), REDIR_E_EMPTY);
    ck_assert_int_eq(redir_uri_parse("", 0, 0, &u), REDIR_OK);
    ck_assert_int_eq(redir_resolve("", 0, "", 0, buf, sizeof buf, &len), REDIR_E_BASE_NOT_ABSOLUTE);
    ck_assert_int_eq(redir_resolve("http://a/b", 10, "", 0, buf, sizeof buf, &len), REDIR_OK);
    ck_assert_str_eq(buf, "http://a/b");
    ck_assert_int_eq(redir_http_date_parse("", 0, 0, &t), REDIR_E_EMPTY);
    ck_assert_int_eq(redir_retry_after_parse("", 0, 0, &t), REDIR_E_EMPTY);
    ck_assert_int_eq(redir_hsts_parse("", 0, &hsts), REDIR_E_HSTS);
    ck_assert_int_eq(redir_cache_control_parse("", 0, false, &cc), REDIR_OK);
    ck_assert_uint_eq(cc.directives, 0);
    ck_assert_uint_eq(redir_header_class("", 0), REDIR_HC_OTHER);
    ck_assert(!redir_method_is_safe("", 0));
    ck_assert_int_eq(redir_policy_init(&(redir_policy){0}, sizeof(redir_policy), ""),
                     REDIR_E_UNKNOWN_PROFILE);
    ck_assert_ptr_null(redir_profile_get(""));
}
END_TEST

/* ---- every byte in every URL component ---------------------------------------- */

/* RFC 3986, Appendix A, written out again here, independently. */
static bool unreserved(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
}
static bool subdelim(int c)
{
    return c && strchr("!$&'()*+,;=", c);
}

START_TEST(every_byte_in_every_component)
{
    /* the byte stands between two letters in each component */
    static const struct {
        const char *before, *after, *name;
    } parts[] = {
        {"http://u", "x@h/p?q#f", "userinfo"},
        {"http://h", "x/p?q#f", "host"},
        {"http://h:8", "0/p?q#f", "port"},
        {"http://h/p", "x?q#f", "path"},
        {"http://h/p?q", "x#f", "query"},
        {"http://h/p?q#f", "x", "fragment"},
        {"h", "x:/p", "scheme"},
    };
    for (size_t k = 0; k < LEN(parts); k++) {
        for (int c = 0; c < 256; c++) {
            char s[64];
            size_t a = strlen(parts[k].before), b = strlen(parts[k].after);
            memcpy(s, parts[k].before, a);
            s[a] = (char)c;
            memcpy(s + a + 1, parts[k].after, b);
            size_t n = a + 1 + b;
            redir_uri u;
            redir_result r = redir_uri_parse(s, n, 0, &u);
            char out[128];
            memset(out, 'Z', sizeof out);
            size_t len = 0;
            redir_result r2 = redir_resolve_location("http://base/", 12, s, n,
                                                     out, 64, &len);
            for (size_t z = 64; z < sizeof out; z++)
                ck_assert_int_eq(out[z], 'Z');
            if (r2 == REDIR_OK)
                ck_assert_uint_eq(strlen(out), len);
            if (c < 0x20 || c == 0x7f) {
                ck_assert_msg(r == REDIR_E_CONTROL, "%s byte %d: %s", parts[k].name,
                              c, redir_result_name(r));
                continue;
            }
            if (c >= 0x80) {
                ck_assert_msg(r == REDIR_E_NON_ASCII, "%s byte %d: %s",
                              parts[k].name, c, redir_result_name(r));
                continue;
            }
            /* what the grammar allows in each component */
            bool ok;
            switch (k) {
            case 0: ok = unreserved(c) || subdelim(c) || c == ':'; break;
            case 1: ok = unreserved(c) || subdelim(c); break;
            case 2: ok = c >= '0' && c <= '9'; break;
            case 3: ok = unreserved(c) || subdelim(c) || c == ':' || c == '@' ||
                         c == '/'; break;
            case 4: ok = unreserved(c) || subdelim(c) || c == ':' || c == '@' ||
                         c == '/' || c == '?'; break;
            case 5: ok = unreserved(c) || subdelim(c) || c == ':' || c == '@' ||
                         c == '/' || c == '?'; break;
            /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
            default: ok = (unreserved(c) && c != '_' && c != '~') || c == '+'; break;
            }
            /* delimiters move the boundary rather than break the grammar */
            bool delim = (k == 0 && (c == '@' || c == '/' || c == '?' || c == '#')) ||
                         (k == 1 && (c == '/' || c == '?' || c == '#' || c == ':' || c == '@')) ||
                         (k == 2 && (c == '/' || c == '?' || c == '#' || c == '@')) ||
                         (k == 3 && (c == '?' || c == '#')) ||
                         (k == 4 && c == '#') ||
                         (k == 6 && (c == ':' || c == '/' || c == '?' || c == '#' || c == '.' || c == '-'));
            if (ok && !delim)
                ck_assert_msg(r == REDIR_OK, "%s byte %d (%c): %s", parts[k].name,
                              c, c, redir_result_name(r));
            else if (!ok && !delim && c != '%')
                ck_assert_msg(r != REDIR_OK, "%s byte %d (%c) accepted",
                              parts[k].name, c, c);
        }
    }
}
END_TEST

/* ---- random bytes and NUL inside ------------------------------------------------ */

START_TEST(random_bytes)
{
    for (int round = 0; round < 5000; round++) {
        char s[96], out[160];
        size_t n = rnd() % sizeof s;
        for (size_t i = 0; i < n; i++)
            s[i] = (char)rnd();
        size_t len;
        int code;
        int64_t t;
        uint64_t h;
        bool up;
        redir_uri u;
        redir_hsts hsts;
        redir_cache_control cc;
        redir_uri_parse(s, n, rnd() & 3, &u);
        redir_resolve("http://a/b/c", 12, s, n, out, 1 + rnd() % sizeof out, &len);
        redir_resolve(s, n, "../x", 4, out, sizeof out, &len);
        redir_resolve_location_ex("http://a/b", 10, s, n, rnd() & 15, out,
                                  rnd() % sizeof out, &len);
        redir_status_parse(s, n, &code);
        redir_http_date_parse(s, n, 0, &t);
        redir_retry_after_parse(s, n, 0, &t);
        redir_hsts_parse(s, n, &hsts);
        redir_cache_control_parse(s, n, rnd() & 1, &cc);
        redir_target_hash(s, n, "http://a/", 9, &h);
        redir_hsts_upgrade(s, n, NULL, NULL, out, sizeof out, &len, &up);
        (void)redir_header_class(s, n);
        (void)redir_method_is_safe(s, n);
        redir_header hs[] = {{s, n, s, n}, {"Location", 8, s, n},
                             {"Cache-Control", 13, s, n}, {"Date", 4, s, n}};
        redir_request req = {s, n, "https://h/p", 11, (redir_body)(rnd() % 3), hs, 1};
        redir_response resp = {300 + rnd() % 100, hs + 1, 3};
        redir_decision d;
        redir_decide(redir_profile_at(rnd() % redir_profile_count()), &req, &resp,
                     out, rnd() % sizeof out, &d);
        redir_explain(&d, &req, out, rnd() % sizeof out, &len);
        redir_cache_input in = {200 + rnd() % 300, s, n, hs + 2, 2, rnd() & 1,
                                (int64_t)rnd() << 24, 0, 0, rnd() % 100, rnd()};
        redir_cache_result cr;
        redir_cache_evaluate(&in, &cr);
    }
}
END_TEST

START_TEST(nul_inside)
{
    static const char url[] = "http://a.example/\0/evil";
    redir_uri u;
    ck_assert_int_eq(redir_uri_parse(url, sizeof url - 1, 0, &u), REDIR_E_CONTROL);
    int64_t t;
    static const char date[] = "Sun, 06 Nov 1994\0 08:49:37 GMT";
    ck_assert_int_eq(redir_http_date_parse(date, sizeof date - 1, 0, &t), REDIR_E_DATE);
    redir_hsts h;
    static const char sts[] = "max-age=5\0; includeSubDomains";
    ck_assert_int_eq(redir_hsts_parse(sts, sizeof sts - 1, &h), REDIR_E_HSTS);
    int code;
    ck_assert_int_eq(redir_status_parse("3\0" "7", 3, &code), REDIR_E_CHAR);
    ck_assert_uint_eq(redir_header_class("Cookie\0", 7), REDIR_HC_OTHER);
    ck_assert(!redir_method_is_safe("GET\0", 4));
    redir_request req = {"GET\0", 4, "http://a/", 9, REDIR_BODY_NONE, NULL, 0};
    redir_response resp = {302, NULL, 0};
    char buf[32];
    redir_decision d;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_METHOD);
}
END_TEST

/* ---- capacities 0 and 1 ------------------------------------------------------------- */

START_TEST(tiny_buffers)
{
    for (size_t cap = 0; cap <= 1; cap++) {
        char buf[8];
        memset(buf, 'Z', sizeof buf);
        char *p = cap ? buf : NULL;
        size_t len;
        bool up;
        ck_assert_int_eq(redir_resolve("http://a/", 9, "b", 1, p, cap, &len), REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(len, 10);
        ck_assert_int_eq(redir_resolve_location("http://a/", 9, "b", 1, p, cap, &len), REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_int_eq(redir_http_date_format(0, p, cap, &len), REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(len, 29);
        ck_assert_int_eq(redir_hsts_upgrade("http://a/", 9, NULL, NULL, p, cap, &len, &up), REDIR_E_NULL);
        redir_header loc = {"Location", 8, "/x", 2};
        redir_request req = {"GET", 3, "http://a/", 9, REDIR_BODY_NONE, NULL, 0};
        redir_response resp = {302, &loc, 1};
        redir_decision d;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, p, cap, &d), REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(d.url_len, 10);
        char big_buf[64];
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, big_buf, sizeof big_buf, &d), REDIR_OK);
        ck_assert_int_eq(redir_explain(&d, &req, p, cap, &len), REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_gt(len, 10);
        for (size_t i = cap; i < sizeof buf; i++)
            ck_assert_int_eq(buf[i], 'Z');
    }
}
END_TEST

/* ---- threads: const tables, no shared state ------------------------------------------ */

Suite *make_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("hostile");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, names_of_anything);
    tcase_add_test(tc, null_arguments);
    tcase_add_test(tc, huge_lengths);
    tcase_add_test(tc, one_mebibyte);
    tcase_add_test(tc, empty_inputs);
    tcase_add_test(tc, every_byte_in_every_component);
    tcase_add_test(tc, random_bytes);
    tcase_add_test(tc, nul_inside);
    tcase_add_test(tc, tiny_buffers);
    suite_add_tcase(s, tc);
    return s;
}
