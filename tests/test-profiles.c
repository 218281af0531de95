/* SPDX-License-Identifier: MIT */
/*
 * The client profiles, cell by cell, against what the clients do: each row
 * is a behaviour read in the client's source and, for the clients Debian 12
 * ships, seen live (doc/research/clients-a.md and clients-b.md). The live
 * conformance suite (tests/conformance) checks the installed clients
 * themselves.
 */
#include <redir.h>

#include <stdio.h>
#include <string.h>

#include "tests.h"

#define NONE REDIR_BODY_NONE
#define DATA REDIR_BODY_REPLAYABLE
#define STREAM REDIR_BODY_STREAM
#define FOLLOW REDIR_VERDICT_FOLLOW

static const struct row {
    const char *profile;
    const char *method;
    int status;
    redir_body body;
    const char *url, *location;
    const char *headers;     /* request header names, comma-separated */
    redir_verdict verdict;
    const char *method2;     /* next method */
    redir_body_action body2; /* keep/drop */
    const char *removed;     /* headers that must not go along */
} rows[] = {
    /* rfc9110: the standard itself */
    {"rfc9110", "POST", 302, DATA, "https://a/p", "/q", "", FOLLOW, "POST", REDIR_BODY_KEEP, ""},
    {"rfc9110", "POST", 300, DATA, "https://a/p", "/q", "", REDIR_VERDICT_MULTIPLE_CHOICES, NULL, 0, NULL},

    /* fetch: HTTP-redirect fetch steps 11-13 */
    {"fetch", "POST", 301, DATA, "https://a/p", "/q", "Content-Type,Content-Length,X-Custom",
     FOLLOW, "GET", REDIR_BODY_DROP, "Content-Type,Content-Length"},
    {"fetch", "PUT", 302, DATA, "https://a/p", "/q", "Content-Type", FOLLOW, "PUT", REDIR_BODY_KEEP, ""},
    {"fetch", "DELETE", 303, DATA, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"fetch", "HEAD", 303, NONE, "https://a/p", "/q", "", FOLLOW, "HEAD", REDIR_BODY_KEEP, ""},
    {"fetch", "POST", 301, STREAM, "https://a/p", "/q", "", REDIR_VERDICT_BODY_NOT_REPLAYABLE, NULL, 0, NULL},
    {"fetch", "POST", 303, STREAM, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"fetch", "GET", 302, NONE, "https://a/p", "https://b/q", "Authorization,Cookie,Proxy-Authorization,X-Api-Key",
     FOLLOW, "GET", REDIR_BODY_KEEP, "Authorization,Cookie,Proxy-Authorization"},
    {"fetch", "GET", 300, NONE, "https://a/p", "/q", "", REDIR_VERDICT_MULTIPLE_CHOICES, NULL, 0, NULL},
    {"fetch", "GET", 302, NONE, "https://a/p", "", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"fetch", "GET", 302, NONE, "https://a/p", "/\\b/x", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"fetch", "GET", 302, NONE, "https://a/p", "\\\\/b/x", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"fetch", "GET", 302, NONE, "https://a/p", "ftp://a/", "", REDIR_VERDICT_SCHEME_NOT_ALLOWED, NULL, 0, NULL},

    /* curl -L: Curl_follow, Curl_add_custom_headers */
    {"curl", "POST", 302, DATA, "https://a/p", "/q", "Content-Type", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"curl", "PUT", 301, DATA, "https://a/p", "/q", "", FOLLOW, "PUT", REDIR_BODY_DROP, ""},
    {"curl", "POST", 307, STREAM, "https://a/p", "/q", "", REDIR_VERDICT_BODY_NOT_REPLAYABLE, NULL, 0, NULL},
    {"curl", "GET", 304, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"curl", "GET", 399, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"curl", "GET", 302, NONE, "https://a/p", "https://a:8443/q",
     "Authorization,Cookie,Proxy-Authorization,X-Custom", FOLLOW, "GET", REDIR_BODY_KEEP,
     "Authorization,Cookie"},
    {"curl", "GET", 302, NONE, "https://a/p", "ftp://a/f", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"curl", "GET", 302, NONE, "https://a/p", "file:///etc/passwd", "", REDIR_VERDICT_SCHEME_NOT_ALLOWED, NULL, 0, NULL},
    {"curl", "GET", 302, NONE, "https://a/p", "", "", REDIR_VERDICT_EMPTY_LOCATION, NULL, 0, NULL},

    /* go: redirectBehavior, shouldCopyHeaderOnRedirect */
    {"go", "PUT", 301, DATA, "https://a/p", "/q", "Content-Type", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"go", "HEAD", 303, NONE, "https://a/p", "/q", "", FOLLOW, "HEAD", REDIR_BODY_KEEP, ""},
    {"go", "POST", 307, STREAM, "https://a/p", "/q", "", REDIR_VERDICT_BODY_NOT_REPLAYABLE, NULL, 0, NULL},
    {"go", "GET", 302, NONE, "https://example.com/", "https://www.example.com/", "Authorization,Cookie",
     FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"go", "GET", 302, NONE, "https://example.com/", "http://example.com:81/", "Authorization,Cookie",
     FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"go", "GET", 302, NONE, "https://www.example.com/", "https://example.com/",
     "Authorization,Cookie,Proxy-Authorization,WWW-Authenticate,X-Api-Key", FOLLOW, "GET",
     REDIR_BODY_KEEP, "Authorization,Cookie,Proxy-Authorization,WWW-Authenticate"},
    {"go1.19", "GET", 302, NONE, "https://a/", "https://b/", "Authorization,Proxy-Authorization",
     FOLLOW, "GET", REDIR_BODY_KEEP, "Authorization"},
    {"go1.19", "GET", 302, NONE, "https://a/", "https://a:8443/", "Authorization", FOLLOW, "GET",
     REDIR_BODY_KEEP, "Authorization"},

    /* requests: rebuild_method, resolve_redirects, should_strip_auth */
    {"requests", "PUT", 301, DATA, "https://a/p", "/q", "Content-Type,Content-Language", FOLLOW,
     "PUT", REDIR_BODY_DROP, "Content-Type"},
    {"requests", "DELETE", 302, DATA, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"requests", "HEAD", 302, NONE, "https://a/p", "/q", "", FOLLOW, "HEAD", REDIR_BODY_DROP, ""},
    {"requests", "POST", 307, STREAM, "https://a/p", "/q", "", FOLLOW, "POST", REDIR_BODY_DROP, ""},
    {"requests", "GET", 302, NONE, "http://a/p", "https://a/q", "Authorization", FOLLOW, "GET",
     REDIR_BODY_DROP, ""},
    {"requests", "GET", 302, NONE, "https://a/p", "http://a/q", "Authorization", FOLLOW, "GET",
     REDIR_BODY_DROP, "Authorization"},
    {"requests", "GET", 302, NONE, "https://a/p", "/q", "Cookie,Proxy-Authorization,Host",
     FOLLOW, "GET", REDIR_BODY_DROP, "Cookie,Proxy-Authorization"},
    {"requests", "GET", 302, NONE, "https://a/p", "https://b/q", "Host,X-Custom",
     FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"requests", "GET", 300, NONE, "https://a/p", "/q", "", REDIR_VERDICT_MULTIPLE_CHOICES, NULL, 0, NULL},

    /* urllib3: PoolManager.urlopen */
    {"urllib3", "POST", 302, DATA, "https://a/p", "/q", "Content-Type", FOLLOW, "POST", REDIR_BODY_KEEP, ""},
    {"urllib3", "HEAD", 303, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"urllib3", "POST", 303, DATA, "https://a/p", "/q", "Content-Type,Content-Language,X-Custom",
     FOLLOW, "GET", REDIR_BODY_DROP, "Content-Type,Content-Language"},
    {"urllib3", "GET", 302, NONE, "https://a/p", "https://a:8443/q",
     "Authorization,Cookie,Proxy-Authorization,X-Custom", FOLLOW, "GET", REDIR_BODY_KEEP,
     "Authorization,Cookie,Proxy-Authorization"},
    {"urllib3-1.26.16", "POST", 303, DATA, "https://a/p", "https://b/q", "Authorization,Cookie",
     FOLLOW, "GET", REDIR_BODY_KEEP, "Authorization"},

    /* okhttp: buildRedirectRequest */
    {"okhttp", "GET", 300, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"okhttp", "PROPFIND", 303, DATA, "https://a/p", "/q", "", FOLLOW, "PROPFIND", REDIR_BODY_KEEP, ""},
    {"okhttp", "PUT", 302, DATA, "https://a/p", "/q", "Content-Type,Content-Language", FOLLOW,
     "GET", REDIR_BODY_DROP, "Content-Type"},
    {"okhttp", "PUT", 308, DATA, "https://a/p", "/q", "", FOLLOW, "PUT", REDIR_BODY_KEEP, ""},
    {"okhttp3", "PUT", 308, DATA, "https://a/p", "/q", "", REDIR_VERDICT_METHOD_NOT_FOLLOWED, NULL, 0, NULL},
    {"okhttp", "GET", 302, NONE, "https://a/p", "https://b/q", "Authorization,Cookie,Proxy-Authorization",
     FOLLOW, "GET", REDIR_BODY_KEEP, "Authorization"},

    /* java: RedirectFilter, newInstanceForRedirection */
    {"java", "HEAD", 303, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"java", "PUT", 302, DATA, "https://a/p", "/q", "", FOLLOW, "PUT", REDIR_BODY_KEEP, ""},
    {"java", "POST", 307, STREAM, "https://a/p", "/q", "", FOLLOW, "POST", REDIR_BODY_DROP, ""},
    {"java", "GET", 302, NONE, "https://a/p", "http://a/q", "", REDIR_VERDICT_DOWNGRADE_REFUSED, NULL, 0, NULL},
    {"java", "GET", 302, NONE, "http://localhost/p", "http://LOCALHOST/q",
     "Authorization,Cookie,Origin,Referer,Host,X-Api-Key", FOLLOW, "GET", REDIR_BODY_KEEP,
     "Authorization,Cookie,Origin,Referer,Host"},
    {"java-21.0.6", "GET", 302, NONE, "https://a/p", "https://b/q", "Authorization,Cookie",
     FOLLOW, "GET", REDIR_BODY_KEEP, ""},

    /* dotnet: RedirectHandler */
    {"dotnet", "GET", 302, NONE, "https://a/p", "/q", "Authorization,Cookie", FOLLOW, "GET",
     REDIR_BODY_KEEP, "Authorization"},
    {"dotnet", "POST", 300, DATA, "https://a/p", "/q", "Content-Type", FOLLOW, "GET",
     REDIR_BODY_DROP, "Content-Type"},
    {"dotnet", "GET", 302, NONE, "https://a/p", "http://a/q", "", REDIR_VERDICT_DOWNGRADE_REFUSED, NULL, 0, NULL},

    /* libsoup: SOUP_SESSION_WOULD_REDIRECT_AS_GET / _AS_SAFE */
    {"libsoup", "PUT", 301, DATA, "https://a/p", "/q", "", REDIR_VERDICT_METHOD_NOT_FOLLOWED, NULL, 0, NULL},
    {"libsoup", "PUT", 302, DATA, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"libsoup", "POST", 307, DATA, "https://a/p", "/q", "", REDIR_VERDICT_METHOD_NOT_FOLLOWED, NULL, 0, NULL},
    {"libsoup", "OPTIONS", 307, NONE, "https://a/p", "/q", "", FOLLOW, "OPTIONS", REDIR_BODY_KEEP, ""},
    {"libsoup", "GET", 302, NONE, "https://a/p", "https://b/q", "Authorization,Cookie", FOLLOW,
     "GET", REDIR_BODY_KEEP, "Authorization"},
    {"libsoup2", "GET", 302, NONE, "https://a/p", "https://b/q", "Authorization,Cookie,Host",
     FOLLOW, "GET", REDIR_BODY_KEEP, ""},

    /* wget: gethttp, retrieve_url */
    {"wget", "PUT", 302, DATA, "https://a/p", "/q", "", FOLLOW, "PUT", REDIR_BODY_KEEP, ""},
    {"wget", "POST", 302, DATA, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"wget", "PUT", 300, DATA, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"wget", "GET", 302, NONE, "https://a/p", "http://b/q", "Authorization,Cookie,Host",
     FOLLOW, "GET", REDIR_BODY_KEEP, ""},
    {"wget", "GET", 304, NONE, "https://a/p", "/q", "", REDIR_VERDICT_NOT_MODIFIED, NULL, 0, NULL},

    /* python-urllib: HTTPRedirectHandler.redirect_request */
    {"python-urllib", "HEAD", 301, NONE, "https://a/p", "/q", "", FOLLOW, "GET", REDIR_BODY_DROP, ""},
    {"python-urllib", "POST", 307, DATA, "https://a/p", "/q", "", REDIR_VERDICT_METHOD_NOT_FOLLOWED, NULL, 0, NULL},
    {"python-urllib", "PUT", 302, DATA, "https://a/p", "/q", "", REDIR_VERDICT_METHOD_NOT_FOLLOWED, NULL, 0, NULL},
    {"python-urllib", "POST", 302, DATA, "https://a/p", "https://b/q",
     "Authorization,Cookie,Content-Type,Content-Length,X-Custom", FOLLOW, "GET", REDIR_BODY_DROP,
     "Content-Type,Content-Length"},
};

START_TEST(profile_cell)
{
    const struct row *r = &rows[_i];
    const redir_policy *p = redir_profile_get(r->profile);
    ck_assert_msg(p != NULL, "no profile %s", r->profile);
    redir_header hs[8];
    size_t nh = 0;
    for (const char *q = r->headers; *q;) {
        size_t n = strcspn(q, ",");
        hs[nh++] = (redir_header){q, n, "v", 1};
        q += n + (q[n] == ',');
    }
    redir_header loc = {"Location", 8, r->location, strlen(r->location)};
    redir_request req = {r->method, strlen(r->method), r->url, strlen(r->url),
                         r->body, hs, nh};
    redir_response resp = {r->status, &loc, 1};
    char buf[256];
    redir_decision d;
    ck_assert_int_eq(redir_decide(p, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    char cell[128];
    snprintf(cell, sizeof cell, "%s: %s %d -> %s", r->profile, r->method,
             r->status, r->location);
    ck_assert_msg(d.verdict == r->verdict, "%s: verdict %s", cell,
                  redir_verdict_name(d.verdict));
    if (r->verdict != FOLLOW)
        return;
    ck_assert_msg(d.method_len == strlen(r->method2) &&
                      memcmp(d.method, r->method2, d.method_len) == 0,
                  "%s: method %.*s", cell, (int)d.method_len, d.method);
    ck_assert_msg(d.body == r->body2, "%s: body", cell);
    for (size_t i = 0; i < nh; i++)
        ck_assert_msg((d.header_actions[i] != REDIR_HEADER_KEEP) ==
                          listed(r->removed, hs[i].name, hs[i].name_len),
                      "%s: %.*s %s", cell, (int)hs[i].name_len, hs[i].name,
                      redir_header_action_name(d.header_actions[i]));
}
END_TEST

START_TEST(registry)
{
    static const char *const names[] = {
        "rfc9110", "fetch", "curl", "go", "requests", "urllib3", "okhttp",
        "java", "dotnet", "libsoup", "wget", "python-urllib",
    };
    ck_assert_uint_ge(redir_profile_count(), LEN(names));
    for (size_t i = 0; i < LEN(names); i++) {
        const redir_policy *p = redir_profile_at(i);
        ck_assert_str_eq(p->name, names[i]);
        ck_assert_ptr_eq(redir_profile_get(names[i]), p);
    }
    for (size_t i = 0; i < redir_profile_count(); i++) {
        const redir_policy *p = redir_profile_at(i);
        ck_assert_uint_eq(p->size, sizeof *p);
        ck_assert(p->client && p->client[0] && p->source && p->source[0]);
        ck_assert(p->schemes && strstr(p->schemes, "http"));
        redir_policy copy;
        ck_assert_int_eq(REDIR_POLICY_INIT(&copy, p->name), REDIR_OK);
        ck_assert(memcmp(&copy, p, sizeof copy) == 0);
        for (size_t j = 0; j < i; j++)
            ck_assert_str_ne(redir_profile_at(j)->name, p->name);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("profiles");
    TCase *tc = tcase_create("profiles");
    tcase_add_loop_test(tc, profile_cell, 0, (int)LEN(rows));
    tcase_add_test(tc, registry);
    suite_add_tcase(s, tc);
    return s;
}
