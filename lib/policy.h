/* SPDX-License-Identifier: MIT */
/* Internal: shared between profiles.c and decide.c. */
#ifndef REDIR_POLICY_H
#define REDIR_POLICY_H

#include "redir.h"

/* The rfc9110 profile, the one used when a caller passes no policy. */
extern const redir_policy rd_profile_rfc9110;

/* The scheme list of every built-in profile ("http https"). */
extern const char rd_http_https[];

/* rd_method_facts(): the method's rule-table column, with this bit when
 * the method is safe. */
#define RD_METHOD_SAFE 0x100u
unsigned rd_method_facts(const char *m, size_t n);

/* Whether the caller's struct covers every field of the first release. */
bool rd_policy_size_ok(const redir_policy *p);

/* redir_decide() with the URL credentials are scoped to (NULL: the
 * request's); used by chains for REDIR_POLICY_SCOPE_FROM_FIRST. */
redir_result rd_decide(const redir_policy *policy, const redir_request *req,
                       const redir_response *resp, char *buf, size_t cap,
                       redir_decision *d, const char *scope_url,
                       size_t scope_len);

#endif
