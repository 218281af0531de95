/* SPDX-License-Identifier: MIT */
/*
 * Reference resolution: redir_uri_parse() and redir_resolve().
 *
 * Input: one byte of redir_uri_flag bits for the parser, then the base URI,
 * a NUL or newline, and the reference.
 *
 * Checks, beyond "no crash, no out-of-bounds access":
 * - every parse's views lie inside the input and agree with `parts`;
 *   a strict parse that succeeds also succeeds leniently, the same way;
 * - a resolution is exactly what RFC 3986, Section 5.2 computes when written
 *   out the way the RFC writes it (fuzz_ref_resolve(), with the textbook
 *   remove_dot_segments: redir's runs right to left in two passes);
 * - the result parses strictly, is absolute, has an authority exactly when
 *   the URI it takes its authority from has one, and resolves to itself;
 * - a buffer one byte short, or none, gets REDIR_E_BUFFER_TOO_SMALL with
 *   the same length, and nothing is written past it.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzzer.h"

static void parse_all_ways(const fuzz_buf *s, unsigned flags)
{
    redir_uri u, l;
    redir_result r = redir_uri_parse(s->ptr, s->len, flags, &u);
    fuzz_check_result(r);
    if (r != REDIR_OK)
        return;
    fuzz_check_uri(&u, s->ptr, s->len);
    if (!(flags & REDIR_URI_LENIENT)) {
        redir_result rl =
            redir_uri_parse(s->ptr, s->len, flags | REDIR_URI_LENIENT, &l);
        FUZZ_CHECK(rl == REDIR_OK);
        FUZZ_CHECK(fuzz_same_uri(&u, s->ptr, &l, s->ptr));
    }
    /* origin comparison is reflexive and symmetric */
    if (u.parts & REDIR_URI_SCHEME)
        FUZZ_CHECK(redir_uri_origin_diff(&u, &u) == REDIR_ORIGIN_SAME);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 0x0fu;
    fuzz_buf base, ref;
    fuzz_split2(data + 1, size - 1, &base, &ref);

    parse_all_ways(&base, flags);
    parse_all_ways(&ref, flags);

    size_t cap = base.len + ref.len + 16;
    char *out = malloc(cap);
    if (!out)
        abort();
    size_t len = 12345;
    redir_result r =
        redir_resolve(base.ptr, base.len, ref.ptr, ref.len, out, cap, &len);
    fuzz_check_result(r);
    FUZZ_CHECK(r != REDIR_E_BUFFER_TOO_SMALL);
    if (r != REDIR_OK) {
        FUZZ_CHECK(len == 0);
        goto done;
    }
    FUZZ_CHECK(len < cap && out[len] == '\0' && strlen(out) == len);

    /* The RFC's own algorithm gives the same string. */
    redir_uri b, f;
    FUZZ_CHECK(redir_uri_parse(base.ptr, base.len, 0, &b) == REDIR_OK);
    FUZZ_CHECK(redir_uri_parse(ref.ptr, ref.len, 0, &f) == REDIR_OK);
    size_t want_len;
    char *want = fuzz_ref_resolve(&b, &f, false, &want_len);
    FUZZ_CHECK(want_len == len && memcmp(want, out, len) == 0);
    free(want);

    /* The result is an absolute URI with an authority exactly when the
     * URI it takes its authority from has one (RFC 3986, Section 3.3:
     * without an authority a path cannot begin with "//", or it would read
     * back as one), and it resolves to itself once its path went through
     * remove_dot_segments (an empty reference copies the base's path as it
     * is, dot segments included). */
    bool want_auth = (f.parts & REDIR_URI_AUTHORITY) ||
                     (!(f.parts & REDIR_URI_SCHEME) &&
                      (b.parts & REDIR_URI_AUTHORITY));
    const char *colon = memchr(out, ':', len);
    FUZZ_CHECK(colon != NULL);
    size_t sl = (size_t)(colon - out);
    redir_uri t;
    {
        FUZZ_CHECK(redir_uri_parse(out, len, 0, &t) == REDIR_OK);
        FUZZ_CHECK((t.parts & REDIR_URI_SCHEME) && t.scheme.len == sl);
        FUZZ_CHECK(!(t.parts & REDIR_URI_FRAGMENT) ||
                   (f.parts & REDIR_URI_FRAGMENT));
        FUZZ_CHECK(((t.parts & REDIR_URI_AUTHORITY) != 0) == want_auth);
        bool cleaned = (f.parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)) ||
                       f.path.len > 0;
        if (cleaned) {
            char *again = malloc(len + 1);
            if (!again)
                abort();
            size_t again_len;
            FUZZ_CHECK(redir_resolve(base.ptr, base.len, out, len, again,
                                     len + 1, &again_len) == REDIR_OK);
            FUZZ_CHECK(again_len == len && memcmp(again, out, len) == 0);
            free(again);
        }
    }

    /* Too small: the length needed, and no write past the capacity. */
    char *tight = malloc(len ? len : 1);
    if (!tight)
        abort();
    size_t need = 0;
    FUZZ_CHECK(redir_resolve(base.ptr, base.len, ref.ptr, ref.len, tight, len,
                             &need) == REDIR_E_BUFFER_TOO_SMALL);
    FUZZ_CHECK(need == len);
    free(tight);
    need = 0;
    FUZZ_CHECK(redir_resolve(base.ptr, base.len, ref.ptr, ref.len, NULL, 0,
                             &need) == REDIR_E_BUFFER_TOO_SMALL);
    FUZZ_CHECK(need == len);

done:
    free(out);
    fuzz_free(&base);
    fuzz_free(&ref);
    return 0;
}
