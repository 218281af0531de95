// SPDX-License-Identifier: MIT
// redir.h from C++: compiled by tests/check-cxx.sh with -std=c++11
// -pedantic -Wall -Wextra -Werror by g++ and clang++, then linked and run.
#include <redir.h>

#include <cstdio>
#include <cstring>

int main()
{
    static_assert(REDIR_OK == 0, "REDIR_OK is 0");
    static_assert(REDIR_VERSION_AT_LEAST(0, 1, 0), "version macros");

    redir_policy policy;
    if (REDIR_POLICY_INIT(&policy, "curl") != REDIR_OK)
        return 1;

    const redir_header loc[] = {{"Location", 8, "https://b.example/x", 19}};
    redir_request req;
    std::memset(&req, 0, sizeof req);
    req.method = "POST";
    req.method_len = 4;
    req.url = "https://a.example/form";
    req.url_len = 22;
    req.body = REDIR_BODY_REPLAYABLE;
    redir_response resp;
    std::memset(&resp, 0, sizeof resp);
    resp.status = 302;
    resp.headers = loc;
    resp.header_count = 1;

    char url[256];
    redir_decision d;
    if (redir_decide(&policy, &req, &resp, url, sizeof url, &d) != REDIR_OK ||
        d.verdict != REDIR_VERDICT_FOLLOW)
        return 2;
    const redir_status *st = redir_status_get(302);
    std::printf("%s: %.*s %s (%d %s)\n", redir_version(), (int)d.method_len,
                d.method, d.url, st->code, st->reason);
    return std::strcmp(redir_strerror(REDIR_OK), "success") == 0 ? 0 : 3;
}
