/* SPDX-License-Identifier: MIT */
/*
 * Differential: RFC 3986 resolution by redir_resolve() and by uriparser
 * (uriParseSingleUriExA(), uriAddBaseUriA(), uriToStringA()).
 *
 * Input: the base URI, a NUL or newline, and the reference.
 *
 * Where both accept the pair and the results differ, the difference must
 * be one of those fuzz/README.md documents (each is recognised below by
 * its own function); anything else abort()s with both results. Where only
 * one of them accepts, nothing is checked: the two validate differently
 * on purpose (see the README), and redir's validation has its own targets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uriparser/Uri.h>

#include "fuzzer.h"

/* ---- documented differences ----------------------------------------------- */

/* Both results, split into components (redir_uri_parse()), with the IPv6
 * address of the host when it is one (uriparser's parser). */
typedef struct result {
    const char *s;
    size_t len;
    redir_uri u;
    bool v6;
    unsigned char addr[16];
} result;

static bool split_result(result *x, const char *s, size_t len)
{
    x->s = s;
    x->len = len;
    x->v6 = false;
    if (redir_uri_parse(s, len, 0, &x->u) != REDIR_OK)
        return false;
    if (x->u.host_type == REDIR_HOST_IPV6) {
        UriUriA u;
        const char *err;
        if (uriParseSingleUriExA(&u, s, s + len, &err) != URI_SUCCESS)
            return false;
        if (u.hostData.ip6) {
            memcpy(x->addr, u.hostData.ip6->data, 16);
            x->v6 = true;
        }
        uriFreeUriMembersA(&u);
    }
    return true;
}

static bool same(const redir_span *a, const redir_span *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->ptr, b->ptr, a->len) == 0);
}

/*
 * D1. uriparser writes every IPv6 literal in full, eight groups of four
 * lower-case hex digits ("[::1]" becomes "[0000:...:0001]", an embedded
 * IPv4 part becomes two hex groups); redir keeps the literal as written.
 * The same address: equal when the hosts are equal as addresses.
 */
static bool same_host(const result *a, const result *b)
{
    if (a->v6 && b->v6)
        return memcmp(a->addr, b->addr, 16) == 0;
    return a->u.host_type == b->u.host_type && same(&a->u.host, &b->u.host);
}

/* The inputs, parsed (both parse: redir_resolve() accepted them). */
typedef struct inputs {
    redir_uri base, ref;
} inputs;

/*
 * D2 (uriparser departs from RFC 3986): dot segments in a rootless path
 * without an authority: a base such as "a:b/c/d", "t.:7q" or "h:" with a
 * relative-path reference, or a reference with a scheme and a rootless
 * path ("a:)/../1"). RFC 3986's remove_dot_segments (Section 5.2.4)
 * leaves the "/" of rule 2C when ".." climbs above the first segment, and
 * rule 2A drops a leading "./": "a:b/c/d" + "../../../e" is "a:/e",
 * "t.:7q" + ".//" is "t.:/" and "a:)/../1" is "a:/1", as redir writes
 * them; uriparser keeps such paths rootless: "a:e", "t.:.//", "a:1".
 * redir is checked against the RFC's algorithm here (fuzz_ref_resolve()),
 * so only uriparser's side is let go.
 */
static bool d2_rootless(const inputs *in, const result *a)
{
    const redir_uri *b = &in->base, *r = &in->ref;
    /* the path remove_dot_segments works on (Section 5.2.2) is rootless:
     * a reference's own path with a scheme and no authority, or one merged
     * with the empty or rootless path of a base without authority */
    if (r->parts & REDIR_URI_AUTHORITY)
        return false;
    bool ref_rootless = r->path.len > 0 && r->path.ptr[0] != '/';
    bool rootless =
        (r->parts & REDIR_URI_SCHEME)
            ? ref_rootless
            : ref_rootless && !(b->parts & REDIR_URI_AUTHORITY) &&
                  (b->path.len == 0 || b->path.ptr[0] != '/');
    if (!rootless)
        return false;
    size_t n;
    char *want = fuzz_ref_resolve(b, r, false, &n);
    bool rfc = n == a->len && memcmp(want, a->s, n) == 0;
    free(want);
    return rfc;
}

/*
 * D3 (uriparser writes a dot segment): uriparser puts "/." in front of a
 * path that begins with "/" after dot-segment removal whenever its first
 * segment is empty, authority or not: "http://b////b///b" + ".r" gives
 * "http://b/.////b///.r", "p:/" + "./" gives "p:/./" (redir:
 * "http://b////b///.r", "p:/"). The same resource, but uriparser's result
 * still has a dot segment, which RFC 3986, Section 5.2.2 removes: a
 * uriparser quirk. Both write "/." where it is needed, a path beginning
 * with "//" without an authority ("a:/b/c" + "..//d" gives "a:/.//d", not
 * "a://d", which would read back with host "d": RFC 3986, Section 3.3).
 */
static bool d3_dot_prefix(const result *a, const result *b)
{
    const redir_span *p = &a->u.path, *q = &b->u.path;
    return p->len > 0 && p->ptr[0] == '/' && q->len == p->len + 2 &&
           memcmp(q->ptr, "/.", 2) == 0 && memcmp(q->ptr + 2, p->ptr, p->len) == 0;
}

/*
 * D4 (uriparser's bug): without an authority, a path that begins with "//"
 * after dot-segment removal must not be written as it is, or the result
 * reads back with one (RFC 3986, Section 3.3): redir writes "/." in front
 * of it, and so does uriparser when it merged the path, but not for an
 * absolute-path reference or one with a scheme: "a:/b" + "/.//c" gives
 * "a:/.//c" (redir) and "a://c" (uriparser, host "c"). Recognised as
 * uriparser's string being redir's without the "/.".
 */
static bool d4_no_dot_prefix(const result *a, const char *theirs, size_t tlen)
{
    const redir_span *p = &a->u.path;
    if ((a->u.parts & REDIR_URI_AUTHORITY) || p->len < 4 ||
        memcmp(p->ptr, "/.//", 4) != 0 || tlen + 2 != a->len)
        return false;
    size_t at = (size_t)(p->ptr - a->s);
    return memcmp(theirs, a->s, at) == 0 &&
           memcmp(theirs + at, a->s + at + 2, a->len - at - 2) == 0;
}

/* Whether redir's result (mine) and uriparser's (theirs) differ only as
 * documented. */
static bool documented(const fuzz_buf *base, const fuzz_buf *ref,
                       const char *mine, size_t len, const char *theirs,
                       size_t tlen)
{
    inputs in;
    result ra, rb;
    const result *a = &ra, *b = &rb;
    if (redir_uri_parse(base->ptr, base->len, 0, &in.base) != REDIR_OK ||
        redir_uri_parse(ref->ptr, ref->len, 0, &in.ref) != REDIR_OK)
        return false;
    if (!split_result(&ra, mine, len))
        return false;
    /* D2 and D4 look at redir's side only: uriparser's may not parse */
    if (d2_rootless(&in, a) || d4_no_dot_prefix(a, theirs, tlen))
        return true;
    if (!split_result(&rb, theirs, tlen))
        return false;
    const redir_uri *x = &a->u, *y = &b->u;
    return x->parts == y->parts && same(&x->scheme, &y->scheme) &&
           same(&x->userinfo, &y->userinfo) && same(&x->port, &y->port) &&
           same_host(a, b) &&
           (same(&x->path, &y->path) || d3_dot_prefix(a, b)) &&
           same(&x->query, &y->query) && same(&x->fragment, &y->fragment);
}

/* ---- the target ------------------------------------------------------------- */

static bool uriparser_resolve(const fuzz_buf *base, const fuzz_buf *ref,
                              char **out, size_t *len)
{
    UriUriA b, r, t;
    const char *err = NULL;
    bool ok = false;
    *out = NULL;
    memset(&t, 0, sizeof t);
    if (uriParseSingleUriExA(&b, base->ptr, base->ptr + base->len, &err) !=
        URI_SUCCESS)
        return false;
    if (uriParseSingleUriExA(&r, ref->ptr, ref->ptr + ref->len, &err) !=
        URI_SUCCESS) {
        uriFreeUriMembersA(&b);
        return false;
    }
    if (uriAddBaseUriA(&t, &r, &b) == URI_SUCCESS) {
        int need = 0;
        if (uriToStringCharsRequiredA(&t, &need) == URI_SUCCESS) {
            *out = malloc((size_t)need + 1);
            if (!*out)
                abort();
            int written = 0;
            if (uriToStringA(*out, &t, need + 1, &written) == URI_SUCCESS) {
                *len = strlen(*out);
                ok = true;
            } else {
                free(*out);
                *out = NULL;
            }
        }
        uriFreeUriMembersA(&t);
    }
    uriFreeUriMembersA(&r);
    uriFreeUriMembersA(&b);
    return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_buf base, ref;
    fuzz_split2(data, size, &base, &ref);

    size_t cap = base.len + ref.len + 16, len = 0;
    char *mine = malloc(cap);
    if (!mine)
        abort();
    redir_result r =
        redir_resolve(base.ptr, base.len, ref.ptr, ref.len, mine, cap, &len);
    char *theirs = NULL;
    size_t tlen = 0;
    bool ok = uriparser_resolve(&base, &ref, &theirs, &tlen);

    if (r == REDIR_OK && ok &&
        !(len == tlen && memcmp(mine, theirs, len) == 0) &&
        !documented(&base, &ref, mine, len, theirs, tlen)) {
        fprintf(stderr,
                "differential: base \"%.*s\" ref \"%.*s\"\n"
                "  redir     \"%s\"\n  uriparser \"%s\"\n",
                (int)base.len, base.ptr, (int)ref.len, ref.ptr, mine, theirs);
        abort();
    }

    free(theirs);
    free(mine);
    fuzz_free(&base);
    fuzz_free(&ref);
    return 0;
}
