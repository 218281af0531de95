/* SPDX-License-Identifier: MIT */
/* Internal: shared between profiles.c and decide.c. */
#ifndef REDIR_POLICY_H
#define REDIR_POLICY_H

#include "redir.h"

/* Whether the caller's struct covers every field of the first release. */
bool rd_policy_size_ok(const redir_policy *p);

/* redir_decide() with the URL credentials are scoped to (NULL: the
 * request's); used by chains for REDIR_POLICY_SCOPE_FROM_FIRST. */
redir_result rd_decide(const redir_policy *policy, const redir_request *req,
                       const redir_response *resp, char *buf, size_t cap,
                       redir_decision *d, const char *scope_url,
                       size_t scope_len);

#endif
