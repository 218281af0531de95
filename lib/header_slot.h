/* SPDX-License-Identifier: MIT */
/*
 * The slot of a request header name in the table of known names
 * (decide.c): its length and its first and last bytes in lower case, mixed
 * with two factors that tools/gen-header-slots.c chooses, at build time,
 * so that no two names of REDIR_HEADER_NAME_LIST share a slot. One
 * look-up then finds the only known name a header can be.
 */
#ifndef REDIR_HEADER_SLOT_H
#define REDIR_HEADER_SLOT_H

#include <stddef.h>

#define RD_HEADER_SLOTS 64u

static inline unsigned rd_header_slot(unsigned a, unsigned b, size_t len,
                                      unsigned first, unsigned last)
{
    return (first + a * last + b * (unsigned)len) & (RD_HEADER_SLOTS - 1);
}

#endif
