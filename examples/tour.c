/* SPDX-License-Identifier: MIT */
/*
 * A short tour of the redir API; the README quotes it. Built and run by the
 * test suite, so it cannot drift from the library.
 */
#include <redir.h>

#include <stdio.h>

int main(void)
{
    /* What is 308? */
    const redir_status *st = redir_status_get(308);
    printf("%d %s (%s)\n", st->code, st->reason, st->spec);

    /* Where does this Location point? (RFC 3986 + RFC 9110 fragments) */
    char url[512];
    size_t len;
    if (redir_resolve_location("https://shop.example/cart#items", 31,
                               "../checkout", 11, url, sizeof url,
                               &len) == REDIR_OK)
        printf("-> %s\n", url);

    /* How must a client follow this redirect? */
    redir_header sent[] = {
        {"Authorization", 13, "Bearer abc", 10},
        {"Content-Type", 12, "application/json", 16},
    };
    redir_header got[] = {{"Location", 8, "https://pay.example/done", 24}};
    redir_request req = {
        .method = "POST", .method_len = 4,
        .url = "https://shop.example/orders", .url_len = 27,
        .body = REDIR_BODY_REPLAYABLE,
        .headers = sent, .header_count = 2,
    };
    redir_response resp = {.status = 303, .headers = got, .header_count = 1};
    redir_decision d;
    if (redir_decide(NULL, &req, &resp, url, sizeof url, &d) != REDIR_OK)
        return 1;
    if (d.verdict == REDIR_VERDICT_FOLLOW) {
        printf("%.*s %s, body %s\n", (int)d.method_len, d.method, d.url,
               d.body == REDIR_BODY_KEEP ? "kept" : "dropped");
        for (size_t i = 0; i < d.header_count; i++)
            if (d.header_actions[i] != REDIR_HEADER_KEEP)
                printf("  %s: %s\n", sent[i].name,
                       redir_header_action_name(d.header_actions[i]));
    } else {
        printf("stop: %s\n", redir_verdict_name(d.verdict));
    }
    printf("%s\n", d.reason);
    return 0;
}
