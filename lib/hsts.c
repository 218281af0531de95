/* SPDX-License-Identifier: MIT */
/*
 * HTTP Strict Transport Security (RFC 6797): the Strict-Transport-Security
 * field (Section 6.1) and the user agent's internal redirect of an http URI
 * to a known HSTS host (Section 8.3). The store of known hosts is the
 * caller's; it is asked through a callback.
 */
#include "redir.h"

#include "uri.h"
#include "util.h"

#include <string.h>

/* Distinct unknown directives remembered for the "each directive only
 * once" rule. A field with more than this many different extension
 * directives is treated as hostile and invalid: real ones carry one or
 * two, and the bound keeps the duplicate check linear. */
#define MAX_UNKNOWN 64

/* The longest host handed to the callback: a DNS name has at most 253
 * characters (255 octets on the wire); anything longer is not one. */
#define HOST_BUF 256

/* max-age-value = delta-seconds (RFC 6797, Section 6.1.1), possibly
 * quoted; a value too large for int64_t is clamped to INT64_MAX. */
static bool delta_seconds(const char *p, size_t n, bool quoted, int64_t *v)
{
    int64_t x = 0;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (quoted && c == '\\' && i + 1 < n)
            c = (unsigned char)p[++i];
        if (!rd_is_digit(c))
            return false;
        int dv = c - '0';
        x = x > (INT64_MAX - dv) / 10 ? INT64_MAX : x * 10 + dv;
        count++;
    }
    *v = x;
    return count > 0;
}

static redir_result invalid(redir_hsts *out)
{
    memset(out, 0, sizeof *out);
    return REDIR_E_HSTS;
}

redir_result redir_hsts_parse(const char *s, size_t len, redir_hsts *out)
{
    if (!out)
        return REDIR_E_NULL;
    memset(out, 0, sizeof *out);
    if (!s)
        return REDIR_E_NULL;
    if (len > REDIR_MAX_INPUT) {
        invalid(out);
        return REDIR_E_TOO_LONG;
    }

    struct {
        const char *p;
        size_t n;
    } unknown[MAX_UNKNOWN];
    size_t n_unknown = 0;
    bool max_age = false, subdomains = false, preload = false;

    /* Strict-Transport-Security = [ directive ] *( ";" [ directive ] )
     * directive = directive-name [ "=" directive-value ]
     * directive-name = token; directive-value = token / quoted-string
     * with optional whitespace between the parts (RFC 6797, Section 6.1). */
    size_t i = 0;
    for (;;) {
        i = rd_skip_ows(s, len, i);
        if (i >= len)
            break;
        if (s[i] == ';') { /* an empty directive */
            i++;
            continue;
        }
        size_t ns = i;
        while (i < len && rd_is_tchar((unsigned char)s[i]))
            i++;
        if (i == ns)
            return invalid(out);
        const char *name = s + ns;
        size_t nlen = i - ns;
        bool has_value = false, quoted = false;
        const char *vp = NULL;
        size_t vn = 0;
        i = rd_skip_ows(s, len, i);
        if (i < len && s[i] == '=') {
            has_value = true;
            i = rd_skip_ows(s, len, i + 1);
            if (i < len && s[i] == '"') {
                size_t end;
                if (!rd_quoted_string(s, len, i, &end))
                    return invalid(out);
                quoted = true;
                vp = s + i + 1;
                vn = end - i - 2;
                i = end;
            } else {
                size_t vs = i;
                while (i < len && rd_is_tchar((unsigned char)s[i]))
                    i++;
                if (i == vs)
                    return invalid(out); /* "name=" */
                vp = s + vs;
                vn = i - vs;
            }
            i = rd_skip_ows(s, len, i);
        }
        if (i < len && s[i] != ';')
            return invalid(out);

        /* Rule 2 of Section 6.1: every directive at most once; names are
         * case-insensitive (rule 3). */
        if (rd_ieq_lit(name, nlen, "max-age")) {
            /* Section 6.1.1: required, delta-seconds */
            if (max_age || !has_value ||
                !delta_seconds(vp, vn, quoted, &out->max_age))
                return invalid(out);
            max_age = true;
        } else if (rd_ieq_lit(name, nlen, "includesubdomains")) {
            /* Section 6.1.2: a valueless directive */
            if (subdomains || has_value)
                return invalid(out);
            subdomains = true;
            out->include_subdomains = true;
        } else if (rd_ieq_lit(name, nlen, "preload")) {
            /* The preload-list convention (not in RFC 6797): valueless. A
             * value makes it an unknown use of the name, ignored, rather
             * than invalidating the whole policy. */
            if (preload)
                return invalid(out);
            preload = true;
            out->preload = !has_value;
        } else {
            /* Rule 4: unknown directives are ignored, but still only once. */
            for (size_t k = 0; k < n_unknown; k++)
                if (rd_ieq(unknown[k].p, unknown[k].n, name, nlen))
                    return invalid(out);
            if (n_unknown == MAX_UNKNOWN)
                return invalid(out);
            unknown[n_unknown].p = name;
            unknown[n_unknown].n = nlen;
            n_unknown++;
        }
    }
    if (!max_age)
        return invalid(out);
    return REDIR_OK;
}

/* ---- the internal redirect ------------------------------------------------ */

/*
 * Does this (lower-cased) host look like an IP address to a browser? The
 * WHATWG URL host parser reads a name whose last label is a number
 * (decimal, or 0x hex) as IPv4, e.g. "127.1" or "0x7f.0.0.1"; such hosts
 * are never HSTS hosts (RFC 6797, Sections 8.1.1 and 8.3).
 */
static bool ends_in_number(const char *h, size_t n)
{
    size_t s = n;
    while (s > 0 && h[s - 1] != '.')
        s--;
    const char *l = h + s;
    size_t ln = n - s;
    if (ln == 0)
        return false;
    size_t i = 0;
    bool all = true;
    for (i = 0; i < ln; i++)
        if (!rd_is_digit((unsigned char)l[i]))
            all = false;
    if (all)
        return true;
    if (ln >= 2 && l[0] == '0' && l[1] == 'x') {
        for (i = 2; i < ln; i++)
            if (!rd_is_hex((unsigned char)l[i]))
                return false;
        return true;
    }
    return false;
}

/* Writes the host of `u` in lower case, percent-escapes decoded and one
 * trailing dot removed, into buf; false when it does not fit (then it is
 * not a DNS name). */
static bool lower_host(const redir_uri *u, char buf[HOST_BUF], size_t *n)
{
    const char *p = u->host.ptr;
    size_t hn = u->host.len, o = 0;
    for (size_t i = 0; i < hn;) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%' && i + 2 < hn) { /* the parser checked the escape */
            c = (unsigned char)(rd_hex_value((unsigned char)p[i + 1]) * 16 +
                                rd_hex_value((unsigned char)p[i + 2]));
            i += 3;
        } else {
            i++;
        }
        if (o == HOST_BUF) {
            /* only a final trailing dot may go past the buffer */
            if (c == '.' && i == hn) {
                *n = o;
                return true;
            }
            return false;
        }
        buf[o++] = (char)rd_lower(c);
    }
    if (o > 0 && buf[o - 1] == '.')
        o--;
    *n = o;
    return true;
}

bool rd_hsts_known(const redir_uri *u, redir_hsts_known_fn known, void *ctx)
{
    char host[HOST_BUF];
    size_t hn;
    return known && (u->parts & REDIR_URI_SCHEME) &&
           rd_ieq_lit(u->scheme.ptr, u->scheme.len, "http") &&
           (u->parts & REDIR_URI_AUTHORITY) && u->host_type == REDIR_HOST_NAME &&
           u->host.len > 0 && lower_host(u, host, &hn) && hn > 0 &&
           !ends_in_number(host, hn) && known(ctx, host, hn);
}

redir_result redir_hsts_upgrade(const char *url, size_t len,
                                redir_hsts_known_fn known, void *ctx,
                                char *out, size_t cap, size_t *out_len,
                                bool *upgraded)
{
    if (!url || !known || !out_len || !upgraded || (!out && cap))
        return REDIR_E_NULL;
    *out_len = 0;
    *upgraded = false;
    redir_uri u;
    redir_result r = redir_uri_parse(url, len, 0, &u);
    if (r != REDIR_OK)
        return r;

    /* Section 8.3: only an http URI whose host is a domain name (not an IP
     * literal, Section 8.1.1) and a known HSTS host is rewritten. */
    bool up = rd_hsts_known(&u, known, ctx);

    /* "https" + everything after the scheme, with an explicit port 80
     * written as 443 (Section 8.3, step 5) */
    size_t rest = u.scheme.len; /* offset of ":" after the scheme */
    size_t need = len;
    size_t port_at = 0, port_len = 0;
    if (up) {
        need = 5 + (len - rest);
        if (u.port_number == 80) {
            port_at = (size_t)(u.port.ptr - url);
            port_len = u.port.len;
            need = need - port_len + 3;
        }
    }
    *out_len = need;
    *upgraded = up;
    if (need >= cap)
        return REDIR_E_BUFFER_TOO_SMALL;
    if (!up) {
        memcpy(out, url, len);
    } else if (port_len == 0) {
        memcpy(out, "https", 5);
        memcpy(out + 5, url + rest, len - rest);
    } else {
        size_t o = 0;
        memcpy(out, "https", 5);
        o = 5;
        memcpy(out + o, url + rest, port_at - rest);
        o += port_at - rest;
        memcpy(out + o, "443", 3);
        o += 3;
        memcpy(out + o, url + port_at + port_len, len - port_at - port_len);
    }
    out[need] = '\0';
    return REDIR_OK;
}
