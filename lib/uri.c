/* SPDX-License-Identifier: MIT */
/*
 * URI references: RFC 3986 parsing (Section 3 and Appendix A), resolution
 * (Section 5.2), recomposition (Section 5.3), origin comparison (RFC 6454),
 * and the Location rules of RFC 9110 (Sections 4.2 and 10.2.2).
 * Nothing here allocates: parsing returns views into the input, resolution
 * writes into the caller's buffer.
 */
#include "uri.h"

#include "util.h"

/* ---- character classes (RFC 3986, Appendix A) --------------------------- */

/*
 * One bit per component: the byte may stand there unencoded. Generated from
 * the grammar: unreserved = ALPHA DIGIT - . _ ~; sub-delims = ! $ & ' ( ) *
 * + , ; =; pchar = unreserved / sub-delims / ":" / "@"; path adds "/",
 * query and fragment add "/" and "?"; userinfo is unreserved / sub-delims /
 * ":"; a reg-name unreserved / sub-delims; a scheme ALPHA DIGIT + - .
 */
enum {
    M_PATH = 1,
    M_QUERY = 2,
    M_USERINFO = 4,
    M_REGNAME = 8,
    C_SCHEME = 16,
    M_PCHAR = 32,
    /* path and query bytes plus '%', for the fast scan: escapes are
     * checked separately */
    F_PATH = 64,
    F_QUERY = 128
};

static const unsigned char cls[256] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0, 239,   0,   0, 239, 192, 239, 239, 239, 239, 239, 255, 239, 255, 255, 195,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 231, 239,   0, 239,   0, 130,
    227, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,   0,   0,   0,   0, 239,
      0, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,   0,   0,   0, 239,   0,
    /* 0x80..0xff: none */
};

static inline bool in_class(unsigned char c, unsigned mask)
{
    return (cls[c] & mask) != 0;
}

/* Why byte c is not allowed where `mask` applies. */
static redir_result bad_byte(unsigned char c)
{
    if (c < 0x20 || c == 0x7f)
        return REDIR_E_CONTROL;
    if (c == ' ')
        return REDIR_E_SPACE;
    if (c >= 0x80)
        return REDIR_E_NON_ASCII;
    if (c == '\\')
        return REDIR_E_BACKSLASH;
    return REDIR_E_CHAR;
}

/* Lenient mode repairs these bytes by percent-encoding them: what browsers
 * and curl send for a Location with raw spaces or UTF-8. */
static inline bool repairable(unsigned char c)
{
    return c == ' ' || c >= 0x80 || c == '"' || c == '<' || c == '>' ||
           c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
           c == '}' || c == '[' || c == ']';
}

/*
 * Validates the bytes of one component against `mask`, with
 * percent-encoding. In lenient mode, repairable bytes and a '%' that does
 * not start an escape pass (they are encoded on output).
 */
static redir_result check_chars(const char *p, size_t n, unsigned mask,
                                unsigned flags)
{
    const bool lenient = (flags & REDIR_URI_LENIENT) != 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (in_class(c, mask))
            continue;
        if (c == '%') {
            if (i + 2 < n && rd_is_hex((unsigned char)p[i + 1]) &&
                rd_is_hex((unsigned char)p[i + 2])) {
                i += 2;
                continue;
            }
            if (lenient)
                continue;
            return REDIR_E_PERCENT;
        }
        if (c == '\\' && (flags & RD_F_BACKSLASH_IS_SLASH))
            continue;
        if (lenient && (repairable(c) || (c == '#' && (flags & RD_F_FRAGMENT))))
            continue;
        return bad_byte(c);
    }
    return REDIR_OK;
}

/*
 * Scans one component from s[i], validating as it goes, up to the first
 * byte that is one of `stops` (or the end): one pass instead of a search for
 * the delimiter followed by a check of the bytes. *end gets the index of the
 * stop byte (or len).
 */
static redir_result scan_component(const char *s, size_t i, size_t len,
                                   unsigned mask, int stop1, int stop2,
                                   unsigned flags, size_t *end)
{
    const bool lenient = (flags & REDIR_URI_LENIENT) != 0;
    /* the fast class also lets '%' through; escapes are checked below */
    const unsigned fast = mask == M_PATH ? F_PATH : F_QUERY;
    const size_t start = i;
    for (;;) {
        /* eight bytes at a time while all of them are allowed */
        while (i + 8 <= len) {
            const unsigned char *q = (const unsigned char *)s + i;
            if (!(cls[q[0]] & cls[q[1]] & cls[q[2]] & cls[q[3]] & cls[q[4]] &
                  cls[q[5]] & cls[q[6]] & cls[q[7]] & fast))
                break;
            i += 8;
        }
        while (i < len && in_class((unsigned char)s[i], fast))
            i++;
        if (i >= len)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c == stop1 || c == stop2)
            break;
        if (c == '\\' && (flags & RD_F_BACKSLASH_IS_SLASH)) {
            /* a slash for WHATWG */
        } else if (!(lenient && (repairable(c) ||
                                 (c == '#' && (flags & RD_F_FRAGMENT))))) {
            return bad_byte(c);
        }
        i++;
    }
    /* every '%' starts an escape of two hex digits (lenient mode encodes a
     * lone one instead) */
    if (!lenient) {
        const char *p = s + start, *e = s + i;
        while ((p = memchr(p, '%', (size_t)(e - p))) != NULL) {
            if (e - p < 3 || !rd_is_hex((unsigned char)p[1]) ||
                !rd_is_hex((unsigned char)p[2]))
                return REDIR_E_PERCENT;
            p += 3;
        }
    }
    *end = i;
    return REDIR_OK;
}

/* ---- hosts ---------------------------------------------------------------- */

/* dec-octet: 0-255 without leading zeros. Returns bytes used or 0. */
static size_t dec_octet(const char *p, size_t n, unsigned *value)
{
    size_t i = 0;
    unsigned v = 0;
    while (i < n && i < 3 && rd_is_digit((unsigned char)p[i])) {
        v = v * 10 + (unsigned)(p[i] - '0');
        i++;
    }
    if (i == 0 || (i > 1 && p[0] == '0') || v > 255)
        return 0;
    if (i < n && rd_is_digit((unsigned char)p[i]))
        return 0; /* four digits */
    *value = v;
    return i;
}

/* IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet */
static bool parse_ipv4(const char *p, size_t n, unsigned char out[4])
{
    size_t i = 0;
    for (int k = 0; k < 4; k++) {
        unsigned v;
        if (k > 0) {
            if (i >= n || p[i] != '.')
                return false;
            i++;
        }
        size_t used = dec_octet(p + i, n - i, &v);
        if (!used)
            return false;
        out[k] = (unsigned char)v;
        i += used;
    }
    return i == n;
}

/* IPv6address (RFC 3986, Section 3.2.2) into 16 bytes. */
bool rd_parse_ipv6(const char *p, size_t n, unsigned char out[16])
{
    unsigned char a[16];
    int groups = 0;  /* 16-bit groups written */
    int gap = -1;    /* group index where "::" stands */
    size_t i = 0;
    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 0;
        i = 2;
        if (i == n)
            goto done;
    } else if (n >= 1 && p[0] == ':') {
        return false;
    }
    for (;;) {
        /* an IPv4 tail? it must be the last piece and fit in two groups */
        size_t j = i;
        while (j < n && p[j] != ':' && p[j] != '.')
            j++;
        if (j < n && p[j] == '.') {
            if (groups > 6)
                return false;
            if (!parse_ipv4(p + i, n - i, a + groups * 2))
                return false;
            groups += 2;
            break;
        }
        size_t k = 0;
        unsigned v = 0;
        while (i < n && k < 4 && rd_is_hex((unsigned char)p[i])) {
            v = (v << 4) | (unsigned)rd_hex_value((unsigned char)p[i]);
            i++;
            k++;
        }
        if (k == 0 || groups >= 8)
            return false;
        a[groups * 2] = (unsigned char)(v >> 8);
        a[groups * 2 + 1] = (unsigned char)(v & 0xff);
        groups++;
        if (i == n)
            break;
        if (p[i] != ':')
            return false;
        i++;
        if (i < n && p[i] == ':') {
            if (gap >= 0)
                return false; /* a second "::" */
            gap = groups;
            i++;
            if (i == n)
                break;
        } else if (i == n) {
            return false; /* a trailing single ':' */
        }
    }
done:
    if (gap < 0) {
        if (groups != 8)
            return false;
    } else {
        if (groups > 7)
            return false; /* "::" must stand for at least one group */
        int tail = groups - gap;
        for (int g = 7; g >= 8 - tail; g--) {
            a[g * 2] = a[(g - (8 - groups)) * 2];
            a[g * 2 + 1] = a[(g - (8 - groups)) * 2 + 1];
        }
        for (int g = gap; g < 8 - tail; g++)
            a[g * 2] = a[g * 2 + 1] = 0;
    }
    memcpy(out, a, 16);
    return true;
}

/* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static bool ipvfuture(const char *p, size_t n)
{
    size_t i = 1;
    if (n < 4 || (p[0] != 'v' && p[0] != 'V'))
        return false;
    while (i < n && rd_is_hex((unsigned char)p[i]))
        i++;
    if (i == 1 || i >= n || p[i] != '.')
        return false;
    i++;
    if (i == n)
        return false;
    for (; i < n; i++)
        if (!in_class((unsigned char)p[i], M_USERINFO))
            return false;
    return true;
}

/* A percent-encoded byte that must never appear in a host once decoded:
 * control bytes, space and the delimiters clients split hosts on (the
 * WHATWG "forbidden host code points" and '%'). */
static bool forbidden_in_host(unsigned char b)
{
    if (b < 0x20 || b == 0x7f)
        return true;
    switch (b) {
    case ' ': case '#': case '%': case '/': case ':': case '<': case '>':
    case '?': case '@': case '[': case '\\': case ']': case '^': case '|':
        return true;
    default:
        return false;
    }
}

static redir_result check_host(const char *p, size_t n, redir_host_type *type)
{
    if (n > 0 && p[0] == '[') {
        if (n < 2 || p[n - 1] != ']')
            return REDIR_E_IPV6;
        unsigned char addr[16];
        if (n > 2 && (p[1] == 'v' || p[1] == 'V')) {
            if (!ipvfuture(p + 1, n - 2))
                return REDIR_E_HOST;
            *type = REDIR_HOST_IPVFUTURE;
            return REDIR_OK;
        }
        if (!rd_parse_ipv6(p + 1, n - 2, addr))
            return REDIR_E_IPV6; /* zone identifiers included (RFC 6874) */
        *type = REDIR_HOST_IPV6;
        return REDIR_OK;
    }
    unsigned char v4[4];
    if (n && rd_is_digit((unsigned char)p[0]) && parse_ipv4(p, n, v4)) {
        *type = REDIR_HOST_IPV4;
        return REDIR_OK;
    }
    size_t i = 0;
    while (i < n && (cls[(unsigned char)p[i]] & M_REGNAME))
        i++;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (in_class(c, M_REGNAME))
            continue;
        if (c == '%') {
            if (i + 2 >= n)
                return REDIR_E_PERCENT;
            if (!rd_is_hex((unsigned char)p[i + 1]) ||
                !rd_is_hex((unsigned char)p[i + 2]))
                return REDIR_E_PERCENT;
            unsigned char b = (unsigned char)(rd_hex_value((unsigned char)p[i + 1]) * 16 +
                                              rd_hex_value((unsigned char)p[i + 2]));
            if (forbidden_in_host(b))
                return REDIR_E_HOST;
            i += 2;
            continue;
        }
        if (c < 0x20 || c == 0x7f)
            return REDIR_E_CONTROL;
        if (c == ' ')
            return REDIR_E_SPACE;
        if (c >= 0x80)
            return REDIR_E_NON_ASCII;
        if (c == '\\')
            return REDIR_E_BACKSLASH;
        return REDIR_E_HOST;
    }
    *type = REDIR_HOST_NAME;
    return REDIR_OK;
}

/* ---- parsing -------------------------------------------------------------- */

static inline bool is_slash(unsigned char c, unsigned flags)
{
    return c == '/' || (c == '\\' && (flags & RD_F_BACKSLASH_IS_SLASH));
}

/* Is this scheme one the WHATWG URL standard calls "special" with a host
 * (http, https, ws, wss): the ones where it reads '\' as '/'. */
static bool whatwg_special(const char *s, size_t n)
{
    return rd_ieq_lit(s, n, "http") || rd_ieq_lit(s, n, "https") ||
           rd_ieq_lit(s, n, "ws") || rd_ieq_lit(s, n, "wss");
}

static redir_result parse_authority(const char *p, size_t n, unsigned flags,
                                    redir_uri *u)
{
    redir_result r;
    const char *at = memchr(p, '@', n);
    const char *hp = p;
    size_t hn = n;
    if (at) {
        size_t un = (size_t)(at - p);
        r = check_chars(p, un, M_USERINFO, flags);
        if (r != REDIR_OK)
            return r;
        u->userinfo.ptr = p;
        u->userinfo.len = un;
        u->parts |= REDIR_URI_USERINFO;
        hp = at + 1;
        hn = n - un - 1;
    }
    /* host, then an optional ":" port */
    size_t hlen;
    if (hn > 0 && hp[0] == '[') {
        const char *close = memchr(hp, ']', hn);
        if (!close)
            return REDIR_E_IPV6;
        hlen = (size_t)(close - hp) + 1;
    } else {
        const char *colon = memchr(hp, ':', hn);
        hlen = colon ? (size_t)(colon - hp) : hn;
    }
    r = check_host(hp, hlen, &u->host_type);
    if (r != REDIR_OK)
        return r;
    u->host.ptr = hp;
    u->host.len = hlen;
    u->port_number = -1;
    if (hlen < hn) {
        if (hp[hlen] != ':')
            return REDIR_E_HOST; /* "[::1]x" */
        const char *pp = hp + hlen + 1;
        size_t pn = hn - hlen - 1;
        unsigned long v = 0;
        for (size_t i = 0; i < pn; i++) {
            if (!rd_is_digit((unsigned char)pp[i]))
                return REDIR_E_PORT;
            v = v * 10 + (unsigned long)(pp[i] - '0');
            if (v > 65535)
                return REDIR_E_PORT;
        }
        u->port.ptr = pp;
        u->port.len = pn;
        u->parts |= REDIR_URI_PORT;
        if (pn > 0)
            u->port_number = (int)v;
    }
    return REDIR_OK;
}

redir_result redir_uri_parse(const char *s, size_t len, unsigned flags,
                             redir_uri *u)
{
    if (!u)
        return REDIR_E_NULL;
    memset(u, 0, sizeof *u);
    u->port_number = -1;
    if (!s)
        return REDIR_E_NULL;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;

    size_t i = 0;
    /* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" */
    if (len > 0 && rd_is_alpha((unsigned char)s[0])) {
        size_t j = 1;
        while (j < len && in_class((unsigned char)s[j], C_SCHEME))
            j++;
        if (j < len && s[j] == ':') {
            u->scheme.ptr = s;
            u->scheme.len = j;
            u->parts |= REDIR_URI_SCHEME;
            i = j + 1;
        }
    }
    /* WHATWG: backslash is a slash in special URLs (and in references
     * without a scheme, which take the base's: http or https here). */
    unsigned pflags = flags & (REDIR_URI_LENIENT | REDIR_URI_WHATWG);
    if ((flags & REDIR_URI_WHATWG) &&
        (!(u->parts & REDIR_URI_SCHEME) ||
         whatwg_special(u->scheme.ptr, u->scheme.len)))
        pflags |= RD_F_BACKSLASH_IS_SLASH;

    /* hier-part / relative-part: "//" authority path-abempty, or a path */
    if (i + 1 < len && is_slash((unsigned char)s[i], pflags) &&
        is_slash((unsigned char)s[i + 1], pflags)) {
        size_t a = i + 2, e;
        /* WHATWG "special authority ignore slashes": "///host" is "//host" */
        while ((pflags & RD_F_BACKSLASH_IS_SLASH) && a < len &&
               is_slash((unsigned char)s[a], pflags))
            a++;
        e = a;
        /* the authority ends at '/', '?', '#' (or '\\' for WHATWG): bytes
         * that are neither userinfo, host nor port bytes */
        while (e < len && (cls[(unsigned char)s[e]] & M_USERINFO))
            e++;
        while (e < len && s[e] != '?' && s[e] != '#' &&
               !is_slash((unsigned char)s[e], pflags))
            e++;
        redir_result r = parse_authority(s + a, e - a, pflags, u);
        if (r != REDIR_OK)
            return r;
        u->authority.ptr = s + a;
        u->authority.len = e - a;
        u->parts |= REDIR_URI_AUTHORITY;
        i = e;
    }
    size_t pe;
    redir_result r = scan_component(s, i, len, M_PATH, '?', '#', pflags, &pe);
    if (r != REDIR_OK)
        return r;
    u->path.ptr = s + i;
    u->path.len = pe - i;
    /* path-noscheme: without a scheme, the first segment has no ':' */
    if (!(u->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY))) {
        const char *colon = memchr(u->path.ptr, ':', u->path.len);
        const char *slash = memchr(u->path.ptr, '/', u->path.len);
        if (colon && (!slash || colon < slash))
            return REDIR_E_SCHEME;
    }
    i = pe;
    if (i < len && s[i] == '?') {
        size_t qe;
        r = scan_component(s, i + 1, len, M_QUERY, '#', -1,
                           pflags & ~(unsigned)RD_F_BACKSLASH_IS_SLASH, &qe);
        if (r != REDIR_OK)
            return r;
        u->query.ptr = s + i + 1;
        u->query.len = qe - i - 1;
        u->parts |= REDIR_URI_QUERY;
        i = qe;
    }
    if (i < len && s[i] == '#') {
        size_t fe;
        /* a second '#' is not allowed; lenient mode encodes it */
        r = scan_component(s, i + 1, len, M_QUERY, -1, -1,
                           (pflags & ~(unsigned)RD_F_BACKSLASH_IS_SLASH) |
                               RD_F_FRAGMENT,
                           &fe);
        if (r != REDIR_OK)
            return r;
        u->fragment.ptr = s + i + 1;
        u->fragment.len = len - i - 1;
        u->parts |= REDIR_URI_FRAGMENT;
    }
    if (!u->path.ptr)
        u->path.ptr = s + len;
    return REDIR_OK;
}

/* ---- output --------------------------------------------------------------- */

/* A bounded writer: counts everything, writes what fits. */
typedef struct rd_out {
    char *buf;
    size_t cap;
    size_t len;
} rd_out;

static void put(rd_out *o, const char *p, size_t n)
{
    if (n && o->len + n <= o->cap)
        memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void put_c(rd_out *o, char c)
{
    if (o->len < o->cap)
        o->buf[o->len] = c;
    o->len++;
}

static const char hexdig[] = "0123456789ABCDEF";

/* Output size of byte i of p[0..n) under `mask` in lenient mode: 1, or 3
 * when it must be percent-encoded. */
static inline size_t enc_size(const char *p, size_t n, size_t i, unsigned mask)
{
    unsigned char c = (unsigned char)p[i];
    if (in_class(c, mask))
        return 1;
    if (c == '%' && i + 2 < n && rd_is_hex((unsigned char)p[i + 1]) &&
        rd_is_hex((unsigned char)p[i + 2]))
        return 1; /* the '%' of a valid escape; its digits count as 1 each */
    return 3;
}

/* Writes p[0..n), percent-encoding what `mask` does not allow when the
 * flags say lenient (strictly parsed input is written as it is). */
static void put_enc(rd_out *o, const char *p, size_t n, unsigned mask,
                    unsigned flags)
{
    if (!(flags & REDIR_URI_LENIENT)) {
        put(o, p, n);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (enc_size(p, n, i, mask) == 1) {
            put_c(o, (char)c);
        } else {
            put_c(o, '%');
            put_c(o, hexdig[c >> 4]);
            put_c(o, hexdig[c & 15]);
        }
    }
}

/* ---- remove_dot_segments (RFC 3986, Section 5.2.4) ------------------------ */

/*
 * The path to clean is the concatenation a[0..na) + b[0..nb) (the merged
 * base prefix and the reference's path). The algorithm runs right to left:
 * a ".." cancels the nearest surviving segment on its left, so scanning
 * backwards with a counter of pending ".." gives exactly the RFC's result
 * without a stack, and a first dry pass measures the output before the
 * second writes it backwards into its final place. Each segment carries the
 * '/' before it; the first segment of a relative path has none, which is
 * how the RFC's algorithm turns "a/../b" into "/b".
 */
typedef struct vpath {
    const char *a, *b;
    size_t na, nb;
    unsigned flags; /* b's flags: lenient encoding, backslash as slash */
} vpath;

static inline unsigned char vp_at(const vpath *v, size_t i)
{
    return (unsigned char)(i < v->na ? v->a[i] : v->b[i - v->na]);
}

static inline bool vp_slash(const vpath *v, size_t i)
{
    unsigned char c = vp_at(v, i);
    return c == '/' ||
           (c == '\\' && i >= v->na && (v->flags & RD_F_BACKSLASH_IS_SLASH));
}

/* 0: not a dot segment; 1: "."; 2: "..". WHATWG also reads "%2e" as ".". */
static int dot_kind(const vpath *v, size_t s, size_t e)
{
    size_t n = e - s;
    if (n == 1 && vp_at(v, s) == '.')
        return 1;
    if (n == 2 && vp_at(v, s) == '.' && vp_at(v, s + 1) == '.')
        return 2;
    if (!(v->flags & REDIR_URI_WHATWG) || n < 3 || n > 6)
        return 0;
    int dots = 0;
    size_t i = s;
    while (i < e) {
        if (vp_at(v, i) == '.') {
            i++;
        } else if (i + 3 <= e && vp_at(v, i) == '%' &&
                   vp_at(v, i + 1) == '2' && (vp_at(v, i + 2) | 0x20) == 'e') {
            i += 3;
        } else {
            return 0;
        }
        dots++;
    }
    return dots <= 2 ? dots : 0;
}

/* Output length of segment bytes [s, e), encoded if needed. */
static size_t seg_size(const vpath *v, size_t s, size_t e)
{
    if (!(v->flags & REDIR_URI_LENIENT))
        return e - s;
    size_t n = 0;
    for (size_t i = s; i < e; i++) {
        if (i < v->na)
            n++;
        else
            n += enc_size(v->b, v->nb, i - v->na, M_PCHAR);
    }
    return n;
}

/* Writes segment bytes [s, e) ending just before *dst, moving *dst back. */
static void seg_write(const vpath *v, size_t s, size_t e, char **dst)
{
    for (size_t i = e; i > s;) {
        i--;
        unsigned char c = vp_at(v, i);
        if (i >= v->na && (v->flags & REDIR_URI_LENIENT) &&
            enc_size(v->b, v->nb, i - v->na, M_PCHAR) == 3) {
            *dst -= 3;
            (*dst)[0] = '%';
            (*dst)[1] = hexdig[c >> 4];
            (*dst)[2] = hexdig[c & 15];
        } else {
            *--*dst = (char)c;
        }
    }
}

/* Skips RFC 5.2.4 rule A prefixes ("../", "./") of a relative path. */
static size_t strip_rule_a(const vpath *v, size_t n)
{
    size_t s = 0;
    for (;;) {
        size_t e = s;
        while (e < n && !vp_slash(v, e))
            e++;
        int d = dot_kind(v, s, e);
        if (!d)
            return s;
        if (e == n)
            return n; /* rule D: "." or ".." alone */
        s = e + 1;
    }
}

/*
 * One pass of the right-to-left algorithm. With dst == NULL it only
 * measures; otherwise it writes the output ending at dst.
 */
static size_t rds_pass(const vpath *v, size_t start, char *dst)
{
    const size_t n = v->na + v->nb;
    size_t total = 0, end = n;
    unsigned long skip = 0;
    bool last = true;
    if (start >= n)
        return 0;
    for (;;) {
        size_t k = end;
        bool slash = false;
        while (k > start) {
            k--;
            if (vp_slash(v, k)) {
                slash = true;
                break;
            }
        }
        size_t ns = slash ? k + 1 : start;
        int d = slash ? dot_kind(v, ns, end) : 0;
        if (d) {
            if (last) { /* "/." or "/.." at the end leaves a "/" */
                total++;
                if (dst)
                    *--dst = '/';
            }
            if (d == 2)
                skip++;
        } else if (skip) {
            skip--;
        } else {
            total += seg_size(v, ns, end) + (slash ? 1 : 0);
            if (dst) {
                seg_write(v, ns, end, &dst);
                if (slash)
                    *--dst = '/';
            }
        }
        last = false;
        if (!slash || k == start)
            break;
        end = k;
    }
    return total;
}

/* Writes remove_dot_segments(a + b) to o. */
/* Whether p[0..n) may hold a dot segment: a '.' at the start of a segment
 * (after '/' or at the start, or after '\\' / in "%2e" form when `flags`
 * says WHATWG). Only then is remove_dot_segments more than a copy. */
static bool may_have_dots(const char *p, size_t n, unsigned flags)
{
    if (flags & REDIR_URI_WHATWG)
        return true; /* "%2e" and backslashes: take the general path */
    for (const char *q = p; n && (q = memchr(q, '.', n - (size_t)(q - p)));
         q++)
        if (q == p || q[-1] == '/')
            return true;
    return false;
}

static void put_path(rd_out *o, const char *a, size_t na, const char *b,
                     size_t nb, unsigned flags)
{
    /* The common case, no dot segment and nothing to encode: a copy. */
    if (!(flags & REDIR_URI_LENIENT) && !may_have_dots(a, na, flags) &&
        !may_have_dots(b, nb, flags) && (na == 0 || nb == 0 || a[na - 1] == '/' ||
                                         b[0] == '/')) {
        put(o, a, na);
        put(o, b, nb);
        return;
    }
    vpath v = {a, b, na, nb, flags};
    const size_t n = na + nb;
    size_t start = 0;
    if (n && !vp_slash(&v, 0))
        start = strip_rule_a(&v, n);
    size_t len = rds_pass(&v, start, NULL);
    if (o->len + len <= o->cap)
        rds_pass(&v, start, o->buf + o->len + len);
    o->len += len;
}

/* ---- resolution (RFC 3986, Section 5.2.2) --------------------------------- */

static void put_authority(rd_out *o, const redir_uri *u, unsigned flags)
{
    put(o, "//", 2);
    if (u->parts & REDIR_URI_USERINFO) {
        put_enc(o, u->userinfo.ptr, u->userinfo.len, M_USERINFO, flags);
        put_c(o, '@');
    }
    put(o, u->host.ptr, u->host.len);
    if (u->parts & REDIR_URI_PORT) {
        put_c(o, ':');
        put(o, u->port.ptr, u->port.len);
    }
}

static void copy_authority(redir_uri *t, const redir_uri *from)
{
    t->authority = from->authority;
    t->userinfo = from->userinfo;
    t->host = from->host;
    t->port = from->port;
    t->host_type = from->host_type;
    t->port_number = from->port_number;
    t->parts |= from->parts & (REDIR_URI_AUTHORITY | REDIR_URI_USERINFO |
                               REDIR_URI_PORT);
}

redir_result rd_resolve(const redir_uri *base, const redir_uri *ref,
                        unsigned flags, char *out, size_t cap,
                        size_t *out_len, redir_uri *target)
{
    rd_out o = {out, cap, 0};
    redir_uri t;
    memset(&t, 0, sizeof t);
    t.port_number = -1;
    unsigned rflags = flags & (REDIR_URI_LENIENT | REDIR_URI_WHATWG);
    if ((flags & REDIR_URI_WHATWG) &&
        (!(ref->parts & REDIR_URI_SCHEME) ||
         whatwg_special(ref->scheme.ptr, ref->scheme.len)))
        rflags |= RD_F_BACKSLASH_IS_SLASH;

    /* WHATWG: "http:g" against an http base is relative. */
    bool ref_scheme = (ref->parts & REDIR_URI_SCHEME) != 0;
    if (ref_scheme && (flags & REDIR_URI_WHATWG) &&
        !(ref->parts & REDIR_URI_AUTHORITY) &&
        rd_ieq(ref->scheme.ptr, ref->scheme.len, base->scheme.ptr,
               base->scheme.len) &&
        whatwg_special(ref->scheme.ptr, ref->scheme.len))
        ref_scheme = false;

    const redir_uri *scheme_from = ref_scheme ? ref : base;
    t.scheme = scheme_from->scheme;
    t.parts |= REDIR_URI_SCHEME;
    put(&o, t.scheme.ptr, t.scheme.len);
    put_c(&o, ':');

    const redir_span *query = NULL;
    size_t path_at;
    if (ref_scheme || (ref->parts & REDIR_URI_AUTHORITY)) {
        if (ref->parts & REDIR_URI_AUTHORITY) {
            copy_authority(&t, ref);
            put_authority(&o, ref, rflags);
        }
        path_at = o.len;
        put_path(&o, NULL, 0, ref->path.ptr, ref->path.len, rflags);
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    } else {
        if (base->parts & REDIR_URI_AUTHORITY) {
            copy_authority(&t, base);
            put_authority(&o, base, 0);
        }
        path_at = o.len;
        if (ref->path.len == 0) {
            put(&o, base->path.ptr, base->path.len);
            query = (ref->parts & REDIR_URI_QUERY) ? &ref->query
                    : (base->parts & REDIR_URI_QUERY) ? &base->query
                                                       : NULL;
        } else {
            unsigned char first = (unsigned char)ref->path.ptr[0];
            if (first == '/' ||
                (first == '\\' && (rflags & RD_F_BACKSLASH_IS_SLASH))) {
                put_path(&o, NULL, 0, ref->path.ptr, ref->path.len, rflags);
            } else if ((base->parts & REDIR_URI_AUTHORITY) &&
                       base->path.len == 0) {
                /* merge: "/" + ref path */
                put_path(&o, "/", 1, ref->path.ptr, ref->path.len, rflags);
            } else {
                /* merge: base path up to its last '/' + ref path */
                size_t keep = base->path.len;
                while (keep > 0 && base->path.ptr[keep - 1] != '/')
                    keep--;
                put_path(&o, base->path.ptr, keep, ref->path.ptr,
                         ref->path.len, rflags);
            }
            if (ref->parts & REDIR_URI_QUERY)
                query = &ref->query;
        }
    }
    size_t path_end = o.len;
    size_t query_at = 0, frag_at = 0;
    if (query) {
        put_c(&o, '?');
        query_at = o.len;
        put_enc(&o, query->ptr, query->len, M_QUERY,
                query == &ref->query ? rflags : 0);
        t.parts |= REDIR_URI_QUERY;
    }
    size_t query_end = o.len;
    const redir_uri *frag_from =
        (ref->parts & REDIR_URI_FRAGMENT) ? ref
        : (!(flags & REDIR_URI_NO_FRAGMENT_INHERIT) &&
           (flags & RD_F_FRAGMENT) && (base->parts & REDIR_URI_FRAGMENT))
            ? base
            : NULL;
    if (frag_from) {
        put_c(&o, '#');
        frag_at = o.len;
        put_enc(&o, frag_from->fragment.ptr, frag_from->fragment.len, M_QUERY,
                frag_from == ref ? rflags : 0);
        t.parts |= REDIR_URI_FRAGMENT;
    }
    *out_len = o.len;
    if (o.len + 1 > cap) {
        if (target)
            *target = t;
        return REDIR_E_BUFFER_TOO_SMALL;
    }
    out[o.len] = '\0';
    if (target) {
        t.path.ptr = out + path_at;
        t.path.len = path_end - path_at;
        if (query) {
            t.query.ptr = out + query_at;
            t.query.len = query_end - query_at;
        }
        if (frag_from) {
            t.fragment.ptr = out + frag_at;
            t.fragment.len = o.len - frag_at;
        }
        *target = t;
    }
    return REDIR_OK;
}

static redir_result parse_base(const char *base, size_t len, redir_uri *b)
{
    redir_result r = redir_uri_parse(base, len, 0, b);
    if (r == REDIR_E_NULL || r == REDIR_E_TOO_LONG)
        return r;
    if (r != REDIR_OK)
        return REDIR_E_BASE_INVALID;
    if (!(b->parts & REDIR_URI_SCHEME))
        return REDIR_E_BASE_NOT_ABSOLUTE;
    return REDIR_OK;
}

redir_result redir_resolve(const char *base, size_t base_len, const char *ref,
                           size_t ref_len, char *out, size_t cap,
                           size_t *out_len)
{
    if (!base || !ref || !out_len || (!out && cap))
        return REDIR_E_NULL;
    *out_len = 0;
    redir_uri b, r;
    redir_result res = parse_base(base, base_len, &b);
    if (res != REDIR_OK)
        return res;
    res = redir_uri_parse(ref, ref_len, 0, &r);
    if (res != REDIR_OK)
        return res;
    return rd_resolve(&b, &r, 0, out, cap, out_len, NULL);
}

redir_result redir_resolve_location_ex(const char *base, size_t base_len,
                                       const char *location,
                                       size_t location_len, unsigned flags,
                                       char *out, size_t cap, size_t *out_len)
{
    if (!base || !location || !out_len || (!out && cap))
        return REDIR_E_NULL;
    *out_len = 0;
    redir_uri b, r, t;
    redir_result res = parse_base(base, base_len, &b);
    if (res != REDIR_OK)
        return res;
    if (location_len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    rd_trim_ows(&location, &location_len);
    res = redir_uri_parse(location, location_len, flags, &r);
    if (res != REDIR_OK)
        return res;
    if ((r.parts & REDIR_URI_USERINFO) && !(flags & REDIR_URI_ALLOW_USERINFO))
        return REDIR_E_USERINFO;
    res = rd_resolve(&b, &r, flags | RD_F_FRAGMENT, out, cap, out_len, &t);
    /* RFC 9110, Section 4.2.1 and 4.2.2: http(s) URIs need a host. */
    if ((rd_ieq_lit(t.scheme.ptr, t.scheme.len, "http") ||
         rd_ieq_lit(t.scheme.ptr, t.scheme.len, "https")) &&
        ((t.parts & REDIR_URI_AUTHORITY) == 0 || t.host.len == 0)) {
        *out_len = 0;
        return REDIR_E_HOST;
    }
    return res;
}

redir_result redir_resolve_location(const char *base, size_t base_len,
                                    const char *location, size_t location_len,
                                    char *out, size_t cap, size_t *out_len)
{
    return redir_resolve_location_ex(base, base_len, location, location_len, 0,
                                     out, cap, out_len);
}

/* ---- origins -------------------------------------------------------------- */

int redir_default_port(const char *scheme, size_t len)
{
    if (!scheme)
        return -1;
    if (rd_ieq_lit(scheme, len, "http") || rd_ieq_lit(scheme, len, "ws"))
        return 80;
    if (rd_ieq_lit(scheme, len, "https") || rd_ieq_lit(scheme, len, "wss"))
        return 443;
    if (rd_ieq_lit(scheme, len, "ftp"))
        return 21;
    return -1;
}

int redir_uri_port(const redir_uri *u)
{
    if (!u)
        return -1;
    if (u->port_number >= 0)
        return u->port_number;
    return redir_default_port(u->scheme.ptr, u->scheme.len);
}

/* Next byte of a host for comparison: percent-escapes decoded, lower case. */
static int host_byte(const char *p, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)p[*i];
    if (c == '%' && *i + 2 < n) {
        c = (unsigned char)(rd_hex_value((unsigned char)p[*i + 1]) * 16 +
                            rd_hex_value((unsigned char)p[*i + 2]));
        *i += 3;
    } else {
        *i += 1;
    }
    return rd_lower(c);
}

bool rd_host_equal(const redir_uri *a, const redir_uri *b)
{
    if (a->host_type == REDIR_HOST_IPV6 && b->host_type == REDIR_HOST_IPV6) {
        unsigned char x[16], y[16];
        if (rd_ieq(a->host.ptr, a->host.len, b->host.ptr, b->host.len))
            return true;
        if (a->host.len >= 2 && b->host.len >= 2 &&
            rd_parse_ipv6(a->host.ptr + 1, a->host.len - 2, x) &&
            rd_parse_ipv6(b->host.ptr + 1, b->host.len - 2, y))
            return memcmp(x, y, 16) == 0;
        return false;
    }
    if (a->host_type != b->host_type)
        return false;
    if (a->host.len == b->host.len &&
        !memchr(a->host.ptr, '%', a->host.len) &&
        !memchr(b->host.ptr, '%', b->host.len))
        return rd_ieq(a->host.ptr, a->host.len, b->host.ptr, b->host.len);
    size_t i = 0, j = 0;
    while (i < a->host.len && j < b->host.len)
        if (host_byte(a->host.ptr, a->host.len, &i) !=
            host_byte(b->host.ptr, b->host.len, &j))
            return false;
    return i == a->host.len && j == b->host.len;
}

unsigned redir_uri_origin_diff(const redir_uri *a, const redir_uri *b)
{
    if (!a || !b)
        return REDIR_ORIGIN_SCHEME | REDIR_ORIGIN_HOST | REDIR_ORIGIN_PORT;
    unsigned d = 0;
    if (!rd_ieq(a->scheme.ptr, a->scheme.len, b->scheme.ptr, b->scheme.len))
        d |= REDIR_ORIGIN_SCHEME;
    if (!rd_host_equal(a, b))
        d |= REDIR_ORIGIN_HOST;
    if (redir_uri_port(a) != redir_uri_port(b))
        d |= REDIR_ORIGIN_PORT;
    return d;
}
