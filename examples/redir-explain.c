/* SPDX-License-Identifier: MIT */
/*
 * redir-explain: decide one redirect and say why.
 *
 *   redir-explain [--profile NAME|all] [--json] --method M --status N
 *                 --url URL [--location LOC | --no-location]
 *                 [--body none|replayable|stream] [-H 'Name: value']...
 *   redir-explain [options] METHOD STATUS URL [LOCATION]
 *
 * Exit status: 0 when a decision was made (whatever it is), 2 for bad
 * usage or input the library refuses (the message says why).
 */
#include <redir.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/jsonw.h"
#include "common/text.h"

#define MAX_LOCATIONS 8

struct args {
    const char *profile;
    bool json;
    const char *method;
    const char *status;
    const char *url;
    const char *locations[MAX_LOCATIONS];
    size_t nloc;
    bool no_location;
    redir_body body;
    redir_header headers[REDIR_MAX_HEADERS];
    size_t nheaders;
};

static void usage(FILE *out)
{
    fputs(
        "usage: redir-explain [--profile NAME|all] [--json] --method M --status N\n"
        "                     --url URL [--location LOC | --no-location]\n"
        "                     [--body none|replayable|stream] [-H 'Name: value']...\n"
        "       redir-explain [options] METHOD STATUS URL [LOCATION]\n"
        "\n"
        "Decides how a client must follow the response STATUS (with LOCATION)\n"
        "to the request METHOD URL, and explains why, citing RFC 9110.\n"
        "--location may be given several times (several Location fields).\n"
        "--profile all decides with every built-in profile.\n",
        out);
}

static int fail(const char *what, const char *detail)
{
    fprintf(stderr, "redir-explain: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return 2;
}

static const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "redir-explain: %s needs a value\n", argv[*i]);
        exit(2);
    }
    return argv[++*i];
}

static int parse_header(struct args *a, const char *h)
{
    const char *colon = strchr(h, ':');
    if (!colon || colon == h)
        return fail("a header must look like 'Name: value'", h);
    if (a->nheaders >= REDIR_MAX_HEADERS)
        return fail("too many -H headers", NULL);
    const char *v = colon + 1;
    while (*v == ' ' || *v == '\t')
        v++;
    redir_header *x = &a->headers[a->nheaders++];
    x->name = h;
    x->name_len = (size_t)(colon - h);
    x->value = v;
    x->value_len = strlen(v);
    return 0;
}

static int parse_args(int argc, char **argv, struct args *a)
{
    const char *pos[4];
    int npos = 0;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--json")) {
            a->json = true;
        } else if (!strcmp(s, "--profile")) {
            a->profile = need_value(argc, argv, &i);
        } else if (!strcmp(s, "--method")) {
            a->method = need_value(argc, argv, &i);
        } else if (!strcmp(s, "--status")) {
            a->status = need_value(argc, argv, &i);
        } else if (!strcmp(s, "--url")) {
            a->url = need_value(argc, argv, &i);
        } else if (!strcmp(s, "--location")) {
            if (a->nloc >= MAX_LOCATIONS)
                return fail("too many --location values", NULL);
            a->locations[a->nloc++] = need_value(argc, argv, &i);
        } else if (!strcmp(s, "--no-location")) {
            a->no_location = true;
        } else if (!strcmp(s, "--body")) {
            const char *b = need_value(argc, argv, &i);
            if (!strcmp(b, "none"))
                a->body = REDIR_BODY_NONE;
            else if (!strcmp(b, "replayable"))
                a->body = REDIR_BODY_REPLAYABLE;
            else if (!strcmp(b, "stream"))
                a->body = REDIR_BODY_STREAM;
            else
                return fail("--body takes none, replayable or stream", b);
        } else if (!strcmp(s, "-H") || !strcmp(s, "--header")) {
            if (parse_header(a, need_value(argc, argv, &i)))
                return 2;
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(s, "--version")) {
            printf("redir-explain (libredir %s)\n", redir_version());
            exit(0);
        } else if (s[0] == '-' && s[1] == '-') {
            fprintf(stderr, "redir-explain: unknown option '%s'\n", s);
            usage(stderr);
            return 2;
        } else {
            if (npos == 4)
                return fail("too many arguments", s);
            pos[npos++] = s;
        }
    }
    if (npos) {
        if (npos < 3 || a->method || a->status || a->url)
            return fail("the short form is METHOD STATUS URL [LOCATION]", NULL);
        a->method = pos[0];
        a->status = pos[1];
        a->url = pos[2];
        if (npos == 4)
            a->locations[a->nloc++] = pos[3];
    }
    if (!a->method || !a->status || !a->url) {
        usage(stderr);
        return 2;
    }
    if (a->no_location && a->nloc)
        return fail("--no-location and --location exclude each other", NULL);
    return 0;
}

/* ---- output ---------------------------------------------------------------- */

static void json_decision(jw *w, const struct args *a, const redir_decision *d,
                          const char *explanation)
{
    jw_object(w);
    jw_kstring(w, "profile", d->policy->name);
    jw_kint(w, "status", d->status);
    jw_kstring(w, "status_reason", redir_status_reason(d->status));
    jw_kstring(w, "verdict", redir_verdict_name(d->verdict));
    bool follow = d->verdict == REDIR_VERDICT_FOLLOW;
    jw_kbool(w, "follow", follow);
    jw_key(w, "method");
    if (follow)
        jw_stringn(w, d->method, d->method_len);
    else
        jw_null(w);
    jw_key(w, "body");
    if (d->body == REDIR_BODY_KEEP)
        jw_string(w, "keep");
    else if (d->body == REDIR_BODY_DROP)
        jw_string(w, "drop");
    else
        jw_null(w);
    jw_key(w, "url");
    if (d->url)
        jw_stringn(w, d->url, d->url_len);
    else
        jw_null(w);
    jw_key(w, "remove_headers");
    jw_array(w);
    for (size_t i = 0; i < a->nheaders; i++)
        if (follow && d->header_actions[i] != REDIR_HEADER_KEEP)
            jw_stringn(w, a->headers[i].name, a->headers[i].name_len);
    jw_array_end(w);
    jw_key(w, "headers");
    jw_array(w);
    for (size_t i = 0; i < a->nheaders; i++) {
        jw_object(w);
        jw_key(w, "name");
        jw_stringn(w, a->headers[i].name, a->headers[i].name_len);
        jw_kstring(w, "action",
                   redir_header_action_name(follow ? d->header_actions[i]
                                                   : REDIR_HEADER_KEEP));
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "flags");
    jw_array(w);
    for (unsigned bit = 1; bit & REDIR_DF_ALL_; bit <<= 1)
        if (d->flags & bit)
            jw_string(w, redir_flag_name(bit));
    jw_array_end(w);
    jw_kstring(w, "reason", d->reason);
    jw_kstring(w, "spec", d->spec);
    jw_key(w, "error");
    if (d->error != REDIR_OK)
        jw_string(w, redir_strerror(d->error));
    else
        jw_null(w);
    jw_kstring(w, "explanation", explanation);
    jw_object_end(w);
}

static void text_decision(const struct args *a, const redir_decision *d,
                          const char *explanation, bool with_profile)
{
    if (with_profile)
        printf("[%s] %s\n", d->policy->name, d->policy->client);
    if (d->verdict == REDIR_VERDICT_FOLLOW) {
        printf("follow: %.*s %.*s\n", (int)d->method_len, d->method,
               (int)d->url_len, d->url);
        printf("body:   %s\n", d->body == REDIR_BODY_KEEP ? "keep" : "drop");
    } else {
        printf("stop:   %s\n", redir_verdict_name(d->verdict));
        if (d->url)
            printf("target: %.*s\n", (int)d->url_len, d->url);
    }
    if (d->verdict == REDIR_VERDICT_FOLLOW && a->nheaders) {
        fputs("headers:", stdout);
        for (size_t i = 0; i < a->nheaders; i++)
            printf(" %.*s=%s", (int)a->headers[i].name_len,
                   a->headers[i].name,
                   redir_header_action_name(d->header_actions[i]));
        fputc('\n', stdout);
    }
    if (d->flags) {
        fputs("flags: ", stdout);
        const char *sep = "";
        for (unsigned bit = 1; bit & REDIR_DF_ALL_; bit <<= 1)
            if (d->flags & bit) {
                printf("%s%s", sep, redir_flag_name(bit));
                sep = ", ";
            }
        fputc('\n', stdout);
    }
    fputc('\n', stdout);
    text_wrap(stdout, explanation, 0, 0, 78);
}

static int decide_one(const struct args *a, const redir_policy *p, jw *w,
                      bool with_profile)
{
    int status;
    redir_result r = redir_status_parse(a->status, strlen(a->status), &status);
    if (r != REDIR_OK)
        return fail("bad status", r == REDIR_E_STATUS_RANGE
                                      ? "status codes run from 100 to 599"
                                      : "expected three digits, such as 307");
    redir_header loc[MAX_LOCATIONS];
    for (size_t i = 0; i < a->nloc; i++) {
        loc[i].name = "Location";
        loc[i].name_len = 8;
        loc[i].value = a->locations[i];
        loc[i].value_len = strlen(a->locations[i]);
    }
    redir_request req = {
        .method = a->method, .method_len = strlen(a->method),
        .url = a->url, .url_len = strlen(a->url),
        .body = a->body,
        .headers = a->headers, .header_count = a->nheaders,
    };
    redir_response resp = {.status = status, .headers = loc,
                           .header_count = a->nloc};
    static char url[REDIR_MAX_INPUT * 3 + 64];
    redir_decision d;
    r = redir_decide(p, &req, &resp, url, sizeof url, &d);
    if (r != REDIR_OK) {
        const char *what = "cannot decide";
        if (r == REDIR_E_BASE_INVALID || r == REDIR_E_BASE_NOT_ABSOLUTE)
            what = "bad --url (the request URL must be an absolute URI)";
        else if (r == REDIR_E_METHOD)
            what = "bad method";
        else if (r == REDIR_E_HEADER_NAME)
            what = "bad header name";
        return fail(what, redir_strerror(r));
    }
    char expl[4096];
    size_t elen;
    if (redir_explain(&d, &req, expl, sizeof expl, &elen) != REDIR_OK)
        strcpy(expl, d.reason);
    if (w)
        json_decision(w, a, &d, expl);
    else
        text_decision(a, &d, expl, with_profile);
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;

    jw w;
    jw_init(&w, stdout, true);
    if (a.profile && !strcmp(a.profile, "all")) {
        if (a.json)
            jw_array(&w);
        for (size_t i = 0; i < redir_profile_count(); i++) {
            if (!a.json && i)
                puts("\n--");
            rc = decide_one(&a, redir_profile_at(i), a.json ? &w : NULL, true);
            if (rc)
                return rc;
        }
        if (a.json) {
            jw_array_end(&w);
            jw_end(&w);
        }
        return 0;
    }
    const redir_policy *p = redir_profile_get(a.profile ? a.profile : "rfc9110");
    if (!p) {
        fprintf(stderr, "redir-explain: no profile named '%s'; profiles:",
                a.profile);
        for (size_t i = 0; i < redir_profile_count(); i++)
            fprintf(stderr, " %s", redir_profile_at(i)->name);
        fputs(" all\n", stderr);
        return 2;
    }
    rc = decide_one(&a, p, a.json ? &w : NULL, false);
    if (!rc && a.json)
        jw_end(&w);
    return rc;
}
