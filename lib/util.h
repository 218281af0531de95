/* SPDX-License-Identifier: MIT */
/* Internal: locale-free ASCII helpers (no <ctype.h>: see DESIGN.md). */
#ifndef REDIR_UTIL_H
#define REDIR_UTIL_H

#include <stdbool.h>
#include <stddef.h>
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
static inline unsigned rd_ctz(unsigned m)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctz(m);
#else
    unsigned k = 0;
    while (!(m & 1u)) {
        m >>= 1;
        k++;
    }
    return k;
#endif
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
