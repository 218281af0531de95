/* SPDX-License-Identifier: MIT */
/* Helpers shared by the fuzz targets (see fuzzer.h). */
#include "fuzzer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: fuzz check failed: %s\n", file, line, what);
    fflush(stderr);
    abort();
}

fuzz_buf fuzz_copy(const void *p, size_t n)
{
    fuzz_buf b;
    b.ptr = malloc(n ? n : 1);
    if (!b.ptr)
        abort();
    if (n)
        memcpy(b.ptr, p, n);
    b.len = n;
    return b;
}

void fuzz_free(fuzz_buf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = 0;
}

void fuzz_split2(const uint8_t *data, size_t size, fuzz_buf *a, fuzz_buf *b)
{
    size_t i = 0;
    while (i < size && data[i] != '\0' && data[i] != '\n')
        i++;
    *a = fuzz_copy(data, i);
    *b = i < size ? fuzz_copy(data + i + 1, size - i - 1) : fuzz_copy("", 0);
}

bool fuzz_next_line(fuzz_lines *l, const char **line, size_t *len)
{
    if (l->n == 0)
        return false;
    const uint8_t *nl = memchr(l->p, '\n', l->n);
    size_t k = nl ? (size_t)(nl - l->p) : l->n;
    *line = (const char *)l->p;
    *len = k;
    l->p += nl ? k + 1 : k;
    l->n -= nl ? k + 1 : k;
    return true;
}

/* ---- a string builder for the reference algorithms ------------------------ */

typedef struct sb {
    char *p;
    size_t len, cap;
} sb;

static void sb_put(sb *s, const char *p, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        size_t cap = (s->len + n + 1) * 2;
        char *q = realloc(s->p, cap);
        if (!q)
            abort();
        s->p = q;
        s->cap = cap;
    }
    if (n)
        memcpy(s->p + s->len, p, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static bool starts(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

static bool equals(const char *p, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(p, lit, n) == 0;
}

/* Removes the last segment and its preceding "/" (if any) from out. */
static void drop_last_segment(sb *out)
{
    size_t k = out->len;
    while (k > 0 && out->p[k - 1] != '/')
        k--;
    out->len = k > 0 ? k - 1 : 0;
    if (out->p)
        out->p[out->len] = '\0';
}

char *fuzz_remove_dot_segments(const char *path, size_t n, size_t *len)
{
    /* The input buffer: a copy we can rewrite at its front. */
    char *in = malloc(n + 2);
    if (!in)
        abort();
    memcpy(in, path, n);
    size_t i = 0; /* the input buffer is in[i..n) */
    sb out = {NULL, 0, 0};
    sb_put(&out, "", 0);
    while (i < n) {
        const char *p = in + i;
        size_t m = n - i;
        if (starts(p, m, "../")) { /* A */
            i += 3;
        } else if (starts(p, m, "./")) { /* A */
            i += 2;
        } else if (starts(p, m, "/./")) { /* B */
            i += 2;
        } else if (equals(p, m, "/.")) { /* B: "/." becomes "/" */
            i += 1;
            in[i] = '/';
        } else if (starts(p, m, "/../")) { /* C */
            i += 3;
            drop_last_segment(&out);
        } else if (equals(p, m, "/..")) { /* C: "/.." becomes "/" */
            i += 2;
            in[i] = '/';
            drop_last_segment(&out);
        } else if (equals(p, m, ".") || equals(p, m, "..")) { /* D */
            i = n;
        } else { /* E */
            size_t k = (p[0] == '/') ? 1 : 0;
            while (k < m && p[k] != '/')
                k++;
            sb_put(&out, p, k);
            i += k;
        }
    }
    free(in);
    *len = out.len;
    return out.p;
}

static void put_span(sb *s, const redir_span *sp)
{
    sb_put(s, sp->ptr, sp->len);
}

/* Appends remove_dot_segments(p). Without an authority a path may not begin
 * with "//" (RFC 3986, Section 3.3), or it would read back as one; like the
 * WHATWG URL serializer, a "/." in front keeps it a path. */
static void put_rds(sb *s, const char *p, size_t n, bool no_authority)
{
    size_t k;
    char *r = fuzz_remove_dot_segments(p, n, &k);
    if (no_authority && k >= 2 && r[0] == '/' && r[1] == '/')
        sb_put(s, "/.", 2);
    sb_put(s, r, k);
    free(r);
}

char *fuzz_ref_resolve(const redir_uri *base, const redir_uri *ref,
                       bool inherit_fragment, size_t *len)
{
    sb t = {NULL, 0, 0};
    sb_put(&t, "", 0);
    const redir_span *query = NULL;
    /* Section 5.2.2 (strict: a scheme in the reference is always used) */
    if (ref->parts & REDIR_URI_SCHEME) {
        put_span(&t, &ref->scheme);
        sb_put(&t, ":", 1);
        if (ref->parts & REDIR_URI_AUTHORITY) {
            sb_put(&t, "//", 2);
            put_span(&t, &ref->authority);
        }
        put_rds(&t, ref->path.ptr, ref->path.len,
                !(ref->parts & REDIR_URI_AUTHORITY));
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    } else {
        put_span(&t, &base->scheme);
        sb_put(&t, ":", 1);
        if (ref->parts & REDIR_URI_AUTHORITY) {
            sb_put(&t, "//", 2);
            put_span(&t, &ref->authority);
            put_rds(&t, ref->path.ptr, ref->path.len, false);
            if (ref->parts & REDIR_URI_QUERY)
                query = &ref->query;
        } else {
            if (base->parts & REDIR_URI_AUTHORITY) {
                sb_put(&t, "//", 2);
                put_span(&t, &base->authority);
            }
            if (ref->path.len == 0) {
                put_span(&t, &base->path);
                query = (ref->parts & REDIR_URI_QUERY)    ? &ref->query
                        : (base->parts & REDIR_URI_QUERY) ? &base->query
                                                          : NULL;
            } else {
                if (ref->path.ptr[0] == '/') {
                    put_rds(&t, ref->path.ptr, ref->path.len,
                            !(base->parts & REDIR_URI_AUTHORITY));
                } else {
                    /* Section 5.2.3, merge */
                    sb m = {NULL, 0, 0};
                    sb_put(&m, "", 0);
                    if ((base->parts & REDIR_URI_AUTHORITY) &&
                        base->path.len == 0) {
                        sb_put(&m, "/", 1);
                    } else {
                        size_t k = base->path.len;
                        while (k > 0 && base->path.ptr[k - 1] != '/')
                            k--;
                        sb_put(&m, base->path.ptr, k);
                    }
                    put_span(&m, &ref->path);
                    put_rds(&t, m.p, m.len,
                            !(base->parts & REDIR_URI_AUTHORITY));
                    free(m.p);
                }
                if (ref->parts & REDIR_URI_QUERY)
                    query = &ref->query;
            }
        }
    }
    /* Section 5.3 */
    if (query) {
        sb_put(&t, "?", 1);
        put_span(&t, query);
    }
    if (ref->parts & REDIR_URI_FRAGMENT) {
        sb_put(&t, "#", 1);
        put_span(&t, &ref->fragment);
    } else if (inherit_fragment && (base->parts & REDIR_URI_FRAGMENT)) {
        sb_put(&t, "#", 1);
        put_span(&t, &base->fragment);
    }
    *len = t.len;
    return t.p;
}

/* ---- checks --------------------------------------------------------------- */

static void check_span(const redir_span *sp, bool defined, const char *s,
                       size_t n)
{
    if (!defined) {
        FUZZ_CHECK(sp->ptr == NULL && sp->len == 0);
        return;
    }
    FUZZ_CHECK(sp->ptr != NULL);
    FUZZ_CHECK(sp->ptr >= s && sp->ptr <= s + n);
    FUZZ_CHECK(sp->len <= (size_t)(s + n - sp->ptr));
}

static bool inside(const redir_span *in, const redir_span *outer)
{
    return in->ptr >= outer->ptr &&
           in->ptr + in->len <= outer->ptr + outer->len;
}

void fuzz_check_uri(const redir_uri *u, const char *s, size_t n)
{
    const unsigned p = u->parts;
    FUZZ_CHECK((p & ~0x3fu) == 0);
    check_span(&u->scheme, p & REDIR_URI_SCHEME, s, n);
    check_span(&u->authority, p & REDIR_URI_AUTHORITY, s, n);
    check_span(&u->userinfo, p & REDIR_URI_USERINFO, s, n);
    check_span(&u->port, p & REDIR_URI_PORT, s, n);
    check_span(&u->path, true, s, n);
    check_span(&u->query, p & REDIR_URI_QUERY, s, n);
    check_span(&u->fragment, p & REDIR_URI_FRAGMENT, s, n);
    if (p & REDIR_URI_SCHEME) {
        FUZZ_CHECK(u->scheme.ptr == s && u->scheme.len > 0);
        FUZZ_CHECK(u->scheme.len < n && s[u->scheme.len] == ':');
    }
    if (p & (REDIR_URI_USERINFO | REDIR_URI_PORT))
        FUZZ_CHECK(p & REDIR_URI_AUTHORITY);
    if (p & REDIR_URI_AUTHORITY) {
        FUZZ_CHECK(u->host_type >= REDIR_HOST_NAME &&
                   u->host_type <= REDIR_HOST_IPVFUTURE);
        check_span(&u->host, true, s, n);
        FUZZ_CHECK(inside(&u->host, &u->authority));
        if (p & REDIR_URI_USERINFO)
            FUZZ_CHECK(inside(&u->userinfo, &u->authority));
        if (p & REDIR_URI_PORT)
            FUZZ_CHECK(inside(&u->port, &u->authority));
        if (u->host_type == REDIR_HOST_IPV6 ||
            u->host_type == REDIR_HOST_IPVFUTURE)
            FUZZ_CHECK(u->host.len >= 2 && u->host.ptr[0] == '[' &&
                       u->host.ptr[u->host.len - 1] == ']');
    } else {
        FUZZ_CHECK(u->host_type == REDIR_HOST_NONE);
        FUZZ_CHECK(u->host.ptr == NULL && u->host.len == 0);
    }
    if ((p & REDIR_URI_PORT) && u->port.len > 0) {
        long v = 0;
        for (size_t i = 0; i < u->port.len; i++) {
            FUZZ_CHECK(u->port.ptr[i] >= '0' && u->port.ptr[i] <= '9');
            if (v <= 65535)
                v = v * 10 + (u->port.ptr[i] - '0');
        }
        FUZZ_CHECK(v <= 65535 && u->port_number == (int)v);
    } else {
        FUZZ_CHECK(u->port_number == -1);
    }
    int port = redir_uri_port(u);
    FUZZ_CHECK(port >= -1 && port <= 65535);
    /* the components are in order */
    FUZZ_CHECK(!(p & REDIR_URI_QUERY) || u->query.ptr >= u->path.ptr + u->path.len);
    FUZZ_CHECK(!(p & REDIR_URI_FRAGMENT) ||
               u->fragment.ptr >= u->path.ptr + u->path.len);
}

static bool same_span(const redir_span *a, const char *sa, const redir_span *b,
                      const char *sb_)
{
    if (!a->ptr || !b->ptr)
        return a->ptr == NULL && b->ptr == NULL && a->len == b->len;
    return a->len == b->len && a->ptr - sa == b->ptr - sb_;
}

bool fuzz_same_uri(const redir_uri *a, const char *sa, const redir_uri *b,
                   const char *sb_)
{
    return a->parts == b->parts && a->host_type == b->host_type &&
           a->port_number == b->port_number &&
           same_span(&a->scheme, sa, &b->scheme, sb_) &&
           same_span(&a->authority, sa, &b->authority, sb_) &&
           same_span(&a->userinfo, sa, &b->userinfo, sb_) &&
           same_span(&a->host, sa, &b->host, sb_) &&
           same_span(&a->port, sa, &b->port, sb_) &&
           same_span(&a->path, sa, &b->path, sb_) &&
           same_span(&a->query, sa, &b->query, sb_) &&
           same_span(&a->fragment, sa, &b->fragment, sb_);
}

void fuzz_check_result(redir_result r)
{
    FUZZ_CHECK((int)r >= 0 && r < REDIR_RESULT_LAST_);
    FUZZ_CHECK(strcmp(redir_result_name(r), "REDIR_E_UNKNOWN") != 0);
    FUZZ_CHECK(strcmp(redir_strerror(r), "unknown result") != 0);
}
