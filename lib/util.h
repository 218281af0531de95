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

/* ASCII case-insensitive equality of two (pointer, length) strings. */
static inline bool rd_ieq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen)
        return false;
    for (size_t i = 0; i < alen; i++)
        if (rd_lower((unsigned char)a[i]) != rd_lower((unsigned char)b[i]))
            return false;
    return true;
}

/* Same, against a NUL-terminated lower-case literal. */
static inline bool rd_ieq_lit(const char *a, size_t alen, const char *lit)
{
    return rd_ieq(a, alen, lit, strlen(lit));
}

static inline bool rd_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && (alen == 0 || memcmp(a, b, alen) == 0);
}

#endif
