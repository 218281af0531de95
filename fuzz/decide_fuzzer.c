/* SPDX-License-Identifier: MIT */
/*
 * Decisions: redir_decide() under a fuzzed policy, redir_explain() on the
 * result, redir_header_action_for(), and a chain (redir_chain_init() and a
 * few redir_chain_step()s).
 *
 * Input: a control block of CONTROL bytes (missing bytes are 0), then text
 * lines (ending at '\n'; a '\r' stays in the line):
 *
 *   method
 *   request URL
 *   request header lines "Name: value" ... up to an empty line
 *   response header lines "Name: value" ...   (the response)
 *   empty line, more response header lines ... (responses of later hops)
 *
 * A header line without ':' is a name with a NULL value.
 *
 * The control block (offsets):
 *    0     profile (index modulo the number of profiles)
 *    1     which policy fields to overwrite: 1 rules cells, 2 options,
 *          4 scope, 8 strip masks, 16 loop_rule and max_repeats,
 *          32 max_redirects, 64 size / schemes / sensitive_headers,
 *          128 the HSTS callback (hosts of even length are HSTS hosts)
 *    2-3   status, big-endian, modulo 1024
 *    4     body state (modulo 4: 3 is not a redir_body)
 *    5     capacity of the URL buffer (255: none)
 *    6     capacity of the explanation buffer, in units of 8 (255: none)
 *    7     chain steps (modulo 6; 0: no chain)
 *    8-11  options, XORed into the profile's
 *   12     scope; 13 loop_rule; 14 max_repeats; 15 max_redirects
 *          (scope and loop_rule: a byte >= 0xf0 is kept as it is, an
 *          invalid value; below, taken modulo the number of values)
 *   16-30  strip_always, _on_body_drop, _on_scope_change,
 *          _on_authority_change, _on_downgrade: 3 bytes each, little-endian
 *   31     size (bits 0-1), schemes (bits 2-4), sensitive_headers (5-7)
 *   32-47  eight (cell, value) pairs for rules: cell modulo 91 (90: none),
 *          a value >= 0xf0 kept as it is (invalid), else modulo 5
 *
 * Checks, beyond "no crash, no out-of-bounds access": REDIR_E_POLICY
 * exactly when the policy the bytes built is invalid; a decision's fields
 * agree with each other and with the policy (a followed target parses, is
 * in the policy's schemes, is not a refused downgrade; `error` is set
 * exactly for bad-location; header_actions agree with
 * redir_header_action_for()); a buffer too small reports the length that
 * then works, with the same decision as a large buffer; redir_explain()
 * reports the length it needs; a chain never exceeds max_redirects and its
 * final_url is the last followed target.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"

enum { CONTROL = 48, MAX_HEADERS = 80, MAX_GROUPS = 8 };

typedef struct group {
    redir_header h[MAX_HEADERS];
    size_t n;
} group;

typedef struct input {
    uint8_t c[CONTROL];
    fuzz_buf method, url;
    group req;
    group resp[MAX_GROUPS];
    size_t nresp;
    fuzz_buf pieces[2 * MAX_HEADERS * (MAX_GROUPS + 1)];
    size_t npieces;
} input;

static const char *keep(input *in, const char *p, size_t n)
{
    if (in->npieces == sizeof in->pieces / sizeof in->pieces[0])
        abort();
    in->pieces[in->npieces] = fuzz_copy(p, n);
    return in->pieces[in->npieces++].ptr;
}

static void add_header(input *in, group *g, const char *line, size_t len)
{
    if (g->n == MAX_HEADERS)
        return;
    redir_header *h = &g->h[g->n++];
    const char *colon = memchr(line, ':', len);
    if (!colon) {
        h->name = keep(in, line, len);
        h->name_len = len;
        h->value = NULL;
        h->value_len = 0;
        return;
    }
    size_t nl = (size_t)(colon - line);
    size_t v = nl + 1;
    while (v < len && (line[v] == ' ' || line[v] == '\t'))
        v++;
    h->name = keep(in, line, nl);
    h->name_len = nl;
    h->value = keep(in, line + v, len - v);
    h->value_len = len - v;
}

static void read_input(input *in, const uint8_t *data, size_t size)
{
    memset(in, 0, sizeof *in);
    size_t k = size < CONTROL ? size : CONTROL;
    memcpy(in->c, data, k);
    fuzz_lines l = {data + k, size - k};
    const char *line;
    size_t len;
    in->method = fuzz_next_line(&l, &line, &len) ? fuzz_copy(line, len)
                                                 : fuzz_copy("GET", 3);
    in->url = fuzz_next_line(&l, &line, &len) ? fuzz_copy(line, len)
                                              : fuzz_copy("", 0);
    while (fuzz_next_line(&l, &line, &len) && len > 0)
        add_header(in, &in->req, line, len);
    in->nresp = 1;
    while (fuzz_next_line(&l, &line, &len)) {
        if (len == 0) {
            if (in->nresp == MAX_GROUPS)
                break;
            in->nresp++;
            continue;
        }
        add_header(in, &in->resp[in->nresp - 1], line, len);
    }
}

static void free_input(input *in)
{
    fuzz_free(&in->method);
    fuzz_free(&in->url);
    for (size_t i = 0; i < in->npieces; i++)
        fuzz_free(&in->pieces[i]);
}

/* the context the HSTS callback must be given back */
static int hsts_token;

static bool hsts_even(void *ctx, const char *host, size_t len)
{
    FUZZ_CHECK(ctx == &hsts_token);
    FUZZ_CHECK(host != NULL && len > 0);
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK(!(host[i] >= 'A' && host[i] <= 'Z'));
    /* (one trailing dot is removed: "a.example.." arrives as "a.example.") */
    return len % 2 == 0;
}

static unsigned u24(const uint8_t *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8 | (unsigned)p[2] << 16;
}

/* Builds the policy the control bytes describe; returns whether it is a
 * valid one (what the library must accept). */
static bool build_policy(const input *in, redir_policy *p)
{
    const uint8_t *c = in->c;
    const size_t nprof = redir_profile_count();
    FUZZ_CHECK(nprof > 0);
    const redir_policy *prof = redir_profile_at(c[0] % nprof);
    FUZZ_CHECK(prof != NULL);
    FUZZ_CHECK(redir_profile_get(prof->name) == prof);
    FUZZ_CHECK(redir_policy_init(p, sizeof *p, prof->name) == REDIR_OK);
    bool valid = true;
    const unsigned mask = c[1];
    if (mask & 1) {
        for (int i = 0; i < 8; i++) {
            unsigned cell = c[32 + 2 * i] % 91u, v = c[33 + 2 * i];
            if (cell == 90)
                continue;
            if (v < 0xf0)
                v %= 5;
            p->rules[cell / REDIR_COL_COUNT][cell % REDIR_COL_COUNT] =
                (unsigned char)v;
        }
    }
    if (mask & 2)
        p->options ^= (unsigned)c[8] | (unsigned)c[9] << 8 |
                      (unsigned)c[10] << 16 | (unsigned)c[11] << 24;
    if (mask & 4)
        p->scope = (redir_scope)(c[12] >= 0xf0 ? c[12] : c[12] % 6u);
    if (mask & 8) {
        p->strip_always = u24(c + 16);
        p->strip_on_body_drop = u24(c + 19);
        p->strip_on_scope_change = u24(c + 22);
        p->strip_on_authority_change = u24(c + 25);
        p->strip_on_downgrade = u24(c + 28);
    }
    if (mask & 16) {
        p->loop_rule = (redir_loop_rule)(c[13] >= 0xf0 ? c[13] : c[13] % 4u);
        p->max_repeats = c[14];
    }
    if (mask & 32)
        p->max_redirects = c[15];
    if (mask & 64) {
        static const char *const schemes[8] = {
            "http https", NULL, "", "HTTP", "https",
            "http https ftp ws wss", "  http   https  ",
            "javascript data http https"};
        static const char *const sensitive[8] = {
            NULL, "", "X-Api-Key", "x-api-key Authorization",
            "  X-Token   X-Api-Key  ", "Cookie", "Location", "x"};
        const size_t first = offsetof(redir_policy, hsts_ctx) + sizeof(void *);
        const size_t sizes[4] = {sizeof *p, first - 1, 0, sizeof *p + 64};
        p->size = sizes[c[31] & 3];
        p->schemes = schemes[(c[31] >> 2) & 7];
        p->sensitive_headers = sensitive[(c[31] >> 5) & 7];
    }
    if (mask & 128) {
        p->hsts_known = hsts_even;
        p->hsts_ctx = &hsts_token;
    }
    /* what "valid" means (redir.h, REDIR_E_POLICY) */
    const size_t first = offsetof(redir_policy, hsts_ctx) + sizeof(void *);
    if (p->size < first || !p->schemes)
        valid = false;
    for (int r = 0; r < REDIR_ROW_COUNT; r++)
        for (int k = 0; k < REDIR_COL_COUNT; k++)
            if (p->rules[r][k] > REDIR_RULE_GET_WITH_BODY)
                valid = false;
    if ((unsigned)p->scope > REDIR_SCOPE_RAW_AUTHORITY ||
        (unsigned)p->loop_rule > REDIR_LOOP_REPEATS)
        valid = false;
    /* counting distinct targets needs a loop rule that bounds revisits */
    if ((p->options & REDIR_POLICY_LIMIT_DISTINCT) &&
        p->loop_rule != REDIR_LOOP_STOP && p->loop_rule != REDIR_LOOP_REPEATS)
        valid = false;
    return valid;
}

static char lower(char ch)
{
    return (ch >= 'A' && ch <= 'Z') ? (char)(ch - 'A' + 'a') : ch;
}

/* Whether `s` (n bytes) is a word of the space-separated `list`. */
static bool in_list(const char *list, const char *s, size_t n)
{
    const char *p = list;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t k = 0;
        while (p[k] && p[k] != ' ')
            k++;
        if (k == n && k > 0) {
            size_t i = 0;
            while (i < n && lower(p[i]) == lower(s[i]))
                i++;
            if (i == n)
                return true;
        }
        p += k;
    }
    return false;
}

/* Whether some Location of the response, parsed as the policy reads it, has
 * an authority: without one, a target reads back with an authority only
 * when the request URL has one (RFC 3986, Section 3.3). */
static bool location_has_authority(const redir_policy *p,
                                   const redir_response *resp)
{
    unsigned flags = 0;
    if (p->options & REDIR_POLICY_LENIENT_LOCATION)
        flags |= REDIR_URI_LENIENT;
    if (p->options & REDIR_POLICY_WHATWG_URL)
        flags |= REDIR_URI_WHATWG;
    for (size_t i = 0; i < resp->header_count; i++) {
        const redir_header *h = &resp->headers[i];
        if (h->name_len != 8 || !h->value)
            continue;
        bool loc = true;
        for (size_t k = 0; k < 8; k++)
            loc = loc && lower(h->name[k]) == "location"[k];
        if (!loc)
            continue;
        const char *v = h->value;
        size_t n = h->value_len;
        while (n && (*v == ' ' || *v == '\t')) {
            v++;
            n--;
        }
        while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
            n--;
        redir_uri u;
        if (redir_uri_parse(v, n, flags, &u) == REDIR_OK &&
            (u.parts & REDIR_URI_AUTHORITY))
            return true;
    }
    return false;
}

static void check_decision(const redir_policy *p, const redir_request *req,
                           const redir_response *resp, const redir_decision *d)
{
    FUZZ_CHECK(d->reason != NULL && d->spec != NULL);
    FUZZ_CHECK(d->verdict < REDIR_VERDICT_LAST_);
    FUZZ_CHECK(strcmp(redir_verdict_name(d->verdict), "unknown") != 0);
    FUZZ_CHECK(d->status == resp->status);
    FUZZ_CHECK(d->policy == p);
    FUZZ_CHECK((d->flags & ~(unsigned)REDIR_DF_ALL_) == 0);
    for (unsigned b = 0; b < 32; b++)
        if (d->flags & (1u << b))
            FUZZ_CHECK(redir_flag_name(1u << b) != NULL);
    FUZZ_CHECK((d->origin_diff & ~7u) == 0);
    FUZZ_CHECK(d->header_count == req->header_count);
    FUZZ_CHECK((d->error != REDIR_OK) ==
               (d->verdict == REDIR_VERDICT_BAD_LOCATION));
    fuzz_check_result(d->error);
    if (d->url) {
        FUZZ_CHECK(d->url[d->url_len] == '\0' && strlen(d->url) == d->url_len);
        redir_uri t;
        FUZZ_CHECK(redir_uri_parse(d->url, d->url_len, 0, &t) == REDIR_OK);
        FUZZ_CHECK(t.parts & REDIR_URI_SCHEME);
    }
    for (size_t i = 0; i < req->header_count; i++) {
        FUZZ_CHECK(d->header_actions[i] <= REDIR_HEADER_REGENERATE);
        FUZZ_CHECK(redir_header_action_for(d, req->headers[i].name,
                                           req->headers[i].name_len) ==
                   (redir_header_action)d->header_actions[i]);
        FUZZ_CHECK(strcmp(redir_header_action_name(
                              (redir_header_action)d->header_actions[i]),
                          "unknown") != 0);
    }
    if (d->verdict != REDIR_VERDICT_FOLLOW) {
        FUZZ_CHECK(d->method == NULL && d->body == REDIR_BODY_ACTION_NONE);
        FUZZ_CHECK(redir_header_action_for(d, "Authorization", 13) ==
                   REDIR_HEADER_KEEP);
        return;
    }
    FUZZ_CHECK(resp->status >= 300 && resp->status <= 399);
    FUZZ_CHECK(d->url != NULL);
    FUZZ_CHECK(d->method != NULL && d->method_len > 0);
    FUZZ_CHECK(d->method == req->method ||
               (d->method_len == 3 && memcmp(d->method, "GET", 3) == 0));
    FUZZ_CHECK(d->body == REDIR_BODY_KEEP || d->body == REDIR_BODY_DROP);
    FUZZ_CHECK(!(d->body == REDIR_BODY_KEEP && req->body == REDIR_BODY_STREAM));
    redir_uri t, base;
    FUZZ_CHECK(redir_uri_parse(d->url, d->url_len, 0, &t) == REDIR_OK);
    FUZZ_CHECK(in_list(p->schemes, t.scheme.ptr, t.scheme.len));
    /* the target's authority comes from the Location or the request */
    FUZZ_CHECK(redir_uri_parse(req->url, req->url_len, 0, &base) == REDIR_OK);
    if ((t.parts & REDIR_URI_AUTHORITY) && !(base.parts & REDIR_URI_AUTHORITY))
        FUZZ_CHECK(location_has_authority(p, resp));
    if (d->flags & REDIR_DF_DOWNGRADE)
        FUZZ_CHECK(p->options & REDIR_POLICY_ALLOW_DOWNGRADE);
    if (d->flags & REDIR_DF_HSTS_UPGRADE)
        FUZZ_CHECK(d->url_len > 6 && memcmp(d->url, "https:", 6) == 0 &&
                   p->hsts_known != NULL);
    if (t.scheme.len >= 4 && lower(t.scheme.ptr[0]) == 'h' &&
        lower(t.scheme.ptr[1]) == 't' && lower(t.scheme.ptr[2]) == 't' &&
        lower(t.scheme.ptr[3]) == 'p' &&
        (t.scheme.len == 4 || (t.scheme.len == 5 && lower(t.scheme.ptr[4]) == 's')))
        FUZZ_CHECK((t.parts & REDIR_URI_AUTHORITY) && t.host.len > 0);
    uint64_t h;
    FUZZ_CHECK(redir_target_hash(d->method, d->method_len, d->url, d->url_len,
                                 &h) == REDIR_OK);
}

/* Decides into a buffer of exactly `cap` bytes (NULL when cap is 0 and
 * `none`). */
static redir_result decide_cap(const redir_policy *p, const redir_request *req,
                               const redir_response *resp, size_t cap,
                               bool none, char **buf, redir_decision *d)
{
    *buf = none ? NULL : malloc(cap ? cap : 1);
    if (!none && !*buf)
        abort();
    redir_result r = redir_decide(p, req, resp, *buf, none ? 0 : cap, d);
    fuzz_check_result(r);
    return r;
}

static void explain(const redir_decision *d, const redir_request *req,
                    uint8_t sel)
{
    bool none = sel == 255;
    size_t cap = none ? 0 : (size_t)sel * 8;
    char *buf = none ? NULL : malloc(cap ? cap : 1);
    if (!none && !buf)
        abort();
    size_t len = 0;
    redir_result r = redir_explain(d, req, buf, cap, &len);
    FUZZ_CHECK(r == REDIR_OK || r == REDIR_E_BUFFER_TOO_SMALL);
    if (r == REDIR_E_BUFFER_TOO_SMALL) {
        FUZZ_CHECK(len + 1 > cap);
        free(buf);
        cap = len + 1;
        buf = malloc(cap);
        if (!buf)
            abort();
        size_t len2 = 0;
        FUZZ_CHECK(redir_explain(d, req, buf, cap, &len2) == REDIR_OK);
        FUZZ_CHECK(len2 == len);
    }
    FUZZ_CHECK(buf[len] == '\0' && strlen(buf) == len && len > 0);
    free(buf);
}

static void chain(const input *in, const redir_policy *p, bool valid,
                  const redir_request *first)
{
    unsigned steps = in->c[7] % 6u;
    if (steps == 0)
        return;
    redir_chain ch;
    redir_result r = redir_chain_init(&ch, p, first->method, first->method_len,
                                      first->url, first->url_len);
    fuzz_check_result(r);
    if (r != REDIR_OK)
        return;
    FUZZ_CHECK(ch.hops == 0 && ch.final_url == first->url);
    char *bufs[6] = {NULL};
    redir_request req = *first;
    for (unsigned s = 0; s < steps; s++) {
        const group *g = &in->resp[s % in->nresp];
        redir_response resp = {
            .status = 300 + (int)((in->c[2] + s) % 10), .headers = g->h,
            .header_count = g->n};
        if (s == 0)
            resp.status = (int)((((unsigned)in->c[2] << 8) | in->c[3]) % 1024u);
        size_t cap = 4 * (req.url_len + 64) + 64 * 1024;
        bufs[s] = malloc(cap);
        if (!bufs[s])
            abort();
        redir_decision d;
        unsigned hops = ch.hops;
        r = redir_chain_step(&ch, &req, &resp, bufs[s], cap, &d);
        fuzz_check_result(r);
        FUZZ_CHECK((r == REDIR_E_POLICY) == !valid);
        if (r != REDIR_OK)
            break;
        check_decision(p, &req, &resp, &d);
        /* the hop limit; counting distinct targets, every target at most
         * once (REDIR_LOOP_STOP) or max_repeats + 1 times */
        if (p->options & REDIR_POLICY_LIMIT_DISTINCT)
            FUZZ_CHECK(ch.hops <= (unsigned long long)p->max_redirects *
                                      (p->loop_rule == REDIR_LOOP_STOP
                                           ? 1u
                                           : p->max_repeats + 1ull));
        else
            FUZZ_CHECK(ch.hops <= p->max_redirects);
        if (d.verdict == REDIR_VERDICT_TOO_MANY_REDIRECTS)
            FUZZ_CHECK(hops >= p->max_redirects);
        if (d.verdict != REDIR_VERDICT_FOLLOW) {
            FUZZ_CHECK(ch.hops == hops);
            break;
        }
        FUZZ_CHECK(ch.hops == hops + 1);
        FUZZ_CHECK(ch.final_url == d.url && ch.final_url_len == d.url_len);
        FUZZ_CHECK(ch.revisits <= ch.hops && ch.method_changes <= ch.hops);
        FUZZ_CHECK((ch.flags_all & ~ch.flags_any) == 0);
        req.method = d.method;
        req.method_len = d.method_len;
        req.url = d.url;
        req.url_len = d.url_len;
        if (d.body == REDIR_BODY_DROP)
            req.body = REDIR_BODY_NONE;
    }
    for (unsigned s = 0; s < steps; s++)
        free(bufs[s]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input *in = malloc(sizeof *in);
    if (!in)
        abort();
    read_input(in, data, size);
    const uint8_t *c = in->c;

    redir_policy p;
    bool valid = build_policy(in, &p);

    redir_request req = {
        .method = in->method.ptr,
        .method_len = in->method.len,
        .url = in->url.ptr,
        .url_len = in->url.len,
        .body = (redir_body)(c[4] % 4u),
        .headers = in->req.n ? in->req.h : NULL,
        .header_count = in->req.n,
    };
    redir_response resp = {
        .status = (int)((((unsigned)c[2] << 8) | c[3]) % 1024u),
        .headers = in->resp[0].n ? in->resp[0].h : NULL,
        .header_count = in->resp[0].n,
    };

    char *buf;
    redir_decision d;
    redir_result r = decide_cap(&p, &req, &resp, c[5], c[5] == 255, &buf, &d);
    FUZZ_CHECK((r == REDIR_E_POLICY) == !valid);
    if (r == REDIR_E_TOO_MANY_HEADERS)
        FUZZ_CHECK(req.header_count > REDIR_MAX_HEADERS);
    if (r == REDIR_E_STATUS_RANGE)
        FUZZ_CHECK(resp.status < 100 || resp.status > 599);
    if (r == REDIR_E_BUFFER_TOO_SMALL) {
        /* the length reported is the one that works */
        size_t need = d.url_len;
        FUZZ_CHECK(need + 1 > (c[5] == 255 ? 0 : c[5]));
        free(buf);
        r = decide_cap(&p, &req, &resp, need + 1, false, &buf, &d);
        FUZZ_CHECK(r == REDIR_OK);
        FUZZ_CHECK(d.url && d.url_len == need);
    }
    if (r == REDIR_OK) {
        check_decision(&p, &req, &resp, &d);
        /* the same decision with room to spare */
        char *big;
        redir_decision e;
        size_t cap = 3 * (in->url.len + size) + 64;
        FUZZ_CHECK(decide_cap(&p, &req, &resp, cap, false, &big, &e) ==
                   REDIR_OK);
        FUZZ_CHECK(e.verdict == d.verdict && e.flags == d.flags &&
                   e.error == d.error && e.body == d.body &&
                   e.method_len == d.method_len && e.url_len == d.url_len &&
                   (e.url == NULL) == (d.url == NULL));
        if (d.url)
            FUZZ_CHECK(memcmp(e.url, d.url, d.url_len) == 0);
        FUZZ_CHECK(memcmp(e.header_actions, d.header_actions,
                          sizeof d.header_actions) == 0);
        free(big);
        explain(&d, &req, c[6]);
        explain(&d, NULL, c[6]);
    }
    free(buf);

    if (req.body <= REDIR_BODY_STREAM)
        chain(in, &p, valid, &req);

    free_input(in);
    free(in);
    return 0;
}
