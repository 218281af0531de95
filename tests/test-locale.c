/* SPDX-License-Identifier: MIT */
/*
 * Case folding must not depend on the locale (DESIGN.md: no hidden inputs).
 * Under a Turkish locale, tolower('I') is not 'i' (it is dotless U+0131 in
 * ISO-8859-9), so any use of <ctype.h> on schemes, hosts or header names
 * would change these answers. The test switches to tr_TR and compares with
 * the answers in the C locale; it is skipped (exit 77) when no Turkish
 * locale is installed (.ci/run generates tr_TR.UTF-8 and tr_TR.ISO-8859-9).
 */
#include <redir.h>

#include <locale.h>
#include <stdio.h>
#include <string.h>

static int run(char *out, size_t cap)
{
    size_t used = 0;
    /* scheme and host case, header names with 'I' */
    redir_uri a, b;
    redir_uri_parse("HTTPS://WIKI.EXAMPLE/I", 22, 0, &a);
    redir_uri_parse("https://wiki.example/i", 22, 0, &b);
    used += (size_t)snprintf(out + used, cap - used, "%u ",
                             redir_uri_origin_diff(&a, &b));
    used += (size_t)snprintf(out + used, cap - used, "%d %d ",
                             redir_default_port("HTTPS", 5),
                             redir_default_port("HTTP", 4));
    used += (size_t)snprintf(out + used, cap - used, "%u %u ",
                             redir_header_class("AUTHORIZATION", 13),
                             redir_header_class("Content-Digest", 14));
    redir_header hs[] = {{"AUTHORIZATION", 13, "x", 1}, {"COOKIE", 6, "x", 1}};
    redir_header loc = {"LOCATION", 8, "HTTPS://INFO.EXAMPLE:443/I", 26};
    redir_request req = {"GET", 3, "https://wiki.example/", 21,
                         REDIR_BODY_NONE, hs, 2};
    redir_response resp = {302, &loc, 1};
    char buf[128];
    redir_decision d;
    redir_decide(NULL, &req, &resp, buf, sizeof buf, &d);
    used += (size_t)snprintf(out + used, cap - used, "%s %s %u %d %d ",
                             redir_verdict_name(d.verdict), d.url, d.flags,
                             d.header_actions[0], d.header_actions[1]);
    redir_cache_control cc;
    redir_cache_control_parse("MAX-AGE=60, PRIVATE, NO-CACHE=\"Set-Cookie\"", 41,
                              false, &cc);
    used += (size_t)snprintf(out + used, cap - used, "%u %lld ", cc.directives,
                             (long long)cc.max_age);
    redir_hsts h;
    used += (size_t)snprintf(out + used, cap - used, "%d ",
                             redir_hsts_parse("MAX-AGE=5; INCLUDESUBDOMAINS", 28, &h));
    return (int)used;
}

int main(void)
{
    static const char *const turkish[] = {"tr_TR.UTF-8", "tr_TR.utf8",
                                          "tr_TR.ISO-8859-9", "tr_TR"};
    char c_answers[1024], tr_answers[1024];
    setlocale(LC_ALL, "C");
    run(c_answers, sizeof c_answers);
    int tried = 0;
    for (size_t i = 0; i < sizeof turkish / sizeof *turkish; i++) {
        if (!setlocale(LC_ALL, turkish[i]))
            continue;
        tried++;
        run(tr_answers, sizeof tr_answers);
        if (strcmp(c_answers, tr_answers) != 0) {
            printf("under %s:\n  %s\nin the C locale:\n  %s\n", turkish[i],
                   tr_answers, c_answers);
            return 1;
        }
        printf("%s: same answers as in the C locale\n", turkish[i]);
    }
    if (!tried) {
        puts("no Turkish locale installed: skipped");
        return 77;
    }
    return 0;
}
