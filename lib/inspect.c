/* SPDX-License-Identifier: MIT */
/*
 * The inspector: findings about one response (redir_inspect()) and about a
 * chain of them (redir_inspect_chain()). Each check reads the response's
 * fields once more through the parts of the library that own the facts:
 * the status knowledge base (flags), the URI layer (Location), the cache
 * evaluation (freshness) and the chain's target hash (loops). Nothing is
 * allocated: findings are collected in a per-id table on the stack and
 * written out in id order; every message is a static sentence.
 */
#include "policy.h"
#include "util.h"

#include <string.h>

/* ---- names -------------------------------------------------------------------- */

static const struct {
    const char *name;
    redir_severity severity;
    const char *spec;
} finding_info[REDIR_FINDING_LAST_] = {
#define REDIR_X_(name, id, severity, spec) {id, REDIR_SEVERITY_##severity, spec},
    REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
};

const char *redir_severity_name(redir_severity s)
{
    switch (s) {
    case REDIR_SEVERITY_INFO: return "info";
    case REDIR_SEVERITY_WARNING: return "warning";
    case REDIR_SEVERITY_ERROR: return "error";
    }
    return "unknown";
}

const char *redir_finding_name(redir_finding_id id)
{
    switch (id) {
#define REDIR_X_(name, id, severity, spec)                                     \
    case REDIR_FINDING_##name: return id;
        REDIR_FINDING_LIST(REDIR_X_)
#undef REDIR_X_
    case REDIR_FINDING_LAST_: break;
    }
    return "unknown";
}

/* ---- collecting findings ------------------------------------------------------ */

/* At most one finding per id; a message (and, rarely, a severity or spec
 * other than the list's) chosen by the check that found it. */
typedef struct found {
    const char *message[REDIR_FINDING_LAST_];
    const char *spec[REDIR_FINDING_LAST_];     /* NULL: the list's */
    signed char severity[REDIR_FINDING_LAST_]; /* -1: the list's */
} found;

static void found_init(found *f)
{
    for (size_t i = 0; i < REDIR_FINDING_LAST_; i++) {
        f->message[i] = NULL;
        f->spec[i] = NULL;
        f->severity[i] = -1;
    }
}

static void note(found *f, redir_finding_id id, const char *message)
{
    if (!f->message[id])
        f->message[id] = message;
}

static redir_result emit(const found *f, redir_finding *out, size_t cap,
                         size_t *count)
{
    size_t n = 0;
    for (size_t i = 0; i < REDIR_FINDING_LAST_; i++) {
        if (!f->message[i])
            continue;
        if (n < cap) {
            redir_finding *x = &out[n];
            x->id = (redir_finding_id)i;
            x->severity = f->severity[i] >= 0 ? (redir_severity)f->severity[i]
                                              : finding_info[i].severity;
            x->name = finding_info[i].name;
            x->message = f->message[i];
            x->spec = f->spec[i] ? f->spec[i] : finding_info[i].spec;
        }
        n++;
    }
    *count = n;
    return n > cap ? REDIR_E_BUFFER_TOO_SMALL : REDIR_OK;
}

/* ---- fields ------------------------------------------------------------------- */

static redir_span value_of(const redir_header *h)
{
    redir_span v = {h->value ? h->value : "", h->value ? h->value_len : 0};
    rd_trim_ows(&v.ptr, &v.len);
    return v;
}

/* The first field named `lname` (lower case) and how many there are. */
static const redir_header *field(const redir_inspect_input *in,
                                 const char *lname, size_t *n)
{
    const redir_header *first = NULL;
    size_t k = 0;
    for (size_t i = 0; i < in->header_count; i++)
        if (rd_ieq_cstr(in->headers[i].name, in->headers[i].name_len, lname)) {
            if (!first)
                first = &in->headers[i];
            k++;
        }
    if (n)
        *n = k;
    return first;
}

static bool has_field(const redir_inspect_input *in, const char *lname)
{
    return field(in, lname, NULL) != NULL;
}

/* Whether any field named `lname` lists `member` (case-insensitive), as a
 * comma-separated list (RFC 9110, Section 5.6.1). */
static bool field_lists(const redir_inspect_input *in, const char *lname,
                        const char *member)
{
    for (size_t h = 0; h < in->header_count; h++) {
        if (!rd_ieq_cstr(in->headers[h].name, in->headers[h].name_len, lname))
            continue;
        redir_span v = value_of(&in->headers[h]);
        size_t i = 0;
        while (i <= v.len) {
            size_t e = i;
            while (e < v.len && v.ptr[e] != ',')
                e++;
            const char *p = v.ptr + i;
            size_t n = e - i;
            rd_trim_ows(&p, &n);
            if (rd_ieq_cstr(p, n, member))
                return true;
            i = e + 1;
        }
    }
    return false;
}

/* Content-Length (RFC 9110, Section 8.6): the first field's first member as
 * a number, saturating; -1 when absent or not digits. */
static int64_t content_length(const redir_inspect_input *in)
{
    const redir_header *h = field(in, "content-length", NULL);
    if (!h)
        return -1;
    redir_span v = value_of(h);
    size_t e = 0;
    while (e < v.len && v.ptr[e] != ',')
        e++;
    const char *p = v.ptr;
    size_t n = e;
    rd_trim_ows(&p, &n);
    if (n == 0)
        return -1;
    int64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!rd_is_digit((unsigned char)p[i]))
            return -1;
        if (x < INT64_MAX / 10 - 10)
            x = x * 10 + (p[i] - '0');
    }
    return x;
}

static bool is_token(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!rd_is_tchar((unsigned char)s[i]))
            return false;
    return true;
}

/* ---- input -------------------------------------------------------------------- */

/* The first release's redir_inspect_options ends after `policy`. */
#define OPTIONS_SIZE_0_1 sizeof(redir_inspect_options)

static redir_result check_options(const redir_inspect_options *opt)
{
    if (opt && opt->size < OPTIONS_SIZE_0_1)
        return REDIR_E_ARGUMENT;
    return REDIR_OK;
}

/* Validates one input; parses its URL into *base (*has_base). */
static redir_result check_input(const redir_inspect_input *in, redir_uri *base,
                                bool *has_base)
{
    *has_base = false;
    if (in->status < 100 || in->status > 599)
        return REDIR_E_STATUS_RANGE;
    if (in->header_count && !in->headers)
        return REDIR_E_NULL;
    for (size_t i = 0; i < in->header_count; i++) {
        const redir_header *h = &in->headers[i];
        if (!h->name)
            return REDIR_E_NULL;
        if (h->name_len > REDIR_MAX_INPUT ||
            (h->value && h->value_len > REDIR_MAX_INPUT))
            return REDIR_E_TOO_LONG;
    }
    if (in->method) {
        if (in->method_len > REDIR_MAX_INPUT)
            return REDIR_E_TOO_LONG;
        if (!is_token(in->method, in->method_len))
            return REDIR_E_METHOD;
    }
    if (in->url) {
        if (in->url_len > REDIR_MAX_INPUT)
            return REDIR_E_TOO_LONG;
        if (redir_uri_parse(in->url, in->url_len, 0, base) != REDIR_OK)
            return REDIR_E_BASE_INVALID;
        if (!(base->parts & REDIR_URI_SCHEME))
            return REDIR_E_BASE_NOT_ABSOLUTE;
        *has_base = true;
    }
    if (in->body_len < -1)
        return REDIR_E_ARGUMENT;
    return check_options(in->options);
}

/* ---- Location ----------------------------------------------------------------- */

/* Why the strict rules refuse a Location: what breaks, in a sentence. */
static const char *invalid_location_message(redir_result e)
{
    switch (e) {
    case REDIR_E_CONTROL:
        return "The Location contains a control byte such as CR, LF or NUL; "
               "clients refuse it or cut it short, and one that passes it on "
               "can be made to split a response (RFC 3986, Section 2).";
    case REDIR_E_SPACE:
        return "The Location contains a space, which no URI may contain: "
               "browsers and curl encode it as %20, strict clients stop, so "
               "users land on different pages depending on the client "
               "(RFC 3986, Appendix A).";
    case REDIR_E_NON_ASCII:
        return "The Location contains raw bytes of 0x80 or more instead of "
               "percent-encoding: clients guess the encoding differently and "
               "some refuse the redirect (RFC 3986, Section 2.1).";
    case REDIR_E_BACKSLASH:
        return "The Location contains a backslash: browsers read it as a "
               "slash and other clients do not, so the same redirect can "
               "reach different hosts, a known open-redirect trick.";
    case REDIR_E_PERCENT:
        return "The Location has a '%' not followed by two hex digits; "
               "clients repair or refuse it in different ways "
               "(RFC 3986, Section 2.1).";
    case REDIR_E_CHAR:
        return "The Location contains a character RFC 3986 does not allow "
               "there (such as \" < > { } | ^ `); strict clients refuse to "
               "follow it.";
    case REDIR_E_PORT:
        return "The Location has a port that is not a number from 0 to 65535; "
               "no client can connect there (RFC 3986, Section 3.2.3).";
    case REDIR_E_IPV6:
        return "The Location has a malformed IPv6 address literal; no client "
               "can connect there (RFC 3986, Section 3.2.2).";
    case REDIR_E_HOST:
        return "The Location has a malformed or empty host, and an http or "
               "https URI needs one; clients cannot follow it (RFC 9110, "
               "Section 4.2.1).";
    case REDIR_E_SCHEME:
        return "The Location starts with something that is neither a valid "
               "scheme nor a path; clients cannot tell where it points "
               "(RFC 3986, Section 3.1).";
    case REDIR_E_TOO_LONG:
        return "The Location is longer than 64 KiB; clients and servers "
               "refuse URIs far shorter than that.";
    default:
        return "The Location is not a valid URI reference, so clients cannot "
               "follow it (RFC 3986, Section 4.1).";
    }
}

static const char empty_location_message[] =
    "The Location is empty: it points back at the request's own URL, so "
    "browsers loop until their limit while curl, Go and requests stop and "
    "show the redirect itself.";

/* Base used to validate a relative Location when the request URL is not
 * known: only the reference itself is judged. */
static const char placeholder_base[] = "http://base.invalid/";

typedef struct location {
    size_t count;       /* Location field lines */
    redir_result error; /* the first refusal among the values, or OK */
    bool empty;         /* some value is empty */
    bool userinfo;      /* some value carries userinfo */
    bool ok;            /* `ref` is the first value, parsed and valid */
    redir_uri ref;
} location;

static void read_location(const redir_inspect_input *in, bool has_base,
                          location *l)
{
    memset(l, 0, sizeof *l);
    const char *b = has_base ? in->url : placeholder_base;
    size_t blen = has_base ? in->url_len : sizeof placeholder_base - 1;
    for (size_t i = 0; i < in->header_count; i++) {
        const redir_header *h = &in->headers[i];
        if (!rd_ieq_lit(h->name, h->name_len, "location"))
            continue;
        redir_span v = value_of(h);
        bool first = l->count++ == 0;
        if (v.len == 0) {
            l->empty = true;
            continue;
        }
        /* Validation and resolution without writing anything: with no room
         * the resolver reports REDIR_E_BUFFER_TOO_SMALL when the Location
         * is good. Userinfo is judged on its own below. */
        size_t need;
        redir_result r = redir_resolve_location_ex(
            b, blen, v.ptr, v.len, REDIR_URI_ALLOW_USERINFO, NULL, 0, &need);
        if (r == REDIR_E_BUFFER_TOO_SMALL)
            r = REDIR_OK;
        redir_uri u;
        if (r == REDIR_OK && redir_uri_parse(v.ptr, v.len, 0, &u) != REDIR_OK)
            r = REDIR_E_CHAR; /* cannot happen: the resolver parsed it */
        if (r != REDIR_OK) {
            if (l->error == REDIR_OK)
                l->error = r;
            continue;
        }
        if (u.parts & REDIR_URI_USERINFO)
            l->userinfo = true;
        if (first) {
            l->ref = u;
            l->ok = true;
        }
    }
}

/* The target's scheme: the Location's, else the request's. */
static redir_span target_scheme(const redir_uri *ref, const redir_uri *base)
{
    if (ref->parts & REDIR_URI_SCHEME)
        return ref->scheme;
    return base->scheme;
}

/* ---- caching ------------------------------------------------------------------ */

typedef struct cache_facts {
    bool evaluated;
    redir_cache_result r;
    bool no_cache; /* unqualified no-cache, or Pragma: no-cache alone */
} cache_facts;

static void evaluate_cache(const redir_inspect_input *in, cache_facts *c)
{
    memset(c, 0, sizeof *c);
    redir_cache_input ci;
    memset(&ci, 0, sizeof ci);
    ci.status = in->status;
    ci.method = in->method ? in->method : "GET";
    ci.method_len = in->method ? in->method_len : 3;
    ci.headers = in->headers;
    ci.header_count = in->header_count;
    ci.now = in->now;
    ci.heuristic_percent = 10; /* RFC 9111, Section 4.2.2's example */
    if (redir_cache_evaluate(&ci, &c->r) != REDIR_OK)
        return;
    c->evaluated = true;
    c->no_cache = (c->r.cc.directives & REDIR_CC_NO_CACHE) ||
                  (c->r.pragma_no_cache && !has_field(in, "cache-control"));
}

/* May this cache hand the response out again without asking the server? */
static bool reusable(const cache_facts *c, const redir_cache_verdict *v)
{
    return v->storable && !c->no_cache && (v->heuristic || v->lifetime > 0);
}

static bool sticky(const cache_facts *c, const redir_cache_verdict *v,
                   int64_t threshold)
{
    return v->storable && !c->no_cache && !v->heuristic &&
           v->lifetime > threshold;
}

/* Why a browser cache may not reuse a permanent redirect, or NULL. */
static const char *uncacheable_message(const cache_facts *c)
{
    const redir_cache_verdict *v = &c->r.private_cache;
    if (!v->storable) {
        if (c->r.cc.directives & REDIR_CC_NO_STORE)
            return "The permanent redirect carries no-store: browsers must "
                   "ask the server every time, which costs a round trip per "
                   "visit and hides that the move is permanent.";
        return "The permanent redirect cannot be stored by a browser cache "
               "(for example Vary: *), so every visit costs a round trip to "
               "the old URL.";
    }
    if (c->no_cache)
        return "The permanent redirect carries no-cache (or Pragma: "
               "no-cache): browsers revalidate it on every visit, a round "
               "trip the permanence was meant to save.";
    if (!v->heuristic && v->lifetime == 0)
        return "The permanent redirect is stale on arrival (max-age=0 or an "
               "Expires in the past): browsers ask the old URL again on "
               "every visit.";
    return NULL;
}

/* ---- the Vary heuristic ------------------------------------------------------- */

/* Primary language subtags common on the web (ISO 639-1), written as a
 * space-separated list; two-letter words that are mostly something else in
 * URLs ("as", "be", "do", "go", "is", "me", "my", "no", "or", "so", "to")
 * are left out on purpose. */
static const char common_languages[] =
    " af ar az bg bn bs ca cs cy da de el en es et eu fa fi fr ga gl gu he hi"
    " hr hu hy id it ja ka kk km kn ko lt lv mk ml mn mr ms nb nl nn pa pl ps"
    " pt ro ru si sk sl sq sr sv sw ta te th tl tr uk ur uz vi zh ";

static bool common_language(const char *p, size_t n)
{
    if (n != 2)
        return false;
    char w[4] = {' ', (char)rd_lower((unsigned char)p[0]),
                 (char)rd_lower((unsigned char)p[1]), ' '};
    for (size_t i = 0; i + 4 <= sizeof common_languages - 1; i += 3)
        if (memcmp(common_languages + i, w, 4) == 0)
            return true;
    return false;
}

static size_t alpha_run(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && rd_is_alpha((unsigned char)p[i]))
        i++;
    return i;
}

/* A language tag as URLs write it (a subset of BCP 47, RFC 5646, Section
 * 2.1): a primary subtag of 2 or 3 letters, then up to two subtags joined
 * by '-' or '_': a script (4 letters) or a region (2 letters or 3 digits).
 * `common` asks for a primary subtag from common_languages. */
static bool language_tag(const char *p, size_t n, bool common)
{
    size_t a = alpha_run(p, n);
    if (a < 2 || a > 3)
        return false;
    if (common && !common_language(p, a))
        return false;
    size_t i = a;
    for (int sub = 0; i < n; sub++) {
        if (sub == 2 || (p[i] != '-' && p[i] != '_'))
            return false;
        i++;
        size_t s = i;
        size_t k = alpha_run(p + s, n - s);
        if (k == 0)
            while (s + k < n && rd_is_digit((unsigned char)p[s + k]))
                k++;
        bool alpha = s < n && rd_is_alpha((unsigned char)p[s]);
        if (!((alpha && (k == 2 || k == 4)) || (!alpha && k == 3)))
            return false;
        i = s + k;
    }
    return true;
}

/* Whether `seg` is one of the '/'-separated segments of `path`. */
static bool has_segment(const redir_span *path, const char *seg, size_t n)
{
    size_t i = 0;
    while (i < path->len) {
        size_t e = i;
        while (e < path->len && path->ptr[e] != '/')
            e++;
        if (rd_ieq(path->ptr + i, e - i, seg, n))
            return true;
        i = e + 1;
    }
    return false;
}

/* Whether the query has a parameter `name=value` with this value. */
static bool query_has_value(const redir_span *q, const char *v, size_t n)
{
    size_t i = 0;
    while (i < q->len) {
        size_t e = i;
        while (e < q->len && q->ptr[e] != '&' && q->ptr[e] != ';')
            e++;
        const char *eq = memchr(q->ptr + i, '=', e - i);
        if (eq && rd_ieq(eq + 1, (size_t)(q->ptr + e - eq - 1), v, n))
            return true;
        i = e + 1;
    }
    return false;
}

static const char *const language_params[] = {"lang", "language", "locale",
                                              "hl", "lng", "setlang"};

/* Whether the Location names a language the request URL (when known) did
 * not. */
static bool chooses_language(const redir_uri *ref, const redir_uri *base)
{
    const redir_span *path = &ref->path;
    size_t i = 0;
    while (i < path->len) {
        size_t e = i;
        while (e < path->len && path->ptr[e] != '/')
            e++;
        const char *s = path->ptr + i;
        size_t n = e - i;
        if (language_tag(s, n, true) && (!base || !has_segment(&base->path, s, n)))
            return true;
        i = e + 1;
    }
    if (!(ref->parts & REDIR_URI_QUERY))
        return false;
    const redir_span *q = &ref->query;
    i = 0;
    while (i < q->len) {
        size_t e = i;
        while (e < q->len && q->ptr[e] != '&' && q->ptr[e] != ';')
            e++;
        const char *eq = memchr(q->ptr + i, '=', e - i);
        if (eq) {
            size_t nlen = (size_t)(eq - (q->ptr + i));
            const char *v = eq + 1;
            size_t vlen = (size_t)(q->ptr + e - v);
            bool named = false;
            for (size_t k = 0; k < sizeof language_params / sizeof *language_params; k++)
                named |= rd_ieq_cstr(q->ptr + i, nlen, language_params[k]);
            if (named && language_tag(v, vlen, false) &&
                (!base || !(base->parts & REDIR_URI_QUERY) ||
                 !query_has_value(&base->query, v, vlen)))
                return true;
        }
        i = e + 1;
    }
    return false;
}

static bool host_prefix(const redir_span *host, const char *prefix)
{
    size_t n = strlen(prefix);
    return host->len > n && rd_ieq(host->ptr, n, prefix, n);
}

/* Whether the Location sends mobile devices elsewhere: an m. or mobile.
 * host, or a "mobile" path segment, that the request URL (when known) did
 * not have. */
static bool chooses_device(const redir_uri *ref, const redir_uri *base)
{
    if (ref->parts & REDIR_URI_AUTHORITY) {
        const redir_span *h = &ref->host;
        bool m = host_prefix(h, "m.") || host_prefix(h, "mobile.");
        bool was = base && (host_prefix(&base->host, "m.") ||
                            host_prefix(&base->host, "mobile."));
        if (m && !was)
            return true;
    }
    return has_segment(&ref->path, "mobile", 6) &&
           (!base || !has_segment(&base->path, "mobile", 6));
}

/* ---- one response ------------------------------------------------------------- */

static void inspect_status(const redir_inspect_input *in,
                           const redir_status *st, found *f)
{
    if (st->flags & REDIR_SF_DEPRECATED)
        note(f, REDIR_FINDING_DEPRECATED_STATUS,
             "305 Use Proxy is deprecated: browsers and most clients refuse "
             "it as a security risk while curl follows it like a plain "
             "redirect, so users end up in different places; use a redirect "
             "status, or configure the proxy out of band.");
    if (st->flags & REDIR_SF_UNUSED)
        note(f, REDIR_FINDING_UNUSED_STATUS,
             in->status == 306
                 ? "306 is reserved and has no meaning: clients treat it as "
                   "a generic 300 and follow nothing."
                 : in->status == 418
                       ? "418 is reserved and unused in HTTP: clients treat "
                         "it as a generic 400 Bad Request, and monitors "
                         "report an error."
                       : "This status code is reserved and unused: clients "
                         "treat it as the generic code of its class.");
    if (!st->registered)
        note(f, REDIR_FINDING_UNREGISTERED_STATUS,
             in->status / 100 == 3
                 ? "The status code is not registered: clients must treat it "
                   "as 300 Multiple Choices and follow nothing "
                   "automatically, whatever the Location says."
                 : "The status code is not registered: clients treat it as "
                   "the x00 code of its class and ignore what it was meant "
                   "to say.");
}

static void inspect_location(const redir_inspect_input *in,
                             const redir_status *st, const redir_uri *base,
                             bool has_base, const location *l, found *f)
{
    const int status = in->status;
    const bool uses_location = status / 100 == 3 || status == 201;

    if (l->count == 0) {
        if (st->flags & REDIR_SF_NEEDS_LOCATION)
            note(f, REDIR_FINDING_MISSING_LOCATION,
                 "A redirect without Location has nowhere to go: clients "
                 "stop and show this response instead of following it.");
        return;
    }
    if (!uses_location) {
        note(f, REDIR_FINDING_LOCATION_ON_NON_REDIRECT,
             "Location on a status that does not redirect is ignored by "
             "every client; if a redirect was meant, send a 3xx status.");
        return;
    }
    if (l->count > 1)
        note(f, REDIR_FINDING_MULTIPLE_LOCATIONS,
             "Several Location fields: it holds exactly one URI, and clients "
             "take the first, the last, or both joined by a comma into a "
             "broken URL.");
    if (l->error != REDIR_OK)
        note(f, REDIR_FINDING_INVALID_LOCATION,
             invalid_location_message(l->error));
    else if (l->empty)
        note(f, REDIR_FINDING_INVALID_LOCATION, empty_location_message);
    if (l->userinfo)
        note(f, REDIR_FINDING_USERINFO_IN_LOCATION,
             "The Location carries user:password@: RFC 9110 tells clients to "
             "treat that as an error since it disguises the real host, and "
             "it leaks the credentials into logs and histories.");
    if (!l->ok)
        return;
    if (!(l->ref.parts & REDIR_URI_SCHEME))
        note(f, REDIR_FINDING_RELATIVE_LOCATION,
             "The Location is a relative reference: valid since RFC 7231 "
             "and resolved by current clients, but some old clients and "
             "hand-written redirect code resolve it wrongly.");
    if (has_base && status / 100 == 3) {
        redir_span ts = target_scheme(&l->ref, base);
        if (rd_ieq_lit(base->scheme.ptr, base->scheme.len, "https") &&
            rd_ieq_lit(ts.ptr, ts.len, "http"))
            note(f, REDIR_FINDING_INSECURE_DOWNGRADE,
                 "An https request is redirected to http: the next request, "
                 "its cookies and whatever it carries travel unencrypted, and "
                 "an attacker on the path can change the answer.");
    }
}

static void inspect_method(const redir_inspect_input *in, const location *l,
                           found *f)
{
    if ((in->status != 301 && in->status != 302) || !in->method ||
        l->count == 0 || redir_method_is_safe(in->method, in->method_len))
        return;
    note(f, REDIR_FINDING_METHOD_REWRITE_RISK,
         rd_eq(in->method, in->method_len, "POST", 4)
             ? (in->status == 301
                    ? "A 301 answering POST: browsers, curl, Go, requests and "
                      "most other clients repeat it as a GET without the "
                      "content, so the submitted data is lost; use 308 to "
                      "keep the method and content, or 303 to ask for a GET."
                    : "A 302 answering POST: browsers, curl, Go, requests and "
                      "most other clients repeat it as a GET without the "
                      "content, so the submitted data is lost; use 307 to "
                      "keep the method and content, or 303 to ask for a GET.")
             : "A 301 or 302 answering an unsafe method: Go and OkHttp turn "
               "it into a GET, curl and requests drop its content; use 307 "
               "or 308 to keep the method and content everywhere.");
}

static void inspect_caching(const redir_inspect_input *in,
                            const redir_status *st, const redir_uri *base,
                            bool has_base, const location *l, found *f)
{
    const int status = in->status;
    const bool temporary = status == 302 || status == 303 || status == 307;
    const bool permanent = status == 301 || status == 308;
    const bool redirect = (st->flags & REDIR_SF_REDIRECT) != 0;
    if (!redirect || l->count == 0)
        return;
    cache_facts c;
    evaluate_cache(in, &c);
    if (!c.evaluated)
        return;

    if (temporary) {
        int64_t threshold = 86400;
        if (in->options && in->options->sticky_seconds > 0)
            threshold = in->options->sticky_seconds;
        if (sticky(&c, &c.r.private_cache, threshold) ||
            sticky(&c, &c.r.shared_cache, threshold))
            note(f, REDIR_FINDING_STICKY_TEMPORARY_REDIRECT,
                 "A temporary redirect that caches may keep for a long time: "
                 "browsers and CDNs keep sending users to this target long "
                 "after the server changed its mind; give it a short max-age "
                 "or no-store, or use 301/308 if the move is permanent.");
    }
    const bool get_like = !in->method ||
                          rd_eq(in->method, in->method_len, "GET", 3) ||
                          rd_eq(in->method, in->method_len, "HEAD", 4);
    if (permanent && get_like) {
        const char *m = uncacheable_message(&c);
        if (m)
            note(f, REDIR_FINDING_UNCACHEABLE_PERMANENT_REDIRECT, m);
    }

    /* missing-vary: see the header's description of the heuristic. */
    if (l->count != 1 || !l->ok || l->error != REDIR_OK ||
        c.r.vary_star ||
        !(reusable(&c, &c.r.private_cache) || reusable(&c, &c.r.shared_cache)))
        return;
    const redir_uri *b = has_base ? base : NULL;
    bool lang = chooses_language(&l->ref, b) &&
                !field_lists(in, "vary", "accept-language");
    bool device = chooses_device(&l->ref, b) &&
                  !field_lists(in, "vary", "user-agent");
    if (lang && device)
        note(f, REDIR_FINDING_MISSING_VARY,
             "The cacheable redirect looks chosen from Accept-Language and "
             "User-Agent, but Vary names neither: a cache sends every later "
             "visitor to the language and device version of the first.");
    else if (lang)
        note(f, REDIR_FINDING_MISSING_VARY,
             "The cacheable redirect looks chosen from Accept-Language (the "
             "target names a language), but Vary does not list it: a cache "
             "sends every later visitor to the first visitor's language.");
    else if (device)
        note(f, REDIR_FINDING_MISSING_VARY,
             "The cacheable redirect looks chosen from User-Agent (a mobile "
             "target), but Vary does not list it: a cache sends desktop and "
             "mobile visitors alike where the first visitor went.");
}

static void inspect_content(const redir_inspect_input *in,
                            const redir_status *st, found *f)
{
    const int64_t cl = content_length(in);
    const bool te = has_field(in, "transfer-encoding");
    const int64_t body = in->body_len;
    if (st->flags & REDIR_SF_NO_BODY) {
        /* RFC 9110, Section 8.6 and RFC 9112, Section 6.1: a 304 may carry
         * the Content-Length and Transfer-Encoding the 200 would have had;
         * 1xx and 204 must not. */
        if (in->status == 304) {
            if (body > 0)
                note(f, REDIR_FINDING_BODY_NOT_ALLOWED,
                     "A 304 never has content: clients read the bytes as the "
                     "start of the next response on the connection, which "
                     "corrupts it (RFC 9110, Section 15.4.5).");
        } else if (body > 0 || cl > 0 || te) {
            note(f, REDIR_FINDING_BODY_NOT_ALLOWED,
                 in->status < 200
                     ? "An interim 1xx response announces or carries "
                       "content, which it never has: clients misread the "
                       "bytes that follow as the final response "
                       "(RFC 9110, Section 15.2)."
                     : "A 204 announces or carries content (a body, a "
                       "Content-Length above 0 or Transfer-Encoding): "
                       "clients stop at the header section and read the "
                       "rest as the next response (RFC 9110, Section "
                       "15.3.5).");
        }
        return;
    }
    if (st->flags & REDIR_SF_EMPTY_CONTENT) {
        if (body > 0 || cl > 0)
            note(f, REDIR_FINDING_BODY_NOT_ALLOWED,
                 "A 205 must not have content: it tells the client to reset "
                 "the form, and content here is ignored or misread "
                 "(RFC 9110, Section 15.3.6).");
        return;
    }
    const bool content = body > 0 || cl > 0 || (te && body < 0);
    if (content && !has_field(in, "content-type"))
        note(f, REDIR_FINDING_MISSING_CONTENT_TYPE,
             "The response has content but no Content-Type: browsers sniff "
             "the type (and may run it as HTML or script), API clients "
             "cannot decode it.");
}

static void inspect_fields(const redir_inspect_input *in, found *f)
{
    const int status = in->status;
    const redir_header *ra = field(in, "retry-after", NULL);
    if (ra) {
        redir_span v = value_of(ra);
        int64_t delay;
        if (redir_retry_after_parse(v.ptr, v.len, in->now, &delay) != REDIR_OK)
            note(f, REDIR_FINDING_INVALID_RETRY_AFTER,
                 "Retry-After is neither a number of seconds nor an "
                 "HTTP-date: clients ignore it and retry on their own "
                 "schedule.");
    } else if (status == 503) {
        note(f, REDIR_FINDING_MISSING_RETRY_AFTER,
             "A 503 without Retry-After: clients and crawlers cannot tell "
             "when to come back and retry at once or back off blindly.");
    } else if (status == 429) {
        note(f, REDIR_FINDING_MISSING_RETRY_AFTER,
             "A 429 without Retry-After: clients cannot tell how long to "
             "slow down and tend to retry too soon, hitting the limit "
             "again.");
    }
    if (status == 405 && !has_field(in, "allow"))
        note(f, REDIR_FINDING_MISSING_ALLOW,
             "A 405 must list the allowed methods in Allow: without it "
             "clients cannot find out which method would work.");
    if (status == 401 && !has_field(in, "www-authenticate"))
        note(f, REDIR_FINDING_MISSING_WWW_AUTHENTICATE,
             "A 401 must carry WWW-Authenticate: without a challenge, "
             "browsers show no login prompt and clients cannot tell how "
             "to authenticate.");
    if (status == 407 && !has_field(in, "proxy-authenticate"))
        note(f, REDIR_FINDING_MISSING_PROXY_AUTHENTICATE,
             "A 407 must carry Proxy-Authenticate: without a challenge, "
             "clients cannot tell how to authenticate to the proxy.");
    if (status == 206 && !has_field(in, "content-range")) {
        const redir_header *ct = field(in, "content-type", NULL);
        redir_span v = ct ? value_of(ct) : (redir_span){"", 0};
        static const char mb[] = "multipart/byteranges";
        if (!(v.len >= sizeof mb - 1 && rd_ieq(v.ptr, sizeof mb - 1, mb, sizeof mb - 1))) {
            note(f, REDIR_FINDING_MISSING_CONTENT_RANGE,
                 "A 206 without Content-Range (and not multipart/byteranges): "
                 "the client cannot tell which bytes it received, so the "
                 "partial content is useless or, worse, misplaced.");
            f->spec[REDIR_FINDING_MISSING_CONTENT_RANGE] =
                "RFC 9110, Section 15.3.7";
        }
    }
    /* a SHOULD here, where 206 has a MUST: a warning */
    if (status == 416 && !has_field(in, "content-range")) {
        note(f, REDIR_FINDING_MISSING_CONTENT_RANGE,
             "A 416 should carry Content-Range: bytes */LENGTH, or the "
             "client cannot tell how long the representation is and "
             "which range would work.");
        f->severity[REDIR_FINDING_MISSING_CONTENT_RANGE] = REDIR_SEVERITY_WARNING;
        f->spec[REDIR_FINDING_MISSING_CONTENT_RANGE] = "RFC 9110, Section 15.5.17";
    }
}

redir_result redir_inspect(const redir_inspect_input *in, redir_finding *out,
                           size_t cap, size_t *count)
{
    if (count)
        *count = 0;
    if (!in || !count || (!out && cap))
        return REDIR_E_NULL;
    redir_uri base;
    bool has_base;
    redir_result r = check_input(in, &base, &has_base);
    if (r != REDIR_OK)
        return r;
    const redir_status *st = redir_status_get(in->status);

    found f;
    found_init(&f);
    location l;
    read_location(in, has_base, &l);
    inspect_status(in, st, &f);
    inspect_location(in, st, &base, has_base, &l, &f);
    inspect_method(in, &l, &f);
    inspect_caching(in, st, &base, has_base, &l, &f);
    inspect_content(in, st, &f);
    inspect_fields(in, &f);
    return emit(&f, out, cap, count);
}

/* ---- chains ------------------------------------------------------------------- */

/* A redirect: a status clients follow, with a Location to follow. */
static bool is_redirect(const redir_inspect_input *h)
{
    const redir_status *st = redir_status_get(h->status);
    return (st->flags & REDIR_SF_REDIRECT) && field(h, "location", NULL);
}

static void hop_method(const redir_inspect_input *h, const char **m, size_t *n)
{
    *m = h->method ? h->method : "GET";
    *n = h->method ? h->method_len : 3;
}

/* The method most clients use for the request after this redirect. */
static void next_method(const redir_inspect_input *h, const char **m, size_t *n)
{
    hop_method(h, m, n);
    bool head = rd_eq(*m, *n, "HEAD", 4);
    bool post = rd_eq(*m, *n, "POST", 4);
    if ((h->status == 303 && !head) ||
        ((h->status == 301 || h->status == 302) && post)) {
        *m = "GET";
        *n = 3;
    }
}

/* A path with a "." or ".." segment, which this file does not resolve. */
static bool has_dot_segment(const char *p, size_t n)
{
    size_t i = 0;
    while (i <= n) {
        size_t e = i;
        while (e < n && p[e] != '/')
            e++;
        if ((e - i == 1 && p[i] == '.') ||
            (e - i == 2 && p[i] == '.' && p[i + 1] == '.'))
            return true;
        i = e + 1;
    }
    return false;
}

/* Up to two pieces of text read as one, with the normalisation of
 * redir_target_hash(): percent-encoded unreserved characters decoded,
 * other escapes compared by value. */
typedef struct pieces {
    const char *p[2];
    size_t n[2];
    size_t k, i;
} pieces;

static bool unreserved(int c)
{
    return rd_is_alpha(c) || rd_is_digit(c) || c == '-' || c == '.' ||
           c == '_' || c == '~';
}

/* The next unit: a byte, or 0x100 + the byte of an escape that stays
 * encoded; -1 at the end. */
static int next_unit(pieces *s)
{
    while (s->k < 2 && s->i >= s->n[s->k]) {
        s->k++;
        s->i = 0;
    }
    if (s->k >= 2)
        return -1;
    const char *p = s->p[s->k];
    size_t n = s->n[s->k];
    unsigned char c = (unsigned char)p[s->i];
    if (c == '%' && s->i + 2 < n && rd_is_hex((unsigned char)p[s->i + 1]) &&
        rd_is_hex((unsigned char)p[s->i + 2])) {
        int b = rd_hex_value((unsigned char)p[s->i + 1]) * 16 +
                rd_hex_value((unsigned char)p[s->i + 2]);
        s->i += 3;
        return unreserved(b) ? b : 0x100 + b;
    }
    s->i++;
    return c;
}

static bool pieces_equal(pieces a, pieces b)
{
    for (;;) {
        int x = next_unit(&a), y = next_unit(&b);
        if (x != y)
            return false;
        if (x < 0)
            return true;
    }
}

static pieces one_piece(const char *p, size_t n)
{
    pieces s = {{p, ""}, {n, 0}, 0, 0};
    return s;
}

/*
 * Whether the target of `ref` resolved against `base` (RFC 3986, Section
 * 5.2.2) is `u`, compared as redir_target_hash() normalises (scheme, host
 * and port as origins; path and query with escapes of unreserved characters
 * decoded; an empty path as "/"; no fragment). Paths with dot segments are
 * not resolved here: false.
 */
static bool target_is(const redir_uri *base, const redir_uri *ref,
                      const redir_uri *u)
{
    const bool own = (ref->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)) != 0;
    redir_uri t = own ? *ref : *base;
    t.scheme = (ref->parts & REDIR_URI_SCHEME) ? ref->scheme : base->scheme;
    t.parts |= REDIR_URI_SCHEME;
    const bool authority = (t.parts & REDIR_URI_AUTHORITY) != 0;
    if (authority != ((u->parts & REDIR_URI_AUTHORITY) != 0))
        return false;
    /* origins only where there are hosts to compare */
    if (authority ? redir_uri_origin_diff(&t, u) != 0
                  : !rd_ieq(t.scheme.ptr, t.scheme.len, u->scheme.ptr, u->scheme.len))
        return false;

    pieces path;
    const redir_span *query = NULL;
    if (own || (ref->path.len && ref->path.ptr[0] == '/')) {
        path = one_piece(ref->path.ptr, ref->path.len);
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    } else if (ref->path.len == 0) {
        path = one_piece(base->path.ptr, base->path.len);
        query = (ref->parts & REDIR_URI_QUERY)    ? &ref->query
                : (base->parts & REDIR_URI_QUERY) ? &base->query
                                                  : NULL;
    } else {
        size_t keep = base->path.len;
        while (keep > 0 && base->path.ptr[keep - 1] != '/')
            keep--;
        if ((base->parts & REDIR_URI_AUTHORITY) && base->path.len == 0)
            path = (pieces){{"/", ref->path.ptr}, {1, ref->path.len}, 0, 0};
        else
            path = (pieces){{base->path.ptr, ref->path.ptr},
                            {keep, ref->path.len}, 0, 0};
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    }
    for (int k = 0; k < 2; k++)
        if (has_dot_segment(path.p[k], path.n[k]))
            return false;
    if (path.n[0] + path.n[1] == 0 && (t.parts & REDIR_URI_AUTHORITY))
        path = one_piece("/", 1);
    pieces upath = one_piece(u->path.ptr, u->path.len);
    if (u->path.len == 0 && (u->parts & REDIR_URI_AUTHORITY))
        upath = one_piece("/", 1);
    if (!pieces_equal(path, upath))
        return false;
    if (!query != !(u->parts & REDIR_URI_QUERY))
        return false;
    return !query ||
           pieces_equal(one_piece(query->ptr, query->len),
                        one_piece(u->query.ptr, u->query.len));
}

/* What the chain remembers of a target it requested: the same memory as
 * redir_chain's. */
typedef struct visit {
    uint64_t hash;
    size_t cookie_epoch; /* cookies seen before this visit */
    unsigned visits;
} visit;

typedef struct memory {
    visit v[REDIR_CHAIN_MEMORY];
    size_t count;
} memory;

/* Records a visit; returns whether it closes a loop: a target requested
 * before with no cookie set since, or for the third time. */
static bool visit_target(memory *m, uint64_t h, size_t epoch)
{
    for (size_t i = 0; i < m->count; i++)
        if (m->v[i].hash == h) {
            bool loop = m->v[i].cookie_epoch == epoch || m->v[i].visits >= 2;
            m->v[i].visits++;
            m->v[i].cookie_epoch = epoch;
            return loop;
        }
    if (m->count == REDIR_CHAIN_MEMORY) {
        memmove(&m->v[0], &m->v[1], sizeof m->v[0] * (REDIR_CHAIN_MEMORY - 1));
        m->count--;
    }
    m->v[m->count].hash = h;
    m->v[m->count].cookie_epoch = epoch;
    m->v[m->count].visits = 1;
    m->count++;
    return false;
}

static bool is_https(const redir_span *scheme)
{
    return rd_ieq_lit(scheme->ptr, scheme->len, "https");
}

static bool is_http(const redir_span *scheme)
{
    return rd_ieq_lit(scheme->ptr, scheme->len, "http");
}

/* Whether the last response redirects to a target an earlier hop requested
 * (with the same method), with no cookie set since, or that was requested
 * twice already. */
static bool last_target_loops(const redir_inspect_input *hops, size_t n,
                              const redir_uri *base)
{
    const redir_inspect_input *last = &hops[n - 1];
    const redir_header *lh = field(last, "location", NULL);
    redir_span v = value_of(lh);
    redir_uri ref;
    if (v.len == 0 || redir_uri_parse(v.ptr, v.len, 0, &ref) != REDIR_OK)
        return false;
    const char *m;
    size_t mlen;
    next_method(last, &m, &mlen);
    unsigned visits = 0;
    bool cookie_since = false;
    for (size_t i = 0; i < n; i++) {
        const redir_inspect_input *h = &hops[i];
        if (h->url) {
            const char *hm;
            size_t hn;
            hop_method(h, &hm, &hn);
            redir_uri u;
            if (rd_eq(hm, hn, m, mlen) &&
                redir_uri_parse(h->url, h->url_len, 0, &u) == REDIR_OK &&
                target_is(base, &ref, &u)) {
                visits++;
                cookie_since = false;
            }
        }
        if (has_field(h, "set-cookie"))
            cookie_since = true;
    }
    return visits >= 2 || (visits == 1 && !cookie_since);
}

redir_result redir_inspect_chain(const redir_inspect_input *hops, size_t n,
                                 const redir_inspect_options *opt,
                                 redir_finding *out, size_t cap, size_t *count)
{
    if (count)
        *count = 0;
    if (!count || (!out && cap) || (n && !hops))
        return REDIR_E_NULL;
    redir_result r = check_options(opt);
    if (r != REDIR_OK)
        return r;
    const redir_policy *policy = opt && opt->policy ? opt->policy
                                                    : redir_profile_at(0);
    if (!rd_policy_size_ok(policy))
        return REDIR_E_POLICY;
    unsigned long_chain = opt && opt->long_chain ? opt->long_chain : 10;
    for (size_t i = 0; i < n; i++) {
        redir_uri base;
        bool has_base;
        r = check_input(&hops[i], &base, &has_base);
        if (r != REDIR_OK)
            return r;
    }

    found f;
    found_init(&f);
    memory mem;
    mem.count = 0;
    size_t epoch = 0, redirects = 0;
    bool loop = false, downgrade = false;
    for (size_t i = 0; i < n; i++) {
        const redir_inspect_input *h = &hops[i];
        redir_uri base;
        bool has_base = false;
        if (h->url && redir_uri_parse(h->url, h->url_len, 0, &base) == REDIR_OK)
            has_base = true;
        if (has_base) {
            const char *m;
            size_t mlen;
            uint64_t hash;
            hop_method(h, &m, &mlen);
            if (redir_target_hash(m, mlen, h->url, h->url_len, &hash) == REDIR_OK &&
                visit_target(&mem, hash, epoch))
                loop = true;
        }
        if (has_field(h, "set-cookie"))
            epoch++;
        if (!is_redirect(h))
            continue;
        redirects++;
        /* the scheme of the next request */
        if (has_base && is_https(&base.scheme)) {
            const redir_inspect_input *next = i + 1 < n ? &hops[i + 1] : NULL;
            redir_uri t;
            if (next && next->url &&
                redir_uri_parse(next->url, next->url_len, 0, &t) == REDIR_OK) {
                downgrade |= is_http(&t.scheme);
            } else {
                redir_span v = value_of(field(h, "location", NULL));
                if (redir_uri_parse(v.ptr, v.len, 0, &t) == REDIR_OK &&
                    (t.parts & REDIR_URI_SCHEME))
                    downgrade |= is_http(&t.scheme);
            }
        }
        if (i + 1 == n && has_base && !loop)
            loop = last_target_loops(hops, n, &base);
    }

    if (loop)
        note(&f, REDIR_FINDING_REDIRECT_LOOP,
             "The chain comes back to a URL it already requested with "
             "nothing changed in between: clients go round until their "
             "limit and then fail.");
    if (redirects > long_chain)
        note(&f, REDIR_FINDING_LONG_CHAIN,
             "The chain has more redirects than it should: each costs a "
             "round trip, crawlers stop following after a few, and link "
             "value is lost; point the first URL at the final one.");
    if (redirects > policy->max_redirects)
        note(&f, REDIR_FINDING_TOO_MANY_REDIRECTS,
             "The chain has more redirects than the client's limit: that "
             "client gives up with an error before reaching the end.");
    if (downgrade)
        note(&f, REDIR_FINDING_INSECURE_DOWNGRADE,
             "The chain leads from https to http: every request after that "
             "point, with its cookies, travels unencrypted and can be read "
             "or changed on the way.");
    return emit(&f, out, cap, count);
}
