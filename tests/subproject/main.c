/* SPDX-License-Identifier: MIT */
/* A program of a project that embeds redir as a subproject. */
#include <redir.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    const redir_header loc[] = {{"Location", 8, "/v2/orders", 10}};
    redir_request req = {.method = "POST", .method_len = 4,
                         .url = "https://api.example/v1/orders",
                         .url_len = 29, .body = REDIR_BODY_REPLAYABLE};
    redir_response resp = {.status = 307, .headers = loc, .header_count = 1};
    char url[128];
    redir_decision d;

    if (strcmp(redir_version(), REDIR_VERSION) != 0)
        return 1;
    if (redir_decide(NULL, &req, &resp, url, sizeof url, &d) != REDIR_OK ||
        d.verdict != REDIR_VERDICT_FOLLOW)
        return 2;
    printf("redir %s: %.*s %s\n", redir_version(), (int)d.method_len,
           d.method, d.url);
    return strcmp(d.url, "https://api.example/v2/orders") == 0 ? 0 : 3;
}
