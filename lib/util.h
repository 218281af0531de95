/* SPDX-License-Identifier: MIT */
/* Internal: locale-free ASCII helpers (no <ctype.h>: see DESIGN.md). */
#ifndef REDIR_UTIL_H
#define REDIR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool rd_is_digit(int c) { return c >= '0' && c <= '9'; }
static inline bool rd_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static inline bool rd_is_hex(int c)
{
    return rd_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static inline int rd_hex_value(int c)
{
    return rd_is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}
static inline int rd_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

/* For the few small functions of the hot paths that the compiler would
 * otherwise call: a hint where the compiler understands it. */
#if defined(__GNUC__) || defined(__clang__)
#define RD_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define RD_ALWAYS_INLINE inline
#endif

/* The index of the lowest set bit of m (m != 0). */
static inline unsigned rd_ctz64(uint64_t m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(m);
#else
    unsigned k = 0;
    while (!(m & 1u)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
}

static inline unsigned rd_ctz(unsigned m)
{
    return rd_ctz64(m);
}

/* Zeroes n bytes (n known at compile time) in pieces of 64: a whole
 * struct at once is a "rep stos" for gcc, slow to start. */
static inline void rd_zero(void *p, size_t n)
{
    char *c = (char *)p;
    size_t k = 0;
    for (; k + 64 <= n; k += 64)
        memset(c + k, 0, 64);
    memset(c + k, 0, n - k);
}

/* Eight bytes from p, in memory order (the compiler makes one load). */
static inline uint64_t rd_load8(const char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint32_t rd_load4(const char *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint16_t rd_load2(const char *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

/* The bytes of s[0 .. n), n >= 4, as two words read without going
 * outside them: the first and the last eight, or (n < 8) the first and
 * the last four, twice. Every byte of them is one of s; for n <= 16 every
 * byte of s is in them, so that two strings of the same length n are
 * equal exactly when their words are. */
static inline void rd_short_words(const char *s, size_t n, uint64_t *lo,
                                  uint64_t *hi)
{
    if (n >= 8) {
        *lo = rd_load8(s);
        *hi = rd_load8(s + n - 8);
    } else {
        *lo = *hi = rd_load4(s) | (uint64_t)rd_load4(s + n - 4) << 32;
    }
}

#define RD_ONES8 0x0101010101010101ull
#define RD_HIGH8 0x8080808080808080ull

/* The bytes of x with 'A'..'Z' lowered, all others as they are (eight at
 * a time: bit 7 of x7 + 0x80 - 'A' says >= 'A', of x7 + 0x80 - 'Z' - 1
 * says > 'Z', without carries between bytes). */
static inline uint64_t rd_lower8(uint64_t x)
{
    const uint64_t x7 = x & ~RD_HIGH8;
    const uint64_t ge_a = x7 + (0x80 - 'A') * RD_ONES8;
    const uint64_t gt_z = x7 + (0x80 - 'Z' - 1) * RD_ONES8;
    const uint64_t upper = ge_a & ~gt_z & ~x & RD_HIGH8;
    return x | (upper >> 2);
}

/* Whether any byte of x is c. */
static inline bool rd_has_byte8(uint64_t x, unsigned char c)
{
    const uint64_t t = x ^ (c * RD_ONES8);
    return ((t - RD_ONES8) & ~t & RD_HIGH8) != 0;
}

/* ASCII case-insensitive equality of n bytes: eight at a time (the last
 * eight overlapping), or four, or one. */
static inline bool rd_ieq_n(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        /* equal words need no case folding */
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            const uint64_t x = rd_load8(a + i), y = rd_load8(b + i);
            if (x != y && rd_lower8(x) != rd_lower8(y))
                return false;
        }
        const uint64_t x = rd_load8(a + n - 8), y = rd_load8(b + n - 8);
        return x == y || rd_lower8(x) == rd_lower8(y);
    }
    if (n >= 4) {
        uint64_t x = rd_load4(a) | (uint64_t)rd_load4(a + n - 4) << 32;
        uint64_t y = rd_load4(b) | (uint64_t)rd_load4(b + n - 4) << 32;
        return x == y || rd_lower8(x) == rd_lower8(y);
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i] &&
            rd_lower((unsigned char)a[i]) != rd_lower((unsigned char)b[i]))
            return false;
    return true;
}

/* ASCII case-insensitive equality of two (pointer, length) strings. */
static inline bool rd_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (a[i] != b[i] &&
            rd_lower((unsigned char)a[i]) != rd_lower((unsigned char)b[i]))
            return false;
    return true;
}

/* Same, against a NUL-terminated string. */
static inline bool rd_ieq_cstr(const char *a, size_t alen, const char *b)
{
    return rd_ieq(a, alen, b, strlen(b));
}

/* Same, against a string literal (its length known at compile time). */
#define rd_ieq_lit(a, alen, lit) rd_ieq((a), (alen), "" lit, sizeof(lit) - 1)

static inline bool rd_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

/* ---- HTTP field syntax (RFC 9110, Section 5.6) ---------------------------- */

/* Rows of 32 equal bytes (and two nibble tables) for the AVX2 scanner of
 * uri.c (uri_scan.h), in lib/util.c: in another file than the code, so
 * that the compiler loads them instead of rebuilding them. */
extern const unsigned char rd_bytes32[12][32];

/* tchar (Section 5.6.2), in lib/util.c */
extern const unsigned char rd_tchar_table[256];

static inline bool rd_is_tchar(unsigned char c)
{
    return rd_tchar_table[c] != 0;
}

/* Whether (s, n) is a token: one or more tchar. */
static inline bool rd_is_token(const char *s, size_t n)
{
    unsigned char ok = n != 0;
    for (size_t i = 0; i < n; i++)
        ok &= rd_tchar_table[(unsigned char)s[i]];
    return ok != 0;
}

#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
#include <emmintrin.h>

/* The bytes of v that are neither a letter, a digit nor '-' (all tchar):
 * ranges as signed bytes after moving their start to -128. */
static inline unsigned rd_not_alnum_dash16(__m128i v)
{
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i letter =
        _mm_cmplt_epi8(_mm_add_epi8(lower, _mm_set1_epi8((char)(0x80 - 'a'))),
                       _mm_set1_epi8(-128 + 26));
    const __m128i digit =
        _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8((char)(0x80 - '0'))),
                       _mm_set1_epi8(-128 + 10));
    const __m128i dash = _mm_cmpeq_epi8(v, _mm_set1_epi8('-'));
    return (unsigned)_mm_movemask_epi8(
               _mm_or_si128(_mm_or_si128(letter, digit), dash)) ^
           0xffffu;
}

/* The bytes of s[0 .. n), 4 <= n <= 16, as 16 bytes read without going
 * outside them (rd_short_words()). */
static inline __m128i rd_load_short16(const char *s, size_t n)
{
    uint64_t lo, hi;
    rd_short_words(s, n, &lo, &hi);
    return _mm_set_epi64x((long long)hi, (long long)lo);
}
#endif

/* The same as rd_is_token(), faster for the usual names: letters, digits
 * and '-' are checked 16 bytes (or fewer, in two loads that overlap and
 * stay inside s[0 .. n)) at a time; anything else by the table. */
static inline bool rd_is_token_fast(const char *s, size_t n)
{
#if defined(__SSE2__) && !defined(REDIR_NO_SIMD)
    if (n >= 16) {
        size_t i = 0;
        unsigned bad = 0;
        for (; i + 16 < n; i += 16)
            bad |= rd_not_alnum_dash16(
                _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
        bad |= rd_not_alnum_dash16(
            _mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)));
        if (!bad)
            return true;
    } else if (n >= 4) {
        if (!rd_not_alnum_dash16(rd_load_short16(s, n)))
            return true;
    }
#endif
    return rd_is_token(s, n);
}

/* OWS = *( SP / HTAB ) (Section 5.6.3) */
static inline bool rd_is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static inline size_t rd_skip_ows(const char *s, size_t n, size_t i)
{
    while (i < n && rd_is_ows(s[i]))
        i++;
    return i;
}

/* Trims OWS from both ends of (*p, *n). */
static inline void rd_trim_ows(const char **p, size_t *n)
{
    while (*n && rd_is_ows((*p)[0])) {
        (*p)++;
        (*n)--;
    }
    while (*n && rd_is_ows((*p)[*n - 1]))
        (*n)--;
}

/*
 * A quoted-string (Section 5.6.4) starting at s[i] == '"'. *end receives the
 * index after the closing quote, or n when there is none. Returns whether it
 * is well-formed: terminated, and without control bytes (qdtext and
 * quoted-pair). A control byte does not end the string, so that the quotes
 * stay paired for what follows.
 */
static inline bool rd_quoted_string(const char *s, size_t n, size_t i,
                                    size_t *end)
{
    bool ok = true;
    for (i++; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"') {
            *end = i + 1;
            return ok;
        }
        if (c == '\\') {
            if (i + 1 >= n)
                break;
            c = (unsigned char)s[++i];
        }
        /* HTAB / SP / VCHAR / obs-text */
        if (c != '\t' && (c < 0x20 || c == 0x7f))
            ok = false;
    }
    *end = n;
    return false;
}

#endif
