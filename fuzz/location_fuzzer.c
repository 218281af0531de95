/* SPDX-License-Identifier: MIT */
/*
 * Location validation and resolution: redir_resolve_location_ex(), then
 * redir_uri_origin_diff() and redir_target_hash() on what parses.
 *
 * Input: one byte of redir_uri_flag bits (LENIENT, WHATWG, ALLOW_USERINFO,
 * NO_FRAGMENT_INHERIT), then the request URL, a NUL or newline, and the
 * Location field value (which may itself hold CR, LF and NUL).
 *
 * Checks, beyond "no crash, no out-of-bounds access":
 * - the target always parses strictly, with a scheme, and an http(s)
 *   target has a host, whatever the flags let through (lenient repairs are
 *   percent-encoded, WHATWG backslashes become slashes);
 * - without LENIENT and WHATWG the target is exactly RFC 3986, Section 5.2
 *   plus the fragment rule of RFC 9110, Section 10.2.2 (fuzz_ref_resolve());
 * - a Location valid without LENIENT gives the same target with it;
 * - redir_resolve_location() is redir_resolve_location_ex() with no flags;
 * - a buffer one byte short, or none, gets REDIR_E_BUFFER_TOO_SMALL with
 *   the same length, and nothing is written past it;
 * - redir_uri_origin_diff() is 0 on equal URIs and symmetric;
 * - redir_target_hash() does not change when the scheme and host change
 *   case (they are compared case-insensitively).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"

static char ascii_upper(char c)
{
    return (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
}

static bool ieq(const char *s, size_t n, const char *upper)
{
    if (n != strlen(upper))
        return false;
    for (size_t i = 0; i < n; i++)
        if (ascii_upper(s[i]) != upper[i])
            return false;
    return true;
}

static bool ieq_spans(const redir_span *a, const redir_span *b)
{
    if (a->len != b->len)
        return false;
    for (size_t i = 0; i < a->len; i++)
        if (ascii_upper(a->ptr[i]) != ascii_upper(b->ptr[i]))
            return false;
    return true;
}

/* want_auth: whether the URI the target takes its authority from has one
 * (without one, the target must not read back with one: RFC 3986,
 * Section 3.3). */
static void check_target(const char *url, size_t len, const redir_uri *base,
                         bool want_auth)
{
    redir_uri t;
    FUZZ_CHECK(redir_uri_parse(url, len, 0, &t) == REDIR_OK);
    fuzz_check_uri(&t, url, len);
    FUZZ_CHECK(t.parts & REDIR_URI_SCHEME);
    FUZZ_CHECK(((t.parts & REDIR_URI_AUTHORITY) != 0) == want_auth);
    if (ieq(url, t.scheme.len, "HTTP") || ieq(url, t.scheme.len, "HTTPS"))
        FUZZ_CHECK((t.parts & REDIR_URI_AUTHORITY) && t.host.len > 0);

    unsigned d1 = redir_uri_origin_diff(base, &t);
    unsigned d2 = redir_uri_origin_diff(&t, base);
    FUZZ_CHECK(d1 == d2);
    FUZZ_CHECK((d1 & ~7u) == 0);
    FUZZ_CHECK(redir_uri_origin_diff(&t, &t) == REDIR_ORIGIN_SAME);

    uint64_t h1, h2, h3;
    FUZZ_CHECK(redir_target_hash("GET", 3, url, len, &h1) == REDIR_OK);
    FUZZ_CHECK(redir_target_hash("GET", 3, url, len, &h2) == REDIR_OK);
    FUZZ_CHECK(h1 == h2);
    /* the same target with its scheme and host in upper case */
    fuzz_buf up = fuzz_copy(url, len);
    for (size_t i = 0; i < t.scheme.len; i++)
        up.ptr[i] = ascii_upper(up.ptr[i]);
    if (t.parts & REDIR_URI_AUTHORITY) {
        size_t at = (size_t)(t.host.ptr - url);
        for (size_t i = 0; i < t.host.len; i++)
            up.ptr[at + i] = ascii_upper(up.ptr[at + i]);
    }
    FUZZ_CHECK(redir_target_hash("GET", 3, up.ptr, up.len, &h3) == REDIR_OK);
    FUZZ_CHECK(h3 == h1);
    fuzz_free(&up);
}

/* The Location without the spaces and tabs around it (a view). */
static fuzz_buf trimmed(const fuzz_buf *loc)
{
    fuzz_buf t = *loc;
    while (t.len && (t.ptr[0] == ' ' || t.ptr[0] == '\t')) {
        t.ptr++;
        t.len--;
    }
    while (t.len && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
        t.len--;
    return t;
}

/* Resolves with `flags` into a buffer of exactly `cap` bytes; returns the
 * result and, on success, a malloc()ed copy of the target. */
static redir_result resolve(const fuzz_buf *base, const fuzz_buf *loc,
                            unsigned flags, char **target, size_t *len)
{
    size_t cap = 3 * (base->len + loc->len) + 16;
    char *out = malloc(cap);
    if (!out)
        abort();
    *len = 12345;
    redir_result r = redir_resolve_location_ex(base->ptr, base->len, loc->ptr,
                                               loc->len, flags, out, cap, len);
    fuzz_check_result(r);
    FUZZ_CHECK(r != REDIR_E_BUFFER_TOO_SMALL);
    if (r != REDIR_OK) {
        FUZZ_CHECK(*len == 0);
        free(out);
        *target = NULL;
        return r;
    }
    FUZZ_CHECK(*len < cap && out[*len] == '\0' && strlen(out) == *len);
    *target = out;
    return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 0x0fu;
    fuzz_buf base, loc;
    fuzz_split2(data + 1, size - 1, &base, &loc);

    redir_uri b;
    bool base_ok = redir_uri_parse(base.ptr, base.len, 0, &b) == REDIR_OK &&
                   (b.parts & REDIR_URI_SCHEME);
    if (base_ok) {
        fuzz_check_uri(&b, base.ptr, base.len);
        uint64_t h;
        FUZZ_CHECK(redir_target_hash("GET", 3, base.ptr, base.len, &h) ==
                   REDIR_OK);
    }

    char *out;
    size_t len;
    redir_result r = resolve(&base, &loc, flags, &out, &len);
    if (r == REDIR_OK) {
        FUZZ_CHECK(base_ok);
        redir_uri l0;
        fuzz_buf tl = trimmed(&loc);
        FUZZ_CHECK(redir_uri_parse(tl.ptr, tl.len, flags, &l0) == REDIR_OK);
        /* WHATWG reads "http:path" against an http base as relative */
        bool relative = !(l0.parts & REDIR_URI_SCHEME) ||
                        ((flags & REDIR_URI_WHATWG) &&
                         !(l0.parts & REDIR_URI_AUTHORITY) &&
                         l0.scheme.len == b.scheme.len &&
                         (ieq(l0.scheme.ptr, l0.scheme.len, "HTTP") ||
                          ieq(l0.scheme.ptr, l0.scheme.len, "HTTPS") ||
                          ieq(l0.scheme.ptr, l0.scheme.len, "WS") ||
                          ieq(l0.scheme.ptr, l0.scheme.len, "WSS")) &&
                         ieq_spans(&l0.scheme, &b.scheme));
        bool want_auth = (l0.parts & REDIR_URI_AUTHORITY) ||
                         (relative && (b.parts & REDIR_URI_AUTHORITY));
        check_target(out, len, &b, want_auth);

        const unsigned loose = REDIR_URI_LENIENT | REDIR_URI_WHATWG;
        if (!(flags & loose)) {
            /* RFC 3986, Section 5.2 with RFC 9110's fragment rule */
            redir_uri f;
            FUZZ_CHECK(redir_uri_parse(tl.ptr, tl.len, 0, &f) == REDIR_OK);
            size_t want_len;
            char *want = fuzz_ref_resolve(
                &b, &f, !(flags & REDIR_URI_NO_FRAGMENT_INHERIT), &want_len);
            FUZZ_CHECK(want_len == len && memcmp(want, out, len) == 0);
            free(want);

            /* Lenient repairs nothing in a valid Location. */
            char *lenient;
            size_t llen;
            FUZZ_CHECK(resolve(&base, &loc, flags | REDIR_URI_LENIENT,
                               &lenient, &llen) == REDIR_OK);
            FUZZ_CHECK(llen == len && memcmp(lenient, out, len) == 0);
            free(lenient);
        }
        if (flags == 0) {
            char *plain = malloc(len + 1);
            size_t plen;
            if (!plain)
                abort();
            FUZZ_CHECK(redir_resolve_location(base.ptr, base.len, loc.ptr,
                                              loc.len, plain, len + 1,
                                              &plen) == REDIR_OK);
            FUZZ_CHECK(plen == len && memcmp(plain, out, len) == 0);
            free(plain);
        }

        /* Too small: the length needed, and no write past the capacity. */
        char *tight = malloc(len ? len : 1);
        if (!tight)
            abort();
        size_t need = 0;
        FUZZ_CHECK(redir_resolve_location_ex(base.ptr, base.len, loc.ptr,
                                             loc.len, flags, tight, len,
                                             &need) == REDIR_E_BUFFER_TOO_SMALL);
        FUZZ_CHECK(need == len);
        free(tight);
        need = 0;
        FUZZ_CHECK(redir_resolve_location_ex(base.ptr, base.len, loc.ptr,
                                             loc.len, flags, NULL, 0,
                                             &need) == REDIR_E_BUFFER_TOO_SMALL);
        FUZZ_CHECK(need == len);
        free(out);
    }

    /* The Location parsed on its own, with the same flags. */
    redir_uri l;
    if (redir_uri_parse(loc.ptr, loc.len, flags, &l) == REDIR_OK) {
        fuzz_check_uri(&l, loc.ptr, loc.len);
        if (base_ok && (l.parts & REDIR_URI_SCHEME)) {
            unsigned d1 = redir_uri_origin_diff(&b, &l);
            FUZZ_CHECK(d1 == redir_uri_origin_diff(&l, &b));
        }
    }

    fuzz_free(&base);
    fuzz_free(&loc);
    return 0;
}
