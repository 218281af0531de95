/* SPDX-License-Identifier: MIT */
/* Status-code lookups over the generated tables (status_data.c). */
#include "status_data.h"
#include "util.h"

const redir_status *redir_status_get(int code)
{
    if (code < 100 || code > 599)
        return NULL;
    return &redir_status_table[redir_status_index[code - 100]];
}

redir_result redir_status_lookup(int code, const redir_status **out)
{
    if (!out)
        return REDIR_E_NULL;
    *out = redir_status_get(code);
    return *out ? REDIR_OK : REDIR_E_STATUS_RANGE;
}

redir_result redir_status_parse(const char *s, size_t len, int *code)
{
    if (!s || !code)
        return REDIR_E_NULL;
    *code = 0;
    if (len == 0)
        return REDIR_E_EMPTY;
    if (len > REDIR_MAX_INPUT)
        return REDIR_E_TOO_LONG;
    for (size_t i = 0; i < len; i++)
        if (!rd_is_digit(s[i]))
            return REDIR_E_CHAR;
    /* All digits: a number, but only three digits can be a status code. */
    if (len != 3)
        return REDIR_E_STATUS_RANGE;
    int c = (s[0] - '0') * 100 + (s[1] - '0') * 10 + (s[2] - '0');
    if (c < 100 || c > 599)
        return REDIR_E_STATUS_RANGE;
    *code = c;
    return REDIR_OK;
}

size_t redir_status_count(void)
{
    return redir_status_registered_count;
}

const redir_status *redir_status_at(size_t i)
{
    return i < redir_status_registered_count ? &redir_status_table[i] : NULL;
}

const char *redir_status_reason(int code)
{
    const redir_status *st = redir_status_get(code);
    return st ? st->reason : "";
}

bool redir_status_has_prose(void)
{
#ifdef REDIR_NO_PROSE
    return false;
#else
    return true;
#endif
}

const char *redir_status_class_name(redir_status_class c)
{
    switch (c) {
    case REDIR_CLASS_INFORMATIONAL: return "informational";
    case REDIR_CLASS_SUCCESSFUL: return "successful";
    case REDIR_CLASS_REDIRECTION: return "redirection";
    case REDIR_CLASS_CLIENT_ERROR: return "client-error";
    case REDIR_CLASS_SERVER_ERROR: return "server-error";
    }
    return "unknown";
}

const char *redir_status_flag_name(unsigned flag)
{
    switch (flag) {
#define REDIR_X_(name, bit, json, text)                                        \
    case REDIR_SF_##name: return json;
        REDIR_STATUS_FLAG_LIST(REDIR_X_)
#undef REDIR_X_
    default: return NULL;
    }
}

const char *redir_status_flag_text(unsigned flag)
{
    switch (flag) {
#define REDIR_X_(name, bit, json, text)                                        \
    case REDIR_SF_##name: return text;
        REDIR_STATUS_FLAG_LIST(REDIR_X_)
#undef REDIR_X_
    default: return NULL;
    }
}

const char *redir_retry_name(redir_retry r)
{
    switch (r) {
    case REDIR_RETRY_NOT_APPLICABLE: return "not-applicable";
    case REDIR_RETRY_NEVER: return "never";
    case REDIR_RETRY_AFTER_FIX: return "after-fix";
    case REDIR_RETRY_AFTER_RETRY_AFTER: return "after-retry-after";
    case REDIR_RETRY_BACKOFF: return "backoff";
    case REDIR_RETRY_IDEMPOTENT_ONLY: return "idempotent-only";
    case REDIR_RETRY_NEW_CONNECTION: return "new-connection";
    }
    return "unknown";
}

const char *redir_monitor_name(redir_monitor m)
{
    switch (m) {
    case REDIR_MONITOR_INTERIM: return "interim";
    case REDIR_MONITOR_UP: return "up";
    case REDIR_MONITOR_FOLLOW: return "follow";
    case REDIR_MONITOR_CHECK_CONFIG: return "check-config";
    case REDIR_MONITOR_MISSING: return "missing";
    case REDIR_MONITOR_RATE_LIMITED: return "rate-limited";
    case REDIR_MONITOR_DOWN: return "down";
    }
    return "unknown";
}
