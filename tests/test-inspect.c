/* SPDX-License-Identifier: MIT */
/*
 * The inspector: every finding triggered by a minimal response and gone
 * from the corrected one; the Vary heuristic; chains (loops, long chains,
 * the hop limit, downgrades); output buffers; hostile input.
 */
#include <redir.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests.h"

/* ---- helpers ------------------------------------------------------------------ */

#define MAX_FIELDS 16

/* A response written as "Name: value" lines separated by '\n'. */
struct resp {
    const char *method; /* NULL: unknown */
    const char *url;    /* NULL: unknown */
    int status;
    const char *fields;
    long long body_len;
};

typedef struct parsed {
    redir_header h[MAX_FIELDS];
    size_t n;
    char text[2048];
} parsed;

static void parse_fields(const char *fields, parsed *p)
{
    p->n = 0;
    if (!fields)
        return;
    ck_assert_uint_lt(strlen(fields), sizeof p->text);
    strcpy(p->text, fields);
    char *s = p->text;
    while (*s) {
        char *e = strchr(s, '\n');
        if (e)
            *e = '\0';
        char *colon = strchr(s, ':');
        ck_assert_msg(colon != NULL, "bad field line '%s'", s);
        ck_assert_uint_lt(p->n, MAX_FIELDS);
        char *v = colon + 1;
        while (*v == ' ')
            v++;
        p->h[p->n++] = (redir_header){s, (size_t)(colon - s), v, strlen(v)};
        if (!e)
            break;
        s = e + 1;
    }
}

static redir_inspect_input make_input(const struct resp *r, parsed *p)
{
    parse_fields(r->fields, p);
    redir_inspect_input in;
    memset(&in, 0, sizeof in);
    in.method = r->method;
    in.method_len = r->method ? strlen(r->method) : 0;
    in.url = r->url;
    in.url_len = r->url ? strlen(r->url) : 0;
    in.status = r->status;
    in.headers = p->h;
    in.header_count = p->n;
    in.body_len = r->body_len;
    in.now = 1700000000;
    return in;
}

/* Inspects and returns the number of findings, written into out[]. */
static size_t inspect(const struct resp *r, redir_finding *out, size_t cap)
{
    parsed p;
    redir_inspect_input in = make_input(r, &p);
    size_t n = 99;
    redir_result res = redir_inspect(&in, out, cap, &n);
    ck_assert_msg(res == REDIR_OK, "%d: %s", r->status, redir_result_name(res));
    return n;
}

static const redir_finding *find_id(const redir_finding *f, size_t n,
                                    const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(f[i].name, name))
            return &f[i];
    return NULL;
}

static redir_finding_id id_of(const char *name)
{
    for (int i = 0; i < REDIR_FINDING_LAST_; i++)
        if (!strcmp(redir_finding_name((redir_finding_id)i), name))
            return (redir_finding_id)i;
    ck_abort_msg("no finding named %s", name);
    return REDIR_FINDING_LAST_;
}

/* The severity REDIR_FINDING_LIST gives an id. */
static redir_severity list_severity(redir_finding_id id)
{
    switch (id) {
#define REDIR_X_(name, str, sev, spec)                                         \
    case REDIR_FINDING_##name: return REDIR_SEVERITY_##sev;
        REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
    case REDIR_FINDING_LAST_: break;
    }
    return REDIR_SEVERITY_INFO;
}

/* ---- every finding, and its correction ---------------------------------------- */

static const struct fcase {
    const char *id;
    struct resp bad, good;
} fcases[] = {
    {"missing-location",
     {"GET", "https://a.example/old", 301, "", 0},
     {"GET", "https://a.example/old", 301, "Location: https://a.example/new", 0}},
    {"missing-location",
     {"GET", "https://a.example/old", 308, "Content-Length: 0", 0},
     {"GET", "https://a.example/old", 308, "Location: https://a.example/new", 0}},
    {"multiple-locations",
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/a\nLocation: https://a.example/b", 0},
     {"GET", "https://a.example/", 302, "Location: https://a.example/a", 0}},
    {"multiple-locations",
     {NULL, NULL, 307, "Location: https://a.example/a\nlocation: https://a.example/a", 0},
     {NULL, NULL, 307, "Location: https://a.example/a", 0}},
    {"invalid-location",
     {"GET", "https://a.example/", 302, "Location: https://a.example/a b", 0},
     {"GET", "https://a.example/", 302, "Location: https://a.example/a%20b", 0}},
    {"invalid-location",
     {"GET", "https://a.example/", 302, "Location: ", 0},
     {"GET", "https://a.example/", 302, "Location: https://a.example/x", 0}},
    {"invalid-location",
     {NULL, NULL, 301, "Location: https://a.example:99999/", 0},
     {NULL, NULL, 301, "Location: https://a.example:9999/", 0}},
    {"invalid-location",
     {"GET", "https://a.example/", 201, "Location: /new\\item", 0},
     {"GET", "https://a.example/", 201, "Location: https://a.example/new/item", 0}},
    {"userinfo-in-location",
     {"GET", "https://a.example/", 302, "Location: https://user:pw@b.example/", 0},
     {"GET", "https://a.example/", 302, "Location: https://b.example/", 0}},
    {"relative-location",
     {"GET", "https://a.example/old", 301, "Location: /new", 0},
     {"GET", "https://a.example/old", 301, "Location: https://a.example/new", 0}},
    {"location-on-non-redirect",
     {"GET", "https://a.example/", 200, "Location: /x\nContent-Length: 0", 0},
     {"GET", "https://a.example/", 200, "Content-Length: 0", 0}},
    {"location-on-non-redirect",
     {"GET", "https://a.example/", 404, "Location: /x", -1},
     {"POST", "https://a.example/", 201, "Location: https://a.example/x", -1}},
    {"insecure-downgrade",
     {"GET", "https://a.example/", 301, "Location: http://a.example/", 0},
     {"GET", "https://a.example/", 301, "Location: https://a.example/", 0}},
    {"insecure-downgrade",
     {"GET", "https://a.example/", 302, "Location: HTTP://b.example/x", 0},
     {"GET", "http://a.example/", 302, "Location: http://b.example/x", 0}},
    {"method-rewrite-risk",
     {"POST", "https://a.example/form", 302, "Location: https://a.example/done", 0},
     {"POST", "https://a.example/form", 303, "Location: https://a.example/done", 0}},
    {"method-rewrite-risk",
     {"POST", "https://a.example/form", 301, "Location: https://b.example/form", 0},
     {"POST", "https://a.example/form", 308, "Location: https://b.example/form", 0}},
    {"method-rewrite-risk",
     {"PUT", "https://a.example/r", 301, "Location: https://a.example/s", 0},
     {"GET", "https://a.example/r", 301, "Location: https://a.example/s", 0}},
    {"sticky-temporary-redirect",
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/x\nCache-Control: max-age=31536000", 0},
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/x\nCache-Control: max-age=300", 0}},
    {"sticky-temporary-redirect",
     {"GET", "https://a.example/", 307,
      "Location: https://a.example/x\nCache-Control: public, s-maxage=604800", 0},
     {"GET", "https://a.example/", 307,
      "Location: https://a.example/x\nCache-Control: s-maxage=604800, no-cache", 0}},
    {"sticky-temporary-redirect",
     {"GET", "https://a.example/", 303,
      "Location: https://a.example/x\nDate: Tue, 14 Nov 2023 22:13:20 GMT\n"
      "Expires: Thu, 14 Nov 2024 22:13:20 GMT", 0},
     {"GET", "https://a.example/", 303,
      "Location: https://a.example/x\nDate: Tue, 14 Nov 2023 22:13:20 GMT\n"
      "Expires: Tue, 14 Nov 2023 22:23:20 GMT", 0}},
    {"uncacheable-permanent-redirect",
     {"GET", "https://a.example/", 301,
      "Location: https://a.example/x\nCache-Control: no-store", 0},
     {"GET", "https://a.example/", 301,
      "Location: https://a.example/x\nCache-Control: max-age=31536000", 0}},
    {"uncacheable-permanent-redirect",
     {NULL, NULL, 308, "Location: https://a.example/x\nCache-Control: max-age=0", 0},
     {NULL, NULL, 308, "Location: https://a.example/x", 0}},
    {"uncacheable-permanent-redirect",
     {"GET", "https://a.example/", 301,
      "Location: https://a.example/x\nCache-Control: no-cache", 0},
     {"POST", "https://a.example/", 308,
      "Location: https://a.example/x\nCache-Control: no-cache", 0}},
    {"missing-vary",
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/de/\nCache-Control: max-age=3600", 0},
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/de/\nCache-Control: max-age=3600\n"
      "Vary: Accept-Encoding, Accept-Language", 0}},
    {"missing-vary",
     {"GET", "https://a.example/", 301, "Location: https://m.a.example/", 0},
     {"GET", "https://a.example/", 301,
      "Location: https://m.a.example/\nVary: User-Agent", 0}},
    {"deprecated-status",
     {"GET", "https://a.example/", 305, "Location: http://proxy.example:3128/", 0},
     {"GET", "https://a.example/", 307, "Location: https://a.example/x", 0}},
    {"unused-status",
     {"GET", "https://a.example/", 306, "Location: https://a.example/x", 0},
     {"GET", "https://a.example/", 307, "Location: https://a.example/x", 0}},
    {"unused-status",
     {"GET", "https://a.example/", 418, "", 0},
     {"GET", "https://a.example/", 400, "", 0}},
    {"unregistered-status",
     {"GET", "https://a.example/", 299, "", 0},
     {"GET", "https://a.example/", 200, "", 0}},
    {"unregistered-status",
     {"GET", "https://a.example/", 399, "Location: https://a.example/x", 0},
     {"GET", "https://a.example/", 302, "Location: https://a.example/x", 0}},
    {"body-not-allowed",
     {"GET", "https://a.example/", 204, "Content-Type: text/plain", 12},
     {"GET", "https://a.example/", 204, "", 0}},
    {"body-not-allowed",
     {"GET", "https://a.example/", 204, "Content-Length: 5", -1},
     {"GET", "https://a.example/", 204, "Content-Length: 0", -1}},
    {"body-not-allowed",
     {"GET", "https://a.example/", 204, "Transfer-Encoding: chunked", -1},
     {"GET", "https://a.example/", 204, "", -1}},
    {"body-not-allowed",
     {"GET", "https://a.example/", 304, "Content-Length: 5", 5},
     {"GET", "https://a.example/", 304, "Content-Length: 5", 0}},
    {"body-not-allowed",
     {"POST", "https://a.example/", 205, "Content-Length: 3", -1},
     {"POST", "https://a.example/", 205, "Content-Length: 0", -1}},
    {"body-not-allowed",
     {"GET", "https://a.example/", 103, "Transfer-Encoding: chunked", -1},
     {"GET", "https://a.example/", 103, "Link: </s.css>; rel=preload", -1}},
    {"missing-content-type",
     {"GET", "https://a.example/", 200, "Content-Length: 10", 10},
     {"GET", "https://a.example/", 200, "Content-Length: 10\nContent-Type: text/plain", 10}},
    {"missing-content-type",
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/x\nTransfer-Encoding: chunked", -1},
     {"GET", "https://a.example/", 302,
      "Location: https://a.example/x\nTransfer-Encoding: chunked", 0}},
    {"missing-retry-after",
     {"GET", "https://a.example/", 503, "", 0},
     {"GET", "https://a.example/", 503, "Retry-After: 120", 0}},
    {"missing-retry-after",
     {"GET", "https://a.example/", 429, "", 0},
     {"GET", "https://a.example/", 429, "Retry-After: Wed, 15 Nov 2023 00:00:00 GMT", 0}},
    {"invalid-retry-after",
     {"GET", "https://a.example/", 503, "Retry-After: soon", 0},
     {"GET", "https://a.example/", 503, "Retry-After: 120", 0}},
    {"invalid-retry-after",
     {"GET", "https://a.example/", 301,
      "Location: https://a.example/x\nRetry-After: -5", 0},
     {"GET", "https://a.example/", 301, "Location: https://a.example/x", 0}},
    {"missing-allow",
     {"DELETE", "https://a.example/", 405, "", 0},
     {"DELETE", "https://a.example/", 405, "Allow: GET, HEAD", 0}},
    {"missing-allow",
     {"DELETE", "https://a.example/", 405, "", 0},
     {"DELETE", "https://a.example/", 405, "Allow:", 0}},
    {"missing-www-authenticate",
     {"GET", "https://a.example/", 401, "", 0},
     {"GET", "https://a.example/", 401, "WWW-Authenticate: Basic realm=\"x\"", 0}},
    {"missing-proxy-authenticate",
     {"GET", "https://a.example/", 407, "", 0},
     {"GET", "https://a.example/", 407, "Proxy-Authenticate: Basic realm=\"p\"", 0}},
    {"missing-content-range",
     {"GET", "https://a.example/", 206, "Content-Type: text/plain", 5},
     {"GET", "https://a.example/", 206,
      "Content-Type: text/plain\nContent-Range: bytes 0-4/10", 5}},
    {"missing-content-range",
     {"GET", "https://a.example/", 206, "Content-Type: text/plain", 5},
     {"GET", "https://a.example/", 206,
      "Content-Type: multipart/byteranges; boundary=x", 5}},
    {"missing-content-range",
     {"GET", "https://a.example/", 416, "", 0},
     {"GET", "https://a.example/", 416, "Content-Range: bytes */10", 0}},
};

START_TEST(finding_and_correction)
{
    const struct fcase *c = &fcases[_i];
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n = inspect(&c->bad, f, LEN(f));
    const redir_finding *x = find_id(f, n, c->id);
    ck_assert_msg(x != NULL, "case %d: %s not found (%zu findings%s%s)", _i,
                  c->id, n, n ? ", first " : "", n ? f[0].name : "");
    redir_finding_id id = id_of(c->id);
    ck_assert_int_eq(x->id, id);
    ck_assert_str_eq(x->name, redir_finding_name(id));
    ck_assert_msg(x->message && strlen(x->message) > 40, "%s: message", c->id);
    ck_assert_msg(x->spec && !strncmp(x->spec, "RFC ", 4), "%s: spec", c->id);
    ck_assert(x->message[strlen(x->message) - 1] == '.');
    if (!(id == REDIR_FINDING_MISSING_CONTENT_RANGE && c->bad.status == 416))
        ck_assert_int_eq(x->severity, list_severity(id));
    else
        ck_assert_int_eq(x->severity, REDIR_SEVERITY_WARNING);

    n = inspect(&c->good, f, LEN(f));
    x = find_id(f, n, c->id);
    ck_assert_msg(x == NULL, "case %d: %s still found in the correction: %s", _i,
                  c->id, x ? x->message : "");
}
END_TEST

/* Every per-response id has a row above. */
START_TEST(every_id_has_a_case)
{
    for (int i = 0; i < REDIR_FINDING_LAST_; i++) {
        if (i == REDIR_FINDING_REDIRECT_LOOP || i == REDIR_FINDING_LONG_CHAIN ||
            i == REDIR_FINDING_TOO_MANY_REDIRECTS)
            continue;
        const char *name = redir_finding_name((redir_finding_id)i);
        bool seen = false;
        for (size_t k = 0; k < LEN(fcases); k++)
            seen |= !strcmp(fcases[k].id, name);
        ck_assert_msg(seen, "no case for %s", name);
    }
}
END_TEST

/* Correct, ordinary responses: nothing but the expected info. */
START_TEST(clean_responses)
{
    static const struct resp clean[] = {
        {"GET", "https://a.example/", 200,
         "Content-Type: text/html\nContent-Length: 5", 5},
        {"GET", "https://a.example/old", 301, "Location: https://a.example/new", 0},
        {"HEAD", "https://a.example/old", 308,
         "Location: https://a.example/new\nCache-Control: max-age=86400", 0},
        {"POST", "https://a.example/form", 303, "Location: https://a.example/done", 0},
        {"POST", "https://a.example/api", 307, "Location: https://b.example/api", 0},
        {"GET", "https://a.example/", 302,
         "Location: https://a.example/login\nCache-Control: no-store", 0},
        {"GET", "https://a.example/", 304, "ETag: \"x\"\nContent-Length: 100", 0},
        {"HEAD", "https://a.example/", 200,
         "Content-Type: text/html\nContent-Length: 100", 0},
        {NULL, NULL, 204, "", -1},
        {"GET", "https://a.example/", 503, "Retry-After: 60", 0},
        {"GET", "http://a.example/", 301, "Location: https://a.example/", 0},
    };
    for (size_t i = 0; i < LEN(clean); i++) {
        redir_finding f[REDIR_FINDING_LAST_];
        size_t n = inspect(&clean[i], f, LEN(f));
        ck_assert_msg(n == 0, "clean %zu (%d): %zu findings, first %s: %s", i,
                      clean[i].status, n, n ? f[0].name : "",
                      n ? f[0].message : "");
    }
}
END_TEST

/* ---- names -------------------------------------------------------------------- */

START_TEST(finding_names)
{
    ck_assert_str_eq(redir_severity_name(REDIR_SEVERITY_INFO), "info");
    ck_assert_str_eq(redir_severity_name(REDIR_SEVERITY_WARNING), "warning");
    ck_assert_str_eq(redir_severity_name(REDIR_SEVERITY_ERROR), "error");
    ck_assert_str_eq(redir_severity_name((redir_severity)7), "unknown");
    ck_assert_str_eq(redir_finding_name(REDIR_FINDING_LAST_), "unknown");
    ck_assert_str_eq(redir_finding_name((redir_finding_id)-1), "unknown");
    ck_assert_str_eq(redir_finding_name(REDIR_FINDING_MISSING_LOCATION),
                     "missing-location");
    ck_assert_str_eq(redir_finding_name(REDIR_FINDING_TOO_MANY_REDIRECTS),
                     "too-many-redirects");
    for (int i = 0; i < REDIR_FINDING_LAST_; i++) {
        const char *a = redir_finding_name((redir_finding_id)i);
        ck_assert_str_ne(a, "unknown");
        for (const char *p = a; *p; p++)
            ck_assert_msg((*p >= 'a' && *p <= 'z') || *p == '-', "%s", a);
        for (int k = 0; k < i; k++)
            ck_assert_str_ne(a, redir_finding_name((redir_finding_id)k));
    }
}
END_TEST

/* ---- output buffers and order ------------------------------------------------- */

/* A 302 to POST with a space in the Location, a body without type, and a
 * year of max-age ... */
static const struct resp many = {
    "POST", "https://a.example/form", 302,
    "Location: http://a.example/x\nLocation: /y\nCache-Control: max-age=31536000\n"
    "Content-Length: 20\nRetry-After: later",
    20};

START_TEST(buffers_and_order)
{
    redir_finding all[REDIR_FINDING_LAST_];
    size_t n = inspect(&many, all, LEN(all));
    ck_assert_uint_ge(n, 4);
    for (size_t i = 1; i < n; i++)
        ck_assert_int_lt(all[i - 1].id, all[i].id);
    ck_assert_ptr_nonnull(find_id(all, n, "multiple-locations"));
    ck_assert_ptr_nonnull(find_id(all, n, "insecure-downgrade"));
    ck_assert_ptr_nonnull(find_id(all, n, "method-rewrite-risk"));
    ck_assert_ptr_nonnull(find_id(all, n, "missing-content-type"));
    ck_assert_ptr_nonnull(find_id(all, n, "invalid-retry-after"));

    parsed p;
    redir_inspect_input in = make_input(&many, &p);
    size_t count = 0;
    /* size query */
    ck_assert_int_eq(redir_inspect(&in, NULL, 0, &count), REDIR_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(count, n);
    /* every smaller capacity: the first cap findings, nothing past them */
    for (size_t cap = 1; cap < n; cap++) {
        redir_finding f[REDIR_FINDING_LAST_ + 1];
        memset(f, 0xa5, sizeof f);
        count = 0;
        ck_assert_int_eq(redir_inspect(&in, f, cap, &count),
                         REDIR_E_BUFFER_TOO_SMALL);
        ck_assert_uint_eq(count, n);
        for (size_t i = 0; i < cap; i++) {
            ck_assert_int_eq(f[i].id, all[i].id);
            ck_assert_str_eq(f[i].message, all[i].message);
        }
        const unsigned char *past = (const unsigned char *)&f[cap];
        for (size_t b = 0; b < sizeof f[0]; b++)
            ck_assert_uint_eq(past[b], 0xa5);
    }
    redir_finding exact[REDIR_FINDING_LAST_];
    ck_assert_int_eq(redir_inspect(&in, exact, n, &count), REDIR_OK);
    ck_assert_uint_eq(count, n);
    /* no findings: cap 0 is enough */
    struct resp ok = {"GET", "https://a.example/", 200, "", 0};
    in = make_input(&ok, &p);
    ck_assert_int_eq(redir_inspect(&in, NULL, 0, &count), REDIR_OK);
    ck_assert_uint_eq(count, 0);
}
END_TEST

/* ---- the Location ------------------------------------------------------------- */

START_TEST(invalid_location_reasons)
{
    static const char *const bad[] = {
        "/a\rb",       "/a\x01", "/a b",      "/r\xc3\xa9sum\xc3\xa9",
        "/a\\b",       "/%zz",   "/a{b}",     "https://h:65536/",
        "https://[::1/", "https:///x", "//",   "ht tp://x",
        "https://a..b\x7f/",
    };
    const char *seen[LEN(bad)];
    size_t distinct = 0;
    for (size_t i = 0; i < LEN(bad); i++) {
        char fields[128];
        snprintf(fields, sizeof fields, "Location: %s", bad[i]);
        struct resp r = {"GET", "https://a.example/p", 302, fields, 0};
        redir_finding f[REDIR_FINDING_LAST_];
        size_t n = inspect(&r, f, LEN(f));
        const redir_finding *x = find_id(f, n, "invalid-location");
        ck_assert_msg(x != NULL, "'%s' not refused", bad[i]);
        ck_assert_ptr_null(find_id(f, n, "relative-location"));
        bool known = false;
        for (size_t k = 0; k < distinct; k++)
            known |= seen[k] == x->message;
        if (!known)
            seen[distinct++] = x->message;
    }
    ck_assert_uint_ge(distinct, 9); /* the message names the reason */

    /* without the request URL a relative Location is judged on its own */
    struct resp r = {NULL, NULL, 302, "Location: ../up?q=1#f", 0};
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n = inspect(&r, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "invalid-location"));
    ck_assert_ptr_nonnull(find_id(f, n, "relative-location"));
    /* surrounding whitespace is not part of the value */
    struct resp t = {"GET", "https://a.example/", 301,
                     "Location: \t https://a.example/x \t", 0};
    ck_assert_uint_eq(inspect(&t, f, LEN(f)), 0);
    /* a 201's Location is used too, and judged */
    struct resp c = {"POST", "https://a.example/items", 201,
                     "Location: /items/1 2", 0};
    n = inspect(&c, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "invalid-location"));
    ck_assert_ptr_null(find_id(f, n, "location-on-non-redirect"));
}
END_TEST

/* ---- the Vary heuristic ------------------------------------------------------- */

static const struct vcase {
    const char *url, *fields;
    int status;
    bool expect;
} vcases[] = {
    /* chosen by language: path segments and query parameters */
    {"https://a.example/", "Location: /en/\nCache-Control: max-age=600", 302, true},
    {"https://a.example/", "Location: /de-DE/start\nCache-Control: max-age=600", 307, true},
    {"https://a.example/", "Location: /pt_BR\nCache-Control: max-age=600", 302, true},
    {"https://a.example/", "Location: /zh-Hant-TW/\nCache-Control: max-age=600", 302, true},
    {"https://a.example/", "Location: /es-419/\nCache-Control: max-age=600", 302, true},
    {"https://a.example/", "Location: /?lang=fr\nCache-Control: max-age=600", 302, true},
    {"https://a.example/x", "Location: /x?hl=ja&q=1", 301, true},   /* heuristic */
    {"https://a.example/", "Location: https://a.example/fr/", 308, true},
    /* not a language, or not chosen here */
    {"https://a.example/", "Location: /go/\nCache-Control: max-age=600", 302, false},
    {"https://a.example/", "Location: /v1/\nCache-Control: max-age=600", 302, false},
    {"https://a.example/", "Location: /docs/\nCache-Control: max-age=600", 302, false},
    {"https://a.example/", "Location: /en-x/\nCache-Control: max-age=600", 302, false},
    {"https://a.example/", "Location: /?q=fr\nCache-Control: max-age=600", 302, false},
    {"https://a.example/en/a", "Location: /en/b\nCache-Control: max-age=600", 302, false},
    {"https://a.example/?lang=fr", "Location: /home?lang=fr", 301, false},
    /* Vary names it, or no cache may reuse the redirect */
    {"https://a.example/", "Location: /en/\nCache-Control: max-age=600\n"
     "Vary: accept-language", 302, false},
    {"https://a.example/", "Location: /en/\nVary: Cookie\nVary: Accept-Language", 301, false},
    {"https://a.example/", "Location: /en/", 302, false},           /* not cacheable */
    {"https://a.example/", "Location: /en/\nCache-Control: no-store", 301, false},
    {"https://a.example/", "Location: /en/\nCache-Control: no-cache", 301, false},
    {"https://a.example/", "Location: /en/\nCache-Control: max-age=0", 301, false},
    {"https://a.example/", "Location: /en/\nVary: *", 301, false},
    {"https://a.example/", "Location: /en/\nCache-Control: max-age=600", 300, false},
    /* chosen by device */
    {"https://a.example/p", "Location: https://m.a.example/p", 301, true},
    {"https://a.example/p", "Location: https://mobile.a.example/p\n"
     "Cache-Control: max-age=60", 302, true},
    {"https://a.example/p", "Location: /mobile/p", 301, true},
    {"https://a.example/p", "Location: https://m.a.example/p\nVary: User-Agent", 301, false},
    {"https://m.a.example/p", "Location: https://m.a.example/q", 301, false},
    {"https://a.example/p", "Location: https://mail.a.example/p", 301, false},
    {"https://a.example/p", "Location: /mobilephones/p", 301, false},
    /* both: Vary must name both */
    {"https://a.example/", "Location: https://m.a.example/fr/", 301, true},
    {"https://a.example/", "Location: https://m.a.example/fr/\n"
     "Vary: User-Agent", 301, true},
    {"https://a.example/", "Location: https://m.a.example/fr/\n"
     "Vary: User-Agent, Accept-Language", 301, false},
    /* without the request URL the target alone decides */
    {NULL, "Location: /it/\nCache-Control: max-age=600", 302, true},
};

START_TEST(vary_heuristic)
{
    const struct vcase *c = &vcases[_i];
    struct resp r = {"GET", c->url, c->status, c->fields, 0};
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n = inspect(&r, f, LEN(f));
    const redir_finding *x = find_id(f, n, "missing-vary");
    ck_assert_msg(!x == !c->expect, "vary case %d (%s): %s", _i, c->fields,
                  x ? x->message : "not found");
    /* a POST is not cached: never */
    r.method = "POST";
    n = inspect(&r, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "missing-vary"));
}
END_TEST

/* ---- caching thresholds -------------------------------------------------------- */

START_TEST(sticky_threshold)
{
    struct resp r = {"GET", "https://a.example/", 302,
                     "Location: /x\nCache-Control: max-age=7200", 0};
    parsed p;
    redir_inspect_input in = make_input(&r, &p);
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n;
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_OK);
    ck_assert_ptr_null(find_id(f, n, "sticky-temporary-redirect"));
    redir_inspect_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.sticky_seconds = 3600;
    in.options = &o;
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_OK);
    ck_assert_ptr_nonnull(find_id(f, n, "sticky-temporary-redirect"));
    o.sticky_seconds = 7200; /* "over" the threshold */
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_OK);
    ck_assert_ptr_null(find_id(f, n, "sticky-temporary-redirect"));
    /* a heuristic lifetime is not sticky: 302 has none anyway, and an
     * explicit private max-age counts */
    struct resp q = {"GET", "https://a.example/", 307,
                     "Location: /x\nCache-Control: private, max-age=999999", 0};
    n = inspect(&q, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "sticky-temporary-redirect"));
    /* POST responses are not stored */
    q.method = "POST";
    n = inspect(&q, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "sticky-temporary-redirect"));
}
END_TEST

/* ---- chains -------------------------------------------------------------------- */

#define MAX_HOPS 64

typedef struct chain_buf {
    parsed p[MAX_HOPS];
    redir_inspect_input in[MAX_HOPS];
    size_t n;
} chain_buf;

static void add_hop(chain_buf *c, const char *method, const char *url, int status,
                    const char *fields)
{
    ck_assert_uint_lt(c->n, MAX_HOPS);
    struct resp r = {method, url, status, fields, 0};
    c->in[c->n] = make_input(&r, &c->p[c->n]);
    c->n++;
}

static size_t chain_findings(const chain_buf *c, const redir_inspect_options *o,
                             redir_finding *f, size_t cap)
{
    size_t n = 99;
    redir_result r = redir_inspect_chain(c->in, c->n, o, f, cap, &n);
    ck_assert_msg(r == REDIR_OK, "%s", redir_result_name(r));
    for (size_t i = 1; i < n && i < cap; i++)
        ck_assert_int_lt(f[i - 1].id, f[i].id);
    for (size_t i = 0; i < n && i < cap; i++) {
        ck_assert_int_eq(f[i].severity, list_severity(f[i].id));
        ck_assert(strlen(f[i].message) > 40);
    }
    return n;
}

START_TEST(chain_clean)
{
    static chain_buf c;
    memset(&c, 0, sizeof c);
    redir_finding f[REDIR_FINDING_LAST_];
    ck_assert_uint_eq(chain_findings(&c, NULL, f, LEN(f)), 0); /* no hops */
    size_t count;
    ck_assert_int_eq(redir_inspect_chain(NULL, 0, NULL, NULL, 0, &count), REDIR_OK);
    ck_assert_uint_eq(count, 0);
    add_hop(&c, "GET", "http://a.example/", 301, "Location: https://a.example/");
    add_hop(&c, "GET", "https://a.example/", 302, "Location: /en/");
    add_hop(&c, "GET", "https://a.example/en/", 200, "Content-Type: text/html");
    ck_assert_uint_eq(chain_findings(&c, NULL, f, LEN(f)), 0);
}
END_TEST

START_TEST(chain_loops)
{
    static chain_buf c;
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n;

    /* A -> B -> A, given as hop URLs */
    memset(&c, 0, sizeof c);
    add_hop(&c, "GET", "https://a.example/a", 302, "Location: /b");
    add_hop(&c, "GET", "https://a.example/b", 302, "Location: /a");
    add_hop(&c, "GET", "https://a.example/a", 302, "Location: /b");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "redirect-loop"));

    /* A -> B, and B's Location leads back to A: relative, absolute, with
     * the normalisation of redir_target_hash() */
    static const char *const back[] = {
        "/a", "a", "https://a.example/a", "HTTPS://A.EXAMPLE:443/%61",
        "//a.example/a#frag", "/a#x",
    };
    for (size_t i = 0; i < LEN(back); i++) {
        char fields[96];
        snprintf(fields, sizeof fields, "Location: %s", back[i]);
        memset(&c, 0, sizeof c);
        add_hop(&c, "GET", "https://a.example/a", 302, "Location: /b");
        add_hop(&c, "GET", "https://a.example/b", 302, fields);
        n = chain_findings(&c, NULL, f, LEN(f));
        ck_assert_msg(find_id(f, n, "redirect-loop") != NULL, "back to %s", back[i]);
    }
    /* ... and not to another URL */
    static const char *const away[] = {
        "/a?x", "/A", "https://a.example:8443/a", "http://a.example/a",
        "/a/", "https://b.example/a", "../a", /* dot segments: not resolved */
    };
    for (size_t i = 0; i < LEN(away); i++) {
        char fields[96];
        snprintf(fields, sizeof fields, "Location: %s", away[i]);
        memset(&c, 0, sizeof c);
        add_hop(&c, "GET", "https://a.example/a", 302, "Location: /b");
        add_hop(&c, "GET", "https://a.example/b", 302, fields);
        n = chain_findings(&c, NULL, f, LEN(f));
        ck_assert_msg(find_id(f, n, "redirect-loop") == NULL, "away to %s", away[i]);
    }
    /* a self-redirect */
    memset(&c, 0, sizeof c);
    add_hop(&c, NULL, "http://a.example/", 301, "Location: http://a.example");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "redirect-loop"));

    /* POST /form -> 303 -> GET /form is not a loop: the method changed */
    memset(&c, 0, sizeof c);
    add_hop(&c, "POST", "https://a.example/form", 303, "Location: /form");
    add_hop(&c, "GET", "https://a.example/form", 200, "Content-Type: text/html");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "redirect-loop"));
    memset(&c, 0, sizeof c);
    add_hop(&c, "POST", "https://a.example/form", 303, "Location: /form");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "redirect-loop"));
    memset(&c, 0, sizeof c);
    add_hop(&c, "POST", "https://a.example/form", 307, "Location: /form");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "redirect-loop"));

    /* a login flow: back to A after a cookie was set is fine ... */
    memset(&c, 0, sizeof c);
    add_hop(&c, "GET", "https://a.example/app", 302, "Location: /login");
    add_hop(&c, "GET", "https://a.example/login", 302,
            "Location: /app\nSet-Cookie: s=1");
    add_hop(&c, "GET", "https://a.example/app", 200, "Content-Type: text/html");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "redirect-loop"));
    /* ... also when the last Location is the one that goes back ... */
    c.n = 2;
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "redirect-loop"));
    /* ... but not a third time */
    c.n = 3;
    c.in[2].status = 302;
    c.p[2].h[0] = (redir_header){"Location", 8, "/login", 6};
    add_hop(&c, "GET", "https://a.example/login", 302,
            "Location: /app\nSet-Cookie: s=2");
    add_hop(&c, "GET", "https://a.example/app", 302, "Location: /login");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "redirect-loop"));
    c.n = 4; /* the last Location makes the third visit of /app */
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_nonnull(find_id(f, n, "redirect-loop"));

    /* hops without URLs take no part */
    memset(&c, 0, sizeof c);
    add_hop(&c, NULL, NULL, 302, "Location: /b");
    add_hop(&c, NULL, NULL, 302, "Location: /a");
    add_hop(&c, NULL, NULL, 302, "Location: /b");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_ptr_null(find_id(f, n, "redirect-loop"));
}
END_TEST

START_TEST(chain_lengths)
{
    static chain_buf c;
    static char urls[MAX_HOPS][48], locs[MAX_HOPS][64];
    redir_finding f[REDIR_FINDING_LAST_];
    memset(&c, 0, sizeof c);
    for (int i = 0; i < 10; i++) {
        snprintf(urls[i], sizeof urls[i], "https://a.example/%d", i);
        snprintf(locs[i], sizeof locs[i], "Location: /%d", i + 1);
        add_hop(&c, "GET", urls[i], 301, locs[i]);
    }
    add_hop(&c, "GET", "https://a.example/10", 200, "Content-Type: text/plain");
    size_t n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 0); /* ten redirects: at the default limit */

    /* eleven: long */
    c.n = 10;
    snprintf(urls[10], sizeof urls[10], "https://a.example/10");
    snprintf(locs[10], sizeof locs[10], "Location: /11");
    add_hop(&c, "GET", urls[10], 302, locs[10]);
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(f[0].name, "long-chain");

    /* options: a shorter long chain, a stricter client */
    redir_inspect_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o;
    o.long_chain = 20;
    ck_assert_uint_eq(chain_findings(&c, &o, f, LEN(f)), 0);
    o.policy = redir_profile_get("urllib3"); /* 3 redirects */
    ck_assert_ptr_nonnull(o.policy);
    n = chain_findings(&c, &o, f, LEN(f));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(f[0].name, "too-many-redirects");
    o.long_chain = 3;
    n = chain_findings(&c, &o, f, LEN(f));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(f[0].name, "long-chain");
    ck_assert_str_eq(f[1].name, "too-many-redirects");

    /* past the rfc9110 limit of 20 */
    memset(&c, 0, sizeof c);
    for (int i = 0; i < 21; i++) {
        snprintf(urls[i], sizeof urls[i], "https://a.example/%d", i);
        snprintf(locs[i], sizeof locs[i], "Location: /%d", i + 1);
        add_hop(&c, "GET", urls[i], 307, locs[i]);
    }
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(f[0].name, "long-chain");
    ck_assert_str_eq(f[1].name, "too-many-redirects");
    c.n = 20;
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 1);
    /* buffers */
    size_t count;
    c.n = 21;
    ck_assert_int_eq(redir_inspect_chain(c.in, c.n, NULL, NULL, 0, &count),
                     REDIR_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(count, 2);
    ck_assert_int_eq(redir_inspect_chain(c.in, c.n, NULL, f, 1, &count),
                     REDIR_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(count, 2);
    ck_assert_str_eq(f[0].name, "long-chain");
    /* a redirect without Location does not count */
    c.n = 11;
    c.in[10].header_count = 0;
    ck_assert_uint_eq(chain_findings(&c, NULL, f, LEN(f)), 0);
    /* a memory longer than REDIR_CHAIN_MEMORY targets: still no loop */
    memset(&c, 0, sizeof c);
    static char many_urls[MAX_HOPS][48];
    for (int i = 0; i < MAX_HOPS; i++) {
        snprintf(many_urls[i], sizeof many_urls[i], "https://a.example/%d", i);
        add_hop(&c, "GET", many_urls[i], 200, "Content-Type: text/plain");
    }
    ck_assert_uint_eq(chain_findings(&c, NULL, f, LEN(f)), 0);
}
END_TEST

START_TEST(chain_downgrade)
{
    static chain_buf c;
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n;
    /* between two given URLs, the Location relative */
    memset(&c, 0, sizeof c);
    add_hop(&c, "GET", "https://a.example/", 302, "Location: //b.example/");
    add_hop(&c, "GET", "http://b.example/", 200, "Content-Type: text/plain");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(f[0].name, "insecure-downgrade");
    /* in the last Location */
    memset(&c, 0, sizeof c);
    add_hop(&c, "GET", "http://a.example/", 301, "Location: https://a.example/");
    add_hop(&c, "GET", "https://a.example/", 301, "Location: http://c.example/");
    n = chain_findings(&c, NULL, f, LEN(f));
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(f[0].name, "insecure-downgrade");
    /* an upgrade is not */
    c.n = 1;
    ck_assert_uint_eq(chain_findings(&c, NULL, f, LEN(f)), 0);
}
END_TEST

/* ---- hostile input -------------------------------------------------------------- */

START_TEST(hostile_arguments)
{
    redir_finding f[4];
    size_t n = 7;
    redir_header h = {"Location", 8, "/x", 2};
    redir_inspect_input in;
    memset(&in, 0, sizeof in);
    in.status = 302;
    in.headers = &h;
    in.header_count = 1;
    in.body_len = -1;
    ck_assert_int_eq(redir_inspect(NULL, f, 4, &n), REDIR_E_NULL);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(redir_inspect(&in, f, 4, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_inspect(&in, NULL, 4, &n), REDIR_E_NULL);
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);

    static const int bad_status[] = {0, -1, 99, 600, 1000, 2147483647};
    for (size_t i = 0; i < LEN(bad_status); i++) {
        in.status = bad_status[i];
        n = 7;
        ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_STATUS_RANGE);
        ck_assert_uint_eq(n, 0);
    }
    in.status = 100;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);
    in.status = 599;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);

    in.headers = NULL;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_NULL);
    in.header_count = 0;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);
    redir_header nameless = {NULL, 0, "x", 1};
    in.headers = &nameless;
    in.header_count = 1;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_NULL);
    redir_header valueless[] = {{"Location", 8, NULL, 5}, {"Vary", 4, NULL, 0}};
    in.headers = valueless;
    in.header_count = 2;
    in.status = 301;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);
    ck_assert_ptr_nonnull(find_id(f, n, "invalid-location")); /* empty */

    in.headers = &h;
    in.header_count = 1;
    in.body_len = -2;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_ARGUMENT);
    in.body_len = INT64_MAX;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);
    in.method = "PO ST";
    in.method_len = 5;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_METHOD);
    in.method_len = 0;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_METHOD);
    in.method = NULL;
    in.url = "/relative";
    in.url_len = 9;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_BASE_NOT_ABSOLUTE);
    in.url = "https://a b/";
    in.url_len = 12;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_BASE_INVALID);
    in.url = NULL;
    redir_inspect_options o;
    memset(&o, 0, sizeof o);
    o.size = sizeof o - 1;
    in.options = &o;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_E_ARGUMENT);
    ck_assert_int_eq(redir_inspect_chain(&in, 1, &o, f, 4, &n), REDIR_E_ARGUMENT);
    o.size = sizeof o;
    ck_assert_int_eq(redir_inspect(&in, f, 4, &n), REDIR_OK);

    /* chains */
    ck_assert_int_eq(redir_inspect_chain(NULL, 1, NULL, f, 4, &n), REDIR_E_NULL);
    ck_assert_int_eq(redir_inspect_chain(&in, 1, NULL, f, 4, NULL), REDIR_E_NULL);
    ck_assert_int_eq(redir_inspect_chain(&in, 1, NULL, NULL, 1, &n), REDIR_E_NULL);
    redir_inspect_input two[2] = {in, in};
    two[1].status = 600;
    n = 5;
    ck_assert_int_eq(redir_inspect_chain(two, 2, NULL, f, 4, &n), REDIR_E_STATUS_RANGE);
    ck_assert_uint_eq(n, 0);
    redir_policy p;
    ck_assert_int_eq(REDIR_POLICY_INIT(&p, NULL), REDIR_OK);
    p.size = 8;
    o.policy = &p;
    ck_assert_int_eq(redir_inspect_chain(&in, 1, &o, f, 4, &n), REDIR_E_POLICY);
}
END_TEST

START_TEST(hostile_lengths)
{
    const size_t big = 1u << 20;
    char *v = malloc(big);
    ck_assert_ptr_nonnull(v);
    memset(v, 'a', big);
    v[0] = '/';
    redir_finding f[REDIR_FINDING_LAST_];
    size_t n = 3;
    static const char *const names[] = {"Location", "Cache-Control", "Vary",
                                        "Retry-After", "Content-Length", "X-Junk"};
    for (size_t i = 0; i < LEN(names); i++) {
        redir_header h = {names[i], strlen(names[i]), v, big};
        redir_inspect_input in;
        memset(&in, 0, sizeof in);
        in.status = 301;
        in.headers = &h;
        in.header_count = 1;
        in.body_len = -1;
        ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_E_TOO_LONG);
        ck_assert_uint_eq(n, 0);
        ck_assert_int_eq(redir_inspect_chain(&in, 1, NULL, f, LEN(f), &n),
                         REDIR_E_TOO_LONG);
        /* at the limit: accepted and judged */
        h.value_len = REDIR_MAX_INPUT;
        ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_OK);
        h.name = v;
        h.name_len = big;
        ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_E_TOO_LONG);
    }
    redir_inspect_input in;
    memset(&in, 0, sizeof in);
    in.status = 200;
    in.url = v;
    in.url_len = big;
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_E_TOO_LONG);
    in.url = NULL;
    in.method = v;
    in.method_len = big;
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_E_TOO_LONG);
    /* many header fields */
    enum { MANY = 20000 };
    redir_header *hs = malloc(sizeof *hs * MANY);
    ck_assert_ptr_nonnull(hs);
    for (size_t i = 0; i < MANY; i++)
        hs[i] = (redir_header){"Location", 8, "/x", 2};
    in.method = "GET";
    in.method_len = 3;
    in.url = "https://a.example/";
    in.url_len = 18;
    in.status = 302;
    in.headers = hs;
    in.header_count = MANY;
    ck_assert_int_eq(redir_inspect(&in, f, LEN(f), &n), REDIR_OK);
    ck_assert_ptr_nonnull(find_id(f, n, "multiple-locations"));
    free(hs);
    free(v);
}
END_TEST

/* xorshift: the same bytes on every machine */
static unsigned long long rng_state = 0x9e3779b97f4a7c15ull;
static unsigned rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state >> 32);
}

START_TEST(random_bytes)
{
    static const char *const names[] = {
        "Location", "Cache-Control", "Expires", "Date", "Age", "Vary",
        "Retry-After", "Content-Length", "Transfer-Encoding", "Content-Type",
        "Set-Cookie", "Pragma", "Last-Modified", "Allow", "Content-Range", "X"};
    static const char alphabet[] = "/.:?#%@[]-_=&;,\"\\ \t\r\n\x01\x7f\xc3\xa9"
                                   "09azAZ*mn";
    static char values[8][96];
    static const char *const urls[] = {NULL, "https://a.example/p/q?x#f",
                                       "http://m.a.example/", "urn:x"};
    static chain_buf c;
    memset(&c, 0, sizeof c);
    for (int round = 0; round < 4000; round++) {
        redir_header h[8];
        size_t nh = rnd() % 9;
        for (size_t i = 0; i < nh; i++) {
            size_t len = rnd() % sizeof values[i];
            for (size_t k = 0; k < len; k++)
                values[i][k] = (rnd() % 3)
                                   ? alphabet[rnd() % (sizeof alphabet - 1)]
                                   : (char)(rnd() & 0xff);
            const char *name = names[rnd() % LEN(names)];
            h[i] = (redir_header){name, strlen(name), values[i], len};
        }
        redir_inspect_input in;
        memset(&in, 0, sizeof in);
        in.status = 100 + (int)(rnd() % 500);
        if (rnd() % 3 == 0)
            in.status = 300 + (int)(rnd() % 10);
        in.headers = h;
        in.header_count = nh;
        in.body_len = (long long)(rnd() % 4) - 1;
        in.url = urls[rnd() % LEN(urls)];
        in.url_len = in.url ? strlen(in.url) : 0;
        in.method = (rnd() % 2) ? "POST" : NULL;
        in.method_len = in.method ? 4 : 0;
        in.now = (int64_t)rnd() * 1000;
        redir_finding f[REDIR_FINDING_LAST_];
        size_t n;
        redir_result r = redir_inspect(&in, f, LEN(f), &n);
        ck_assert_msg(r == REDIR_OK, "round %d: %s", round, redir_result_name(r));
        for (size_t i = 0; i < n; i++) {
            ck_assert_int_lt(f[i].id, REDIR_FINDING_LAST_);
            ck_assert_ptr_nonnull(f[i].message);
        }
        size_t small;
        r = redir_inspect(&in, f, 1, &small);
        ck_assert_uint_eq(small, n);
        ck_assert_int_eq(r, n > 1 ? REDIR_E_BUFFER_TOO_SMALL : REDIR_OK);
        /* the same hop in a chain of a few: no copy of the values, so only
         * as many as there are value buffers: one */
        redir_inspect_input hops[3] = {in, in, in};
        r = redir_inspect_chain(hops, 1 + rnd() % 3, NULL, f, LEN(f), &n);
        ck_assert_msg(r == REDIR_OK, "round %d: %s", round, redir_result_name(r));
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");
    tcase_add_loop_test(tc, finding_and_correction, 0, (int)LEN(fcases));
    tcase_add_test(tc, every_id_has_a_case);
    tcase_add_test(tc, clean_responses);
    tcase_add_test(tc, finding_names);
    tcase_add_test(tc, buffers_and_order);
    tcase_add_test(tc, invalid_location_reasons);
    tcase_add_loop_test(tc, vary_heuristic, 0, (int)LEN(vcases));
    tcase_add_test(tc, sticky_threshold);
    tcase_add_test(tc, chain_clean);
    tcase_add_test(tc, chain_loops);
    tcase_add_test(tc, chain_lengths);
    tcase_add_test(tc, chain_downgrade);
    tcase_add_test(tc, hostile_arguments);
    tcase_add_test(tc, hostile_lengths);
    tcase_add_test(tc, random_bytes);
    suite_add_tcase(s, tc);
    return s;
}
