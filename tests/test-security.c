/* SPDX-License-Identifier: MIT */
/*
 * Redirect vulnerabilities found in other clients, one case each, with the
 * decision that prevents them under the default (rfc9110) policy. The
 * advisories are described in doc/research/advisories.md.
 */
#include <redir.h>

#include <stdio.h>
#include <string.h>

#include "tests.h"

#define NONE REDIR_BODY_NONE
#define REPLAY REDIR_BODY_REPLAYABLE

static const struct sec {
    const char *id;
    const char *method, *url;
    const char *headers; /* request header names, comma-separated */
    redir_body body;
    int status;
    const char *location;
    redir_verdict verdict;
    redir_result error;  /* for bad-location */
    const char *method2; /* the next method when following */
    const char *removed; /* the headers that must not go along */
} cases[] = {
    /* Authorization to another host */
    {"CVE-2018-1000007 curl: custom Authorization sent to the redirect host",
     "GET", "https://api.example.com/file", "Authorization,Accept", NONE, 302,
     "https://files.example.net/file", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization"},
    {"CVE-2014-1829 requests: Authorization sent to the redirect host",
     "GET", "https://a.example/data", "Authorization", NONE, 302,
     "https://b.example/data", REDIR_VERDICT_FOLLOW, 0, "GET", "Authorization"},
    {"CVE-2018-20060 urllib3: Authorization kept across origins",
     "GET", "https://service.example/items", "Authorization", NONE, 302,
     "https://attacker.example/items", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization"},
    {"CVE-2022-0235 node-fetch: secure headers to an untrusted site",
     "GET", "https://api.example.com/", "Authorization,Cookie", NONE, 302,
     "https://attacker.example.org/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"CVE-2024-45336 Go: sensitive headers on the first cross-domain hop",
     "GET", "https://a.com/", "Authorization", NONE, 302, "https://b.com/1",
     REDIR_VERDICT_FOLLOW, 0, "GET", "Authorization"},
    /* another port */
    {"CVE-2022-27776 curl: Authorization and Cookie kept on a port change",
     "GET", "https://example.com/api", "Authorization,Cookie", NONE, 301,
     "https://example.com:8443/api", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"CVE-2022-31091 Guzzle: a port change not seen as an origin change",
     "GET", "https://example.com/", "Authorization,Cookie", NONE, 302,
     "https://example.com:8443/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"CVE-2025-21620 Deno: Authorization kept on a cross-origin redirect",
     "GET", "http://localhost:3001/", "Authorization", NONE, 302,
     "http://localhost:3002/redirected", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization"},
    /* https -> http */
    {"CVE-2022-27776 curl (scheme): credentials kept on https->http",
     "GET", "https://example.com/api", "Authorization,Cookie,Referer", NONE,
     301, "http://example.com/api", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie,Referer"},
    {"CVE-2018-18074 requests: Authorization kept on same-host https->http",
     "GET", "https://example.com/account", "Authorization,Referer", NONE, 302,
     "http://example.com/account", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Referer"},
    {"CVE-2022-0536 follow-redirects: credentials kept on a downgrade",
     "GET", "https://example.com/private", "Authorization,Cookie", NONE, 301,
     "http://example.com/private", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"CVE-2022-31043 Guzzle: Authorization kept on https->http",
     "GET", "https://example.com/api", "Authorization", NONE, 302,
     "http://example.com/api", REDIR_VERDICT_FOLLOW, 0, "GET", "Authorization"},
    /* Cookie */
    {"CVE-2023-43804 urllib3: Cookie not stripped across origins",
     "GET", "https://shop.example/cart", "Cookie,User-Agent", NONE, 302,
     "https://tracker.example.net/cart", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Cookie"},
    {"CVE-2022-31151 undici: Cookie not cleared across origins",
     "GET", "https://app.example/", "Cookie,Authorization", NONE, 302,
     "https://third.example/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Cookie,Authorization"},
    {"CVE-2023-45143 undici fetch: Cookie kept on a cross-origin 307",
     "GET", "https://api.example/", "Cookie", NONE, 307,
     "https://other.example/", REDIR_VERDICT_FOLLOW, 0, "GET", "Cookie"},
    {"CVE-2022-0155 follow-redirects: Cookie forwarded across domains",
     "GET", "https://app.example/", "Cookie", NONE, 302, "https://evil.example/",
     REDIR_VERDICT_FOLLOW, 0, "GET", "Cookie"},
    {"CVE-2022-31042 Guzzle: manual Cookie kept on a host change",
     "GET", "https://example.com/", "Cookie", NONE, 302,
     "https://other.example/", REDIR_VERDICT_FOLLOW, 0, "GET", "Cookie"},
    /* Proxy-Authorization */
    {"CVE-2014-1830 requests: Proxy-Authorization in the redirected request",
     "GET", "http://a.example/", "Proxy-Authorization", NONE, 302,
     "http://b.example/", REDIR_VERDICT_FOLLOW, 0, "GET", "Proxy-Authorization"},
    {"CVE-2023-32681 requests: Proxy-Authorization re-attached on http->https",
     "GET", "http://example.com/", "Proxy-Authorization", NONE, 301,
     "https://example.com/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Proxy-Authorization"},
    {"CVE-2024-37891 urllib3: Proxy-Authorization kept across origins",
     "GET", "http://internal.example/", "Proxy-Authorization", NONE, 302,
     "http://elsewhere.example/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Proxy-Authorization"},
    {"CVE-2025-4673 Go: Proxy-Authorization kept across origins",
     "GET", "https://a.example/", "Proxy-Authorization,Authorization", NONE,
     302, "https://b.example/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Proxy-Authorization,Authorization"},
    {"CVE-2024-24758 undici fetch: Proxy-Authorization kept cross-origin",
     "PUT", "https://api.example/upload", "Proxy-Authorization,Content-Type",
     REPLAY, 307, "https://other.example/upload", REDIR_VERDICT_FOLLOW, 0, "PUT",
     "Proxy-Authorization"},
    {"CVE-2024-28849 follow-redirects: mixed-case credential names kept",
     "GET", "http://127.0.0.1:10081/", "AuThorization,ProXy-AuthoriZation,coOkie",
     NONE, 302, "http://other.example/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "AuThorization,ProXy-AuthoriZation,coOkie"},
    /* method and body */
    {"CVE-2023-45803 urllib3: body kept after a 303",
     "POST", "https://api.example.com/login",
     "Content-Type,Content-Length,Authorization", REPLAY, 303,
     "https://evil.example.net/done", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Content-Type,Content-Length,Authorization"},
    /* other schemes */
    {"CVE-2009-0037 curl: redirect to file://", "GET",
     "http://example.com/report.csv", "Accept", NONE, 302, "file:///etc/passwd",
     REDIR_VERDICT_SCHEME_NOT_ALLOWED, 0, NULL, NULL},
    {"CVE-2022-27774 curl: credentials follow to another protocol", "GET",
     "https://example.com/secure", "Authorization", NONE, 302,
     "ftp://example.com/secure", REDIR_VERDICT_SCHEME_NOT_ALLOWED, 0, NULL, NULL},
    {"CVE-2025-14524 curl: bearer token on a cross-protocol redirect", "GET",
     "https://example.com/mail", "Authorization", NONE, 302,
     "imap://user@example.com/INBOX", REDIR_VERDICT_BAD_LOCATION,
     REDIR_E_USERINFO, NULL, NULL},
    {"CVE-2022-33987 got: redirect to a UNIX socket", "GET",
     "http://example.com/", "", NONE, 302,
     "unix:/var/run/docker.sock:/containers/json",
     REDIR_VERDICT_SCHEME_NOT_ALLOWED, 0, NULL, NULL},
    /* hosts that are not what they seem */
    {"CVE-2023-45289 Go: IPv6 zone literal read as a subdomain", "GET",
     "http://foo.com/", "Authorization,Cookie", NONE, 302,
     "http://[::1%25.foo.com]/", REDIR_VERDICT_BAD_LOCATION, REDIR_E_IPV6, NULL,
     NULL},
    {"CVE-2023-26159 follow-redirects: lenient parser takes [localhost]", "GET",
     "https://app.example/", "Authorization", NONE, 302,
     "http://[localhost]/admin", REDIR_VERDICT_BAD_LOCATION, REDIR_E_IPV6, NULL,
     NULL},
    {"CVE-2022-27780 curl: percent-encoded separator in the host", "GET",
     "https://app.example/", "Authorization", NONE, 302,
     "http://example.com%2F10.0.0.1/", REDIR_VERDICT_BAD_LOCATION, REDIR_E_HOST,
     NULL, NULL},
    {"GHSA-8q4p-mhxr-fq83 tinyhttp: backslash before '@' in the authority",
     "GET", "https://trusted.com/login", "Cookie", NONE, 302,
     "https://evil.com\\@trusted.com/", REDIR_VERDICT_BAD_LOCATION,
     REDIR_E_BACKSLASH, NULL, NULL},
    {"userinfo disguising the host (RFC 9110, Section 4.2.4)", "GET",
     "https://bank.example/", "Authorization", NONE, 302,
     "https://bank.example@evil.example/", REDIR_VERDICT_BAD_LOCATION,
     REDIR_E_USERINFO, NULL, NULL},
    {"backslash that browsers read as a slash", "GET", "https://bank.example/",
     "Authorization", NONE, 302, "/\\evil.example/", REDIR_VERDICT_BAD_LOCATION,
     REDIR_E_BACKSLASH, NULL, NULL},
    {"CRLF in Location (response splitting)", "GET", "https://a.example/",
     "Authorization", NONE, 302, "/next\r\nSet-Cookie: session=attacker",
     REDIR_VERDICT_BAD_LOCATION, REDIR_E_CONTROL, NULL, NULL},
    /* subdomain and suffix confusion: any other host is another origin */
    {"suffix confusion: notexample.com", "GET", "https://example.com/",
     "Authorization,Cookie", NONE, 302, "https://notexample.com/",
     REDIR_VERDICT_FOLLOW, 0, "GET", "Authorization,Cookie"},
    {"suffix confusion: example.com.evil.net", "GET", "https://example.com/",
     "Authorization,Cookie", NONE, 302, "https://example.com.evil.net/",
     REDIR_VERDICT_FOLLOW, 0, "GET", "Authorization,Cookie"},
    {"subdomain: www.example.com is another origin", "GET",
     "https://example.com/", "Authorization,Cookie", NONE, 302,
     "https://www.example.com/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"trailing dot: example.com. is another origin", "GET",
     "https://example.com/", "Authorization,Cookie", NONE, 302,
     "https://example.com./", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"same host http->https upgrade is another origin", "GET",
     "http://example.com/", "Authorization,Cookie", NONE, 301,
     "https://example.com/", REDIR_VERDICT_FOLLOW, 0, "GET",
     "Authorization,Cookie"},
    {"custom credential header (GHSA-r4q5-vmmm-2653): kept by default", "GET",
     "https://api.example.com/v1/data", "X-API-Key,Accept", NONE, 302,
     "https://evil.com/steal", REDIR_VERDICT_FOLLOW, 0, "GET", ""},
    /* same origin keeps what belongs to it */
    {"same origin keeps credentials", "GET", "https://api.example/a",
     "Authorization,Cookie,Proxy-Authorization", NONE, 302, "/b",
     REDIR_VERDICT_FOLLOW, 0, "GET", ""},
    {"host case and default port do not change the origin", "GET",
     "https://API.example/a", "Authorization", NONE, 302,
     "https://api.EXAMPLE:443/b", REDIR_VERDICT_FOLLOW, 0, "GET", ""},
};

START_TEST(advisory)
{
    const struct sec *c = &cases[_i];
    redir_header hs[8];
    size_t nh = 0;
    for (const char *p = c->headers; *p;) {
        size_t n = strcspn(p, ",");
        hs[nh++] = (redir_header){p, n, "secret", 6};
        p += n + (p[n] == ',');
    }
    redir_header loc = {"Location", 8, c->location, strlen(c->location)};
    redir_request req = {c->method, strlen(c->method), c->url, strlen(c->url),
                         c->body, hs, nh};
    redir_response resp = {c->status, &loc, 1};
    char buf[256];
    redir_decision d;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_msg(d.verdict == c->verdict, "%s: verdict %s", c->id,
                  redir_verdict_name(d.verdict));
    if (c->verdict == REDIR_VERDICT_BAD_LOCATION)
        ck_assert_msg(d.error == c->error, "%s: error %s", c->id,
                      redir_result_name(d.error));
    if (c->verdict != REDIR_VERDICT_FOLLOW)
        return;
    ck_assert_msg(d.method_len == strlen(c->method2) &&
                      memcmp(d.method, c->method2, d.method_len) == 0,
                  "%s: method", c->id);
    for (size_t i = 0; i < nh; i++) {
        bool want = listed(c->removed, hs[i].name, hs[i].name_len);
        ck_assert_msg((d.header_actions[i] != REDIR_HEADER_KEEP) == want,
                      "%s: %.*s is %s", c->id, (int)hs[i].name_len, hs[i].name,
                      redir_header_action_name(d.header_actions[i]));
    }
}
END_TEST

/* A NUL inside the Location: a C string would end there, a client that
 * passes lengths would send the rest. */
START_TEST(nul_in_location)
{
    static const char v[] = "https://a.example/\0.evil.example/";
    redir_header loc = {"Location", 8, v, sizeof v - 1};
    redir_request req = {"GET", 3, "https://a.example/", 18, REDIR_BODY_NONE,
                         NULL, 0};
    redir_response resp = {302, &loc, 1};
    char buf[128];
    redir_decision d;
    ck_assert_int_eq(redir_decide(NULL, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_int_eq(d.verdict, REDIR_VERDICT_BAD_LOCATION);
    ck_assert_int_eq(d.error, REDIR_E_CONTROL);
}
END_TEST

/* A caller who names its own credential headers gets them removed. */
START_TEST(custom_credentials)
{
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.sensitive_headers = "X-API-Key";
    redir_header hs[] = {{"x-api-key", 9, "k", 1}, {"Accept", 6, "*/*", 3}};
    redir_header loc = {"Location", 8, "https://evil.com/steal", 22};
    redir_request req = {"GET", 3, "https://api.example.com/v1/data", 31,
                         REDIR_BODY_NONE, hs, 2};
    redir_response resp = {302, &loc, 1};
    char buf[128];
    redir_decision d;
    ck_assert_int_eq(redir_decide(&p, &req, &resp, buf, sizeof buf, &d), REDIR_OK);
    ck_assert_int_eq(d.header_actions[0], REDIR_HEADER_DROP);
    ck_assert_int_eq(d.header_actions[1], REDIR_HEADER_KEEP);
    ck_assert_uint_ne(d.flags & REDIR_DF_CREDENTIALS_REMOVED, 0);
}
END_TEST

START_TEST(enough_advisories)
{
    size_t real = 0;
    for (size_t i = 0; i < LEN(cases); i++)
        real += strncmp(cases[i].id, "CVE-", 4) == 0 ||
                strncmp(cases[i].id, "GHSA-", 5) == 0;
    ck_assert_uint_ge(real, 15);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("security");
    TCase *tc = tcase_create("advisories");
    tcase_add_loop_test(tc, advisory, 0, (int)LEN(cases));
    tcase_add_test(tc, enough_advisories);
    tcase_add_test(tc, nul_in_location);
    tcase_add_test(tc, custom_credentials);
    suite_add_tcase(s, tc);
    return s;
}
