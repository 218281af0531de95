/* SPDX-License-Identifier: MIT */
/*
 * The library allocates nothing: malloc, calloc and realloc are replaced
 * here by counting wrappers around glibc's own, and every public function is
 * called between two readings of the counter. (Not built under the
 * sanitizers, which replace the allocator themselves.)
 * tests/check-alloc-coverage.py checks that every REDIR_API function of
 * include/redir.h is called below.
 */
#include <redir.h>

#include <stdio.h>
#include <string.h>

#include "tests.h"

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static volatile unsigned long allocations;

void *malloc(size_t n)
{
    allocations++;
    return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
    allocations++;
    return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
    allocations++;
    return __libc_realloc(p, n);
}

void free(void *p)
{
    __libc_free(p);
}

#define NO_ALLOC(call)                                                         \
    do {                                                                       \
        unsigned long before_ = allocations;                                   \
        (void)(call);                                                          \
        ck_assert_msg(allocations == before_, "%s allocated", #call);         \
    } while (0)

START_TEST(counter_works)
{
    unsigned long before = allocations;
    void *p = malloc(16);
    ck_assert_uint_eq(allocations, before + 1);
    free(p);
}
END_TEST

static bool always_known(void *ctx, const char *host, size_t len)
{
    (void)ctx;
    (void)host;
    return len > 0;
}

START_TEST(nothing_allocates)
{
    char buf[512];
    size_t len;
    redir_uri u, v;
    const redir_status *st;
    int code;
    redir_policy pol;
    redir_decision d;
    redir_header hs[] = {{"Authorization", 13, "x", 1}, {"Content-Type", 12, "t", 1}};
    redir_header loc = {"Location", 8, "http://b.example/x y", 20};
    redir_request req = {"POST", 4, "https://a.example/p#f", 21,
                         REDIR_BODY_REPLAYABLE, hs, 2};
    redir_response resp = {303, &loc, 1};

    NO_ALLOC(redir_version());
    NO_ALLOC(redir_version_num());
    NO_ALLOC(redir_strerror(REDIR_E_PORT));
    NO_ALLOC(redir_result_name(REDIR_E_PORT));
    NO_ALLOC(redir_status_get(307));
    NO_ALLOC(redir_status_lookup(399, &st));
    NO_ALLOC(redir_status_parse("307", 3, &code));
    NO_ALLOC(redir_status_count());
    NO_ALLOC(redir_status_at(3));
    NO_ALLOC(redir_status_reason(404));
    NO_ALLOC(redir_status_has_prose());
    NO_ALLOC(redir_status_class_name(REDIR_CLASS_REDIRECTION));
    NO_ALLOC(redir_status_flag_name(REDIR_SF_REDIRECT));
    NO_ALLOC(redir_status_flag_text(REDIR_SF_REDIRECT));
    NO_ALLOC(redir_retry_name(REDIR_RETRY_BACKOFF));
    NO_ALLOC(redir_monitor_name(REDIR_MONITOR_DOWN));
    NO_ALLOC(redir_uri_parse("https://u@h:1/p?q#f", 19, 0, &u));
    NO_ALLOC(redir_uri_parse("http://[::1]/", 13, REDIR_URI_LENIENT, &v));
    NO_ALLOC(redir_resolve("http://a/b/c/d;p?q", 18, "../../g", 7, buf,
                           sizeof buf, &len));
    NO_ALLOC(redir_resolve_location("http://a/b#f", 12, "/c", 2, buf,
                                    sizeof buf, &len));
    NO_ALLOC(redir_resolve_location_ex("http://a/b", 10, "/c d", 4,
                                       REDIR_URI_LENIENT, buf, sizeof buf, &len));
    NO_ALLOC(redir_uri_origin_diff(&u, &v));
    NO_ALLOC(redir_default_port("https", 5));
    NO_ALLOC(redir_uri_port(&u));
    NO_ALLOC(redir_policy_init(&pol, sizeof pol, "rfc9110"));
    NO_ALLOC(redir_profile_get("rfc9110"));
    NO_ALLOC(redir_profile_count());
    NO_ALLOC(redir_profile_at(0));
    NO_ALLOC(redir_rule_row(307));
    NO_ALLOC(redir_rule_column("PUT", 3));
    pol.options |= REDIR_POLICY_LENIENT_LOCATION;
    NO_ALLOC(redir_decide(&pol, &req, &resp, buf, sizeof buf, &d));
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    NO_ALLOC(redir_header_action_for(&d, "Cookie", 6));
    char text[2048];
    NO_ALLOC(redir_explain(&d, &req, text, sizeof text, &len));
    NO_ALLOC(redir_verdict_name(d.verdict));
    NO_ALLOC(redir_flag_name(REDIR_DF_DOWNGRADE));
    NO_ALLOC(redir_header_action_name(REDIR_HEADER_DROP));
    NO_ALLOC(redir_header_class("Cookie", 6));
    NO_ALLOC(redir_method_is_safe("GET", 3));
    redir_chain chain;
    uint64_t hash;
    NO_ALLOC(redir_chain_init(&chain, NULL, "POST", 4, "https://a.example/p", 19));
    NO_ALLOC(redir_chain_step(&chain, &req, &resp, buf, sizeof buf, &d));
    NO_ALLOC(redir_target_hash("GET", 3, "https://a.example/p", 19, &hash));
    /* header helpers */
    int64_t t, delay;
    NO_ALLOC(redir_http_date_parse("Sun, 06 Nov 1994 08:49:37 GMT", 29, 0, &t));
    NO_ALLOC(redir_http_date_format(784111777, buf, sizeof buf, &len));
    redir_cache_control cc;
    NO_ALLOC(redir_cache_control_parse("max-age=60, no-cache=\"a,b\"", 27, false, &cc));
    NO_ALLOC(redir_cc_directive_name(REDIR_CC_NO_STORE));
    redir_header ch[] = {{"Cache-Control", 13, "max-age=60", 10},
                         {"Date", 4, "Sun, 06 Nov 1994 08:49:37 GMT", 29},
                         {"Age", 3, "5", 1}};
    redir_cache_input ci = {301, "GET", 3, ch, 3, false, 784111777, 0, 0, 10, 600};
    redir_cache_result cr;
    NO_ALLOC(redir_cache_evaluate(&ci, &cr));
    NO_ALLOC(redir_retry_after_parse("120", 3, 0, &delay));
    redir_hsts hsts;
    NO_ALLOC(redir_hsts_parse("max-age=31536000; includeSubDomains", 35, &hsts));
    bool upgraded;
    NO_ALLOC(redir_hsts_upgrade("http://a.example:80/", 20, always_known, NULL, buf,
                                sizeof buf, &len, &upgraded));
    /* inspector */
    redir_header ih[] = {{"Location", 8, "/en/", 4},
                         {"Cache-Control", 13, "max-age=31536000", 16},
                         {"Set-Cookie", 10, "s=1", 3}};
    redir_inspect_options io = {sizeof io, 3, 60, NULL};
    redir_inspect_input ii = {"POST", 4, "https://a.example/p", 19, 302, ih, 3,
                              10, 784111777, &io};
    redir_finding found[REDIR_FINDING_LAST_];
    size_t nfound;
    NO_ALLOC(redir_inspect(&ii, found, REDIR_FINDING_LAST_, &nfound));
    ck_assert_uint_gt(nfound, 0);
    redir_inspect_input hops[2] = {ii, ii};
    hops[1].method = "GET";
    hops[1].method_len = 3;
    hops[1].url = "https://a.example/en/";
    hops[1].url_len = 21;
    NO_ALLOC(redir_inspect_chain(hops, 2, &io, found, REDIR_FINDING_LAST_, &nfound));
    NO_ALLOC(redir_finding_name(REDIR_FINDING_MISSING_VARY));
    NO_ALLOC(redir_severity_name(REDIR_SEVERITY_WARNING));
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("alloc");
    TCase *tc = tcase_create("alloc");
    tcase_add_test(tc, counter_works);
    tcase_add_test(tc, nothing_allocates);
    suite_add_tcase(s, tc);
    return s;
}
