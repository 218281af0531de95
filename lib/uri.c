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
 * One bit per class: the byte may stand there unencoded. Generated from the
 * grammar: unreserved = ALPHA DIGIT - . _ ~; sub-delims = ! $ & ' ( ) * +
 * , ; =; pchar = unreserved / sub-delims / ":" / "@"; path adds "/",
 * query and fragment add "/" and "?"; userinfo is unreserved / sub-delims /
 * ":"; a reg-name unreserved / sub-delims; a scheme ALPHA DIGIT + - . ;
 * S_PLAIN is M_QUERY again, for the scanner (which treats '%' apart);
 * C_HEX is HEXDIG.
 */
enum {
    M_PATH = 1,
    M_QUERY = 2,
    M_USERINFO = 4,
    M_REGNAME = 8,
    C_SCHEME = 16,
    M_PCHAR = 32,
    S_PLAIN = 64,
    C_HEX = 128
};

static const unsigned char cls[256] = {
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
      0, 111,   0,   0, 111,   0, 111, 111, 111, 111, 111, 127, 111, 127, 127,  67,
    255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 103, 111,   0, 111,   0,  66,
     99, 255, 255, 255, 255, 255, 255, 127, 127, 127, 127, 127, 127, 127, 127, 127,
    127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127,   0,   0,   0,   0, 111,
      0, 255, 255, 255, 255, 255, 255, 127, 127, 127, 127, 127, 127, 127, 127, 127,
    127, 127, 127, 127, 127, 127, 127, 127, 127, 127, 127,   0,   0,   0, 111,   0,
    /* 0x80..0xff: none */
};

static inline bool in_class(unsigned char c, unsigned mask)
{
    return (cls[c] & mask) != 0;
}

/* Whether p[0] and p[1] are both hex digits. */
static inline bool hex2(const char *p)
{
    return (cls[(unsigned char)p[0]] & cls[(unsigned char)p[1]] & C_HEX) != 0;
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
            if (i + 2 < n && hex2(p + i + 1)) {
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
 * The scanners look at 16 bytes at a time (32 with AVX2, uri_scan.h) and
 * stop only at the bytes that need a decision: those outside S_PLAIN
 * (delimiters, '%', bytes no component allows) and '?', which ends the
 * path. The classification gives bit masks (rd_masks), bit k for byte k:
 * with SSE2 (every x86-64) from a few vector compares; without it, or with
 * REDIR_NO_SIMD defined, the strict scanner reads the table byte by byte
 * and the general one builds the masks from it.
 */
#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
#include <emmintrin.h>
#define RD_SIMD 1
#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__) &&       \
    !defined(REDIR_NO_AVX2)
#include <immintrin.h>
#define RD_AVX2 1
#endif

/* The bytes of v outside S_PLAIN: below 0x21, 0x7f and above, and
 * " # % < > [ \ ] ^ ` { | } (pct: the '%' of v). */
static RD_ALWAYS_INLINE unsigned not_plain16(__m128i v, __m128i pct)
{
    /* v + 1 below 0x22 as a signed byte: 0x00..0x20, and 0x7f..0xff,
     * which wrap to negative values */
    __m128i bad = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(1)),
                                 _mm_set1_epi8(0x22));
    /* '"' and '#' are 0x22 and 0x23; '<' and '>' are 0x3c and 0x3e */
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(1)),
                                           _mm_set1_epi8('#')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(_mm_or_si128(v, _mm_set1_epi8(2)),
                                           _mm_set1_epi8('>')));
    /* '[' '\' ']' and '{' '|' '}' are 0x5b..0x5d with bit 5 clear or set:
     * clear it, move 0x5b to -128 and take what stays below -125 */
    const __m128i w = _mm_add_epi8(_mm_and_si128(v, _mm_set1_epi8(~0x20)),
                                   _mm_set1_epi8(0x80 - 0x5b));
    bad = _mm_or_si128(bad, _mm_cmplt_epi8(w, _mm_set1_epi8(-128 + 3)));
    bad = _mm_or_si128(bad, pct);
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8('^')));
    bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8('`')));
    return (unsigned)_mm_movemask_epi8(bad);
}
#endif

/* Where the scanner must look in 16 bytes (or fewer), bit k for byte k:
 * `sp` the bytes outside S_PLAIN, `qm` the '?', `pm` the '%', `xm` the hex
 * digits; on request (M_WANT_HD) `hd` the ':', '@' and '/' (where a
 * reg-name host ends) and `ae` the '/', '?' and '#' (where an authority
 * ends); (M_WANT_DOTS) `dm` the '.' and `sm` the '/' (for dot segments). */
typedef struct rd_masks {
    unsigned sp, qm, pm, xm, hd, ae, dm, sm;
} rd_masks;

enum { M_WANT_HD = 1, M_WANT_DOTS = 2 };

static inline void masks_scalar(const char *p, size_t n, rd_masks *m)
{
    unsigned sp = 0, qm = 0, pm = 0, xm = 0, dm = 0, sm = 0, hd = 0, ae = 0;
    for (size_t k = 0; k < n; k++) {
        unsigned char c = (unsigned char)p[k];
        unsigned bit = 1u << k;
        if (cls[c] & C_HEX)
            xm |= bit;
        if (c == '%')
            pm |= bit;
        if (!(cls[c] & S_PLAIN))
            sp |= bit;
        else if (c == '?')
            qm |= bit;
        else if (c == '.')
            dm |= bit;
        else if (c == '/')
            sm |= bit;
        if (c == ':' || c == '@' || c == '/')
            hd |= bit;
        if (c == '/' || c == '?' || c == '#')
            ae |= bit;
    }
    m->sp = sp;
    m->qm = qm;
    m->pm = pm;
    m->xm = xm;
    m->hd = hd;
    m->ae = ae;
    m->dm = dm;
    m->sm = sm;
}

#ifdef RD_SIMD
static RD_ALWAYS_INLINE void masks_vec(__m128i v, rd_masks *m, unsigned want)
{
    const __m128i pct = _mm_cmpeq_epi8(v, _mm_set1_epi8('%'));
    m->sp = not_plain16(v, pct);
    m->pm = (unsigned)_mm_movemask_epi8(pct);
    /* hex: '0'..'9', and 'a'..'f' once bit 5 is set */
    const __m128i digit =
        _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
                       _mm_set1_epi8(-128 + 10));
    const __m128i af = _mm_cmplt_epi8(
        _mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)),
                     _mm_set1_epi8((char)(0x80 - 'a'))),
        _mm_set1_epi8(-128 + 6));
    m->xm = (unsigned)_mm_movemask_epi8(_mm_or_si128(digit, af));
    const __m128i qmark = _mm_cmpeq_epi8(v, _mm_set1_epi8('?'));
    m->qm = (unsigned)_mm_movemask_epi8(qmark);
    const __m128i slash = _mm_cmpeq_epi8(v, _mm_set1_epi8('/'));
    m->sm = m->dm = m->ae = 0;
    if (want & (M_WANT_DOTS | M_WANT_HD)) {
        m->sm = (unsigned)_mm_movemask_epi8(slash);
        m->dm = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.')));
    }
    m->hd = 0;
    if (want & M_WANT_HD) {
        m->hd = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(':')),
                                      _mm_cmpeq_epi8(v, _mm_set1_epi8('@'))),
                         slash));
        m->ae = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(slash, qmark), _mm_cmpeq_epi8(v, _mm_set1_epi8('#'))));
    }
}

/* Moves the masks of an 8- or 4-byte load pair (`half`) to the positions
 * of their bytes: the second load covers the last `half` of n bytes. */
static RD_ALWAYS_INLINE unsigned spread(unsigned x, unsigned half,
                                        unsigned keep, unsigned shift)
{
    return (x & keep) | (((x >> half) & keep) << shift);
}
#endif

/* The path-noscheme rule (RFC 3986, Section 4.2): without a scheme, the
 * first segment of a path has no ':'. */
static bool colon_in_first_segment(const char *p, size_t n)
{
    /* an absolute path's first segment is empty */
    if (n == 0 || p[0] == '/')
        return false;
    const char *colon = memchr(p, ':', n);
    const char *slash = memchr(p, '/', n);
    return colon && (!slash || colon < slash);
}

/* ---- hosts ---------------------------------------------------------------- */

/* dec-octet: 0-255 without leading zeros. Returns bytes used or 0. */
#ifndef RD_SIMD
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
#endif

/* IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet */
#ifdef RD_SIMD
/*
 * parse_ipv4() for 7 to 15 bytes, without a branch on the digits: the
 * bytes in one vector (two loads that overlap, the rest zero), the dots
 * and digits as masks, the three dots found by their bits, each octet's
 * value from its (up to) three digits, and one test of everything at the
 * end. How long each octet is changes from one address to the next, and a
 * loop over the digits was a branch mispredicted as often.
 */
static bool ipv4_vec(const char *p, size_t n, unsigned char out[4])
{
    uint64_t w0, w1;
    if (n >= 8) {
        w0 = rd_load8(p);
        /* bytes 8 .. n-1: the top n - 8 bytes of the last eight */
        w1 = (rd_load8(p + n - 8) >> (8 * (15 - n))) >> 8;
    } else {
        /* n == 7: bytes 0..3, then 4..6 (bytes 1..3 of the load at 3) */
        w0 = rd_load4(p) | (uint64_t)(rd_load4(p + 3) >> 8) << 32;
        w1 = 0;
    }
    const __m128i v = _mm_set_epi64x((long long)w1, (long long)w0);
    const unsigned all = (1u << n) - 1;
    const unsigned dots =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('.'))) & all;
    const unsigned digits = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(
        _mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))), _mm_set1_epi8(-128 + 10)));
    unsigned char b[32];
    _mm_storeu_si128((__m128i *)(void *)b, v);
    _mm_storeu_si128((__m128i *)(void *)(b + 16), _mm_setzero_si128());
    /* the dots' places (16 for a missing one: the lengths below are then
     * out of range) */
    unsigned d = dots | 1u << 16;
    const unsigned e1 = rd_ctz(d);
    d &= d - 1;
    const unsigned e2 = rd_ctz(d | 1u << 16);
    d &= d - 1;
    const unsigned e3 = rd_ctz(d | 1u << 16);
    d &= d - 1;
    unsigned bad = (digits | dots) != all;
    bad |= (d & 0xffffu) != 0; /* a fourth dot */
    const unsigned start[4] = {0, e1 + 1, e2 + 1, e3 + 1};
    const unsigned end[4] = {e1, e2, e3, (unsigned)n};
    for (int k = 0; k < 4; k++) {
        /* (unrolled by the compiler: four octets, no branch) */
        const unsigned len = end[k] - start[k]; /* wraps when out of order */
        const unsigned char *c = b + (start[k] & 15u);
        const unsigned c0 = c[0] - '0', c1 = c[1] - '0', c2 = c[2] - '0';
        unsigned value = len == 1 ? c0 : c0 * 10 + c1;
        value = len == 3 ? value * 10 + c2 : value;
        bad |= (len - 1 > 2) | ((len > 1) & (c0 == 0)) | (value > 255);
        out[k] = (unsigned char)value;
    }
    return !bad;
}
#endif

static bool parse_ipv4(const char *p, size_t n, unsigned char out[4])
{
#ifdef RD_SIMD
    /* "0.0.0.0" to "255.255.255.255" */
    return n - 7 <= 8 && ipv4_vec(p, n, out);
#else
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
#endif
}

#ifdef RD_SIMD
/* The hexadecimal digits among the eight bytes of w, as 0x80 in each such
 * byte; *nibbles: each byte's value as a digit (0 to 15, meaningful for
 * the digits only). Eight bytes at a time, no byte adding into the next. */
static inline uint64_t hex_bytes8(uint64_t w, uint64_t *nibbles)
{
    const uint64_t x = w & 0x7f * RD_ONES8; /* each byte + up to 0x50 < 0x100 */
    const uint64_t lx = x | 0x20 * RD_ONES8;
    const uint64_t digit = (x + (0x80 - '0') * RD_ONES8) & ~(x + (0x80 - '9' - 1) * RD_ONES8);
    const uint64_t letter = (lx + (0x80 - 'a') * RD_ONES8) & ~(lx + (0x80 - 'f' - 1) * RD_ONES8);
    const uint64_t ascii = ~w & RD_HIGH8;
    *nibbles = (w & 0x0f * RD_ONES8) + ((letter & RD_HIGH8) >> 7) * 9;
    return (digit | letter) & RD_HIGH8 & ascii;
}
#endif

/* How many hexadecimal digits start p[i..n) (n - i >= 1), up to four,
 * and *value, theirs (a fifth digit is left for the caller to refuse as
 * what follows a group). With SSE2 (on
 * x86, little-endian) eight bytes at a time from the masks of
 * hex_bytes8(), for an address of at least eight bytes: the last eight of
 * it, shifted, near its end; how many digits a group has changes from one
 * address to the next, and a loop over them ended at a place mispredicted
 * as often. */
static RD_ALWAYS_INLINE size_t ipv6_group(const char *p, size_t n, size_t i,
                                          unsigned *value)
{
#ifdef RD_SIMD
    if (n >= 8) {
        /* eight bytes from i: inside the address, bytes past its end 0 */
        const size_t j = i + 8 <= n ? i : n - 8;
        uint64_t nib;
        const uint64_t hex = hex_bytes8(rd_load8(p + j) >> (8 * (i - j)), &nib);
        const unsigned digits = rd_ctz64((~hex & RD_HIGH8) | 1ull << 63) / 8;
        const unsigned len = digits < 4 ? digits : 4;
        const unsigned v = (unsigned)((nib & 0xf) << 12 | (nib >> 8 & 0xf) << 8 |
                                      (nib >> 16 & 0xf) << 4 | (nib >> 24 & 0xf));
        *value = v >> (4 * (4 - len));
        return len;
    }
#endif
    size_t k = 0;
    unsigned v = 0;
    for (; i + k < n && k < 4 && in_class((unsigned char)p[i + k], C_HEX); k++)
        v = (v << 4) | (unsigned)rd_hex_value((unsigned char)p[i + k]);
    *value = v;
    return k;
}

/* IPv6address (RFC 3986, Section 3.2.2) into 16 bytes. */
bool rd_parse_ipv6(const char *p, size_t n, unsigned char out[16])
{
    unsigned short g[8];
    int groups = 0; /* 16-bit groups read */
    int gap = -1;   /* group index where "::" stands */
    size_t i = 0;
    /* "::" to "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" */
    if (n < 2 || n > 45)
        return false;
    if (p[0] == ':') {
        if (p[1] != ':')
            return false;
        gap = 0;
        i = 2;
    }
    while (i < n) {
        const size_t start = i;
        unsigned v;
        const size_t len = ipv6_group(p, n, i, &v);
        if (len == 0 || groups == 8)
            return false;
        g[groups++] = (unsigned short)v;
        i += len;
        if (i == n)
            break;
        if (p[i] == '.') {
            /* an IPv4 tail: the rest, in place of this group and one
             * more */
            unsigned char v4[4];
            if (groups > 7 || !parse_ipv4(p + start, n - start, v4))
                return false;
            g[groups - 1] = (unsigned short)(v4[0] << 8 | v4[1]);
            g[groups++] = (unsigned short)(v4[2] << 8 | v4[3]);
            break;
        }
        if (p[i] != ':')
            return false;
        i++;
        if (i < n && p[i] == ':') {
            if (gap >= 0)
                return false; /* a second "::" */
            gap = groups;
            i++;
        } else if (i == n) {
            return false; /* a trailing single ':' */
        }
    }
    /* eight groups, or fewer and "::" standing for at least one */
    if (gap < 0 ? groups != 8 : groups > 7)
        return false;
    /* the groups after "::" at the end, zeros between */
    const int tail = gap < 0 ? 0 : groups - gap;
    memset(out, 0, 16);
    for (int k = 0; k < groups; k++) {
        const size_t at = (size_t)(k < groups - tail ? k : 8 - (groups - k));
        out[2 * at] = (unsigned char)(g[k] >> 8);
        out[2 * at + 1] = (unsigned char)g[k];
    }
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
            unsigned char c = (unsigned char)pp[i];
            if (!rd_is_digit(c)) {
                /* a control, space or non-ASCII byte is reported as
                 * anywhere else: a CR or NUL is the real problem */
                redir_result why = bad_byte(c);
                return why == REDIR_E_CHAR ? REDIR_E_PORT : why;
            }
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

/*
 * The rest of a plain authority at s[a..), whose reg-name or IPv4 host ends
 * at host_end: an optional port of digits (at most 65535), then the end of
 * the authority ('/', '?', '#' or the end of the string). When that is all
 * there is, fills in the host, its type and the port, sets *end to the end
 * of the authority and returns true; otherwise returns false and the
 * caller reads the authority in full (parse_authority()). Shared by
 * scan_authority() and the strict scanners of uri_scan.h.
 */
static RD_ALWAYS_INLINE bool plain_host_port(const char *s, size_t len,
                                             size_t a, size_t host_end,
                                             redir_uri *u, size_t *end)
{
    size_t e = host_end;
    unsigned long port = 0;
    if (e < len && s[e] == ':') {
        for (e++; e < len && rd_is_digit((unsigned char)s[e]); e++) {
            port = port * 10 + (unsigned long)(s[e] - '0');
            if (port > 65535)
                return false;
        }
    }
    if (e < len && s[e] != '/' && s[e] != '?' && s[e] != '#')
        return false;
    const char *hp = s + a;
    size_t hn = host_end - a;
    unsigned char v4[4];
    u->host.ptr = hp;
    u->host.len = hn;
    u->host_type = hn && rd_is_digit((unsigned char)hp[0]) &&
                           parse_ipv4(hp, hn, v4)
                       ? REDIR_HOST_IPV4
                       : REDIR_HOST_NAME;
    u->port_number = -1;
    if (host_end < e) {
        u->port.ptr = s + host_end + 1;
        u->port.len = e - host_end - 1;
        u->parts |= REDIR_URI_PORT;
        if (u->port.len)
            u->port_number = (int)port;
    }
    *end = e;
    return true;
}

/*
 * The authority at s[a..): its end (the first '/', '?' or '#', or '\\' for
 * WHATWG) and its parts. The common forms, a reg-name or IPv4 host with an
 * optional port, are read in one pass; anything else (userinfo, an IP
 * literal, escapes, bad bytes, a port that is not all digits) goes to
 * parse_authority() over the whole authority.
 */
static redir_result scan_authority(const char *s, size_t a, size_t len,
                                   unsigned pflags, redir_uri *u, size_t *end)
{
    size_t e = a;
    if (!(pflags & RD_F_BACKSLASH_IS_SLASH)) {
        while (e < len && in_class((unsigned char)s[e], M_REGNAME))
            e++;
        if (plain_host_port(s, len, a, e, u, &e)) {
            u->authority.ptr = s + a;
            u->authority.len = e - a;
            u->parts |= REDIR_URI_AUTHORITY;
            *end = e;
            return REDIR_OK;
        }
        e = a;
    }
    /* the authority ends at '/', '?', '#' (or '\\' for WHATWG): bytes that
     * are neither userinfo, host nor port bytes */
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
    *end = e;
    return REDIR_OK;
}

/* ---- the strict scanner ------------------------------------------------ */

/*
 * uri_scan.h holds the scanner of strict references; it is compiled for
 * blocks of 16 bytes (SSE2, or one byte at a time without it) and, where
 * the compiler can target AVX2 for single functions and the processor has
 * it (asked at each parse: no state of our own), for blocks of 32 bytes.
 * REDIR_NO_AVX2 (or REDIR_NO_SIMD) leaves the AVX2 code out.
 */
#define RD_W 16
#define RD_FN(name) name##16
#define RD_TARGET
#include "uri_scan.h"
#undef RD_W
#undef RD_FN
#undef RD_TARGET

#ifdef RD_AVX2
#define RD_W 32
#define RD_FN(name) name##32
#define RD_TARGET __attribute__((target("avx2")))
#include "uri_scan.h"
#undef RD_W
#undef RD_FN
#undef RD_TARGET
#endif

static inline redir_result parse_strict(const char *s, size_t len,
                                        redir_uri *u, bool *dots)
{
#ifdef RD_AVX2
    if (__builtin_cpu_supports("avx2"))
        return parse_strict32(s, len, u, dots);
#endif
    return parse_strict16(s, len, u, dots);
}

enum { ST_PATH, ST_QUERY, ST_FRAGMENT };

/*
 * Path, query and fragment from s[i] to the end, validated in one pass:
 * the first byte no component allows (RFC 3986, Appendix A) ends the scan
 * with its error; a '%' that does not start an escape of two hex digits is
 * an error once its component ends without such a byte (lenient mode lets
 * both through: they are encoded on output). In the path a backslash is a
 * slash for WHATWG.
 */
/* An error in a component: like a parse that stopped before it, the
 * component is left undefined. */
static redir_result scan_fail(redir_uri *u, int state, redir_result r)
{
    static const redir_span none = {NULL, 0};
    if (state == ST_PATH) {
        u->path = none;
    } else if (state == ST_QUERY) {
        u->query = none;
        u->parts &= ~(unsigned)REDIR_URI_QUERY;
    } else {
        u->fragment = none;
        u->parts &= ~(unsigned)REDIR_URI_FRAGMENT;
    }
    return r;
}

static inline redir_result scan_rest(const char *s, size_t i, size_t len,
                                     unsigned pflags, redir_uri *u,
                                     size_t b0, const rd_masks *m0)
{
    const bool lenient = (pflags & REDIR_URI_LENIENT) != 0;
    const bool bslash = (pflags & RD_F_BACKSLASH_IS_SLASH) != 0;
    int state = ST_PATH;
    size_t cstart = i;    /* where the current component starts */
    bool bad_pct = false; /* it has a '%' without two hex digits */
    u->path.ptr = s + i;
    /* the block: s[b .. b + 16); m0, when given, holds the masks of the
     * block at b0, which contains s[i] */
    size_t b = m0 ? b0 : i;
    while (b < len) {
        rd_masks mk;
        if (m0) {
            mk = *m0;
            unsigned before = (1u << (i - b)) - 1;
            mk.sp &= ~before;
            mk.qm &= ~before;
            m0 = NULL;
        } else {
            classify16(s, b, len, &mk, 0);
        }
        const unsigned special = mk.sp, qmark = mk.qm;
        unsigned m = special | (state == ST_PATH ? qmark : 0);
        while (m) {
            size_t at = b + rd_ctz(m);
            m &= m - 1;
            unsigned char c = (unsigned char)s[at];
            if (c == '%') {
                if (!lenient && !(at + 2 < len && hex2(s + at + 1)))
                    bad_pct = true;
                continue;
            }
            if ((c == '?' && state == ST_PATH) ||
                (c == '#' && state != ST_FRAGMENT)) {
                /* the component ends here */
                if (bad_pct)
                    return scan_fail(u, state, REDIR_E_PERCENT);
                if (state == ST_PATH) {
                    u->path.len = at - cstart;
                    if (!(u->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)) &&
                        colon_in_first_segment(u->path.ptr, u->path.len))
                        return REDIR_E_SCHEME;
                } else {
                    u->query.len = at - cstart;
                }
                cstart = at + 1;
                m &= ~qmark; /* '?' is plain in the query and fragment */
                if (c == '?') {
                    state = ST_QUERY;
                    u->query.ptr = s + cstart;
                    u->parts |= REDIR_URI_QUERY;
                } else {
                    state = ST_FRAGMENT;
                    u->fragment.ptr = s + cstart;
                    u->parts |= REDIR_URI_FRAGMENT;
                }
                continue;
            }
            if (c == '\\' && bslash && state == ST_PATH)
                continue; /* a slash for WHATWG */
            if (lenient && (repairable(c) || (c == '#' && state == ST_FRAGMENT)))
                continue;
            return scan_fail(u, state, bad_byte(c));
        }
        b += 16;
    }
    if (bad_pct)
        return scan_fail(u, state, REDIR_E_PERCENT);
    switch (state) {
    case ST_PATH:
        u->path.len = len - cstart;
        if (!(u->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)) &&
            colon_in_first_segment(u->path.ptr, u->path.len))
            return REDIR_E_SCHEME;
        break;
    case ST_QUERY:
        u->query.len = len - cstart;
        break;
    default:
        u->fragment.len = len - cstart;
        break;
    }
    return REDIR_OK;
}

/* An empty redir_uri: no component, port_number -1. */
static inline void uri_clear(redir_uri *u)
{
    /* member by member: for the whole struct at once, compilers emit a
     * "rep stos", slow to start for 144 bytes */
    static const redir_span none = {NULL, 0};
#ifdef RD_SIMD
    if (sizeof(redir_span) == 16) {
        const __m128i z = _mm_setzero_si128();
        _mm_storeu_si128((__m128i *)(void *)&u->scheme, z);
        _mm_storeu_si128((__m128i *)(void *)&u->authority, z);
        _mm_storeu_si128((__m128i *)(void *)&u->userinfo, z);
        _mm_storeu_si128((__m128i *)(void *)&u->host, z);
        _mm_storeu_si128((__m128i *)(void *)&u->port, z);
        _mm_storeu_si128((__m128i *)(void *)&u->path, z);
        _mm_storeu_si128((__m128i *)(void *)&u->query, z);
        _mm_storeu_si128((__m128i *)(void *)&u->fragment, z);
    } else
#endif
    {
        u->scheme = none;
        u->authority = none;
        u->userinfo = none;
        u->host = none;
        u->port = none;
        u->path = none;
        u->query = none;
        u->fragment = none;
    }
    u->parts = 0;
    u->host_type = REDIR_HOST_NONE;
    u->port_number = -1;
}

/* Any flags. */
static redir_result parse_general(const char *s, size_t len, unsigned flags,
                                  redir_uri *u)
{
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
        size_t a = i + 2;
        /* WHATWG "special authority ignore slashes": "///host" is "//host" */
        while ((pflags & RD_F_BACKSLASH_IS_SLASH) && a < len &&
               is_slash((unsigned char)s[a], pflags))
            a++;
        redir_result r = scan_authority(s, a, len, pflags, u, &i);
        if (r != REDIR_OK)
            return r;
    }
    return scan_rest(s, i, len, pflags, u, 0, NULL);
}

redir_result redir_uri_parse(const char *s, size_t len, unsigned flags,
                             redir_uri *u)
{
    if (!u)
        return REDIR_E_NULL;
    uri_clear(u);
    if (!s)
        return REDIR_E_NULL;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    bool dots = false;
    if (!(flags & (REDIR_URI_LENIENT | REDIR_URI_WHATWG)))
        return parse_strict(s, len, u, &dots);
    return parse_general(s, len, flags, u);
}

redir_result rd_parse(const char *s, size_t len, unsigned flags, rd_uri *u)
{
    uri_clear(&u->u);
    u->s = s;
    u->len = len;
    u->dots = true;
    if (!s)
        return REDIR_E_NULL;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    if (!(flags & (REDIR_URI_LENIENT | REDIR_URI_WHATWG))) {
        u->dots = false;
        return parse_strict(s, len, &u->u, &u->dots);
    }
    return parse_general(s, len, flags, &u->u);
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
static size_t rds_pass(const vpath *v, size_t start, char *dst, bool *dslash)
{
    const size_t n = v->na + v->nb;
    size_t total = 0, end = n;
    unsigned long skip = 0;
    bool last = true;
    /* the output starts with "//" when its first unit (the last one
     * emitted) is a bare "/" and another unit follows it */
    size_t units = 0;
    bool bare = false;
    *dslash = false;
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
                units++;
                bare = true;
                if (dst)
                    *--dst = '/';
            }
            if (d == 2)
                skip++;
        } else if (skip) {
            skip--;
        } else {
            total += seg_size(v, ns, end) + (slash ? 1 : 0);
            units++;
            bare = slash && ns == end;
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
    *dslash = bare && units >= 2;
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

/*
 * A path that starts with "//" after a scheme with no authority would read
 * back as an authority ("a:" + "//d" is "a://d", host d): it is written
 * "/.//d" instead, as the WHATWG URL serializer does (RFC 3986, Section
 * 5.2.4 removes the dot segments that kept the slashes apart).
 */
static void put_path(rd_out *o, const char *a, size_t na, const char *b,
                     size_t nb, unsigned flags, bool no_authority)
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
    bool dslash;
    size_t len = rds_pass(&v, start, NULL, &dslash);
    if (no_authority && dslash) {
        put(o, "/.", 2);
    }
    if (o->len + len <= o->cap)
        rds_pass(&v, start, o->buf + o->len + len, &dslash);
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

/*
 * remove_dot_segments (RFC 3986, Section 5.2.4) in place over p[0..n), for
 * paths parsed strictly ('/' separates, only "." and ".." are dot
 * segments). The RFC's loop, with the output buffer growing at the front of
 * the input buffer: the output never overtakes the input. Returns the new
 * length.
 */
static size_t rds_inplace(char *p, size_t n)
{
    size_t r = 0, w = 0;
    /* A and D: "../" and "./" prefixes, "." and ".." alone */
    while (r < n && p[r] == '.') {
        if (r + 1 == n || (p[r + 1] == '.' && r + 2 == n))
            return 0;
        if (p[r + 1] == '/')
            r += 2;
        else if (p[r + 1] == '.' && p[r + 2] == '/')
            r += 3;
        else
            break;
    }
    while (r < n) {
        if (p[r] == '/' && r + 1 < n && p[r + 1] == '.') {
            if (r + 2 == n) { /* B: "/." at the end */
                p[w++] = '/';
                break;
            }
            if (p[r + 2] == '/') { /* B: "/./" */
                r += 2;
                continue;
            }
            if (p[r + 2] == '.' && (r + 3 == n || p[r + 3] == '/')) {
                /* C: "/../" or "/.." at the end: drop the last output
                 * segment with its '/' */
                while (w > 0 && p[w - 1] != '/')
                    w--;
                if (w > 0)
                    w--;
                r += 3;
                if (r == n) {
                    p[w++] = '/';
                    break;
                }
                continue;
            }
        }
        /* E: the first segment, with its '/', moves to the output */
        size_t e = r + 1;
        while (e < n && p[e] != '/')
            e++;
        if (w != r)
            memmove(p + w, p + r, e - r);
        w += e - r;
        r = e;
    }
    return w;
}

/* Copies n bytes; short copies without a call. */
static RD_ALWAYS_INLINE void copy_bytes(char *dst, const char *src, size_t n)
{
    /* up to 64 bytes in loads and stores that overlap, without a call */
    if (n >= 8 && n <= 16) {
        uint64_t a, b;
        memcpy(&a, src, 8);
        memcpy(&b, src + n - 8, 8);
        memcpy(dst, &a, 8);
        memcpy(dst + n - 8, &b, 8);
#ifdef RD_SIMD
    } else if (n > 16 && n <= 64) {
#define LD_(at) _mm_loadu_si128((const __m128i *)(const void *)(src + (at)))
#define ST_(at, v) _mm_storeu_si128((__m128i *)(void *)(dst + (at)), v)
        const __m128i a = LD_(0), d = LD_(n - 16);
        if (n > 32) {
            const __m128i b = LD_(16), c = LD_(n - 32);
            ST_(16, b);
            ST_(n - 32, c);
        }
        ST_(0, a);
        ST_(n - 16, d);
#undef LD_
#undef ST_
#endif
    } else if (n >= 4 && n < 8) {
        uint32_t a, b;
        memcpy(&a, src, 4);
        memcpy(&b, src + n - 4, 4);
        memcpy(dst, &a, 4);
        memcpy(dst + n - 4, &b, 4);
    } else if (n < 4) {
        for (size_t k = 0; k < n; k++)
            dst[k] = src[k];
    } else {
        memcpy(dst, src, n);
    }
}

/* Output made of pieces of the base and the reference: pieces that follow
 * each other in the same string are copied at once. */
typedef struct rd_copier {
    char *o;       /* where the pending piece goes */
    const char *p; /* the pending piece */
    size_t n;
} rd_copier;

static RD_ALWAYS_INLINE void cp_add(rd_copier *c, const char *p, size_t n)
{
    if (c->n && c->p + c->n == p) {
        c->n += n;
        return;
    }
    copy_bytes(c->o, c->p, c->n);
    c->o += c->n;
    c->p = p;
    c->n = n;
}

static RD_ALWAYS_INLINE char *cp_flush(rd_copier *c)
{
    copy_bytes(c->o, c->p, c->n);
    c->o += c->n;
    c->n = 0;
    return c->o;
}

static redir_result resolve_general(const redir_uri *base, const redir_uri *ref,
                                    unsigned flags, char *out, size_t cap,
                                    size_t *out_len, redir_uri *target);

/* The target's scheme and authority (path, query and fragment are views
 * into the output, set by the caller). */
static inline void target_head(redir_uri *t, const redir_uri *scheme_from,
                               const redir_uri *auth, unsigned parts)
{
    uri_clear(t);
    t->scheme = scheme_from->scheme;
    t->parts = REDIR_URI_SCHEME | parts;
    if (auth) {
        t->authority = auth->authority;
        t->userinfo = auth->userinfo;
        t->host = auth->host;
        t->port = auth->port;
        t->host_type = auth->host_type;
        t->port_number = auth->port_number;
        t->parts |= auth->parts & (REDIR_URI_AUTHORITY | REDIR_URI_USERINFO |
                                   REDIR_URI_PORT);
    }
}

/*
 * RFC 3986, Section 5.2.2 for references parsed strictly (neither lenient
 * nor WHATWG): every byte of the result is a byte of the base or of the
 * reference, so the result is a few copies, and remove_dot_segments runs
 * only when the parser saw a segment start with '.'.
 */
static redir_result resolve_plain(const rd_uri *bu, const rd_uri *ru,
                                  unsigned flags, char *out, size_t cap,
                                  size_t *out_len, redir_uri *target)
{
    const redir_uri *base = &bu->u, *ref = &ru->u;

    /* Most references need no merge and no remove_dot_segments: the result
     * is then the start of the base and the whole reference, two copies.
     * With a scheme, the reference alone; with an authority, the base's
     * "scheme:" first; with an absolute path, the base up to its path;
     * with a query only, the base up to the end of its path; with nothing
     * or a fragment only, the base up to its fragment (RFC 3986, Section
     * 5.2.2). Not when the base's fragment is to be kept (RFC 9110,
     * Section 10.2.2). */
    if (!ru->dots &&
        ((ref->parts & REDIR_URI_FRAGMENT) || !(flags & RD_F_FRAGMENT) ||
         (flags & REDIR_URI_NO_FRAGMENT_INHERIT) ||
         !(base->parts & REDIR_URI_FRAGMENT)) &&
        (ref->path.len == 0 || ref->path.ptr[0] == '/' ||
         (ref->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)))) {
        const bool own_path =
            ref->path.len || (ref->parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY));
        const char *base_path_end = base->path.ptr + base->path.len;
        const redir_uri *scheme_from = base, *auth = NULL;
        size_t pre; /* bytes of the base */
        if (ref->parts & REDIR_URI_SCHEME) {
            pre = 0;
            scheme_from = ref;
        } else if (ref->parts & REDIR_URI_AUTHORITY) {
            pre = base->scheme.len + 1;
        } else if (own_path) {
            pre = (size_t)(base->path.ptr - bu->s);
        } else if (ref->parts & REDIR_URI_QUERY) {
            pre = (size_t)(base_path_end - bu->s);
        } else {
            pre = (size_t)(((base->parts & REDIR_URI_QUERY)
                                ? base->query.ptr + base->query.len
                                : base_path_end) -
                           bu->s);
        }
        if (ref->parts & REDIR_URI_AUTHORITY)
            auth = ref;
        else if (!(ref->parts & REDIR_URI_SCHEME) &&
                 (base->parts & REDIR_URI_AUTHORITY))
            auth = base;
        /* the query: the reference's, or the base's kept with its path */
        const bool base_query = !own_path && !(ref->parts & REDIR_URI_QUERY) &&
                                (base->parts & REDIR_URI_QUERY);
        const size_t need = pre + ru->len;
        if (need + 1 > cap) {
            *out_len = need;
            if (target)
                target_head(target, scheme_from, auth,
                            (((ref->parts & REDIR_URI_QUERY) || base_query)
                                 ? REDIR_URI_QUERY
                                 : 0) |
                                (ref->parts & REDIR_URI_FRAGMENT));
            return REDIR_E_BUFFER_TOO_SMALL;
        }
        copy_bytes(out, bu->s, pre);
        copy_bytes(out + pre, ru->s, ru->len);
        out[need] = '\0';
        *out_len = need;
        if (target) {
            /* views into out: where each part was in base or reference */
            char *r = out + pre; /* the reference's copy */
            target_head(target, scheme_from, auth, 0);
            if (own_path) {
                target->path.ptr = r + (ref->path.ptr - ru->s);
                target->path.len = ref->path.len;
            } else {
                target->path.ptr = out + (base->path.ptr - bu->s);
                target->path.len = base->path.len;
            }
            if (ref->parts & REDIR_URI_QUERY) {
                target->query.ptr = r + (ref->query.ptr - ru->s);
                target->query.len = ref->query.len;
                target->parts |= REDIR_URI_QUERY;
            } else if (base_query) {
                target->query.ptr = out + (base->query.ptr - bu->s);
                target->query.len = base->query.len;
                target->parts |= REDIR_URI_QUERY;
            }
            if (ref->parts & REDIR_URI_FRAGMENT) {
                target->fragment.ptr = r + (ref->fragment.ptr - ru->s);
                target->fragment.len = ref->fragment.len;
                target->parts |= REDIR_URI_FRAGMENT;
            }
        }
        return REDIR_OK;
    }
    const char *h1, *h2 = NULL; /* "scheme:" and "//authority" */
    size_t n1, n2 = 0;
    const char *pa = NULL, *pb = ref->path.ptr; /* the path: pa + pb */
    size_t na = 0, nb = ref->path.len;
    bool dots = ru->dots;
    const redir_uri *auth = NULL; /* where the authority comes from */
    const redir_span *query = NULL;
    const redir_uri *scheme_from = base;

    if (ref->parts & REDIR_URI_SCHEME) {
        scheme_from = ref;
        /* "scheme:" and "//authority" as written */
        h1 = ref->scheme.ptr;
        n1 = (size_t)(ref->path.ptr - ref->scheme.ptr);
        if (ref->parts & REDIR_URI_AUTHORITY)
            auth = ref;
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    } else if (ref->parts & REDIR_URI_AUTHORITY) {
        h1 = base->scheme.ptr;
        n1 = base->scheme.len + 1;
        h2 = ref->authority.ptr - 2;
        n2 = (size_t)(ref->path.ptr - h2);
        auth = ref;
        if (ref->parts & REDIR_URI_QUERY)
            query = &ref->query;
    } else {
        /* the base's "scheme:" and "//authority" */
        h1 = base->scheme.ptr;
        n1 = (size_t)(base->path.ptr - base->scheme.ptr);
        if (base->parts & REDIR_URI_AUTHORITY)
            auth = base;
        if (nb == 0) {
            /* the base path as it is (no remove_dot_segments) */
            pb = base->path.ptr;
            nb = base->path.len;
            dots = false;
            query = (ref->parts & REDIR_URI_QUERY) ? &ref->query
                    : (base->parts & REDIR_URI_QUERY) ? &base->query
                                                       : NULL;
        } else {
            if (pb[0] == '/') {
                /* an absolute path */
            } else if ((base->parts & REDIR_URI_AUTHORITY) &&
                       base->path.len == 0) {
                pa = "/"; /* merge: "/" + ref path */
                na = 1;
            } else {
                /* merge: base path up to its last '/' + ref path */
                pa = base->path.ptr;
                na = base->path.len;
                while (na > 0 && pa[na - 1] != '/')
                    na--;
                dots |= bu->dots;
            }
            if (ref->parts & REDIR_URI_QUERY)
                query = &ref->query;
        }
    }
    const redir_uri *frag_from =
        (ref->parts & REDIR_URI_FRAGMENT) ? ref
        : (!(flags & REDIR_URI_NO_FRAGMENT_INHERIT) &&
           (flags & RD_F_FRAGMENT) && (base->parts & REDIR_URI_FRAGMENT))
            ? base
            : NULL;
    size_t qn = query ? query->len + 1 : 0;
    size_t fn = frag_from ? frag_from->fragment.len + 1 : 0;
    size_t need = n1 + n2 + na + nb + qn + fn; /* exact unless dots */
    if (need + 1 > cap) {
        if (dots) /* the length after remove_dot_segments */
            return resolve_general(base, ref, flags, out, cap, out_len, target);
        *out_len = need;
        if (target)
            target_head(target, scheme_from, auth,
                        (query ? REDIR_URI_QUERY : 0) |
                            (frag_from ? REDIR_URI_FRAGMENT : 0));
        return REDIR_E_BUFFER_TOO_SMALL;
    }

    rd_copier c = {out, h1, n1};
    if (n2)
        cp_add(&c, h2, n2);
    char *path_at, *path_end;
    if (dots) {
        path_at = cp_flush(&c);
        if (na)
            copy_bytes(path_at, pa, na);
        copy_bytes(path_at + na, pb, nb);
        path_end = path_at + rds_inplace(path_at, na + nb);
        /* "//" at the start of a path without an authority would read as
         * one: "/." keeps it a path (see put_path); removing the dot
         * segments freed at least these two bytes */
        if (!auth && path_end - path_at >= 2 && path_at[0] == '/' &&
            path_at[1] == '/') {
            memmove(path_at + 2, path_at, (size_t)(path_end - path_at));
            path_at[0] = '/';
            path_at[1] = '.';
            path_end += 2;
        }
        c.o = path_end;
    } else {
        /* the path starts with the base's part of a merge, if any */
        path_at = c.o + c.n;
        if (na)
            cp_add(&c, pa, na);
        cp_add(&c, pb, nb);
        path_end = c.o + c.n;
    }
    if (query)
        cp_add(&c, query->ptr - 1, qn);
    if (frag_from)
        cp_add(&c, frag_from->fragment.ptr - 1, fn);
    char *end = cp_flush(&c);
    *end = '\0';
    *out_len = (size_t)(end - out);
    if (target) {
        target_head(target, scheme_from, auth, 0);
        target->path.ptr = path_at;
        target->path.len = (size_t)(path_end - path_at);
        const char *q = path_end;
        if (query) {
            target->query.ptr = q + 1;
            target->query.len = query->len;
            target->parts |= REDIR_URI_QUERY;
            q += qn;
        }
        if (frag_from) {
            target->fragment.ptr = q + 1;
            target->fragment.len = frag_from->fragment.len;
            target->parts |= REDIR_URI_FRAGMENT;
        }
    }
    return REDIR_OK;
}

redir_result rd_resolve(const rd_uri *base, const rd_uri *ref, unsigned flags,
                        char *out, size_t cap, size_t *out_len,
                        redir_uri *target)
{
    if (!(flags & (REDIR_URI_LENIENT | REDIR_URI_WHATWG)))
        return resolve_plain(base, ref, flags, out, cap, out_len, target);
    return resolve_general(&base->u, &ref->u, flags, out, cap, out_len,
                           target);
}

/* Any reference and flags: the output is counted, written where it fits,
 * and percent-encoded where lenient parsing let bytes through. */
static redir_result resolve_general(const redir_uri *base, const redir_uri *ref,
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
        put_path(&o, NULL, 0, ref->path.ptr, ref->path.len, rflags,
                 !(t.parts & REDIR_URI_AUTHORITY));
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
                put_path(&o, NULL, 0, ref->path.ptr, ref->path.len, rflags,
                         !(t.parts & REDIR_URI_AUTHORITY));
            } else if ((base->parts & REDIR_URI_AUTHORITY) &&
                       base->path.len == 0) {
                /* merge: "/" + ref path */
                put_path(&o, "/", 1, ref->path.ptr, ref->path.len, rflags,
                         !(t.parts & REDIR_URI_AUTHORITY));
            } else {
                /* merge: base path up to its last '/' + ref path */
                size_t keep = base->path.len;
                while (keep > 0 && base->path.ptr[keep - 1] != '/')
                    keep--;
                put_path(&o, base->path.ptr, keep, ref->path.ptr,
                         ref->path.len, rflags,
                         !(t.parts & REDIR_URI_AUTHORITY));
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

static redir_result parse_base(const char *base, size_t len, rd_uri *b)
{
    redir_result r = rd_parse(base, len, 0, b);
    if (r == REDIR_E_NULL || r == REDIR_E_TOO_LONG)
        return r;
    if (r != REDIR_OK)
        return REDIR_E_BASE_INVALID;
    if (!(b->u.parts & REDIR_URI_SCHEME))
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
    rd_uri b, r;
    redir_result res = parse_base(base, base_len, &b);
    if (res != REDIR_OK)
        return res;
    res = rd_parse(ref, ref_len, 0, &r);
    if (res != REDIR_OK)
        return res;
    return resolve_plain(&b, &r, 0, out, cap, out_len, NULL);
}

redir_result redir_resolve_location_ex(const char *base, size_t base_len,
                                       const char *location,
                                       size_t location_len, unsigned flags,
                                       char *out, size_t cap, size_t *out_len)
{
    if (!base || !location || !out_len || (!out && cap))
        return REDIR_E_NULL;
    *out_len = 0;
    rd_uri b, r;
    redir_uri t;
    redir_result res = parse_base(base, base_len, &b);
    if (res != REDIR_OK)
        return res;
    if (location_len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    rd_trim_ows(&location, &location_len);
    res = rd_parse(location, location_len, flags, &r);
    if (res != REDIR_OK)
        return res;
    if ((r.u.parts & REDIR_URI_USERINFO) && !(flags & REDIR_URI_ALLOW_USERINFO))
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
    /* (c | 0x20) == 'x' holds for 'x' and 'X' only, x a letter */
#define LC(i, c) ((scheme[i] | 0x20) == (c))
    switch (len) {
    case 2: /* ws */
        return LC(0, 'w') && LC(1, 's') ? 80 : -1;
    case 3: /* wss, ftp */
        if (LC(0, 'w') && LC(1, 's') && LC(2, 's'))
            return 443;
        return LC(0, 'f') && LC(1, 't') && LC(2, 'p') ? 21 : -1;
    case 4: /* http */
        return LC(0, 'h') && LC(1, 't') && LC(2, 't') && LC(3, 'p') ? 80 : -1;
    case 5: /* https */
        return LC(0, 'h') && LC(1, 't') && LC(2, 't') && LC(3, 'p') &&
                       LC(4, 's')
                   ? 443
                   : -1;
    default:
        return -1;
    }
#undef LC
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
    /* Until the first '%' on either side, both hosts are read in step:
     * a difference there is a difference after decoding too. Eight bytes
     * at a time, then one at a time. */
    const char *pa = a->host.ptr, *pb = b->host.ptr;
    const size_t n = a->host.len < b->host.len ? a->host.len : b->host.len;
    size_t k = 0;
    for (; k + 8 <= n; k += 8) {
        uint64_t x = rd_load8(pa + k), y = rd_load8(pb + k);
        if (rd_has_byte8(x, '%') || rd_has_byte8(y, '%'))
            goto decode;
        if (x != y && rd_lower8(x) != rd_lower8(y))
            return false;
    }
    for (; k < n; k++) {
        if (pa[k] == '%' || pb[k] == '%')
            goto decode;
        if (pa[k] != pb[k] &&
            rd_lower((unsigned char)pa[k]) != rd_lower((unsigned char)pb[k]))
            return false;
    }
    /* no '%' in the first n bytes: equal when nothing is left */
    return a->host.len == b->host.len;
decode:;
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
    const bool same_scheme =
        a->scheme.len == b->scheme.len &&
        rd_ieq_n(a->scheme.ptr, b->scheme.ptr, a->scheme.len);
    if (!same_scheme)
        d |= REDIR_ORIGIN_SCHEME;
    if (!rd_host_equal(a, b))
        d |= REDIR_ORIGIN_HOST;
    /* the default port depends on the scheme alone */
    if (!(same_scheme && a->port_number < 0 && b->port_number < 0) &&
        redir_uri_port(a) != redir_uri_port(b))
        d |= REDIR_ORIGIN_PORT;
    return d;
}
