/* SPDX-License-Identifier: MIT */
/*
 * Caching of responses, redirects first: the Cache-Control parser
 * (RFC 9111, Section 5.2) and redir_cache_evaluate(), which applies the
 * storage rules (RFC 9111, Section 3), the freshness lifetime (Sections
 * 4.2.1 and 4.2.2) and the age calculation (Section 4.2.3) for a private
 * and for a shared cache. Nothing is allocated: the parser walks the field
 * value once, and every verdict's reason is a static sentence.
 */
#include "redir.h"

#include "util.h"

#include <string.h>

/* RFC 9111, Section 1.2.2: a delta-seconds too large is taken as 2^31. */
#define DELTA_CAP 2147483648LL

/* ---- syntax (RFC 9110, Section 5.6) ----------------------------------------- */

/* Skips to the next top-level ',' (or the end), stepping over quoted
 * strings so that a comma inside quotes does not end the element. */
static size_t skip_element(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] != ',') {
        if (s[i] == '"') {
            size_t end;
            rd_quoted_string(s, n, i, &end); /* end > i: progress */
            i = end;
        } else {
            i++;
        }
    }
    return i;
}

/* An argument: a token or the inside of a quoted-string (with its
 * quoted-pairs still escaped). */
typedef struct arg {
    bool present; /* "=" was there */
    bool quoted;
    bool ok;      /* well-formed */
    const char *p;
    size_t n;
} arg;

/* The next byte of an argument, quoted-pairs unescaped. */
static unsigned char arg_byte(const arg *a, size_t *i)
{
    unsigned char c = (unsigned char)a->p[*i];
    if (a->quoted && c == '\\' && *i + 1 < a->n) {
        (*i)++;
        c = (unsigned char)a->p[*i];
    }
    (*i)++;
    return c;
}

/* delta-seconds = 1*DIGIT, capped at 2^31 (RFC 9111, Section 1.2.2). */
static bool arg_delta(const arg *a, int64_t *v)
{
    if (!a->present || !a->ok || a->n == 0)
        return false;
    int64_t x = 0;
    for (size_t i = 0; i < a->n;) {
        unsigned char c = arg_byte(a, &i);
        if (!rd_is_digit(c))
            return false;
        x = x * 10 + (c - '0');
        if (x > DELTA_CAP)
            x = DELTA_CAP;
    }
    *v = x;
    return true;
}

/* A field-name list (#field-name), as no-cache="..." and private="..."
 * carry it (RFC 9111, Sections 5.2.2.4 and 5.2.2.7). */
static bool arg_field_list(const arg *a)
{
    if (!a->ok)
        return false;
    bool in_name = false, after_name = false;
    for (size_t i = 0; i < a->n;) {
        unsigned char c = arg_byte(a, &i);
        if (c == ',') {
            in_name = after_name = false;
        } else if (c == ' ' || c == '\t') {
            if (in_name) {
                in_name = false;
                after_name = true;
            }
        } else if (rd_is_tchar(c) && !after_name) {
            in_name = true;
        } else {
            return false; /* "a b" or a separator inside a name */
        }
    }
    return true;
}

/* ---- Cache-Control ---------------------------------------------------------- */

enum dir_kind {
    K_DELTA,    /* takes delta-seconds */
    K_RESTRICT, /* no argument; restrictive, so applied even when malformed */
    K_PERMIT,   /* no argument; permissive, so ignored when malformed */
    K_FIELDS    /* no argument, or a quoted field-name list */
};

static const struct {
    const char *name;
    unsigned bit;
    enum dir_kind kind;
} directives[] = {
    /* RFC 9111, Section 5.2.2 */
    {"max-age", REDIR_CC_MAX_AGE, K_DELTA},                 /* 5.2.2.1 */
    {"must-revalidate", REDIR_CC_MUST_REVALIDATE, K_RESTRICT}, /* 5.2.2.2 */
    {"must-understand", REDIR_CC_MUST_UNDERSTAND, K_RESTRICT}, /* 5.2.2.3 */
    {"no-cache", REDIR_CC_NO_CACHE, K_FIELDS},              /* 5.2.2.4 */
    {"no-store", REDIR_CC_NO_STORE, K_RESTRICT},            /* 5.2.2.5 */
    {"no-transform", REDIR_CC_NO_TRANSFORM, K_RESTRICT},    /* 5.2.2.6 */
    {"private", REDIR_CC_PRIVATE, K_FIELDS},                /* 5.2.2.7 */
    {"proxy-revalidate", REDIR_CC_PROXY_REVALIDATE, K_RESTRICT}, /* 5.2.2.8 */
    {"public", REDIR_CC_PUBLIC, K_PERMIT},                  /* 5.2.2.9 */
    {"s-maxage", REDIR_CC_S_MAXAGE, K_DELTA},               /* 5.2.2.10 */
    {"immutable", REDIR_CC_IMMUTABLE, K_PERMIT},            /* RFC 8246 */
    {"stale-while-revalidate", REDIR_CC_STALE_WHILE_REVALIDATE, K_DELTA},
    {"stale-if-error", REDIR_CC_STALE_IF_ERROR, K_DELTA},   /* RFC 5861 */
};

static int64_t *delta_slot(redir_cache_control *cc, unsigned bit)
{
    switch (bit) {
    case REDIR_CC_MAX_AGE: return &cc->max_age;
    case REDIR_CC_S_MAXAGE: return &cc->s_maxage;
    case REDIR_CC_STALE_WHILE_REVALIDATE: return &cc->stale_while_revalidate;
    default: return &cc->stale_if_error;
    }
}

static void set_flag(redir_cache_control *cc, unsigned bit)
{
    if (cc->directives & bit)
        cc->problems |= REDIR_CCP_DUPLICATE;
    cc->directives |= bit;
}

static void apply(redir_cache_control *cc, const char *name, size_t nlen,
                  const arg *a)
{
    size_t k;
    for (k = 0; k < sizeof directives / sizeof directives[0]; k++)
        if (rd_ieq_cstr(name, nlen, directives[k].name))
            break;
    if (k == sizeof directives / sizeof directives[0]) {
        cc->problems |= REDIR_CCP_UNKNOWN; /* extensions are ignored, 5.2.3 */
        return;
    }
    unsigned bit = directives[k].bit;
    switch (directives[k].kind) {
    case K_DELTA: {
        int64_t v;
        if (!arg_delta(a, &v)) {
            cc->problems |= REDIR_CCP_BAD_VALUE;
            /* Section 4.2.1: invalid freshness information (max-age with
             * non-integer content) is best taken as stale. A bad stale-*
             * extension grants nothing. */
            if (bit != REDIR_CC_MAX_AGE && bit != REDIR_CC_S_MAXAGE)
                return;
            v = 0;
        }
        int64_t *slot = delta_slot(cc, bit);
        if (cc->directives & bit) {
            cc->problems |= REDIR_CCP_DUPLICATE;
            if (*slot != v)
                cc->problems |= REDIR_CCP_CONFLICT;
            if (v < *slot)
                *slot = v; /* the most restrictive, Section 4.2.1 */
        } else {
            *slot = v;
            cc->directives |= bit;
        }
        return;
    }
    case K_RESTRICT:
        if (a->present)
            cc->problems |= REDIR_CCP_BAD_VALUE;
        set_flag(cc, bit);
        return;
    case K_PERMIT:
        if (a->present) {
            cc->problems |= REDIR_CCP_BAD_VALUE;
            return;
        }
        set_flag(cc, bit);
        return;
    case K_FIELDS:
        if (a->present && arg_field_list(a)) {
            set_flag(cc, bit == REDIR_CC_NO_CACHE ? REDIR_CC_NO_CACHE_FIELDS
                                                  : REDIR_CC_PRIVATE_FIELDS);
            return;
        }
        if (a->present)
            cc->problems |= REDIR_CCP_BAD_VALUE; /* read unqualified */
        set_flag(cc, bit);
        return;
    }
}

redir_result redir_cache_control_parse(const char *s, size_t len, bool merge,
                                       redir_cache_control *out)
{
    if (!out)
        return REDIR_E_NULL;
    if (!merge)
        memset(out, 0, sizeof *out);
    if (!s)
        return REDIR_E_NULL;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;

    /* Cache-Control = #cache-directive
     * cache-directive = token [ "=" ( token / quoted-string ) ]
     * Empty list elements are allowed (RFC 9110, Section 5.6.1). */
    size_t i = 0;
    for (;;) {
        while (i < len && (rd_is_ows(s[i]) || s[i] == ','))
            i++;
        if (i >= len)
            break;
        size_t ns = i;
        while (i < len && rd_is_tchar((unsigned char)s[i]))
            i++;
        if (i == ns) {
            out->problems |= REDIR_CCP_SYNTAX; /* junk, not a directive */
            i = skip_element(s, len, i);
            continue;
        }
        const char *name = s + ns;
        size_t nlen = i - ns;
        arg a = {false, false, true, NULL, 0};
        size_t j = rd_skip_ows(s, len, i);
        if (j < len && s[j] == '=') {
            /* whitespace around "=" is not in the grammar: tolerated,
             * reported */
            if (j != i)
                out->problems |= REDIR_CCP_SYNTAX;
            size_t k = rd_skip_ows(s, len, j + 1);
            if (k != j + 1)
                out->problems |= REDIR_CCP_SYNTAX;
            a.present = true;
            if (k < len && s[k] == '"') {
                size_t end;
                a.quoted = true;
                a.ok = rd_quoted_string(s, len, k, &end);
                a.p = s + k + 1;
                a.n = end - k - 1 - (s[end - 1] == '"' && end - 1 > k);
                if (!a.ok)
                    out->problems |= REDIR_CCP_SYNTAX;
                i = end;
            } else {
                size_t vs = k;
                while (k < len && rd_is_tchar((unsigned char)s[k]))
                    k++;
                a.p = s + vs;
                a.n = k - vs;
                i = k;
            }
        }
        /* the element must end here */
        i = rd_skip_ows(s, len, i);
        if (i < len && s[i] != ',') {
            out->problems |= REDIR_CCP_SYNTAX;
            i = skip_element(s, len, i);
        }
        apply(out, name, nlen, &a);
    }
    /* Section 5.2.2.9 and 5.2.2.7: public and private contradict each
     * other; private, the more restrictive, wins where it matters. */
    if ((out->directives & REDIR_CC_PUBLIC) &&
        (out->directives & REDIR_CC_PRIVATE))
        out->problems |= REDIR_CCP_CONFLICT;
    return REDIR_OK;
}

const char *redir_cc_directive_name(unsigned bit)
{
    switch (bit) {
    case REDIR_CC_NO_CACHE_FIELDS: return "no-cache=\"...\"";
    case REDIR_CC_PRIVATE_FIELDS: return "private=\"...\"";
    default: break;
    }
    for (size_t k = 0; k < sizeof directives / sizeof directives[0]; k++)
        if (directives[k].bit == bit)
            return directives[k].name;
    return NULL;
}

/* ---- evaluation ------------------------------------------------------------- */

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

static int64_t sat_sub(int64_t a, int64_t b)
{
    if (b < 0 && a > INT64_MAX + b)
        return INT64_MAX;
    if (b > 0 && a < INT64_MIN + b)
        return INT64_MIN;
    return a - b;
}

static int64_t max0(int64_t a)
{
    return a > 0 ? a : 0;
}

/* Is `want` (lower case) one of the members of a comma-separated list? */
static bool list_has(const char *s, size_t n, const char *want)
{
    size_t i = 0;
    while (i <= n) {
        size_t e = i;
        while (e < n && s[e] != ',')
            e++;
        size_t a = rd_skip_ows(s, e, i), b = e;
        while (b > a && rd_is_ows(s[b - 1]))
            b--;
        if (rd_ieq_cstr(s + a, b - a, want))
            return true;
        i = e + 1;
    }
    return false;
}

static bool is_method_token(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!rd_is_tchar((unsigned char)s[i]))
            return false;
    return true;
}

/* Everything read from the request and the response, shared by the two
 * verdicts. */
typedef struct facts {
    const redir_cache_input *in;
    const redir_status *st;
    const redir_cache_control *cc;
    bool storable_method;    /* GET or HEAD */
    bool expires_field;      /* an Expires field, valid or not */
    bool expires_valid;
    int64_t expires;
    int64_t date;            /* Date, or the response time without one */
    bool has_lm;
    int64_t last_modified;
    bool no_cache;           /* no-cache, or Pragma: no-cache alone */
    bool pragma_applied;
    bool vary_star;
    int64_t age;             /* current_age, Section 4.2.3 */
} facts;

/* x percent of delta (>= 0), saturating */
static int64_t percent_of(int64_t delta, unsigned pct)
{
    int64_t p = (int64_t)pct;
    int64_t q = delta / 100, r = delta % 100;
    if (q > 0 && p > INT64_MAX / q)
        return INT64_MAX;
    return sat_add(q * p, r * p / 100);
}

/* Why a cache of this kind must not store the response, or NULL when it
 * may (RFC 9111, Section 3). */
static const char *refusal(const facts *f, bool shared)
{
    const unsigned d = f->cc->directives;
    const int status = f->in->status;
    const bool understood = f->st->registered;

    /* RFC 9111, Section 3: the conditions for storing a response. */
    if (!f->storable_method)
        return
            "only responses to GET and HEAD are stored here: a cache must "
            "understand the request method, and a POST response is reusable "
            "only in narrow cases (RFC 9111, Section 3; RFC 9110, Section "
            "9.3.3).";
    if (status < 200)
        return
            "an interim (1xx) response is not final and is never stored "
            "(RFC 9111, Section 3).";
    if (status == 206 || status == 304)
        return
            "206 and 304 are not stored on their own: a 206 is combined with "
            "other parts and a 304 only updates a stored response (RFC 9111, "
            "Sections 3.3 and 4.3.4).";
    if ((d & REDIR_CC_MUST_UNDERSTAND) && !understood)
        return
            "must-understand: the status code is not one a cache can "
            "understand, so it must not store the response (RFC 9111, "
            "Section 5.2.2.3).";
    /* Section 5.2.2.3: with must-understand and a status the cache
     * understands, no-store is ignored. */
    if ((d & REDIR_CC_NO_STORE) && !(d & REDIR_CC_MUST_UNDERSTAND))
        return
            "no-store: a cache must not store this response (RFC 9111, "
            "Section 5.2.2.5).";
    if (shared && (d & REDIR_CC_PRIVATE))
        return
            "private: a shared cache must not store this response (RFC 9111, "
            "Section 5.2.2.7).";
    if (shared && f->in->authorization &&
        !(d & (REDIR_CC_PUBLIC | REDIR_CC_S_MAXAGE | REDIR_CC_MUST_REVALIDATE)))
        return
            "the request carried Authorization and no public, s-maxage or "
            "must-revalidate lets a shared cache store the response (RFC "
            "9111, Section 3.5).";
    /* Section 4.1: a Vary member "*" never matches a later request, so a
     * stored copy could never be used: treated as not storable. */
    if (f->vary_star)
        return
            "Vary: * means a stored response never matches a later request, "
            "so it is not stored (RFC 9111, Section 4.1).";
    const bool heuristic_status =
        understood && (f->st->flags & REDIR_SF_HEURISTIC_CACHEABLE);
    const bool explicit_time = (d & REDIR_CC_MAX_AGE) ||
                               (shared && (d & REDIR_CC_S_MAXAGE)) ||
                               f->expires_field;
    const bool marked = (d & REDIR_CC_PUBLIC) ||
                        (!shared && (d & REDIR_CC_PRIVATE));
    if (!explicit_time && !marked && !heuristic_status)
        return understood
                ? "the status is not heuristically cacheable and the response "
                  "has no explicit freshness (max-age, s-maxage, Expires) and "
                  "no public or private directive (RFC 9111, Section 3; RFC "
                  "9110, Section 15.1)."
                : "an unregistered status code is not heuristically cacheable "
                  "and the response has no explicit freshness (RFC 9111, "
                  "Section 3; RFC 9110, Section 15.1).";
    return NULL;
}

static void evaluate_one(const facts *f, bool shared, redir_cache_verdict *v)
{
    const unsigned d = f->cc->directives;
    memset(v, 0, sizeof *v);
    v->age = f->age;
    v->reason = refusal(f, shared);
    if (v->reason)
        return;
    v->storable = true;

    /* Section 4.2.1: the freshness lifetime. */
    if (shared && (d & REDIR_CC_S_MAXAGE)) {
        v->lifetime = f->cc->s_maxage;
        v->reason = "s-maxage gives the freshness lifetime in a shared cache "
                    "(RFC 9111, Section 5.2.2.10).";
    } else if (d & REDIR_CC_MAX_AGE) {
        v->lifetime = f->cc->max_age;
        v->reason = "max-age gives the freshness lifetime (RFC 9111, Section "
                    "5.2.2.1).";
    } else if (f->expires_field && !f->expires_valid) {
        v->lifetime = 0;
        v->reason = "Expires is not a valid HTTP-date (or appears twice with "
                    "different values), so the response is already stale "
                    "(RFC 9111, Sections 5.3 and 4.2.1).";
    } else if (f->expires_field) {
        v->lifetime = max0(sat_sub(f->expires, f->date));
        v->reason = "Expires minus Date gives the freshness lifetime (RFC "
                    "9111, Sections 4.2.1 and 5.3).";
    } else {
        /* Section 4.2.2: only without an explicit expiration time, for a
         * heuristically cacheable status or a response marked cacheable. */
        v->heuristic = true;
        if (f->has_lm) {
            v->lifetime = percent_of(max0(sat_sub(f->date, f->last_modified)),
                                     f->in->heuristic_percent);
            v->reason = "no explicit freshness: the heuristic lifetime is a "
                        "fraction of the time since Last-Modified (RFC 9111, "
                        "Section 4.2.2).";
        } else {
            v->lifetime = max0(f->in->heuristic_default);
            v->reason = "no explicit freshness: the cache's default heuristic "
                        "lifetime applies (RFC 9111, Section 4.2.2; RFC 9110, "
                        "Section 15.1).";
        }
    }

    v->must_revalidate = f->no_cache || (d & REDIR_CC_MUST_REVALIDATE) ||
                         (shared && (d & (REDIR_CC_PROXY_REVALIDATE |
                                          REDIR_CC_S_MAXAGE)));
    if (f->no_cache)
        v->reason = f->pragma_applied
            ? "Pragma: no-cache without Cache-Control is read as no-cache: "
              "stored, but validated before each use (RFC 9111, Section 5.4)."
            : "no-cache: the response may be stored but must be validated "
              "before each use (RFC 9111, Section 5.2.2.4).";
    v->ttl = max0(sat_sub(v->lifetime, v->age));
    v->fresh = !f->no_cache && v->age < v->lifetime;
}

redir_result redir_cache_evaluate(const redir_cache_input *in,
                                  redir_cache_result *out)
{
    if (!in || !out)
        return REDIR_E_NULL;
    memset(out, 0, sizeof *out);
    if (!in->method || (!in->headers && in->header_count))
        return REDIR_E_NULL;
    const redir_status *st = redir_status_get(in->status);
    if (!st)
        return REDIR_E_STATUS_RANGE;
    if (!is_method_token(in->method, in->method_len))
        return REDIR_E_METHOD;

    facts f;
    memset(&f, 0, sizeof f);
    f.in = in;
    f.st = st;
    f.cc = &out->cc;
    /* Section 3: the method must be understood; only GET and HEAD are
     * (methods are case-sensitive, RFC 9110, Section 9.1). */
    f.storable_method = rd_eq(in->method, in->method_len, "GET", 3) ||
                        rd_eq(in->method, in->method_len, "HEAD", 4);
    const int64_t response_time = in->response_time ? in->response_time
                                                    : in->now;
    const int64_t request_time = in->request_time ? in->request_time
                                                  : response_time;

    bool has_cc = false, has_age = false, has_lm_field = false;
    int64_t age_value = 0;
    for (size_t h = 0; h < in->header_count; h++) {
        const redir_header *hd = &in->headers[h];
        if (!hd->name)
            return REDIR_E_NULL;
        const char *v = hd->value ? hd->value : "";
        size_t vn = hd->value ? hd->value_len : 0;
        const char *nm = hd->name;
        size_t nn = hd->name_len;
        int64_t t;
        if (rd_ieq_lit(nm, nn, "cache-control")) {
            /* several field lines combine (RFC 9110, Section 5.3) */
            redir_result r = redir_cache_control_parse(v, vn, true, &out->cc);
            if (r != REDIR_OK) {
                memset(out, 0, sizeof *out);
                return r;
            }
            has_cc = true;
        } else if (rd_ieq_lit(nm, nn, "expires")) {
            /* Section 5.3: an invalid date, "0" included, is in the past.
             * Section 4.2.1: with several values, either the first is used
             * or the response is stale: different values make it stale. */
            bool ok = redir_http_date_parse(v, vn, in->now, &t) == REDIR_OK;
            if (!f.expires_field) {
                f.expires_field = true;
                f.expires_valid = ok;
                f.expires = ok ? t : 0;
            } else if (!ok || !f.expires_valid || t != f.expires) {
                f.expires_valid = false;
            }
        } else if (rd_ieq_lit(nm, nn, "date")) {
            if (!out->has_date &&
                redir_http_date_parse(v, vn, in->now, &t) == REDIR_OK) {
                out->has_date = true;
                out->date = t;
            }
        } else if (rd_ieq_lit(nm, nn, "age")) {
            /* Section 5.1: the first member of the first field; anything
             * but a non-negative integer is ignored. */
            if (has_age)
                continue;
            has_age = true;
            size_t e = 0;
            while (e < vn && v[e] != ',')
                e++;
            size_t a = rd_skip_ows(v, e, 0), b = e;
            while (b > a && rd_is_ows(v[b - 1]))
                b--;
            arg ag = {true, false, true, v + a, b - a};
            if (!arg_delta(&ag, &age_value))
                age_value = 0;
        } else if (rd_ieq_lit(nm, nn, "pragma")) {
            if (list_has(v, vn, "no-cache"))
                out->pragma_no_cache = true;
        } else if (rd_ieq_lit(nm, nn, "vary")) {
            if (list_has(v, vn, "*"))
                out->vary_star = true;
        } else if (rd_ieq_lit(nm, nn, "last-modified")) {
            if (!has_lm_field) {
                has_lm_field = true;
                f.has_lm =
                    redir_http_date_parse(v, vn, in->now, &t) == REDIR_OK;
                f.last_modified = f.has_lm ? t : 0;
            }
        }
    }
    out->has_expires = f.expires_field && f.expires_valid;
    out->expires = out->has_expires ? f.expires : 0;
    f.vary_star = out->vary_star;
    /* Section 5.4: Pragma has no defined meaning in a response; like
     * browsers, read Pragma: no-cache as no-cache only when there is no
     * Cache-Control at all (the HTTP/1.0 case). */
    f.pragma_applied = out->pragma_no_cache && !has_cc;
    f.no_cache = (out->cc.directives & REDIR_CC_NO_CACHE) || f.pragma_applied;
    /* RFC 9110, Section 6.6.1: without Date, the time of receipt. */
    f.date = out->has_date ? out->date : response_time;

    /* Section 4.2.3: the age. Negative delays (clocks, or times given in
     * the wrong order) count as 0. */
    int64_t apparent_age = max0(sat_sub(response_time, f.date));
    int64_t response_delay = max0(sat_sub(response_time, request_time));
    int64_t corrected_age_value = sat_add(age_value, response_delay);
    int64_t corrected_initial_age = apparent_age > corrected_age_value
                                        ? apparent_age
                                        : corrected_age_value;
    int64_t resident_time = max0(sat_sub(in->now, response_time));
    f.age = sat_add(corrected_initial_age, resident_time);

    evaluate_one(&f, false, &out->private_cache);
    evaluate_one(&f, true, &out->shared_cache);
    return REDIR_OK;
}
