/* SPDX-License-Identifier: MIT */
/*
 * redir-status: the card of an HTTP status code.
 *
 *   redir-status CODE            a readable card, wrapped for 80 columns
 *   redir-status --json CODE     one JSON object
 *   redir-status --json --all    a JSON array of every registered code
 *   redir-status --all           every card
 *
 * Exit status: 0 success, 2 bad usage or a code that is not 100..599.
 */
#include <redir.h>

#include <stdio.h>
#include <string.h>

#include "common/jsonw.h"
#include "common/text.h"

#define WIDTH 80

static void usage(FILE *out)
{
    fputs("usage: redir-status [--json] CODE\n"
          "       redir-status [--json] --all\n"
          "\n"
          "Prints what redir knows about an HTTP status code (100..599):\n"
          "meaning, guarantees, misuses, headers, how clients treat it.\n"
          "Unregistered codes are described by their class (RFC 9110, "
          "Section 15).\n",
          out);
}

/* ---- JSON -------------------------------------------------------------- */

static void json_notes(jw *w, const char *key, const char *k1, const char *k2,
                       const redir_status_note *notes, size_t n)
{
    jw_key(w, key);
    jw_array(w);
    for (size_t i = 0; i < n; i++) {
        jw_object(w);
        jw_kstring(w, k1, notes[i].topic);
        jw_kstring(w, k2, notes[i].text);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_status(jw *w, int code, const redir_status *st)
{
    jw_object(w);
    jw_kint(w, "code", code);
    jw_kstring(w, "reason", st->reason);
    jw_kstring(w, "class", redir_status_class_name(st->status_class));
    jw_kstring(w, "spec", st->spec);
    jw_kbool(w, "registered", st->registered);
    jw_kint(w, "treated_as", st->treated_as);
    jw_kbool(w, "cacheable_by_default",
             (st->flags & REDIR_SF_HEURISTIC_CACHEABLE) != 0);
    jw_kbool(w, "redirect", (st->flags & REDIR_SF_REDIRECT) != 0);
    jw_kbool(w, "permanent", (st->flags & REDIR_SF_PERMANENT) != 0);
    jw_kbool(w, "temporary", (st->flags & REDIR_SF_TEMPORARY) != 0);
    jw_kbool(w, "preserves_method", (st->flags & REDIR_SF_PRESERVES_METHOD) != 0);
    jw_kbool(w, "may_rewrite_post", (st->flags & REDIR_SF_MAY_REWRITE_POST) != 0);
    jw_kbool(w, "forces_get", (st->flags & REDIR_SF_FORCES_GET) != 0);
    jw_kbool(w, "needs_location", (st->flags & REDIR_SF_NEEDS_LOCATION) != 0);
    jw_kbool(w, "interim", (st->flags & REDIR_SF_INTERIM) != 0);
    jw_kbool(w, "no_content", (st->flags & (REDIR_SF_NO_BODY |
                                            REDIR_SF_EMPTY_CONTENT)) != 0);
    jw_kbool(w, "deprecated", (st->flags & REDIR_SF_DEPRECATED) != 0);
    jw_kbool(w, "unused", (st->flags & REDIR_SF_UNUSED) != 0);
    jw_kbool(w, "obsoleted", (st->flags & REDIR_SF_OBSOLETED) != 0);
    jw_kbool(w, "provisional", (st->flags & REDIR_SF_PROVISIONAL) != 0);
    jw_key(w, "flags");
    jw_array(w);
    for (unsigned bit = 1; bit & REDIR_SF_ALL_; bit <<= 1)
        if (st->flags & bit)
            jw_string(w, redir_status_flag_name(bit));
    jw_array_end(w);
    jw_kstring(w, "retry", redir_retry_name(st->retry));
    jw_kstring(w, "monitoring", redir_monitor_name(st->monitor));
    jw_key(w, "related");
    jw_array(w);
    for (size_t i = 0; i < st->related_count; i++)
        jw_int(w, st->related[i]);
    jw_array_end(w);

    jw_kstring(w, "summary", st->summary);
    jw_kstring(w, "meaning", st->meaning);
    jw_kstring(w, "guarantees", st->guarantees);
    jw_kstring(w, "not_guaranteed", st->not_guaranteed);
    jw_kstring(w, "use_when", st->use_when);
    json_notes(w, "misuses", "misuse", "consequence", st->misuses,
               st->misuse_count);
    json_notes(w, "headers", "header", "without", st->headers,
               st->header_count);
    jw_kstring(w, "browsers", st->browsers);
    jw_kstring(w, "api_clients", st->api_clients);
    jw_kstring(w, "crawlers", st->crawlers);
    jw_kstring(w, "monitors", st->monitors);
    jw_kstring(w, "cdns", st->cdns);
    jw_kstring(w, "may_assume", st->may_assume);
    jw_kstring(w, "must_not_assume", st->must_not_assume);
    jw_kstring(w, "retry_notes", st->retry_notes);
    jw_kstring(w, "debugging", st->debugging);
    json_notes(w, "faq", "question", "answer", st->faq, st->faq_count);
    jw_kstring(w, "history", st->history);
    jw_key(w, "frameworks");
    jw_array(w);
    for (size_t i = 0; i < st->framework_count; i++) {
        jw_object(w);
        jw_kstring(w, "framework", st->frameworks[i].framework);
        jw_kstring(w, "snippet", st->frameworks[i].snippet);
        jw_kstring(w, "note", st->frameworks[i].note);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}

/* ---- text card ----------------------------------------------------------- */

static void section(const char *title, const char *text)
{
    if (!text || !*text)
        return;
    printf("\n%s\n", title);
    text_wrap(stdout, text, 2, 2, WIDTH);
}

/* A list of (topic, text) pairs; `arrow` prefixes the text, or NULL. */
static void notes(const char *title, const char *arrow,
                  const redir_status_note *n, size_t count)
{
    if (!count)
        return;
    printf("\n%s\n", title);
    for (size_t i = 0; i < count; i++) {
        fputs("  - ", stdout);
        text_wrap_at(stdout, n[i].topic, 4, 4, WIDTH);
        if (arrow) {
            int col = printf("    %s ", arrow);
            text_wrap_at(stdout, n[i].text, col, col, WIDTH);
        } else {
            text_wrap(stdout, n[i].text, 6, 6, WIDTH);
        }
    }
}

static void snippet(const char *code)
{
    fputs("      ", stdout);
    for (const char *p = code; *p; p++) {
        fputc(*p, stdout);
        if (*p == '\n')
            fputs("      ", stdout);
    }
    fputc('\n', stdout);
}

static void card(int code, const redir_status *st)
{
    char line[256];
    if (st->registered)
        printf("%d %s\n", code, st->reason);
    else
        printf("%d (unregistered: treated as %d %s)\n", code, st->treated_as,
               redir_status_reason(st->treated_as));
    printf("%s, %s\n", redir_status_class_name(st->status_class), st->spec);
    if (*st->summary)
        text_wrap(stdout, st->summary, 0, 0, WIDTH);

    size_t used = 0;
    line[0] = '\0';
    for (unsigned bit = 1; bit & REDIR_SF_ALL_; bit <<= 1) {
        if (!(st->flags & bit))
            continue;
        int n = snprintf(line + used, sizeof line - used, "%s%s",
                         used ? ", " : "", redir_status_flag_name(bit));
        if (n > 0 && (size_t)n < sizeof line - used)
            used += (size_t)n;
    }
    printf("\nFlags: %s\n", used ? line : "none");
    printf("Cacheable by default: %s.  Retry: %s.  Monitoring: %s.\n",
           (st->flags & REDIR_SF_HEURISTIC_CACHEABLE) ? "yes" : "no",
           redir_retry_name(st->retry), redir_monitor_name(st->monitor));
    if (st->related_count) {
        fputs("Related:", stdout);
        for (size_t i = 0; i < st->related_count; i++)
            printf("%s %d %s", i ? "," : "", st->related[i],
                   redir_status_reason(st->related[i]));
        fputc('\n', stdout);
    }
    if (!redir_status_has_prose()) {
        puts("\n(This build of libredir leaves out the prose.)");
        return;
    }
    section("Meaning", st->meaning);
    section("What it guarantees", st->guarantees);
    section("What it does not guarantee", st->not_guaranteed);
    section("When to use it", st->use_when);
    notes("When not to use it", "->", st->misuses, st->misuse_count);
    notes("Headers that matter", NULL, st->headers, st->header_count);
    section("Browsers", st->browsers);
    section("API clients and libraries", st->api_clients);
    section("Crawlers and SEO tools", st->crawlers);
    section("Uptime monitors", st->monitors);
    section("CDNs, caches and reverse proxies", st->cdns);
    section("A client can assume", st->may_assume);
    section("A client must not assume", st->must_not_assume);
    section("Retrying", st->retry_notes);
    section("Debugging", st->debugging);
    notes("FAQ", "A:", st->faq, st->faq_count);
    section("History", st->history);
    if (st->framework_count) {
        puts("\nHow servers send it");
        for (size_t i = 0; i < st->framework_count; i++) {
            printf("  %s\n", st->frameworks[i].framework);
            snippet(st->frameworks[i].snippet);
            if (*st->frameworks[i].note)
                text_wrap(stdout, st->frameworks[i].note, 6, 6, WIDTH);
        }
    }
}

static int bad_code(const char *arg, redir_result r)
{
    fprintf(stderr, "redir-status: '%s' is not a status code: %s\n", arg,
            r == REDIR_E_STATUS_RANGE
                ? "status codes run from 100 to 599"
                : "expected three digits, such as 307");
    return 2;
}

int main(int argc, char **argv)
{
    bool json = false, all = false;
    const char *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) {
            json = true;
        } else if (!strcmp(argv[i], "--all")) {
            all = true;
        } else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--version")) {
            printf("redir-status (libredir %s)\n", redir_version());
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0' &&
                   !(argv[i][1] >= '0' && argv[i][1] <= '9')) {
            fprintf(stderr, "redir-status: unknown option '%s'\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (arg) {
            fprintf(stderr, "redir-status: one status code at a time\n");
            return 2;
        } else {
            arg = argv[i];
        }
    }
    if (all == (arg != NULL)) {
        usage(stderr);
        return 2;
    }

    if (all) {
        jw w;
        jw_init(&w, stdout, true);
        if (json)
            jw_array(&w);
        for (size_t i = 0; i < redir_status_count(); i++) {
            const redir_status *st = redir_status_at(i);
            if (json) {
                json_status(&w, st->code, st);
            } else {
                if (i)
                    puts("\n------------------------------------------------"
                         "------------------------------\n");
                card(st->code, st);
            }
        }
        if (json) {
            jw_array_end(&w);
            jw_end(&w);
        }
        return 0;
    }

    int code;
    redir_result r = redir_status_parse(arg, strlen(arg), &code);
    if (r != REDIR_OK)
        return bad_code(arg, r);
    const redir_status *st = redir_status_get(code);
    if (json) {
        jw w;
        jw_init(&w, stdout, true);
        json_status(&w, code, st);
        jw_end(&w);
    } else {
        card(code, st);
    }
    return 0;
}
