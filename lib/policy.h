/* SPDX-License-Identifier: MIT */
/* Internal: shared between profiles.c and decide.c. */
#ifndef REDIR_POLICY_H
#define REDIR_POLICY_H

#include "redir.h"

/* Whether the caller's struct covers every field of the first release. */
bool rd_policy_size_ok(const redir_policy *p);

#endif
