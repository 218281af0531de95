/* SPDX-License-Identifier: MIT */
/*
 * Redirect chains: the hop limit and loop detection on normalised targets
 * (RFC 9110, Section 15.4: "A client SHOULD detect and intervene in cyclical
 * redirections"), and the facts of a whole chain.
 */
#include "policy.h"
#include "uri.h"
#include "util.h"

/* FNV-1a, 64 bits: enough to tell targets apart in a chain of tens. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static inline uint64_t mix(uint64_t h, unsigned char c)
{
    return (h ^ c) * FNV_PRIME;
}

static uint64_t mix_span(uint64_t h, const char *p, size_t n, bool lower)
{
    for (size_t i = 0; i < n; i++)
        h = mix(h, (unsigned char)(lower ? rd_lower((unsigned char)p[i]) : p[i]));
    return h;
}

/* RFC 3986, Section 6.2.2: escapes of unreserved characters decoded, the
 * hex of the others in upper case; host bytes in lower case. */
static uint64_t mix_normal(uint64_t h, const char *p, size_t n, bool lower)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%' && i + 2 < n && rd_is_hex((unsigned char)p[i + 1]) &&
            rd_is_hex((unsigned char)p[i + 2])) {
            unsigned char b = (unsigned char)(rd_hex_value((unsigned char)p[i + 1]) * 16 +
                                              rd_hex_value((unsigned char)p[i + 2]));
            i += 2;
            if (rd_is_alpha(b) || rd_is_digit(b) || b == '-' || b == '.' ||
                b == '_' || b == '~') {
                h = mix(h, lower ? (unsigned char)rd_lower(b) : b);
            } else {
                static const char hex[] = "0123456789ABCDEF";
                h = mix(h, '%');
                h = mix(h, (unsigned char)hex[b >> 4]);
                h = mix(h, (unsigned char)hex[b & 15]);
            }
            continue;
        }
        h = mix(h, lower ? (unsigned char)rd_lower(c) : c);
    }
    return h;
}

static uint64_t target_hash(const char *method, size_t mlen, const redir_uri *u)
{
    uint64_t h = FNV_OFFSET;
    h = mix_span(h, method, mlen, false);
    h = mix(h, 0);
    h = mix_span(h, u->scheme.ptr, u->scheme.len, true);
    h = mix(h, ':');
    if (u->parts & REDIR_URI_AUTHORITY) {
        h = mix(h, '/');
        h = mix(h, '/');
        if (u->parts & REDIR_URI_USERINFO) {
            h = mix_normal(h, u->userinfo.ptr, u->userinfo.len, false);
            h = mix(h, '@');
        }
        h = mix_normal(h, u->host.ptr, u->host.len, true);
        int port = redir_uri_port(u);
        if (port >= 0 && port != redir_default_port(u->scheme.ptr, u->scheme.len)) {
            h = mix(h, ':');
            h = mix(h, (unsigned char)(port >> 8));
            h = mix(h, (unsigned char)(port & 0xff));
        }
    }
    if (u->path.len == 0 && (u->parts & REDIR_URI_AUTHORITY))
        h = mix(h, '/');
    else
        h = mix_normal(h, u->path.ptr, u->path.len, false);
    if (u->parts & REDIR_URI_QUERY) {
        h = mix(h, '?');
        h = mix_normal(h, u->query.ptr, u->query.len, false);
    }
    return h;
}

redir_result redir_target_hash(const char *method, size_t mlen, const char *url,
                               size_t len, uint64_t *hash)
{
    if (!method || !url || !hash)
        return REDIR_E_NULL;
    if (mlen > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    redir_uri u;
    redir_result r = redir_uri_parse(url, len, 0, &u);
    if (r != REDIR_OK)
        return r;
    *hash = target_hash(method, mlen, &u);
    return REDIR_OK;
}

/* Remembers a target, adding `visits` to its count: 1 for a redirect
 * target, 0 for the first request, which is known for loops but not
 * counted (urllib's redirect_dict holds redirect targets only). The oldest
 * entry goes when the memory is full. */
static void remember(redir_chain *c, uint64_t h, unsigned visits)
{
    for (unsigned i = 0; i < c->private_count_; i++)
        if (c->private_[i].hash == h) {
            if (c->private_[i].visits == 0 && visits)
                c->private_distinct_++;
            c->private_[i].visits += visits;
            c->private_[i].cookie_epoch = c->private_cookie_epoch_;
            return;
        }
    if (c->private_count_ == REDIR_CHAIN_MEMORY) {
        memmove(&c->private_[0], &c->private_[1],
                sizeof c->private_[0] * (REDIR_CHAIN_MEMORY - 1));
        c->private_count_--;
    }
    c->private_[c->private_count_].hash = h;
    c->private_[c->private_count_].visits = visits;
    c->private_[c->private_count_].cookie_epoch = c->private_cookie_epoch_;
    c->private_count_++;
    if (visits)
        c->private_distinct_++;
}

static int find(const redir_chain *c, uint64_t h)
{
    for (unsigned i = 0; i < c->private_count_; i++)
        if (c->private_[i].hash == h)
            return (int)i;
    return -1;
}

redir_result redir_chain_init(redir_chain *c, const redir_policy *p,
                              const char *method, size_t mlen, const char *url,
                              size_t len)
{
    if (!c || !method || !url)
        return REDIR_E_NULL;
    memset(c, 0, sizeof *c);
    if (!p)
        p = redir_profile_at(0);
    if (!rd_policy_size_ok(p))
        return REDIR_E_POLICY;
    if (mlen == 0 || mlen > REDIR_MAX_INPUT)
        return REDIR_E_METHOD;
    redir_uri u;
    redir_result r = redir_uri_parse(url, len, 0, &u);
    if (r == REDIR_E_TOO_LONG)
        return r;
    if (r != REDIR_OK)
        return REDIR_E_BASE_INVALID;
    if (!(u.parts & REDIR_URI_SCHEME))
        return REDIR_E_BASE_NOT_ABSOLUTE;
    c->policy = p;
    c->first_url = c->final_url = url;
    c->first_url_len = c->final_url_len = len;
    remember(c, target_hash(method, mlen, &u), 0);
    return REDIR_OK;
}

static bool sets_cookie(const redir_response *resp)
{
    for (size_t i = 0; i < resp->header_count; i++)
        if (resp->headers[i].name &&
            rd_ieq_lit(resp->headers[i].name, resp->headers[i].name_len,
                       "set-cookie"))
            return true;
    return false;
}

static void refuse(redir_decision *d, redir_verdict v, const char *reason,
                   const char *spec)
{
    d->verdict = v;
    d->method = NULL;
    d->method_len = 0;
    d->body = REDIR_BODY_ACTION_NONE;
    d->reason = reason;
    d->spec = spec;
    memset(d->header_actions, 0, sizeof d->header_actions);
}

redir_result redir_chain_step(redir_chain *c, const redir_request *req,
                              const redir_response *resp, char *buf, size_t cap,
                              redir_decision *d)
{
    if (!c || !c->policy || !d)
        return REDIR_E_NULL;
    bool first = (c->policy->options & REDIR_POLICY_SCOPE_FROM_FIRST) != 0;
    redir_result r = rd_decide(c->policy, req, resp, buf, cap, d,
                               first ? c->first_url : NULL,
                               first ? c->first_url_len : 0);
    if (r != REDIR_OK)
        return r;
    if (resp->header_count && sets_cookie(resp))
        c->private_cookie_epoch_++;
    if (d->verdict != REDIR_VERDICT_FOLLOW)
        return REDIR_OK;

    const redir_policy *p = c->policy;
    unsigned counted = (p->options & REDIR_POLICY_LIMIT_DISTINCT)
                           ? c->private_distinct_
                           : c->hops;
    if (counted >= p->max_redirects) {
        refuse(d, REDIR_VERDICT_TOO_MANY_REDIRECTS,
               "The chain has reached this policy's limit of redirects; "
               "RFC 9110, Section 15.4 asks clients to stop cyclical or "
               "endless redirections.",
               "RFC 9110, Section 15.4");
        return REDIR_OK;
    }

    redir_uri t;
    if (redir_uri_parse(d->url, d->url_len, 0, &t) != REDIR_OK)
        return REDIR_E_ARGUMENT; /* cannot happen: d->url is our output */
    uint64_t h = target_hash(d->method, d->method_len, &t);
    int seen = find(c, h);
    if (seen >= 0) {
        d->flags |= REDIR_DF_REVISIT;
        bool stop = false;
        switch (p->loop_rule) {
        case REDIR_LOOP_STOP_UNLESS_COOKIE:
            stop = c->private_[seen].cookie_epoch == c->private_cookie_epoch_;
            break;
        case REDIR_LOOP_STOP:
            stop = true;
            break;
        case REDIR_LOOP_REPORT:
            break;
        case REDIR_LOOP_REPEATS:
            stop = c->private_[seen].visits >= p->max_repeats;
            break;
        }
        if (stop) {
            refuse(d, REDIR_VERDICT_REDIRECT_LOOP,
                   "The redirect leads back to a target this chain already "
                   "requested, with nothing changed in between: a loop "
                   "(RFC 9110, Section 15.4).",
                   "RFC 9110, Section 15.4");
            return REDIR_OK;
        }
        c->revisits++;
    }
    remember(c, h, 1);
    c->flags_all = c->hops ? (c->flags_all & d->flags) : d->flags;
    c->flags_any |= d->flags;
    c->hops++;
    if (d->flags & REDIR_DF_METHOD_CHANGED)
        c->method_changes++;
    c->final_url = d->url;
    c->final_url_len = d->url_len;
    return REDIR_OK;
}
