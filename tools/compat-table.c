/* SPDX-License-Identifier: MIT */
/*
 * compat-table: the README's compatibility table, computed from the
 * profiles with redir_decide() (not typed by hand). The test
 * tests/check-readme.py fails when README.md and this program's output
 * differ; `python3 tests/check-readme.py README.md build/tools/compat-table
 * --update` rewrites the section between the compat markers.
 */
#include <redir.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The profiles in the big table: the clients, not their older versions. */
#define MAIN_PROFILES 12

static const int statuses[] = {300, 301, 302, 303, 304, 305, 306, 307, 308, 399};
static const char *const methods[] = {"GET",   "HEAD",    "POST",    "PUT",
                                      "DELETE", "PATCH", "OPTIONS", "PROPFIND"};

static redir_decision decide(const redir_policy *p, const char *method,
                             redir_body body, int status, const char *url,
                             const char *location, const redir_header *hs,
                             size_t nh)
{
    static char buf[512];
    redir_header loc = {"Location", 8, location, strlen(location)};
    redir_request req = {method, strlen(method), url, strlen(url), body, hs, nh};
    redir_response resp = {status, &loc, 1};
    redir_decision d;
    if (redir_decide(p, &req, &resp, buf, sizeof buf, &d) != REDIR_OK)
        memset(&d, 0, sizeof d);
    return d;
}

/* Whether requests with this method usually carry content. */
static bool has_body(const char *m)
{
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH") ||
           !strcmp(m, "PROPFIND");
}

/* A cell: what the next request is. */
static void cell(char *out, size_t cap, const redir_policy *p, const char *m,
                 int status)
{
    bool body = has_body(m);
    redir_decision d = decide(p, m, body ? REDIR_BODY_REPLAYABLE : REDIR_BODY_NONE,
                              status, "https://a.example/x", "/y", NULL, 0);
    if (d.verdict != REDIR_VERDICT_FOLLOW) {
        snprintf(out, cap, "-");
        return;
    }
    bool same = d.method_len == strlen(m) && !memcmp(d.method, m, d.method_len);
    if (same)
        snprintf(out, cap, "%s",
                 !body || d.body == REDIR_BODY_KEEP ? "=" : "= no body");
    else
        snprintf(out, cap, "%.*s%s", (int)d.method_len, d.method,
                 d.body == REDIR_BODY_KEEP ? " + body" : "");
}

static void header_row(void)
{
    fputs("| status | method |", stdout);
    for (size_t i = 0; i < MAIN_PROFILES; i++)
        printf(" %s |", redir_profile_at(i)->name);
    fputs("\n|---|---|", stdout);
    for (size_t i = 0; i < MAIN_PROFILES; i++)
        fputs("---|", stdout);
    fputc('\n', stdout);
}

static void method_table(void)
{
    header_row();
    for (size_t s = 0; s < sizeof statuses / sizeof *statuses; s++) {
        for (size_t m = 0; m < sizeof methods / sizeof *methods; m++) {
            char cells[MAIN_PROFILES][32];
            bool differ = false;
            for (size_t i = 0; i < MAIN_PROFILES; i++) {
                cell(cells[i], sizeof cells[i], redir_profile_at(i), methods[m],
                     statuses[s]);
                differ |= strcmp(cells[i], cells[0]) != 0;
            }
            printf("| %d | %s%s |", statuses[s], methods[m], differ ? " ≠" : "");
            for (size_t i = 0; i < MAIN_PROFILES; i++)
                printf(" %s |", cells[i]);
            fputc('\n', stdout);
        }
    }
}

/* Which of these request headers reach `location` from `url`. */
static void carried(char *out, size_t cap, const redir_policy *p,
                    const char *url, const char *location)
{
    static const redir_header hs[] = {
        {"Authorization", 13, "v", 1},
        {"Cookie", 6, "v", 1},
        {"Proxy-Authorization", 19, "v", 1},
    };
    static const char *const shortname[] = {"Auth", "Cookie", "Proxy-Auth"};
    redir_decision d = decide(p, "GET", REDIR_BODY_NONE, 302, url, location,
                              hs, 3);
    if (d.verdict != REDIR_VERDICT_FOLLOW) {
        snprintf(out, cap, "not followed");
        return;
    }
    size_t n = 0;
    out[0] = '\0';
    for (size_t i = 0; i < 3; i++)
        if (d.header_actions[i] == REDIR_HEADER_KEEP)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "",
                                  shortname[i]);
    if (!n)
        snprintf(out, cap, "none");
}

static void facts_table(void)
{
    puts("| | carried to another host | to another port | https to http | "
         "max hops | fragment kept | empty Location |");
    puts("|---|---|---|---|---|---|---|");
    for (size_t i = 0; i < redir_profile_count(); i++) {
        const redir_policy *p = redir_profile_at(i);
        char host[64], port[64], down[64];
        carried(host, sizeof host, p, "https://a.example/", "https://b.example/");
        carried(port, sizeof port, p, "https://a.example/", "https://a.example:8443/");
        carried(down, sizeof down, p, "https://a.example/", "http://a.example/");
        redir_decision f = decide(p, "GET", REDIR_BODY_NONE, 302,
                                  "https://a.example/#top", "/y", NULL, 0);
        redir_decision e = decide(p, "GET", REDIR_BODY_NONE, 302,
                                  "https://a.example/x", "", NULL, 0);
        printf("| %s | %s | %s | %s | %u%s | %s | %s |\n", p->name, host, port,
               (p->options & REDIR_POLICY_ALLOW_DOWNGRADE) ? down : "refused",
               p->max_redirects,
               (p->options & REDIR_POLICY_LIMIT_DISTINCT) ? " URLs" : "",
               (f.flags & REDIR_DF_FRAGMENT_INHERITED) ? "yes" : "no",
               e.verdict == REDIR_VERDICT_FOLLOW ? "followed (loops)"
                                                 : "not followed");
    }
}

/* The dangerous differences, in sentences. */
static void list(const char *title, bool (*pred)(const redir_policy *))
{
    printf("- %s:", title);
    const char *sep = " ";
    size_t n = 0;
    for (size_t i = 0; i < redir_profile_count(); i++) {
        const redir_policy *p = redir_profile_at(i);
        if (pred(p)) {
            printf("%s%s", sep, p->name);
            sep = ", ";
            n++;
        }
    }
    puts(n ? "." : " none.");
}

static bool drops_post_body(const redir_policy *p)
{
    redir_decision a = decide(p, "POST", REDIR_BODY_REPLAYABLE, 301,
                              "https://a.example/", "/y", NULL, 0);
    redir_decision b = decide(p, "POST", REDIR_BODY_REPLAYABLE, 302,
                              "https://a.example/", "/y", NULL, 0);
    return (a.verdict == REDIR_VERDICT_FOLLOW && a.body == REDIR_BODY_DROP) ||
           (b.verdict == REDIR_VERDICT_FOLLOW && b.body == REDIR_BODY_DROP);
}

static bool drops_put_body(const redir_policy *p)
{
    redir_decision a = decide(p, "PUT", REDIR_BODY_REPLAYABLE, 301,
                              "https://a.example/", "/y", NULL, 0);
    return a.verdict == REDIR_VERDICT_FOLLOW && a.body == REDIR_BODY_DROP &&
           a.method_len == 3 && !memcmp(a.method, "PUT", 3);
}

static bool loses_stream(const redir_policy *p)
{
    redir_decision a = decide(p, "POST", REDIR_BODY_STREAM, 307,
                              "https://a.example/", "/y", NULL, 0);
    return a.verdict == REDIR_VERDICT_FOLLOW && (a.flags & REDIR_DF_BODY_LOST);
}

static bool keeps(const redir_policy *p, const char *to, const char *name)
{
    redir_header h = {name, strlen(name), "v", 1};
    redir_decision d = decide(p, "GET", REDIR_BODY_NONE, 302,
                              "https://a.example/", to, &h, 1);
    return d.verdict == REDIR_VERDICT_FOLLOW &&
           d.header_actions[0] == REDIR_HEADER_KEEP;
}

static bool auth_cross_host(const redir_policy *p)
{
    return keeps(p, "https://b.example/", "Authorization");
}
static bool cookie_cross_host(const redir_policy *p)
{
    return keeps(p, "https://b.example/", "Cookie");
}
static bool proxy_cross_host(const redir_policy *p)
{
    return keeps(p, "https://b.example/", "Proxy-Authorization");
}
static bool auth_downgrade(const redir_policy *p)
{
    return keeps(p, "http://a.example/", "Authorization");
}
static bool follows_downgrade(const redir_policy *p)
{
    return (p->options & REDIR_POLICY_ALLOW_DOWNGRADE) != 0;
}
static bool body_on_303(const redir_policy *p)
{
    redir_decision a = decide(p, "POST", REDIR_BODY_REPLAYABLE, 303,
                              "https://a.example/", "/y", NULL, 0);
    return a.verdict == REDIR_VERDICT_FOLLOW && a.body == REDIR_BODY_KEEP;
}

int main(void)
{
    puts("<!-- compat:begin (generated by tools/compat-table.c; do not edit) -->");
    puts("What each client sends after a redirect (POST, PUT, PATCH and "
         "PROPFIND with a body, the others without).");
    puts("`=` same method and body, `= no body` same method without its "
         "body, `GET` a switch to GET without the body, `-` not followed; "
         "`≠` marks the rows where clients disagree.\n");
    method_table();
    puts("\nCredentials (Authorization, Cookie, Proxy-Authorization set by "
         "the caller) that go along with a 302, and other facts:\n");
    facts_table();
    puts("\nThe dangerous differences:\n");
    list("POST loses its body on 301 or 302 (rewritten to GET)", drops_post_body);
    list("PUT keeps its method but loses its body on 301", drops_put_body);
    list("a stream body is silently sent empty on 307", loses_stream);
    list("POST body sent again after a 303", body_on_303);
    list("Authorization goes to another host", auth_cross_host);
    list("Cookie goes to another host", cookie_cross_host);
    list("Proxy-Authorization goes to another host", proxy_cross_host);
    list("https to http is followed", follows_downgrade);
    list("Authorization goes along from https to http on the same host",
         auth_downgrade);
    puts("<!-- compat:end -->");
    return 0;
}
