/* SPDX-License-Identifier: MIT */
/*
 * redir_decide() under the rfc9110 policy: the whole matrix of
 * status x method x body x origin change, each cell checked against
 * expectations written here from RFC 9110, Section 15.4; then specific
 * cases, header handling, explain, and hostile input.
 */
#include <redir.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

#define H(n) {n, sizeof(n) - 1, "v", 1}

static redir_decision decide_full(const redir_policy *p, const char *method,
                                  const char *url, redir_body body, int status,
                                  const redir_header *rh, size_t nrh,
                                  const redir_header *qh, size_t nqh,
                                  char *buf, size_t cap, redir_result *res)
{
    redir_request req = {method, strlen(method), url, strlen(url), body, qh, nqh};
    redir_response resp = {status, rh, nrh};
    redir_decision d;
    *res = redir_decide(p, &req, &resp, buf, cap, &d);
    return d;
}

static redir_decision decide(const char *method, const char *url, int status,
                             const char *location, char *buf, size_t cap)
{
    redir_header loc = {"Location", 8, location, location ? strlen(location) : 0};
    redir_result r;
    redir_decision d = decide_full(NULL, method, url, REDIR_BODY_NONE, status,
                                   &loc, location ? 1 : 0, NULL, 0, buf, cap, &r);
    ck_assert_msg(r == REDIR_OK, "%s", redir_result_name(r));
    return d;
}

/* ---- the matrix ----------------------------------------------------------- */

static const int statuses[] = {300, 301, 302, 303, 304, 305, 306, 307, 308, 399};
static const char *const methods[] = {"GET",   "HEAD",    "POST",    "PUT",
                                      "DELETE", "PATCH", "OPTIONS", "PROPFIND"};
static const redir_body bodies[] = {REDIR_BODY_NONE, REDIR_BODY_REPLAYABLE,
                                    REDIR_BODY_STREAM};
static const struct {
    const char *name, *location, *url;
    bool cross, downgrade, authority;
} origins[] = {
    {"same", "/next", "https://api.example/next", false, false, false},
    {"other port", "https://api.example:8443/next",
     "https://api.example:8443/next", true, false, true},
    {"other host", "https://files.example/next", "https://files.example/next",
     true, false, true},
    {"https->http", "http://api.example/next", "http://api.example/next", true,
     true, true},
};

/* Request headers every cell carries. */
static const redir_header cell_headers[] = {
    H("Authorization"), H("Cookie"),       H("Proxy-Authorization"),
    H("Content-Type"),  H("Content-Length"), H("Referer"),
    H("Host"),          H("X-Custom"),
};

/* The expected outcome, from RFC 9110 Section 15.4 and its subsections. */
struct expect {
    redir_verdict verdict;
    const char *method;
    redir_body_action body;
};

static struct expect rfc9110(int status, const char *method, redir_body body)
{
    struct expect e = {REDIR_VERDICT_FOLLOW, method, REDIR_BODY_KEEP};
    switch (status) {
    case 300: /* 15.4.1: the user agent MAY follow: not automatically */
        return (struct expect){REDIR_VERDICT_MULTIPLE_CHOICES, NULL, 0};
    case 304: /* 15.4.5: not a redirect */
        return (struct expect){REDIR_VERDICT_NOT_MODIFIED, NULL, 0};
    case 305: /* 15.4.6: deprecated */
        return (struct expect){REDIR_VERDICT_USE_PROXY_REFUSED, NULL, 0};
    case 306: /* 15.4.7: reserved */
        return (struct expect){REDIR_VERDICT_UNUSED_STATUS, NULL, 0};
    case 399: /* 15: an unknown 3xx is a 300 */
        return (struct expect){REDIR_VERDICT_STATUS_NOT_FOLLOWED, NULL, 0};
    case 303: /* 15.4.4: GET, or HEAD for HEAD */
        if (strcmp(method, "GET") && strcmp(method, "HEAD"))
            e = (struct expect){REDIR_VERDICT_FOLLOW, "GET", REDIR_BODY_DROP};
        break;
    default: /* 301, 302, 307, 308: same method, same content */
        break;
    }
    if (e.body == REDIR_BODY_KEEP && body == REDIR_BODY_STREAM)
        return (struct expect){REDIR_VERDICT_BODY_NOT_REPLAYABLE, NULL, 0};
    return e;
}

START_TEST(rfc9110_matrix)
{
    size_t cells = 0;
    for (size_t si = 0; si < LEN(statuses); si++)
    for (size_t mi = 0; mi < LEN(methods); mi++)
    for (size_t bi = 0; bi < LEN(bodies); bi++)
    for (size_t oi = 0; oi < LEN(origins); oi++) {
        int status = statuses[si];
        const char *m = methods[mi];
        char buf[256];
        redir_header loc = {"Location", 8, origins[oi].location,
                            strlen(origins[oi].location)};
        redir_result r;
        redir_decision d = decide_full(NULL, m, "https://api.example/v1/orders",
                                       bodies[bi], status, &loc, 1, cell_headers,
                                       LEN(cell_headers), buf, sizeof buf, &r);
        struct expect e = rfc9110(status, m, bodies[bi]);
        char cell[96];
        snprintf(cell, sizeof cell, "%d %s body=%d %s", status, m, bodies[bi],
                 origins[oi].name);
        ck_assert_msg(r == REDIR_OK, "%s: %s", cell, redir_result_name(r));
        ck_assert_msg(d.verdict == e.verdict, "%s: verdict %s, want %s", cell,
                      redir_verdict_name(d.verdict), redir_verdict_name(e.verdict));
        ck_assert_msg(d.status == status, "%s", cell);
        ck_assert_msg(d.reason[0] && d.spec[0], "%s: no reason", cell);
        cells++;
        if (e.verdict != REDIR_VERDICT_FOLLOW) {
            ck_assert_msg(d.method == NULL && d.body == REDIR_BODY_ACTION_NONE,
                          "%s", cell);
            continue;
        }
        ck_assert_msg(d.method_len == strlen(e.method) &&
                          memcmp(d.method, e.method, d.method_len) == 0,
                      "%s: method %.*s", cell, (int)d.method_len, d.method);
        ck_assert_msg(d.body == e.body, "%s: body", cell);
        ck_assert_msg(d.url && strcmp(d.url, origins[oi].url) == 0,
                      "%s: url %s", cell, d.url ? d.url : "(null)");
        ck_assert_msg(!(d.flags & REDIR_DF_CROSS_ORIGIN) == !origins[oi].cross,
                      "%s: cross-origin", cell);
        ck_assert_msg(!(d.flags & REDIR_DF_DOWNGRADE) == !origins[oi].downgrade,
                      "%s: downgrade", cell);
        ck_assert_msg(!(d.flags & REDIR_DF_METHOD_CHANGED) == !strcmp(e.method, m),
                      "%s: method-changed", cell);
        ck_assert_msg(!(d.flags & REDIR_DF_PERMANENT) == !(status == 301 || status == 308),
                      "%s: permanent", cell);
        ck_assert_msg(!(d.flags & REDIR_DF_POST_TO_GET_PERMITTED) ==
                          !((status == 301 || status == 302) && !strcmp(m, "POST")),
                      "%s: post-to-get-permitted", cell);
        /* Headers: step 4 (credentials, origin change), step 6 (content,
         * method now GET), step 3 (Host), Section 10.1.3 (Referer). */
        const unsigned char want[] = {
            origins[oi].cross ? REDIR_HEADER_DROP : REDIR_HEADER_KEEP,
            origins[oi].cross ? REDIR_HEADER_REGENERATE : REDIR_HEADER_KEEP,
            origins[oi].cross ? REDIR_HEADER_REGENERATE : REDIR_HEADER_KEEP,
            e.body == REDIR_BODY_DROP ? REDIR_HEADER_DROP : REDIR_HEADER_KEEP,
            e.body == REDIR_BODY_DROP ? REDIR_HEADER_DROP : REDIR_HEADER_KEEP,
            origins[oi].downgrade ? REDIR_HEADER_DROP : REDIR_HEADER_KEEP,
            origins[oi].authority ? REDIR_HEADER_REGENERATE : REDIR_HEADER_KEEP,
            REDIR_HEADER_KEEP,
        };
        ck_assert_uint_eq(d.header_count, LEN(cell_headers));
        for (size_t h = 0; h < LEN(cell_headers); h++) {
            ck_assert_msg(d.header_actions[h] == want[h], "%s: %s is %s, want %s",
                          cell, cell_headers[h].name,
                          redir_header_action_name(d.header_actions[h]),
                          redir_header_action_name(want[h]));
            ck_assert_int_eq(redir_header_action_for(&d, cell_headers[h].name,
                                                     cell_headers[h].name_len),
                             want[h]);
        }
        ck_assert_msg(!(d.flags & REDIR_DF_CREDENTIALS_REMOVED) == !origins[oi].cross,
                      "%s", cell);
    }
    ck_assert_uint_eq(cells, 10 * 8 * 3 * 4);
}
END_TEST

/* ---- specific cases ------------------------------------------------------- */

START_TEST(not_redirects)
{
    static const int codes[] = {100, 101, 103, 200, 201, 204, 400, 404, 500, 503, 599};
    for (size_t i = 0; i < LEN(codes); i++) {
        char buf[64];
        redir_decision d = decide("GET", "https://a/", codes[i], "/x", buf, sizeof buf);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_NOT_REDIRECT);
        ck_assert_ptr_null(d.url);
        ck_assert_ptr_null(d.method);
        ck_assert(strstr(d.spec, "RFC 9110, Section 15.") == d.spec);
    }
}
END_TEST

START_TEST(locations)
{
    char buf[128];
    redir_decision d = decide("GET", "https://a/p", 302, NULL, buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_NO_LOCATION);
    d = decide("GET", "https://a/p", 302, "", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_EMPTY_LOCATION);
    d = decide("GET", "https://a/p", 302, "  \t ", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_EMPTY_LOCATION);
    d = decide("GET", "https://a/p", 302, "/a b", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
    ck_assert_int_eq(d.error, REDIR_E_SPACE);
    ck_assert_ptr_null(d.url);
    d = decide("GET", "https://a/p", 301, "ftp://a/file", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_SCHEME_NOT_ALLOWED);
    ck_assert_str_eq(d.url, "ftp://a/file");
    d = decide("GET", "https://a/p", 301, "javascript:alert(1)", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_SCHEME_NOT_ALLOWED);
    d = decide("GET", "https://a/p", 301, "HTTPS://B.example/", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    d = decide("GET", "https://a/p#frag", 307, "/q", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_str_eq(d.url, "https://a/q#frag");
    ck_assert_uint_ne(d.flags & REDIR_DF_FRAGMENT_INHERITED, 0);
    ck_assert_uint_ne(d.flags & REDIR_DF_RELATIVE_LOCATION, 0);
    d = decide("GET", "https://a/p", 308, "https://u:p@b/", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
    ck_assert_int_eq(d.error, REDIR_E_USERINFO);
    ck_assert_uint_ne(d.flags & REDIR_DF_USERINFO, 0);
    d = decide("GET", "https://a/p", 308, "https:/x", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
    ck_assert_int_eq(d.error, REDIR_E_HOST);
    /* an unregistered 3xx is flagged */
    d = decide("GET", "https://a/p", 333, "/x", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_STATUS_NOT_FOLLOWED);
    ck_assert_uint_ne(d.flags & REDIR_DF_UNREGISTERED_STATUS, 0);
}
END_TEST

START_TEST(several_locations)
{
    char buf[64];
    redir_header same[] = {{"Location", 8, "/a", 2}, {"location", 8, " /a ", 4}};
    redir_header diff[] = {{"Location", 8, "/a", 2}, {"LOCATION", 8, "/b", 2}};
    redir_result r;
    redir_decision d = decide_full(NULL, "GET", "https://h/", REDIR_BODY_NONE,
                                   302, same, 2, NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_uint_ne(d.flags & REDIR_DF_DUPLICATE_LOCATIONS, 0);
    d = decide_full(NULL, "GET", "https://h/", REDIR_BODY_NONE, 302, diff, 2,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_MULTIPLE_LOCATIONS);
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, "rfc9110"), REDIR_OK);
    p.options |= REDIR_POLICY_FIRST_LOCATION;
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, diff, 2,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_str_eq(d.url, "https://h/a");
}
END_TEST

START_TEST(methods_are_case_sensitive)
{
    char buf[64];
    /* "post" is not POST: an extension method, kept on 303 as unsafe GET */
    redir_decision d = decide("post", "https://h/", 303, "/x", buf, sizeof buf);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_uint_eq(d.method_len, 3);
    ck_assert(memcmp(d.method, "GET", 3) == 0);
    ck_assert_uint_ne(d.flags & REDIR_DF_UNSAFE_METHOD, 0);
    d = decide("get", "https://h/", 303, "/x", buf, sizeof buf);
    ck_assert(memcmp(d.method, "GET", 3) == 0);
    ck_assert_uint_ne(d.flags & REDIR_DF_METHOD_CHANGED, 0);
    /* extension methods keep their name on 307 */
    d = decide("MKCOL", "https://h/", 307, "/x", buf, sizeof buf);
    ck_assert_uint_eq(d.method_len, 5);
    ck_assert(memcmp(d.method, "MKCOL", 5) == 0);
    ck_assert(redir_method_is_safe("PROPFIND", 8));
    ck_assert(!redir_method_is_safe("propfind", 8));
    ck_assert(!redir_method_is_safe("POST", 4));
    ck_assert_int_eq(redir_rule_column("get", 3), REDIR_COL_OTHER);
    ck_assert_int_eq(redir_rule_column("PATCH", 5), REDIR_COL_PATCH);
    ck_assert_int_eq(redir_rule_row(308), REDIR_ROW_308);
    ck_assert_int_eq(redir_rule_row(350), REDIR_ROW_OTHER);
    ck_assert_int_eq(redir_rule_row(200), -1);
}
END_TEST

/* The method table (lib/profiles.c, rd_method_facts()): each known method
 * with its column and safety; every one-byte change, every prefix and one
 * byte more are other methods. Each name is read from a heap block of
 * exactly its length, so that a read past it shows under AddressSanitizer. */
START_TEST(method_table)
{
    static const struct {
        const char *name;
        int col;
        bool safe;
    } known[] = {
        {"GET", REDIR_COL_GET, true},         {"HEAD", REDIR_COL_HEAD, true},
        {"POST", REDIR_COL_POST, false},      {"PUT", REDIR_COL_PUT, false},
        {"DELETE", REDIR_COL_DELETE, false},  {"PATCH", REDIR_COL_PATCH, false},
        {"OPTIONS", REDIR_COL_OPTIONS, true}, {"PROPFIND", REDIR_COL_PROPFIND, true},
        {"TRACE", REDIR_COL_OTHER, true},     {"QUERY", REDIR_COL_OTHER, true},
        {"REPORT", REDIR_COL_OTHER, true},    {"SEARCH", REDIR_COL_OTHER, true},
    };
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++) {
        const size_t n = strlen(known[k].name);
        char *m = malloc(n), *longer = malloc(n + 1);
        ck_assert_ptr_nonnull(m);
        ck_assert_ptr_nonnull(longer);
        memcpy(m, known[k].name, n);
        ck_assert_int_eq(redir_rule_column(m, n), known[k].col);
        ck_assert(redir_method_is_safe(m, n) == known[k].safe);
        /* one byte changed: to its lower case, to the next byte, to NUL */
        for (size_t i = 0; i < n; i++) {
            const char was = m[i];
            const char to[3] = {(char)(was | 0x20), (char)(was + 1), 0};
            for (int t = 0; t < 3; t++) {
                m[i] = to[t];
                ck_assert_msg(redir_rule_column(m, n) == REDIR_COL_OTHER &&
                                  !redir_method_is_safe(m, n),
                              "%s, byte %zu changed to 0x%02x", known[k].name, i,
                              (unsigned char)to[t]);
            }
            m[i] = was;
        }
        /* shorter (the same first letter), and one byte more */
        ck_assert_int_eq(redir_rule_column(m, n - 1), REDIR_COL_OTHER);
        ck_assert(!redir_method_is_safe(m, n - 1));
        memcpy(longer, m, n);
        longer[n] = 'S';
        ck_assert_int_eq(redir_rule_column(longer, n + 1), REDIR_COL_OTHER);
        ck_assert(!redir_method_is_safe(longer, n + 1));
        free(m);
        free(longer);
    }
    /* names at the slot of a known one: the same first letter and length */
    ck_assert_int_eq(redir_rule_column("GXT", 3), REDIR_COL_OTHER);
    ck_assert_int_eq(redir_rule_column("PROPFINX", 8), REDIR_COL_OTHER);
    ck_assert_int_eq(redir_rule_column("PXST", 4), REDIR_COL_OTHER);
    ck_assert_int_eq(redir_rule_column("MKCOL", 5), REDIR_COL_OTHER);
    ck_assert(!redir_method_is_safe("PROPFINDX", 9));
}
END_TEST

/* The reason of a followed redirect: by status and rule, with the cases
 * RFC 9110 names (POST on 301 and 302, HEAD on 303) and the urllib3 rule
 * that keeps the content on GET. */
static const char *follow_reason_of(const char *profile, const char *method,
                                    int status)
{
    redir_policy p;
    ck_assert_int_eq(redir_policy_init(&p, sizeof p, profile), REDIR_OK);
    redir_header loc = {"Location", 8, "/next", 5};
    redir_result r;
    char buf[64];
    redir_decision d = decide_full(&p, method, "https://h/", REDIR_BODY_REPLAYABLE,
                                   status, &loc, 1, NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(r, REDIR_OK);
    ck_assert_msg(d.verdict == REDIR_VERDICT_FOLLOW, "%s %s %d: %s", profile,
                  method, status, redir_verdict_name(d.verdict));
    return d.reason;
}

#define ck_reason_starts(profile, method, status, start)                       \
    do {                                                                       \
        const char *r_ = follow_reason_of(profile, method, status);            \
        ck_assert_msg(strncmp(r_, start, strlen(start)) == 0,                  \
                      "%s %s %d: \"%s\"", profile, method, status, r_);         \
    } while (0)

START_TEST(follow_reasons)
{
    ck_reason_starts("rfc9110", "POST", 301,
                     "301 Moved Permanently: the POST is repeated as a POST");
    ck_reason_starts("rfc9110", "POST", 302, "302 Found: the POST is repeated");
    ck_reason_starts("fetch", "POST", 301,
                     "301 Moved Permanently: this policy changes POST to GET");
    ck_reason_starts("fetch", "POST", 302,
                     "302 Found: this policy changes POST to GET");
    ck_reason_starts("rfc9110", "HEAD", 303,
                     "303 See Other: a HEAD request stays HEAD");
    ck_reason_starts("urllib3-1.26.16", "POST", 303,
                     "This policy changes the method to GET but sends the "
                     "content again");
    /* the row's own reason everywhere else */
    const char *get_301 = follow_reason_of("rfc9110", "GET", 301);
    ck_assert_str_eq(get_301, follow_reason_of("rfc9110", "PUT", 301));
    ck_assert_ptr_null(strstr(get_301, "POST"));
    ck_assert_str_eq(follow_reason_of("rfc9110", "POST", 307),
                     follow_reason_of("rfc9110", "GET", 307));
    ck_assert_str_eq(follow_reason_of("rfc9110", "POST", 303),
                     follow_reason_of("rfc9110", "PUT", 303));
    ck_assert_ptr_null(strstr(follow_reason_of("rfc9110", "GET", 303), "HEAD"));
    ck_assert_str_ne(follow_reason_of("fetch", "PUT", 301),
                     follow_reason_of("fetch", "POST", 301));
}
END_TEST

/* A decision's origin difference (decide.c compares http(s) hosts its own
 * way) is redir_uri_origin_diff() of the request and the target, for
 * every pair of these: case, default and explicit ports, empty ports,
 * escapes, IPv4 and IPv6 hosts, other schemes. */
START_TEST(origin_diff_agrees)
{
    static const char *const bases[] = {
        "http://a.example/",      "https://a.example/",     "http://a.example:80/",
        "https://a.example:443/", "http://A.Example:8080/", "http://a.example:/",
        "http://192.0.2.1/",      "http://[::1]/",          "https://%61.example/",
        "http://ab.example/p?q",  "https://a.exampl/",      "http://a.example.com.example/",
        "http:opaque",            "https:///empty-host",
    };
    static const char *const targets[] = {
        "/x",
        "//a.example/y",
        "//A.EXAMPLE:80/y",
        "https://a.example/",
        "http://a.example:443/",
        "https://a.example:80/",
        "https://a.example:443/",
        "http://b.example/",
        "http://ab.example:/",
        "http://192.0.2.1:80/",
        "http://192.0.2.10/",
        "http://[::1]/",
        "//[0::1]:80/",
        "https://%61.example/",
        "http://%41.example/",
        "HTTP://a.example/",
        "hTTps://A.EXAMPLE/",
        "ftp://a.example/",
        "http://a.example.com.example/",
        "http://a.example.com.exampl/",
        "?q",
        "#f",
    };
    char buf[256];
    size_t compared = 0;
    for (size_t i = 0; i < LEN(bases); i++) {
        for (size_t k = 0; k < LEN(targets); k++) {
            redir_decision d = decide("GET", bases[i], 302, targets[k], buf, sizeof buf);
            if (!d.url)
                continue;
            redir_uri from, to;
            ck_assert_int_eq(redir_uri_parse(bases[i], strlen(bases[i]), 0, &from), REDIR_OK);
            ck_assert_int_eq(redir_uri_parse(d.url, d.url_len, 0, &to), REDIR_OK);
            ck_assert_msg(d.origin_diff == redir_uri_origin_diff(&from, &to),
                          "%s + %s: %u, not %u", bases[i], targets[k], d.origin_diff,
                          redir_uri_origin_diff(&from, &to));
            compared++;
        }
    }
    ck_assert_uint_gt(compared, 200);
}
END_TEST

START_TEST(policy_options)
{
    char buf[128];
    redir_header loc = {"Location", 8, "http://h/x", 10};
    redir_result r;
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    ck_assert_str_eq(p.name, "rfc9110");
    ck_assert_uint_eq(p.size, sizeof p);
    p.options &= ~(unsigned)REDIR_POLICY_ALLOW_DOWNGRADE;
    redir_decision d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE,
                                   302, &loc, 1, NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_DOWNGRADE_REFUSED);
    ck_assert_str_eq(d.url, "http://h/x");

    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.options |= REDIR_POLICY_CONFIRM_UNSAFE;
    d = decide_full(&p, "DELETE", "https://h/", REDIR_BODY_NONE, 307, &loc, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_NEEDS_CONFIRMATION);
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 307, &loc, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);

    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.options |= REDIR_POLICY_LENIENT_LOCATION;
    redir_header bad = {"Location", 8, "/r\xc3\xa9sum\xc3\xa9 1", 11};
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, &bad, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_str_eq(d.url, "https://h/r%C3%A9sum%C3%A9%201");
    ck_assert_uint_ne(d.flags & REDIR_DF_LOCATION_REPAIRED, 0);

    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.sensitive_headers = "X-Api-Key  x-token";
    redir_header qh[] = {H("x-api-key"), H("X-Token"), H("X-Other")};
    redir_header far = {"Location", 8, "https://elsewhere/", 18};
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, &far, 1, qh,
                    3, buf, sizeof buf, &r);
    ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_DROP);
    ck_assert_int_eq(d.header_actions[1], REDIR_HEADER_DROP);
    ck_assert_int_eq(d.header_actions[2], REDIR_HEADER_KEEP);

    /* rules are data: a 307 that rewrites to GET */
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.rules[REDIR_ROW_307][REDIR_COL_POST] = REDIR_RULE_GET;
    p.rules[REDIR_ROW_300][REDIR_COL_GET] = REDIR_RULE_KEEP;
    redir_header rel = {"Location", 8, "/x", 2};
    d = decide_full(&p, "POST", "https://h/", REDIR_BODY_STREAM, 307, &rel, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    ck_assert_int_eq(d.body, REDIR_BODY_DROP);
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 300, &rel, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    d = decide_full(&p, "HEAD", "https://h/", REDIR_BODY_NONE, 300, &rel, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_METHOD_NOT_FOLLOWED);

    /* invalid policies */
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.rules[1][1] = 9;
    d = decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, &rel, 1,
                    NULL, 0, buf, sizeof buf, &r);
    ck_assert_int_eq(r, REDIR_E_POLICY);
    for (unsigned v = 5; v < 256; v += 50) {
        ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
        p.rules[REDIR_ROW_COUNT - 1][REDIR_COL_COUNT - 1] = (unsigned char)v;
        decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, &rel, 1,
                    NULL, 0, buf, sizeof buf, &r);
        ck_assert_int_eq(r, REDIR_E_POLICY);
    }
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.size = 8;
    decide_full(&p, "GET", "https://h/", REDIR_BODY_NONE, 302, &rel, 1, NULL, 0,
                buf, sizeof buf, &r);
    ck_assert_int_eq(r, REDIR_E_POLICY);
    ck_assert_int_eq(redir_policy_init(&p, 8, NULL), REDIR_E_POLICY);
    ck_assert_int_eq(redir_policy_init(&p, sizeof p, "nope"), REDIR_E_UNKNOWN_PROFILE);
    ck_assert_int_eq(redir_policy_init(NULL, sizeof p, NULL), REDIR_E_NULL);
    ck_assert_ptr_null(redir_profile_get("nope"));
    ck_assert_ptr_null(redir_profile_get(NULL));
    ck_assert_ptr_eq(redir_profile_at(0), redir_profile_get("rfc9110"));
    ck_assert_ptr_null(redir_profile_at(redir_profile_count()));
}
END_TEST

static bool known_hsts(void *ctx, const char *host, size_t len)
{
    (void)ctx;
    return len == 11 && memcmp(host, "example.com", 11) == 0;
}

START_TEST(hsts_upgrade)
{
    static const struct {
        const char *url, *loc, *want;
        bool upgraded;
    } cases[] = {
        {"https://example.com/a", "http://example.com/b", "https://example.com/b", true},
        {"https://example.com/a", "http://EXAMPLE.com.:80/b?q#f", "https://EXAMPLE.com.:443/b?q#f", true},
        {"https://example.com/a", "http://u@example.com:080/", "https://u@example.com:443/", true},
        {"https://example.com/a", "http://example.com:8080/", "https://example.com:8080/", true},
        {"https://other.com/a", "http://other.com/b", "http://other.com/b", false},
        {"https://example.com/a", "http://127.0.0.1/b", "http://127.0.0.1/b", false},
        {"https://example.com/a", "https://example.com/b", "https://example.com/b", false},
        /* a relative Location from an http request with port 80: the port
         * is found through the target's path, which a merge with the
         * base's path once left out (found by fuzz/decide_fuzzer.c; the
         * first case gave "https://example.com:80/443c") */
        {"http://example.com:80/a/b", "c", "https://example.com:443/a/c", true},
        {"http://example.com:80/a/b", "c?q#f", "https://example.com:443/a/c?q#f", true},
        {"http://example.com:80/a/b#g", "c", "https://example.com:443/a/c#g", true},
        {"http://example.com:80/a/b", "../c", "https://example.com:443/c", true},
        {"http://example.com:80/a/b", "/c", "https://example.com:443/c", true},
        {"http://example.com:80/a/b", "?q", "https://example.com:443/a/b?q", true},
        {"http://example.com:80", "c", "https://example.com:443/c", true},
    };
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.hsts_known = known_hsts;
    p.options |= REDIR_POLICY_ALLOW_USERINFO;
    for (size_t i = 0; i < LEN(cases); i++) {
        char buf[128];
        redir_header loc = {"Location", 8, cases[i].loc, strlen(cases[i].loc)};
        redir_result r;
        redir_decision d = decide_full(&p, "GET", cases[i].url, REDIR_BODY_NONE,
                                       302, &loc, 1, NULL, 0, buf, sizeof buf, &r);
        ck_assert_int_eq(r, REDIR_OK);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
        ck_assert_str_eq(d.url, cases[i].want);
        ck_assert_uint_eq(d.url_len, strlen(cases[i].want));
        ck_assert(!(d.flags & REDIR_DF_HSTS_UPGRADE) == !cases[i].upgraded);
        /* an upgraded target is not a downgrade */
        ck_assert(!(d.flags & REDIR_DF_DOWNGRADE) || !cases[i].upgraded);
        /* every buffer too small reports the upgraded length */
        for (size_t cap = 0; cap <= strlen(cases[i].want); cap++) {
            char small[128];
            memset(small, 'Z', sizeof small);
            d = decide_full(&p, "GET", cases[i].url, REDIR_BODY_NONE, 302, &loc, 1,
                            NULL, 0, cap ? small : NULL, cap, &r);
            ck_assert_int_eq(r, REDIR_E_BUFFER_TOO_SMALL);
            ck_assert_uint_eq(d.url_len, strlen(cases[i].want));
            for (size_t k = cap; k < sizeof small; k++)
                ck_assert_int_eq(small[k], 'Z');
        }
    }
}
END_TEST

START_TEST(scopes)
{
    static const struct {
        redir_scope scope;
        const char *from, *to;
        bool changed;
    } cases[] = {
        {REDIR_SCOPE_ORIGIN, "http://h/", "https://h/", true},
        {REDIR_SCOPE_HOST_PORT, "http://h:1/", "http://h:1/x", false},
        {REDIR_SCOPE_HOST_PORT, "http://h/", "https://h:80/", false},
        {REDIR_SCOPE_HOST_PORT, "http://h/", "http://h:81/", true},
        {REDIR_SCOPE_HOST, "http://h:1/", "https://H:2/", false},
        {REDIR_SCOPE_HOST, "http://h/", "http://g/", true},
        /* requests: same host http->https on default ports keeps auth */
        {REDIR_SCOPE_REQUESTS, "http://h/", "https://h/", false},
        {REDIR_SCOPE_REQUESTS, "http://h:80/", "https://h:443/", false},
        {REDIR_SCOPE_REQUESTS, "https://h/", "http://h/", true},
        {REDIR_SCOPE_REQUESTS, "http://h:8080/", "https://h/", true},
        {REDIR_SCOPE_REQUESTS, "https://h/", "https://h:443/", false},
        {REDIR_SCOPE_REQUESTS, "https://h/", "https://h:8443/", true},
        {REDIR_SCOPE_REQUESTS, "https://h/", "https://g/", true},
        /* Go: same host or a subdomain of it, whatever the port or scheme */
        {REDIR_SCOPE_DOMAIN, "https://example.com/", "https://www.example.com/", false},
        {REDIR_SCOPE_DOMAIN, "https://example.com/", "http://example.com:81/", false},
        {REDIR_SCOPE_DOMAIN, "https://www.example.com/", "https://example.com/", true},
        {REDIR_SCOPE_DOMAIN, "https://example.com/", "https://notexample.com/", true},
        {REDIR_SCOPE_DOMAIN, "https://example.com/", "https://example.com.evil.net/", true},
        {REDIR_SCOPE_DOMAIN, "https://[::1]/", "https://[::1]:8/", false},
        {REDIR_SCOPE_DOMAIN, "https://1.2.3.4/", "https://5.1.2.3.4/", true},
    };
    for (size_t i = 0; i < LEN(cases); i++) {
        redir_policy p;
        ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
        p.scope = cases[i].scope;
        redir_header loc = {"Location", 8, cases[i].to, strlen(cases[i].to)};
        redir_header auth = H("Authorization");
        char buf[128];
        redir_result r;
        redir_decision d = decide_full(&p, "GET", cases[i].from, REDIR_BODY_NONE,
                                       302, &loc, 1, &auth, 1, buf, sizeof buf, &r);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
        ck_assert_msg(!(d.flags & REDIR_DF_SCOPE_CHANGED) == !cases[i].changed,
                      "case %zu", i);
        ck_assert_int_eq(d.header_actions[0],
                         cases[i].changed ? REDIR_HEADER_DROP : REDIR_HEADER_KEEP);
    }
}
END_TEST

START_TEST(buffer_sizes)
{
    const char *want = "https://api.example/v2/orders";
    for (size_t cap = 0; cap <= strlen(want) + 1; cap++) {
        char buf[64];
        memset(buf, 'Z', sizeof buf);
        redir_header loc = {"Location", 8, "/v2/orders", 10};
        redir_result r;
        redir_decision d = decide_full(NULL, "POST", "https://api.example/v1",
                                       REDIR_BODY_REPLAYABLE, 307, &loc, 1, NULL,
                                       0, cap ? buf : NULL, cap, &r);
        ck_assert_uint_eq(d.url_len, strlen(want));
        if (cap <= strlen(want)) {
            ck_assert_int_eq(r, REDIR_E_BUFFER_TOO_SMALL);
        } else {
            ck_assert_int_eq(r, REDIR_OK);
            ck_assert_str_eq(d.url, want);
        }
        for (size_t k = cap; k < sizeof buf; k++)
            ck_assert_int_eq(buf[k], 'Z');
    }
}
END_TEST

START_TEST(explain)
{
    char buf[128], text[2048];
    redir_header loc = {"Location", 8, "http://other.example/x", 22};
    redir_header qh[] = {H("Authorization"), H("Content-Type"), H("Cookie"),
                         H("Referer"), H("Accept")};
    redir_result r;
    redir_decision d = decide_full(NULL, "POST", "https://api.example/v1",
                                   REDIR_BODY_REPLAYABLE, 303, &loc, 1, qh,
                                   LEN(qh), buf, sizeof buf, &r);
    redir_request req = {"POST", 4, "https://api.example/v1", 22,
                         REDIR_BODY_REPLAYABLE, qh, LEN(qh)};
    size_t len;
    ck_assert_int_eq(redir_explain(&d, &req, text, sizeof text, &len), REDIR_OK);
    ck_assert_uint_eq(len, strlen(text));
    ck_assert_ptr_nonnull(strstr(text, "303 See Other"));
    ck_assert_ptr_nonnull(strstr(text, "GET http://other.example/x"));
    ck_assert_ptr_nonnull(strstr(text, "Authorization is dropped"));
    ck_assert_ptr_nonnull(strstr(text, "Cookie is recomputed"));
    ck_assert_ptr_nonnull(strstr(text, "Content-Type is removed"));
    ck_assert_ptr_nonnull(strstr(text, "Referer"));
    ck_assert_ptr_nonnull(strstr(text, "Section 10.1.3"));
    ck_assert_ptr_null(strstr(text, "Accept"));
    /* too small: the length needed, nothing past cap */
    for (size_t cap = 0; cap <= len; cap += 7) {
        char small[2048];
        memset(small, 'Z', sizeof small);
        size_t need;
        ck_assert_int_eq(redir_explain(&d, &req, cap ? small : NULL, cap, &need),
                         REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(need, len);
        for (size_t k = cap; k < sizeof small; k++)
            ck_assert_int_eq(small[k], 'Z');
    }
    ck_assert_int_eq(redir_explain(NULL, NULL, text, sizeof text, &len), REDIR_E_NULL);
    ck_assert_int_eq(redir_explain(&d, NULL, text, sizeof text, &len), REDIR_OK);
}
END_TEST

START_TEST(names)
{
    ck_assert_str_eq(redir_verdict_name(REDIR_VERDICT_FOLLOW), "follow");
    ck_assert_str_eq(redir_verdict_name(REDIR_VERDICT_BODY_NOT_REPLAYABLE),
                     "body-not-replayable");
    ck_assert_str_eq(redir_verdict_name(REDIR_VERDICT_LAST_), "unknown");
    ck_assert_str_eq(redir_flag_name(REDIR_DF_DOWNGRADE), "downgrade");
    ck_assert_ptr_null(redir_flag_name(3));
    ck_assert_str_eq(redir_header_action_name(REDIR_HEADER_REGENERATE), "regenerate");
    ck_assert_str_eq(redir_header_action_name((redir_header_action)9), "unknown");
    for (int v = 0; v < REDIR_VERDICT_LAST_; v++)
        ck_assert_str_ne(redir_verdict_name((redir_verdict)v), "unknown");
    for (unsigned b = 1; b & REDIR_DF_ALL_; b <<= 1)
        ck_assert_ptr_nonnull(redir_flag_name(b));
    ck_assert_uint_eq(redir_header_class("authorization", 13), REDIR_HC_AUTHORIZATION);
    ck_assert_uint_eq(redir_header_class("COOKIE2", 7), REDIR_HC_COOKIE);
    ck_assert_uint_eq(redir_header_class("Content-Digest", 14), REDIR_HC_DIGEST);
    ck_assert_uint_eq(redir_header_class("X-Api-Key", 9), REDIR_HC_OTHER);
    ck_assert_uint_eq(redir_header_class("(any", 4), REDIR_HC_OTHER);
    ck_assert_uint_eq(redir_header_class(NULL, 0), REDIR_HC_OTHER);
}
END_TEST

START_TEST(scheme_spellings)
{
    /* http and https in any case; every other scheme is not followed */
    static const struct {
        const char *url, *location;
        redir_verdict verdict;
        unsigned flags; /* of DOWNGRADE, UPGRADE, CROSS_SCHEME */
    } cases[] = {
        {"https://a.example/", "HTTP://a.example/x", REDIR_VERDICT_FOLLOW,
         REDIR_DF_DOWNGRADE | REDIR_DF_CROSS_SCHEME},
        {"https://a.example/", "hTtP://a.example/x", REDIR_VERDICT_FOLLOW,
         REDIR_DF_DOWNGRADE | REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "HTTPS://a.example/x", REDIR_VERDICT_FOLLOW,
         REDIR_DF_UPGRADE | REDIR_DF_CROSS_SCHEME},
        {"HTTP://a.example/", "hTtPs://a.example/x", REDIR_VERDICT_FOLLOW,
         REDIR_DF_UPGRADE | REDIR_DF_CROSS_SCHEME},
        {"HTTPS://a.example/", "https://a.example/x", REDIR_VERDICT_FOLLOW, 0},
        {"https://a.example/", "//b.example/x", REDIR_VERDICT_FOLLOW, 0},
        {"http://a.example/", "httpx://a.example/x",
         REDIR_VERDICT_SCHEME_NOT_ALLOWED, REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "httqs://a.example/x",
         REDIR_VERDICT_SCHEME_NOT_ALLOWED, REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "htt://a.example/x",
         REDIR_VERDICT_SCHEME_NOT_ALLOWED, REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "ftp://a.example/x",
         REDIR_VERDICT_SCHEME_NOT_ALLOWED, REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "hxxp://a.example/x",
         REDIR_VERDICT_SCHEME_NOT_ALLOWED, REDIR_DF_CROSS_SCHEME},
        {"http://a.example/", "Https:no-host", REDIR_VERDICT_BAD_LOCATION, 0},
    };
    char buf[256];
    for (size_t i = 0; i < LEN(cases); i++) {
        redir_decision d = decide("GET", cases[i].url, 302, cases[i].location,
                                  buf, sizeof buf);
        ck_assert_msg(d.verdict == cases[i].verdict, "%s: %s", cases[i].location,
                      redir_verdict_name(d.verdict));
        ck_assert_msg((d.flags & (REDIR_DF_DOWNGRADE | REDIR_DF_UPGRADE |
                                  REDIR_DF_CROSS_SCHEME)) == cases[i].flags,
                      "%s: flags %x", cases[i].location, d.flags);
    }
}
END_TEST

/* ---- header names ------------------------------------------------------------ */

/* The action of each class, from REDIR_HEADER_CLASS_LIST. */
static redir_header_action action_of(unsigned cls)
{
#define REDIR_X_(name, bit, action)                                            \
    if (cls == REDIR_HC_##name)                                                \
        return REDIR_HEADER_##action;
    REDIR_HEADER_CLASS_LIST(REDIR_X_)
#undef REDIR_X_
    return REDIR_HEADER_KEEP;
}

static const struct {
    const char *name;
    unsigned cls;
} known_names[] = {
#define REDIR_X_(name, cls) {name, REDIR_HC_##cls},
    REDIR_HEADER_NAME_LIST(REDIR_X_)
#undef REDIR_X_
};

/* Every known class removed (not OTHER): a header's action shows its class. */
#define ALL_KNOWN (REDIR_HC_CREDENTIALS | REDIR_HC_CONTENT | REDIR_HC_HOST |    \
                   REDIR_HC_ORIGIN | REDIR_HC_REFERER | REDIR_HC_WWW_AUTHENTICATE)

static redir_result decide_names(const redir_header *h, size_t n,
                                 redir_decision *d)
{
    redir_policy p;
    ck_assert_int_eq(redir_policy_init(&p, sizeof p, "rfc9110"), REDIR_OK);
    p.strip_always = ALL_KNOWN & ~(unsigned)REDIR_HC_SENSITIVE;
    redir_header loc = {"Location", 8, "/next", 5};
    redir_request req = {"GET", 3, "https://a.example/", 18, REDIR_BODY_NONE, h, n};
    redir_response resp = {307, &loc, 1};
    char buf[256];
    return redir_decide(&p, &req, &resp, buf, sizeof buf, d);
}

static void case_variant(char *dst, const char *src, size_t n, int how)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)src[i];
        if (how == 1 && c >= 'a' && c <= 'z')
            c = (unsigned char)(c - 'a' + 'A');
        if (how == 2 && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (how == 3 && i % 2 && c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        dst[i] = (char)c;
    }
}

START_TEST(header_names)
{
    redir_decision d;
    char name[32];
    /* every known name in four spellings, alone and all together with
     * names of other lengths and kinds between them */
    redir_header all[2 * LEN(known_names)];
    char spelled[LEN(known_names)][32];
    for (size_t k = 0; k < LEN(known_names); k++) {
        const size_t n = strlen(known_names[k].name);
        for (int how = 0; how < 4; how++) {
            case_variant(name, known_names[k].name, n, how);
            ck_assert_uint_eq(redir_header_class(name, n), known_names[k].cls);
            redir_header h = {name, n, "v", 1};
            ck_assert_int_eq(decide_names(&h, 1, &d), REDIR_OK);
            ck_assert_int_eq(d.header_actions[0], action_of(known_names[k].cls));
        }
        case_variant(spelled[k], known_names[k].name, n, 3);
        all[2 * k] = (redir_header){spelled[k], n, "v", 1};
        all[2 * k + 1] = (redir_header){k % 2 ? "Accept-Language" : "X_Custom!",
                                        k % 2 ? 15 : 9, "v", 1};
    }
    ck_assert_int_eq(decide_names(all, LEN(all), &d), REDIR_OK);
    for (size_t k = 0; k < LEN(known_names); k++) {
        ck_assert_int_eq(d.header_actions[2 * k], action_of(known_names[k].cls));
        ck_assert_int_eq(d.header_actions[2 * k + 1], REDIR_HEADER_KEEP);
    }

    /* near misses: one byte changed anywhere is another header; a digit
     * or '-' with bit 5 cleared is a control byte, which is no token */
    for (size_t k = 0; k < LEN(known_names); k++) {
        const size_t n = strlen(known_names[k].name);
        for (size_t i = 0; i < n; i++) {
            memcpy(name, known_names[k].name, n);
            name[i] = name[i] == 'x' ? 'q' : 'x';
            redir_header h = {name, n, "v", 1};
            ck_assert_uint_eq(redir_header_class(name, n), REDIR_HC_OTHER);
            ck_assert_int_eq(decide_names(&h, 1, &d), REDIR_OK);
            ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_KEEP);
            memcpy(name, known_names[k].name, n);
            unsigned char c = (unsigned char)name[i];
            if ((c >= '0' && c <= '9') || c == '-') {
                name[i] = (char)(c & ~0x20u);
                ck_assert_uint_eq(redir_header_class(name, n), REDIR_HC_OTHER);
                ck_assert_int_eq(decide_names(&h, 1, &d), REDIR_E_HEADER_NAME);
            }
        }
    }
    /* shorter and longer than a known name */
    ck_assert_uint_eq(redir_header_class("Cookie", 5), REDIR_HC_OTHER);
    ck_assert_uint_eq(redir_header_class("Proxy-Authorization2", 20), REDIR_HC_OTHER);
    /* longer than any: up to 24 bytes the names are compared, then not */
    static const char long_name[] = "Proxy-Authorization-Extra-Long";
    for (size_t n = 17; n < sizeof long_name; n++)
        ck_assert_uint_eq(redir_header_class(long_name, n),
                          n == 19 ? REDIR_HC_PROXY_AUTHORIZATION : REDIR_HC_OTHER);
    /* each known name read from a heap block of exactly its length: a read
     * past it shows under AddressSanitizer */
    for (size_t k = 0; k < LEN(known_names); k++) {
        const size_t n = strlen(known_names[k].name);
        char *exact = malloc(n);
        ck_assert_ptr_nonnull(exact);
        memcpy(exact, known_names[k].name, n);
        ck_assert_uint_eq(redir_header_class(exact, n), known_names[k].cls);
        redir_header h = {exact, n, "v", 1};
        ck_assert_int_eq(decide_names(&h, 1, &d), REDIR_OK);
        ck_assert_int_eq(d.header_actions[0], action_of(known_names[k].cls));
        free(exact);
    }

    /* a bad byte at every place of names of 1 to 20 bytes; '_' and '!'
     * are tchar (RFC 9110, Section 5.6.2), ' ', DEL and 0x80 are not */
    static const char good[] = "Abcdefghij-klmn0pqrs";
    static const char bytes[] = {' ', '\x7f', '\x80', ':', '\0', '_', '!'};
    for (size_t n = 1; n <= 20; n++) {
        for (size_t i = 0; i < n; i++) {
            for (size_t b = 0; b < sizeof bytes; b++) {
                memcpy(name, good, n);
                name[i] = bytes[b];
                redir_header h[3] = {H("Host"), {name, n, "v", 1}, H("Accept")};
                ck_assert_int_eq(decide_names(h, 3, &d),
                                 b >= 5 ? REDIR_OK : REDIR_E_HEADER_NAME);
            }
        }
    }
    /* the first bad header decides the error */
    redir_header order[3] = {H("Host"), {"Bad Name", 8, "v", 1}, {NULL, 4, "v", 1}};
    ck_assert_int_eq(decide_names(order, 3, &d), REDIR_E_HEADER_NAME);
    order[1] = (redir_header){NULL, 4, "v", 1};
    order[2] = (redir_header){"Bad Name", 8, "v", 1};
    ck_assert_int_eq(decide_names(order, 3, &d), REDIR_E_NULL);
    order[1] = (redir_header){"Bad Name", 8, "v", 1};
    order[2] = (redir_header){"Cookie", (size_t)REDIR_MAX_INPUT + 1, "v", 1};
    ck_assert_int_eq(decide_names(order, 3, &d), REDIR_E_HEADER_NAME);
    order[1] = (redir_header){"Cookie", (size_t)REDIR_MAX_INPUT + 1, "v", 1};
    order[2] = (redir_header){"Bad Name", 8, "v", 1};
    ck_assert_int_eq(decide_names(order, 3, &d), REDIR_E_TOO_LONG);
}
END_TEST

/* ---- hostile input ---------------------------------------------------------- */

static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;
static unsigned char rnd(void)
{
    return xorshift_byte(&rng_state);
}

START_TEST(hostile_arguments)
{
    char buf[64];
    redir_decision d;
    redir_header loc = {"Location", 8, "/x", 2};
    redir_request req = {"GET", 3, "https://h/", 10, REDIR_BODY_NONE, NULL, 0};
    redir_response resp = {302, &loc, 1};
    ck_assert_int_eq(redir_decide(NULL, NULL, &resp, buf, sizeof buf, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_decide(NULL, &req, NULL, buf, sizeof buf, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, NULL, 10, &d), REDIR_E_NULL);
    static const int bad_status[] = {INT_MIN, -1, 0, 99, 600, 1000, INT_MAX};
    for (size_t i = 0; i < LEN(bad_status); i++) {
        resp.status = bad_status[i];
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                         REDIR_E_STATUS_RANGE);
    }
    resp.status = 302;
    req.method_len = 0;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_METHOD);
    req.method = "GE T";
    req.method_len = 4;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_METHOD);
    req.method = "G\0T";
    req.method_len = 3;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_METHOD);
    req.method = NULL;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_NULL);
    req.method = "GET";
    req.url = "/relative";
    req.url_len = 9;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_BASE_NOT_ABSOLUTE);
    req.url = "https://h/\0";
    req.url_len = 11;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_BASE_INVALID);
    req.url = "https://h/";
    req.url_len = 10;
    req.body = (redir_body)7;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_ARGUMENT);
    req.body = REDIR_BODY_NONE;
    redir_header many[REDIR_MAX_HEADERS + 1];
    for (size_t i = 0; i < LEN(many); i++)
        many[i] = (redir_header)H("X-A");
    req.headers = many;
    req.header_count = LEN(many);
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_TOO_MANY_HEADERS);
    req.header_count = REDIR_MAX_HEADERS;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    many[3].name = "Bad Name";
    many[3].name_len = 8;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_HEADER_NAME);
    many[3].name_len = 0;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_HEADER_NAME);
    req.headers = NULL;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_NULL);
    req.header_count = 0;
    resp.headers = NULL;
    resp.header_count = 1;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_E_NULL);
    /* a Location header with a NULL value counts as empty */
    redir_header nullv = {"Location", 8, NULL, 5};
    resp.headers = &nullv;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_EMPTY_LOCATION);
}
END_TEST

START_TEST(hostile_locations)
{
    /* a 1 MiB Location, every byte value, and random bytes */
    static char big[1 << 20];
    static char buf[1 << 16];
    memset(big, 'a', sizeof big);
    big[0] = '/';
    redir_header loc = {"Location", 8, big, sizeof big};
    redir_request req = {"POST", 4, "https://h/p", 11, REDIR_BODY_STREAM, NULL, 0};
    redir_response resp = {307, &loc, 1};
    redir_decision d;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
    ck_assert_int_eq(d.error, REDIR_E_TOO_LONG);

    for (int c = 0; c < 256; c++) {
        char s[8] = {'/', 'a', (char)c, 'b', 0};
        loc.value = s;
        loc.value_len = 4;
        ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/?#", c);
        if (c == 0)
            ok = false;
        if (c == '#' || c == '?')
            ok = true;
        ck_assert_msg((d.verdict != REDIR_VERDICT_BAD_LOCATION) == ok, "byte %d", c);
    }
    for (int round = 0; round < 20000; round++) {
        char s[48];
        size_t n = rnd() % sizeof s;
        for (size_t i = 0; i < n; i++)
            s[i] = (char)(rnd() % 4 ? "/:.@?#%[]a1h"[rnd() % 12] : (char)rnd());
        loc.value = s;
        loc.value_len = n;
        req.method = round % 2 ? "PATCH" : "HEAD";
        req.method_len = strlen(req.method);
        resp.status = 300 + rnd() % 100;
        redir_result r = redir_decide(NULL, &req, &resp, buf, sizeof buf, &d);
        ck_assert_int_eq(r, REDIR_OK);
        ck_assert_int_lt(d.verdict, REDIR_VERDICT_LAST_);
        if (d.url)
            ck_assert_uint_eq(strlen(d.url), d.url_len);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("decide");
    TCase *tc = tcase_create("decide");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, rfc9110_matrix);
    tcase_add_test(tc, not_redirects);
    tcase_add_test(tc, locations);
    tcase_add_test(tc, several_locations);
    tcase_add_test(tc, methods_are_case_sensitive);
    tcase_add_test(tc, method_table);
    tcase_add_test(tc, follow_reasons);
    tcase_add_test(tc, origin_diff_agrees);
    tcase_add_test(tc, policy_options);
    tcase_add_test(tc, scopes);
    tcase_add_test(tc, hsts_upgrade);
    tcase_add_test(tc, buffer_sizes);
    tcase_add_test(tc, explain);
    tcase_add_test(tc, names);
    tcase_add_test(tc, header_names);
    tcase_add_test(tc, scheme_spellings);
    tcase_add_test(tc, hostile_arguments);
    tcase_add_test(tc, hostile_locations);
    suite_add_tcase(s, tc);
    return s;
}
