/* SPDX-License-Identifier: MIT */
/* Version and result strings. */
#include "redir.h"

const char *redir_version(void)
{
    return REDIR_VERSION;
}

unsigned redir_version_num(void)
{
    return REDIR_VERSION_NUM;
}

const char *redir_strerror(redir_result r)
{
    switch (r) {
#define REDIR_X_(name, value, msg)                                             \
    case name: return msg;
        REDIR_RESULT_LIST(REDIR_X_)
#undef REDIR_X_
    case REDIR_RESULT_LAST_: break;
    }
    return "unknown result";
}

const char *redir_result_name(redir_result r)
{
    switch (r) {
#define REDIR_X_(name, value, msg)                                             \
    case name: return #name;
        REDIR_RESULT_LIST(REDIR_X_)
#undef REDIR_X_
    case REDIR_RESULT_LAST_: break;
    }
    return "REDIR_E_UNKNOWN";
}
