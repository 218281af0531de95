/* SPDX-License-Identifier: MIT */
/*
 * Policies and the built-in profiles. A profile is a const redir_policy:
 * plain data, one row per redirect status and one column per method, so
 * that the differences between clients are visible side by side.
 */
#include <stddef.h>

#include "policy.h"
#include "util.h"

/* Cell shorthands for the rule tables. */
#define S REDIR_RULE_STOP
#define K REDIR_RULE_KEEP
#define G REDIR_RULE_GET
#define N REDIR_RULE_KEEP_NO_BODY

/*                      GET HEAD POST PUT DELETE PATCH OPTIONS PROPFIND other */
#define ROW_STOP      { S,  S,   S,   S,  S,     S,    S,      S,       S }
#define ROW_KEEP      { K,  K,   K,   K,  K,     K,    K,      K,       K }
/* RFC 9110, Section 15.4.4: GET (or HEAD for HEAD) on the Location */
#define ROW_SEE_OTHER { K,  K,   G,   G,  G,     G,    G,      G,       G }

/*
 * rfc9110: strictly what RFC 9110, Section 15.4 requires, and nothing a
 * client may do beyond it. 301/302 keep the method (the POST->GET rewrite is
 * permitted, not required); 303 turns everything but GET and HEAD into GET;
 * 307/308 keep method and content; 300 and unregistered 3xx are not
 * followed automatically (15.4.1: the user agent MAY; 15: unknown 3xx is
 * treated as 300); 304, 305 and 306 are never followed. Step 4 of 15.4:
 * Authorization and Cookie go where the origin changes; step 3:
 * Proxy-Authorization and Host are regenerated for a new target; step 6:
 * content-specific fields go when the method becomes GET or HEAD. Referer is
 * not sent after https -> http (10.1.3). The hop limit is not in RFC 9110
 * (RFC 2068 once suggested 5); 20 is what the fetch standard uses.
 */
static const redir_policy profile_rfc9110 = {
    .size = sizeof(redir_policy),
    .name = "rfc9110",
    .client = "RFC 9110 (June 2022), Section 15.4",
    .source = "RFC 9110, Sections 10.1.3, 10.2.2 and 15.4",
    .max_redirects = 20,
    .options = REDIR_POLICY_ALLOW_DOWNGRADE,
    .rules = {
        [REDIR_ROW_300] = ROW_STOP,
        [REDIR_ROW_301] = ROW_KEEP,
        [REDIR_ROW_302] = ROW_KEEP,
        [REDIR_ROW_303] = ROW_SEE_OTHER,
        [REDIR_ROW_304] = ROW_STOP,
        [REDIR_ROW_305] = ROW_STOP,
        [REDIR_ROW_306] = ROW_STOP,
        [REDIR_ROW_307] = ROW_KEEP,
        [REDIR_ROW_308] = ROW_KEEP,
        [REDIR_ROW_OTHER] = ROW_STOP,
    },
    .schemes = "http https",
    .sensitive_headers = NULL,
    .scope = REDIR_SCOPE_ORIGIN,
    .strip_always = 0,
    .strip_on_body_drop = REDIR_HC_CONTENT,
    .strip_on_scope_change = REDIR_HC_CREDENTIALS,
    .strip_on_authority_change = REDIR_HC_HOST,
    .strip_on_downgrade = REDIR_HC_REFERER,
};

static const redir_policy *const profiles[] = {
    &profile_rfc9110,
};

size_t redir_profile_count(void)
{
    return sizeof profiles / sizeof profiles[0];
}

const redir_policy *redir_profile_at(size_t i)
{
    return i < redir_profile_count() ? profiles[i] : NULL;
}

const redir_policy *redir_profile_get(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < redir_profile_count(); i++)
        if (strcmp(profiles[i]->name, name) == 0)
            return profiles[i];
    return NULL;
}

/* The first release's struct ends with strip_on_downgrade. */
#define POLICY_SIZE_0_1                                                        \
    (offsetof(redir_policy, strip_on_downgrade) + sizeof(unsigned))

redir_result redir_policy_init(redir_policy *policy, size_t size,
                               const char *profile)
{
    if (!policy)
        return REDIR_E_NULL;
    if (size < POLICY_SIZE_0_1)
        return REDIR_E_POLICY;
    const redir_policy *p = redir_profile_get(profile ? profile : "rfc9110");
    if (!p)
        return REDIR_E_UNKNOWN_PROFILE;
    size_t n = size < sizeof *p ? size : sizeof *p;
    memset(policy, 0, size);
    memcpy(policy, p, n);
    policy->size = n;
    return REDIR_OK;
}

bool rd_policy_size_ok(const redir_policy *p)
{
    return p->size >= POLICY_SIZE_0_1;
}

int redir_rule_row(int status)
{
    if (status < 300 || status > 399)
        return -1;
    return status <= 308 ? status - 300 : REDIR_ROW_OTHER;
}

int redir_rule_column(const char *m, size_t n)
{
    static const char *const names[] = {
        [REDIR_COL_GET] = "GET",         [REDIR_COL_HEAD] = "HEAD",
        [REDIR_COL_POST] = "POST",       [REDIR_COL_PUT] = "PUT",
        [REDIR_COL_DELETE] = "DELETE",   [REDIR_COL_PATCH] = "PATCH",
        [REDIR_COL_OPTIONS] = "OPTIONS", [REDIR_COL_PROPFIND] = "PROPFIND",
    };
    if (!m)
        return REDIR_COL_OTHER;
    for (int i = 0; i < REDIR_COL_OTHER; i++)
        if (rd_eq(m, n, names[i], strlen(names[i])))
            return i;
    return REDIR_COL_OTHER;
}

bool redir_method_is_safe(const char *m, size_t n)
{
    /* RFC 9110, Section 9.2.1; the IANA HTTP Method Registry's "safe"
     * column for the others (RFC 4918 PROPFIND, RFC 3253 REPORT, RFC 5323
     * SEARCH, and QUERY). */
    static const char *const safe[] = {"GET",      "HEAD",   "OPTIONS",
                                       "TRACE",    "PROPFIND", "REPORT",
                                       "SEARCH",   "QUERY"};
    if (!m)
        return false;
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
        if (rd_eq(m, n, safe[i], strlen(safe[i])))
            return true;
    return false;
}
