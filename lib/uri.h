/* SPDX-License-Identifier: MIT */
/* Internal interface of the URI layer (uri.c), shared with decide.c. */
#ifndef REDIR_URI_H
#define REDIR_URI_H

#include "redir.h"

/* Internal parse flags, above the public redir_uri_flag bits. */
#define RD_F_BACKSLASH_IS_SLASH (1u << 16)
#define RD_F_FRAGMENT (1u << 17)

bool rd_parse_ipv6(const char *p, size_t n, unsigned char out[16]);

/* A parsed reference and what the parser learned on the way. */
typedef struct rd_uri {
    redir_uri u;
    const char *s; /* the string parsed */
    size_t len;
    bool dots; /* the path may hold a dot segment (a segment starts with
                  '.'); always true unless parsed strictly */
} rd_uri;

/* redir_uri_parse() into an rd_uri (u not NULL). */
redir_result rd_parse(const char *s, size_t len, unsigned flags, rd_uri *u);

/*
 * RFC 3986 Section 5.2.2 with the already parsed base (parsed with flags 0)
 * and reference (parsed with `flags`).
 * Fills `target` (when not NULL) with the target's scheme and authority
 * (views into base or ref) and its path, query and fragment (views into
 * out, or NULL when it did not fit). Returns REDIR_OK or
 * REDIR_E_BUFFER_TOO_SMALL; *out_len is the length without the NUL.
 */
redir_result rd_resolve(const rd_uri *base, const rd_uri *ref,
                        unsigned flags, char *out, size_t cap,
                        size_t *out_len, redir_uri *target);

/* Case-insensitive host equality with percent-decoding of reg-names and
 * IPv6 literals compared as addresses. */
bool rd_host_equal(const redir_uri *a, const redir_uri *b);

/* RFC 6797, Section 8.3: whether `u` is an http URI whose host (a domain
 * name, lower-cased, without a trailing dot) `known` says is an HSTS host. */
bool rd_hsts_known(const redir_uri *u, redir_hsts_known_fn known, void *ctx);

#endif
