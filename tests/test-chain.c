/* SPDX-License-Identifier: MIT */
/* Chains: hop limits, loops on normalised targets, whole-chain facts. */
#include <redir.h>

#include <stdio.h>
#include <string.h>

#include "tests.h"

struct hop {
    const char *url;      /* the request URL of this hop */
    int status;
    const char *location;
    bool set_cookie;
};

/* Runs hops through a chain; returns the verdict of the last one. */
static redir_verdict run(redir_chain *c, const redir_policy *p,
                         const char *method, const struct hop *hops, size_t n,
                         redir_decision *d)
{
    static char bufs[16][256];
    ck_assert_int_eq(redir_chain_init(c, p, method, strlen(method), hops[0].url,
                                      strlen(hops[0].url)),
                     REDIR_OK);
    const char *m = method;
    size_t mlen = strlen(method);
    for (size_t i = 0; i < n; i++) {
        redir_header hs[2];
        size_t nh = 0;
        if (hops[i].location)
            hs[nh++] = (redir_header){"Location", 8, hops[i].location,
                                      strlen(hops[i].location)};
        if (hops[i].set_cookie)
            hs[nh++] = (redir_header){"Set-Cookie", 10, "s=1", 3};
        redir_request req = {m, mlen, hops[i].url, strlen(hops[i].url),
                             REDIR_BODY_NONE, NULL, 0};
        redir_response resp = {hops[i].status, hs, nh};
        ck_assert_int_eq(redir_chain_step(c, &req, &resp, bufs[i % 16],
                                          sizeof bufs[0], d),
                         REDIR_OK);
        if (d->verdict != REDIR_VERDICT_FOLLOW)
            return d->verdict;
        m = d->method;
        mlen = d->method_len;
        if (i + 1 < n)
            ck_assert_str_eq(d->url, hops[i + 1].url);
    }
    return d->verdict;
}

START_TEST(plain_chain)
{
    static const struct hop hops[] = {
        {"http://a.example/", 301, "https://a.example/", false},
        {"https://a.example/", 308, "https://www.a.example/", false},
        {"https://www.a.example/", 301, "/home", false},
        {"https://www.a.example/home", 200, NULL, false},
    };
    redir_chain c;
    redir_decision d;
    ck_assert_int_eq(run(&c, NULL, "GET", hops, LEN(hops), &d),
                     REDIR_VERDICT_NOT_REDIRECT);
    ck_assert_uint_eq(c.hops, 3);
    ck_assert_uint_eq(c.revisits, 0);
    ck_assert_uint_eq(c.method_changes, 0);
    ck_assert_uint_ne(c.flags_all & REDIR_DF_PERMANENT, 0);
    ck_assert_uint_ne(c.flags_any & REDIR_DF_CROSS_ORIGIN, 0);
    ck_assert_uint_eq(c.flags_all & REDIR_DF_CROSS_ORIGIN, 0);
    ck_assert_uint_eq(c.flags_any & REDIR_DF_DOWNGRADE, 0);
    ck_assert_uint_ne(c.flags_any & REDIR_DF_UPGRADE, 0);
    ck_assert(strncmp(c.final_url, "https://www.a.example/home",
                      c.final_url_len) == 0);
    ck_assert_uint_eq(c.final_url_len, 26);
    ck_assert(strncmp(c.first_url, "http://a.example/", c.first_url_len) == 0);
}
END_TEST

START_TEST(hop_limit)
{
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.max_redirects = 2;
    static const struct hop hops[] = {
        {"https://a/1", 302, "/2", false},
        {"https://a/2", 302, "/3", false},
        {"https://a/3", 302, "/4", false},
    };
    redir_chain c;
    redir_decision d;
    ck_assert_int_eq(run(&c, &p, "GET", hops, LEN(hops), &d),
                     REDIR_VERDICT_TOO_MANY_REDIRECTS);
    ck_assert_uint_eq(c.hops, 2);
    ck_assert_ptr_null(d.method);
    ck_assert_str_eq(d.url, "https://a/4");
    p.max_redirects = 0;
    ck_assert_int_eq(run(&c, &p, "GET", hops, 1, &d),
                     REDIR_VERDICT_TOO_MANY_REDIRECTS);
    /* a response that is not followed does not count against the limit */
    static const struct hop done[] = {{"https://a/1", 200, NULL, false}};
    ck_assert_int_eq(run(&c, &p, "GET", done, 1, &d), REDIR_VERDICT_NOT_REDIRECT);
}
END_TEST

START_TEST(loops)
{
    /* the same target, written differently */
    static const struct hop loop[] = {
        {"https://a.example/x", 302, "HTTPS://A.EXAMPLE:443/%78", false},
    };
    redir_chain c;
    redir_decision d;
    ck_assert_int_eq(run(&c, NULL, "GET", loop, 1, &d),
                     REDIR_VERDICT_REDIRECT_LOOP);
    ck_assert_uint_ne(d.flags & REDIR_DF_REVISIT, 0);
    ck_assert_uint_eq(c.hops, 0);

    /* a login flow comes back once a cookie was set: not a loop */
    static const struct hop login[] = {
        {"https://app/", 302, "https://sso/login", false},
        {"https://sso/login", 302, "https://app/", true},
        {"https://app/", 200, NULL, false},
    };
    ck_assert_int_eq(run(&c, NULL, "GET", login, LEN(login), &d),
                     REDIR_VERDICT_NOT_REDIRECT);
    ck_assert_uint_eq(c.revisits, 1);
    ck_assert_uint_ne(c.flags_any & REDIR_DF_REVISIT, 0);

    /* without the cookie it is one */
    static const struct hop bounce[] = {
        {"https://app/", 302, "https://sso/login", false},
        {"https://sso/login", 302, "https://app/", false},
    };
    ck_assert_int_eq(run(&c, NULL, "GET", bounce, LEN(bounce), &d),
                     REDIR_VERDICT_REDIRECT_LOOP);

    /* report only: the hop limit ends it */
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.loop_rule = REDIR_LOOP_REPORT;
    p.max_redirects = 3;
    static const struct hop self[] = {
        {"https://a/", 302, "/", false}, {"https://a/", 302, "/", false},
        {"https://a/", 302, "/", false}, {"https://a/", 302, "/", false},
    };
    ck_assert_int_eq(run(&c, &p, "GET", self, LEN(self), &d),
                     REDIR_VERDICT_TOO_MANY_REDIRECTS);
    ck_assert_uint_eq(c.revisits, 3);

    /* at most max_repeats redirects to the same URL; the first request
     * does not count */
    p.loop_rule = REDIR_LOOP_REPEATS;
    p.max_repeats = 2;
    p.max_redirects = 10;
    ck_assert_int_eq(run(&c, &p, "GET", self, LEN(self), &d),
                     REDIR_VERDICT_REDIRECT_LOOP);
    ck_assert_uint_eq(c.hops, 2);
    ck_assert_uint_eq(c.revisits, 2); /* "/" is the first URL too */

    /* the method is part of the target: a 303 from POST to the same URL */
    static const struct hop post[] = {
        {"https://a/form", 303, "/form", false},
        {"https://a/form", 200, NULL, false},
    };
    ck_assert_int_eq(run(&c, NULL, "POST", post, LEN(post), &d),
                     REDIR_VERDICT_NOT_REDIRECT);
    ck_assert_uint_eq(c.method_changes, 1);
}
END_TEST

/*
 * Python's urllib (CPython 3.11, measured with a local server that answers
 * every /i with 302 to /(i+1) mod n): a loop of n URLs ends with HTTPError
 * after 5, 9, 13, 21 and 11 requests for n = 1, 2, 3, 5, 11: 4 redirects
 * to the same URL and 10 distinct redirect targets at most, the first URL
 * not counted (Lib/urllib/request.py, http_error_302).
 */
static const struct {
    unsigned urls, requests;
} urllib_loops[] = {{1, 5}, {2, 9}, {3, 13}, {5, 21}, {11, 11}, {20, 11}};

START_TEST(urllib_loop_counts)
{
    const redir_policy *p = redir_profile_get("python-urllib");
    ck_assert_ptr_nonnull(p);
    unsigned n = urllib_loops[_i].urls;
    redir_chain c;
    ck_assert_int_eq(redir_chain_init(&c, p, "GET", 3, "http://h/0", 10),
                     REDIR_OK);
    /* the request URL and the next target take turns in two buffers */
    char urls[2][32] = {"http://h/0", ""};
    unsigned cur = 0, at = 0, requests = 1;
    redir_decision d;
    for (;;) {
        char loc[16];
        snprintf(loc, sizeof loc, "/%u", (at + 1) % n);
        redir_header h = {"Location", 8, loc, strlen(loc)};
        redir_request req = {"GET", 3, urls[cur], strlen(urls[cur]),
                             REDIR_BODY_NONE, NULL, 0};
        redir_response resp = {302, &h, 1};
        ck_assert_int_eq(redir_chain_step(&c, &req, &resp, urls[1 - cur],
                                          sizeof urls[0], &d),
                         REDIR_OK);
        if (d.verdict != REDIR_VERDICT_FOLLOW)
            break;
        requests++;
        cur = 1 - cur;
        at = (at + 1) % n;
        ck_assert_uint_le(requests, 100);
    }
    ck_assert_uint_eq(requests, urllib_loops[_i].requests);
    ck_assert_uint_eq(c.hops, requests - 1);
    ck_assert_int_eq(d.verdict, n >= 11 ? REDIR_VERDICT_TOO_MANY_REDIRECTS
                                        : REDIR_VERDICT_REDIRECT_LOOP);
}
END_TEST

/* Counting distinct targets, only a loop rule that bounds the visits of
 * each target makes a valid policy: with REDIR_LOOP_REPORT or
 * REDIR_LOOP_STOP_UNLESS_COOKIE a loop that sets a cookie each round would
 * never end (found by fuzz/decide_fuzzer.c). A URL that redirects to
 * itself (setting a cookie) is requested once with REDIR_LOOP_STOP (the
 * first URL is known for loops) and 5 times with python-urllib's
 * REDIR_LOOP_REPEATS. */
START_TEST(distinct_needs_bounded_loops)
{
    static const struct {
        redir_loop_rule rule;
        redir_result init; /* what the chain's first step returns */
    } cases[] = {
        {REDIR_LOOP_STOP_UNLESS_COOKIE, REDIR_E_POLICY},
        {REDIR_LOOP_STOP, REDIR_OK},
        {REDIR_LOOP_REPORT, REDIR_E_POLICY},
        {REDIR_LOOP_REPEATS, REDIR_OK},
    };
    for (size_t i = 0; i < LEN(cases); i++) {
        redir_policy p;
        ck_assert_int_eq(REDIR_POLICY_INIT(&p, "python-urllib"), REDIR_OK);
        p.loop_rule = cases[i].rule;
        redir_header h[2] = {{"Location", 8, "/0", 2},
                             {"Set-Cookie", 10, "n=1", 3}};
        redir_request req = {"GET", 3, "http://h/0", 10, REDIR_BODY_NONE,
                             NULL, 0};
        redir_response resp = {302, h, 2};
        redir_decision d;
        char buf[64];
        ck_assert_int_eq(redir_decide(&p, &req, &resp, buf, sizeof buf, &d),
                         cases[i].init);
        redir_chain c;
        ck_assert_int_eq(redir_chain_init(&c, &p, "GET", 3, "http://h/0", 10),
                         REDIR_OK);
        unsigned requests = 1;
        redir_result r;
        while ((r = redir_chain_step(&c, &req, &resp, buf, sizeof buf, &d)) ==
                   REDIR_OK &&
               d.verdict == REDIR_VERDICT_FOLLOW && requests < 100)
            requests++;
        ck_assert_int_eq(r, cases[i].init);
        if (r != REDIR_OK)
            continue;
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_REDIRECT_LOOP);
        ck_assert_uint_eq(requests, (cases[i].rule == REDIR_LOOP_STOP ? 1 : 5));
    }
}
END_TEST

START_TEST(target_hashes)
{
    static const char *const same[][2] = {
        {"http://A.example/", "http://a.example:80/"},
        {"http://a.example", "http://a.example/"},
        {"http://a/%7euser", "http://a/~user"},
        {"http://a/%3a", "http://a/%3A"},
        {"http://a/p#x", "http://a/p#y"},
        {"http://[::1]/", "http://[::1]:80/"},
    };
    static const char *const differ[][2] = {
        {"http://a/", "https://a/"},
        {"http://a/", "http://a:8080/"},
        {"http://a/P", "http://a/p"},
        {"http://a/%2F", "http://a//"},
        {"http://a/p?q", "http://a/p"},
        {"http://a/p?", "http://a/p"},
    };
    for (size_t i = 0; i < LEN(same); i++) {
        uint64_t x, y;
        ck_assert_int_eq(redir_target_hash("GET", 3, same[i][0], strlen(same[i][0]), &x), REDIR_OK);
        ck_assert_int_eq(redir_target_hash("GET", 3, same[i][1], strlen(same[i][1]), &y), REDIR_OK);
        ck_assert_msg(x == y, "%s vs %s", same[i][0], same[i][1]);
    }
    for (size_t i = 0; i < LEN(differ); i++) {
        uint64_t x, y;
        ck_assert_int_eq(redir_target_hash("GET", 3, differ[i][0], strlen(differ[i][0]), &x), REDIR_OK);
        ck_assert_int_eq(redir_target_hash("GET", 3, differ[i][1], strlen(differ[i][1]), &y), REDIR_OK);
        ck_assert_msg(x != y, "%s vs %s", differ[i][0], differ[i][1]);
    }
    uint64_t a, b;
    redir_target_hash("GET", 3, "http://a/", 9, &a);
    redir_target_hash("POST", 4, "http://a/", 9, &b);
    ck_assert(a != b);
    ck_assert_int_eq(redir_target_hash(NULL, 0, "http://a/", 9, &a), REDIR_E_NULL);
    ck_assert_int_eq(redir_target_hash("GET", 3, "http://a b/", 11, &a), REDIR_E_SPACE);
}
END_TEST

START_TEST(scope_from_first)
{
    /* curl judges credentials against the first request: back on the first
     * host they are sent again; rfc9110 judges hop by hop */
    redir_chain c;
    redir_decision d;
    char b1[128], b2[128];
    redir_header auth = {"Authorization", 13, "x", 1};
    const redir_policy *curl = redir_profile_get("curl");
    ck_assert_ptr_nonnull(curl);
    ck_assert_int_eq(redir_chain_init(&c, curl, "GET", 3, "https://a/", 10), REDIR_OK);
    redir_header l1 = {"Location", 8, "https://b/", 10};
    redir_request r1 = {"GET", 3, "https://a/", 10, REDIR_BODY_NONE, &auth, 1};
    redir_response s1 = {302, &l1, 1};
    ck_assert_int_eq(redir_chain_step(&c, &r1, &s1, b1, sizeof b1, &d), REDIR_OK);
    ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_DROP);
    redir_header l2 = {"Location", 8, "https://a/back", 14};
    redir_request r2 = {"GET", 3, "https://b/", 10, REDIR_BODY_NONE, &auth, 1};
    redir_response s2 = {302, &l2, 1};
    ck_assert_int_eq(redir_chain_step(&c, &r2, &s2, b2, sizeof b2, &d), REDIR_OK);
    ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_KEEP);
    ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", 3, "https://a/", 10), REDIR_OK);
    ck_assert_int_eq(redir_chain_step(&c, &r1, &s1, b1, sizeof b1, &d), REDIR_OK);
    ck_assert_int_eq(redir_chain_step(&c, &r2, &s2, b2, sizeof b2, &d), REDIR_OK);
    ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_DROP);
}
END_TEST

START_TEST(chain_errors)
{
    redir_chain c;
    redir_decision d;
    char buf[64];
    ck_assert_int_eq(redir_chain_init(NULL, NULL, "GET", 3, "http://a/", 9), REDIR_E_NULL);
    ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", 3, "/rel", 4), REDIR_E_BASE_NOT_ABSOLUTE);
    ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", 3, "http://a b", 10), REDIR_E_BASE_INVALID);
    ck_assert_int_eq(redir_chain_init(&c, NULL, "", 0, "http://a/", 9), REDIR_E_METHOD);
    redir_request req = {"GET", 3, "http://a/", 9, REDIR_BODY_NONE, NULL, 0};
    redir_response resp = {302, NULL, 0};
    memset(&c, 0, sizeof c);
    ck_assert_int_eq(redir_chain_step(&c, &req, &resp, buf, sizeof buf, &d), REDIR_E_NULL);
    ck_assert_int_eq(redir_chain_init(&c, NULL, "GET", 3, "http://a/", 9), REDIR_OK);
    ck_assert_int_eq(redir_chain_step(&c, &req, &resp, buf, sizeof buf, NULL), REDIR_E_NULL);
    resp.status = 42;
    ck_assert_int_eq(redir_chain_step(&c, &req, &resp, buf, sizeof buf, &d),
                     REDIR_E_STATUS_RANGE);
    ck_assert_uint_eq(c.hops, 0);
}
END_TEST

START_TEST(long_chains_forget_the_oldest)
{
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.max_redirects = 1000;
    redir_chain c;
    ck_assert_int_eq(redir_chain_init(&c, &p, "GET", 3, "https://a/0", 11), REDIR_OK);
    char url[32], loc[32], buf[64];
    redir_decision d;
    for (int i = 0; i < 200; i++) {
        snprintf(url, sizeof url, "https://a/%d", i);
        snprintf(loc, sizeof loc, "/%d", i + 1);
        redir_header l = {"Location", 8, loc, strlen(loc)};
        redir_request req = {"GET", 3, url, strlen(url), REDIR_BODY_NONE, NULL, 0};
        redir_response resp = {307, &l, 1};
        ck_assert_int_eq(redir_chain_step(&c, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
        ck_assert_int_eq(d.verdict, REDIR_VERDICT_FOLLOW);
    }
    ck_assert_uint_eq(c.hops, 200);
    /* the last REDIR_CHAIN_MEMORY targets are remembered */
    snprintf(url, sizeof url, "https://a/%d", 200);
    redir_header back = {"Location", 8, "/190", 4};
    redir_request req = {"GET", 3, url, strlen(url), REDIR_BODY_NONE, NULL, 0};
    redir_response resp = {307, &back, 1};
    ck_assert_int_eq(redir_chain_step(&c, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_REDIRECT_LOOP);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("chain");
    TCase *tc = tcase_create("chain");
    tcase_add_test(tc, plain_chain);
    tcase_add_test(tc, hop_limit);
    tcase_add_test(tc, loops);
    tcase_add_loop_test(tc, urllib_loop_counts, 0, LEN(urllib_loops));
    tcase_add_test(tc, distinct_needs_bounded_loops);
    tcase_add_test(tc, target_hashes);
    tcase_add_test(tc, scope_from_first);
    tcase_add_test(tc, chain_errors);
    tcase_add_test(tc, long_chains_forget_the_oldest);
    suite_add_tcase(s, tc);
    return s;
}
