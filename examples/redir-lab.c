/* SPDX-License-Identifier: MIT */
/*
 * redir-lab: a loopback HTTP/1.1 server to test a client's redirects.
 *
 *   redir-lab [--listen ADDR] [--port P1] [--port2 P2] [--log-size N] [-q]
 *   redir-lab --commands CLIENT [--port P1] [--port2 P2] [--listen ADDR]
 *             [--methods LIST] [--run NAME] [--python PATH] [--node PATH]
 *   redir-lab --template 'CMD {method} {url} {body}' [same options]
 *
 * The lab listens on two ports of one address, so that a redirect to the
 * second port is a real change of origin. It answers /status/NNN with the
 * headers that matter for NNN, chains and loops redirects under
 * /redirect/NNN, records what arrives (at /sink/ and everywhere else) in a
 * bounded in-memory log, and grades a scenario: what the client did at
 * each hop beside what RFC 9110 requires (redir_decide() with the rfc9110
 * policy) and which built-in profiles behave the same way.
 *
 * --commands prints, without serving, the commands that run a client
 * through the standard scenario set; every URL carries the scenario id
 * (id=) that /grade?scenario=ID and /grade?prefix=RUN- look up.
 *
 * Exit status: 0 after a clean shutdown (SIGINT, SIGTERM) or after
 * printing the commands, 1 when the lab cannot listen, 2 for bad usage.
 */
#include <redir.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/util.h>

#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "common/jsonw.h"
#include "common/text.h"

#define LAB_PORT1 8307
#define LAB_PORT2 8308
#define LAB_LOG_DEFAULT 4096
#define LAB_LOG_MAX 1000000
#define MAX_BODY (1 << 20)          /* request content the lab accepts */
#define REC_MAX_HEADERS 64          /* request header fields kept per record */
#define REC_HEADER_BYTES 8192       /* and their bytes */
#define REC_MAX_TARGET 4096
#define REC_MAX_VALUE 1024
#define MAX_LOC 8                   /* Location fields per response */
#define MAX_TRACK 16                /* credentials and X- headers graded */
#define MAX_GRADE_HOPS 128
#define MAX_PARAMS 32
#define MAX_OUT_HEADERS 32
#define ID_MAX 80
#define MAX_HOPS 100                /* /redirect/NNN?hops= */

/* ---- small helpers (ASCII only: nothing depends on the locale) ---------- */

static char lc(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ieq(const char *a, const char *b)
{
    while (*a && *b)
        if (lc(*a++) != lc(*b++))
            return false;
    return *a == *b;
}

static bool iprefix(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (lc(*s) != lc(*prefix))
            return false;
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static bool id_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) ||
           c == '-' || c == '_' || c == '.';
}

/* An HTTP token (RFC 9110, Section 5.6.2). */
static bool is_token(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!(id_char(c) || strchr("!#$%&'*+^`|~", c)) || c == 0)
            return false;
    }
    return true;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("redir-lab: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s);
    char *p = xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* Parses a decimal number from 0 to max; false otherwise. */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
    unsigned long v = 0;
    if (!*s)
        return false;
    for (; *s; s++) {
        if (!is_digit(*s))
            return false;
        v = v * 10 + (unsigned long)(*s - '0');
        if (v > max)
            return false;
    }
    *out = v;
    return true;
}

/* FNV-1a, 64 bits: tells whether the content sent again is the same. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/* Header names as people write them: "x-custom" -> "X-Custom". */
static void canonical_name(const char *in, char *out, size_t cap)
{
    size_t i = 0;
    bool up = true;
    for (; in[i] && i + 1 < cap; i++) {
        char c = lc(in[i]);
        out[i] = (up && c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        up = c == '-';
    }
    out[i] = 0;
}

/* A growable string in memory, written through a FILE (open_memstream). */
typedef struct membuf {
    FILE *f;
    char *data;
    size_t len;
} membuf;

static FILE *mb_open(membuf *m)
{
    m->data = NULL;
    m->len = 0;
    m->f = open_memstream(&m->data, &m->len);
    if (!m->f) {
        fputs("redir-lab: out of memory\n", stderr);
        exit(1);
    }
    return m->f;
}

static void mb_close(membuf *m)
{
    fclose(m->f);
    m->f = NULL;
}

/* Writes s between single quotes for a POSIX shell. */
static void shell_quote(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

/* A word for the shell: as it is when it is plain, else quoted. */
static void shell_word(FILE *f, const char *s)
{
    for (const char *p = s; *p; p++)
        if (!id_char(*p) && *p != '/' && *p != ':' && *p != '=' && *p != '+') {
            shell_quote(f, s);
            return;
        }
    fputs(*s ? s : "''", f);
}

/* ---- the log: a ring of the last N requests ------------------------------ */

struct hdr {
    const char *name;
    const char *value;
};

/* One request as it arrived, and what the lab answered. One allocation. */
struct rec {
    unsigned long seq;
    int port;               /* the lab port it arrived on */
    const char *method;     /* static */
    const char *target;     /* the request-target as sent */
    const char *url;        /* "http://" Host target */
    const char *id;         /* the scenario id, "" when none */
    struct hdr h[REC_MAX_HEADERS];
    size_t nh;
    size_t body_len;
    uint64_t body_hash;
    int status;             /* the lab's answer */
    const char *loc[MAX_LOC];
    size_t nloc;
    bool set_cookie;
    bool truncated;         /* something was cut to fit the record */
    char mem[];
};

struct lab_log {
    struct rec **ring;
    size_t cap, start, count;
    unsigned long seq;
    unsigned long dropped;  /* older requests forgotten to stay bounded */
};

/* What rec_new() copies. */
struct rec_in {
    int port;
    const char *method;
    const char *target;
    const char *url;
    const char *id;
    const struct evkeyvalq *headers;
    size_t body_len;
    uint64_t body_hash;
    int status;
    const char *const *loc;
    size_t nloc;
    bool set_cookie;
};

/* Copies strings into a record's memory; measures when p is NULL. */
struct arena {
    char *p;
    size_t used;
};

static const char *arena_put(struct arena *a, const char *s, size_t max,
                             bool *cut)
{
    size_t n = strlen(s);
    if (n > max) {
        n = max;
        *cut = true;
    }
    const char *out = NULL;
    if (a->p) {
        memcpy(a->p + a->used, s, n);
        a->p[a->used + n] = 0;
        out = a->p + a->used;
    }
    a->used += n + 1;
    return out;
}

static void rec_fill(struct rec *r, struct arena *a, const struct rec_in *in)
{
    bool cut = false;
    r->port = in->port;
    r->method = in->method;
    r->target = arena_put(a, in->target, REC_MAX_TARGET, &cut);
    r->url = arena_put(a, in->url, REC_MAX_TARGET + 300, &cut);
    r->id = arena_put(a, in->id, ID_MAX, &cut);
    r->nh = 0;
    size_t bytes = 0;
    for (const struct evkeyval *kv = in->headers->tqh_first; kv;
         kv = kv->next.tqe_next) {
        size_t need = strlen(kv->key) + strlen(kv->value);
        if (r->nh == REC_MAX_HEADERS || bytes + need > REC_HEADER_BYTES) {
            cut = true;
            break;
        }
        bytes += need;
        r->h[r->nh].name = arena_put(a, kv->key, 128, &cut);
        r->h[r->nh].value = arena_put(a, kv->value, REC_MAX_VALUE, &cut);
        r->nh++;
    }
    r->body_len = in->body_len;
    r->body_hash = in->body_hash;
    r->status = in->status;
    r->nloc = 0;
    for (size_t i = 0; i < in->nloc && i < MAX_LOC; i++)
        r->loc[r->nloc++] = arena_put(a, in->loc[i], 2048, &cut);
    r->set_cookie = in->set_cookie;
    r->truncated = cut;
}

static struct rec *rec_new(const struct rec_in *in)
{
    struct rec probe;
    struct arena measure = {NULL, 0};
    rec_fill(&probe, &measure, in);
    struct rec *r = xmalloc(sizeof *r + measure.used);
    struct arena real = {r->mem, 0};
    rec_fill(r, &real, in);
    return r;
}

static void log_init(struct lab_log *l, size_t cap)
{
    memset(l, 0, sizeof *l);
    l->cap = cap;
    l->ring = xmalloc(cap * sizeof *l->ring);
}

static struct rec *log_at(const struct lab_log *l, size_t i)
{
    return l->ring[(l->start + i) % l->cap];
}

static void log_add(struct lab_log *l, struct rec *r)
{
    if (l->count == l->cap) {
        free(l->ring[l->start]);
        l->start = (l->start + 1) % l->cap;
        l->count--;
        l->dropped++;
    }
    r->seq = ++l->seq;
    l->ring[(l->start + l->count) % l->cap] = r;
    l->count++;
}

static size_t log_clear(struct lab_log *l)
{
    size_t n = l->count;
    for (size_t i = 0; i < l->count; i++)
        free(log_at(l, i));
    l->count = l->start = 0;
    l->dropped = 0;
    return n;
}

/* ---- the lab ----------------------------------------------------------- */

struct lab;

struct listener {
    struct lab *lab;
    int index;              /* 0: --port, 1: --port2 */
};

struct lab {
    struct event_base *base;
    struct evhttp *http[2];
    struct listener listeners[2];
    int port[2];
    char host[80];          /* the host part of the lab's URLs */
    struct lab_log log;
    bool quiet;
    unsigned long served;
};

/* The host for URLs: the listen address, bracketed when IPv6; the
 * wildcard addresses become loopback. */
static void url_host(const char *listen, char *out, size_t cap)
{
    if (!strcmp(listen, "0.0.0.0"))
        listen = "127.0.0.1";
    else if (!strcmp(listen, "::"))
        listen = "::1";
    if (strchr(listen, ':') && listen[0] != '[')
        snprintf(out, cap, "[%s]", listen);
    else
        snprintf(out, cap, "%s", listen);
}

/* ---- the standard scenario set and the commands that run a client -------- */

enum client {
    CLIENT_CURL,
    CLIENT_WGET,
    CLIENT_REQUESTS,
    CLIENT_FETCH,
    CLIENT_TEMPLATE
};

static const struct {
    const char *name;
    const char *alias;
    const char *run;        /* default scenario id prefix */
    enum client client;
} clients[] = {
    {"curl", NULL, "curl", CLIENT_CURL},
    {"wget", NULL, "wget", CLIENT_WGET},
    {"python-requests", "requests", "requests", CLIENT_REQUESTS},
    {"node-fetch", "fetch", "fetch", CLIENT_FETCH},
};

/* The methods the lab serves (libevent 2.1's evhttp knows no others). */
static const char *const lab_methods[] = {"GET", "HEAD", "POST", "PUT",
                                          "DELETE", "PATCH", "OPTIONS"};
#define N_LAB_METHODS (sizeof lab_methods / sizeof lab_methods[0])

static const int scenario_statuses[] = {300, 301, 302, 303, 304,
                                        305, 306, 307, 308, 399};
#define N_STATUSES (sizeof scenario_statuses / sizeof scenario_statuses[0])

/* Every scenario request carries these; the grading reports whether each
 * arrived after the redirect as the caller gave it. */
static const struct {
    const char *name;
    const char *value;
} lab_headers[] = {
    {"Authorization", "Bearer lab-secret"},
    {"Cookie", "lab=1"},
    {"Proxy-Authorization", "Basic bGFiOmxhYg=="},
    {"X-Custom", "lab"},
};
#define N_LAB_HEADERS (sizeof lab_headers / sizeof lab_headers[0])

static bool method_has_body(const char *m)
{
    return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "DELETE") ||
           !strcmp(m, "PATCH");
}

struct cmd_opts {
    enum client client;
    const char *template_;
    const char *run;
    const char *python;
    const char *node;
    bool methods[N_LAB_METHODS];
    bool batch;             /* one command for the whole set */
    char host[80];
    int port[2];
};

struct scenario {
    char id[ID_MAX + 1];
    const char *method;
    char url[600];
    char body[ID_MAX + 16];  /* "" when none */
};

static void scenario_set(const struct cmd_opts *o, struct scenario *s,
                         size_t cap, size_t *count)
{
    size_t n = 0;
    for (size_t si = 0; si < N_STATUSES; si++)
        for (size_t mi = 0; mi < N_LAB_METHODS; mi++)
            for (int other = 0; other < 2; other++) {
                if (!o->methods[mi] || n == cap)
                    continue;
                struct scenario *x = &s[n++];
                x->method = lab_methods[mi];
                snprintf(x->id, sizeof x->id, "%s-%d-%s-%s", o->run,
                         scenario_statuses[si], x->method,
                         other ? "other" : "same");
                snprintf(x->url, sizeof x->url,
                         "http://%s:%d/redirect/%d?id=%s%s", o->host,
                         o->port[0], scenario_statuses[si], x->id,
                         other ? "&origin=other" : "");
                x->body[0] = 0;
                if (method_has_body(x->method))
                    snprintf(x->body, sizeof x->body, "lab-body-%s", x->id);
            }
    /* A chain of three 302s, and a loop of two that only the client's
     * hop limit (or loop detection) ends. */
    static const struct {
        const char *name;
        const char *query;
    } chains[] = {{"chain", "&hops=3"}, {"loop", "&hops=2&loop=1"}};
    for (size_t i = 0; i < 2 && n < cap; i++) {
        struct scenario *x = &s[n++];
        x->method = "GET";
        snprintf(x->id, sizeof x->id, "%s-%s", o->run, chains[i].name);
        snprintf(x->url, sizeof x->url, "http://%s:%d/redirect/302?id=%s%s",
                 o->host, o->port[0], x->id, chains[i].query);
        x->body[0] = 0;
    }
    *count = n;
}

static void command_curl(FILE *f, const struct scenario *s)
{
    fputs("curl -sS -L -o /dev/null -w '%{http_code} %{url_effective}\\n'", f);
    if (!strcmp(s->method, "HEAD"))
        fputs(" -I", f);
    else if (strcmp(s->method, "GET") && strcmp(s->method, "POST"))
        fprintf(f, " -X %s", s->method);
    if (s->body[0]) {
        fputs(" -d ", f);
        shell_quote(f, s->body);
    }
    for (size_t i = 0; i < N_LAB_HEADERS; i++) {
        char h[128];
        snprintf(h, sizeof h, "%s: %s", lab_headers[i].name,
                 lab_headers[i].value);
        fputs(" -H ", f);
        shell_quote(f, h);
    }
    fputc(' ', f);
    shell_quote(f, s->url);
}

static void command_wget(FILE *f, const struct scenario *s)
{
    fputs("wget --no-config -q -O /dev/null --tries=1 --timeout=20", f);
    if (!strcmp(s->method, "POST")) {
        fputs(" --post-data=", f);
        shell_quote(f, s->body);
    } else if (strcmp(s->method, "GET")) {
        fprintf(f, " --method=%s", s->method);
        if (s->body[0]) {
            fputs(" --body-data=", f);
            shell_quote(f, s->body);
        }
    }
    for (size_t i = 0; i < N_LAB_HEADERS; i++) {
        char h[160];
        snprintf(h, sizeof h, "--header=%s: %s", lab_headers[i].name,
                 lab_headers[i].value);
        fputc(' ', f);
        shell_quote(f, h);
    }
    fputc(' ', f);
    shell_quote(f, s->url);
}

/* The scripts below are written between single quotes: the values put in
 * them (ids, URLs, header values) hold no quote or backslash. */
static void script_headers(FILE *f, const char *sep)
{
    fputc('{', f);
    for (size_t i = 0; i < N_LAB_HEADERS; i++)
        fprintf(f, "%s\"%s\"%s\"%s\"", i ? ", " : "", lab_headers[i].name,
                sep, lab_headers[i].value);
    fputc('}', f);
}

static void command_requests(FILE *f, const struct cmd_opts *o,
                             const struct scenario *s)
{
    shell_word(f, o->python);
    fprintf(f, " -c 'import requests; r = requests.request(\"%s\", \"%s\"",
            s->method, s->url);
    if (s->body[0])
        fprintf(f, ", data=b\"%s\"", s->body);
    fputs(", headers=", f);
    script_headers(f, ": ");
    fputs(", timeout=20); print(r.status_code, r.url)'", f);
}

static void command_fetch(FILE *f, const struct cmd_opts *o,
                          const struct scenario *s)
{
    shell_word(f, o->node);
    fprintf(f, " -e 'fetch(\"%s\", {method: \"%s\"", s->url, s->method);
    if (s->body[0])
        fprintf(f, ", body: \"%s\"", s->body);
    fputs(", headers: ", f);
    script_headers(f, ": ");
    fputs(", signal: AbortSignal.timeout(20000)})"
          ".then(r => console.log(r.status, r.url), "
          "e => { console.error(String(e), String(e.cause || \"\")); "
          "process.exitCode = 1; })'",
          f);
}

/* One command running every scenario in one interpreter, one after the
 * other (Python's requests, Node's fetch start slowly). Prints
 * "ID STATUS URL" or "ID ERROR" per scenario. */
static void batch_requests(FILE *f, const struct cmd_opts *o,
                           const struct scenario *s, size_t n)
{
    shell_word(f, o->python);
    fputs(" -c 'import requests, concurrent.futures as cf; H = ", f);
    script_headers(f, ": ");
    fputs("; S = [", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s(\"%s\", \"%s\", \"%s\", ", i ? ", " : "", s[i].id,
                s[i].method, s[i].url);
        if (s[i].body[0])
            fprintf(f, "b\"%s\")", s[i].body);
        else
            fputs("None)", f);
    }
    fputs("]; ex = cf.ThreadPoolExecutor(4); "
          "fs = [(s[0], ex.submit(requests.request, s[1], s[2], data=s[3], "
          "headers=H, timeout=20)) for s in S]; "
          "[print(i, repr(f.exception()) if f.exception() else "
          "\"%d %s\" % (f.result().status_code, f.result().url)) "
          "for i, f in fs]'",
          f);
}

static void batch_fetch(FILE *f, const struct cmd_opts *o,
                        const struct scenario *s, size_t n)
{
    shell_word(f, o->node);
    fputs(" -e 'const H = ", f);
    script_headers(f, ": ");
    fputs("; const S = [", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%s[\"%s\", \"%s\", \"%s\", ", i ? ", " : "", s[i].id,
                s[i].method, s[i].url);
        if (s[i].body[0])
            fprintf(f, "\"%s\"]", s[i].body);
        else
            fputs("null]", f);
    }
    fputs("]; (async () => { for (const [id, method, url, body] of S) { "
          "const init = {method, headers: H, signal: AbortSignal.timeout(20000)}; "
          "if (body !== null) init.body = body; "
          "try { const r = await fetch(url, init); await r.arrayBuffer(); "
          "console.log(id, r.status, r.url); } "
          "catch (e) { console.log(id, String(e), String(e.cause || \"\")); } "
          "} })()'",
          f);
}

/* {method} {url} {body} {id} in the template, each shell-quoted. */
static void command_template(FILE *f, const char *t, const struct scenario *s)
{
    while (*t) {
        const char *v = NULL;
        size_t skip = 0;
        if (!strncmp(t, "{method}", 8))
            v = s->method, skip = 8;
        else if (!strncmp(t, "{url}", 5))
            v = s->url, skip = 5;
        else if (!strncmp(t, "{body}", 6))
            v = s->body, skip = 6;
        else if (!strncmp(t, "{id}", 4))
            v = s->id, skip = 4;
        if (v) {
            shell_quote(f, v);
            t += skip;
        } else {
            fputc(*t++, f);
        }
    }
}

static void print_commands(FILE *f, const struct cmd_opts *o)
{
    struct scenario s[N_STATUSES * N_LAB_METHODS * 2 + 2];
    size_t n;
    scenario_set(o, s, sizeof s / sizeof s[0], &n);
    size_t nm = 0;
    for (size_t i = 0; i < N_LAB_METHODS; i++)
        nm += o->methods[i];
    const char *name = o->client == CLIENT_TEMPLATE ? "your client" : NULL;
    for (size_t i = 0; !name && i < sizeof clients / sizeof clients[0]; i++)
        if (clients[i].client == o->client)
            name = clients[i].name;
    fprintf(f,
            "# redir-lab scenarios for %s: %zu scenarios (statuses 300-308 "
            "and 399 x %zu method%s x same/other origin, a chain of three "
            "302s, a loop)\n",
            name, n, nm, nm == 1 ? "" : "s");
    fprintf(f,
            "# the lab: redir-lab --listen %s --port %d --port2 %d  "
            "(http://%s:%d/, other origin http://%s:%d/)\n",
            o->host, o->port[0], o->port[1], o->host, o->port[0], o->host,
            o->port[1]);
    fputs(o->client == CLIENT_TEMPLATE
              ? "# to see which credentials follow a redirect, have your "
                "client send"
              : "# every request carries", f);
    for (size_t i = 0; i < N_LAB_HEADERS; i++)
        fprintf(f, "%s %s: %s", i ? "," : "", lab_headers[i].name,
                lab_headers[i].value);
    fputs(o->batch ? "\n# run the command below, then read the grading:\n"
                   : "\n# run each line (one per scenario), then read the "
                     "grading:\n", f);
    fprintf(f, "#   curl -s 'http://%s:%d/grade?prefix=%s-'   "
               "(or /grade.json?prefix=%s-)\n",
            o->host, o->port[0], o->run, o->run);
    if (o->batch) {
        if (o->client == CLIENT_REQUESTS)
            batch_requests(f, o, s, n);
        else
            batch_fetch(f, o, s, n);
        fputc('\n', f);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        switch (o->client) {
        case CLIENT_CURL:
            command_curl(f, &s[i]);
            break;
        case CLIENT_WGET:
            command_wget(f, &s[i]);
            break;
        case CLIENT_REQUESTS:
            command_requests(f, o, &s[i]);
            break;
        case CLIENT_FETCH:
            command_fetch(f, o, &s[i]);
            break;
        case CLIENT_TEMPLATE:
            command_template(f, o->template_, &s[i]);
            break;
        }
        fputc('\n', f);
    }
}

/* "GET,POST,PUT" -> the methods; false (with a message) on a bad name. */
static bool parse_methods(const char *list, bool *out, const char **bad)
{
    memset(out, 0, N_LAB_METHODS * sizeof *out);
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ", ");
        bool found = false;
        for (size_t i = 0; i < N_LAB_METHODS; i++)
            if (strlen(lab_methods[i]) == n && !strncmp(p, lab_methods[i], n))
                out[i] = found = true;
        if (n && !found) {
            *bad = p;
            return false;
        }
        p += n;
        while (*p == ',' || *p == ' ')
            p++;
    }
    for (size_t i = 0; i < N_LAB_METHODS; i++)
        if (out[i])
            return true;
    *bad = list;
    return false;
}

static bool valid_run(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (; *s; s++)
        if (!id_char(*s))
            return false;
    return true;
}

/* ---- one request ---------------------------------------------------------- */

struct param {
    char *name;
    char *value;            /* percent-decoded, NUL-terminated */
};

struct ctx {
    struct lab *lab;
    int index;
    struct evhttp_request *req;
    const char *method;
    const char *target;
    char *path;             /* the target before '?' */
    const char *query;      /* after '?', or "" */
    char *host;             /* the Host header, or the lab's */
    char *url;
    struct param params[MAX_PARAMS];
    size_t nparams;
    bool bad_params;        /* a NUL byte, or too many */
    size_t body_len;
    uint64_t body_hash;
    char id[ID_MAX + 1];
    /* the response */
    struct hdr out[MAX_OUT_HEADERS];
    char *out_mem[MAX_OUT_HEADERS];
    size_t nout;
};

static const char *method_name(enum evhttp_cmd_type t)
{
    switch (t) {
    case EVHTTP_REQ_GET: return "GET";
    case EVHTTP_REQ_POST: return "POST";
    case EVHTTP_REQ_HEAD: return "HEAD";
    case EVHTTP_REQ_PUT: return "PUT";
    case EVHTTP_REQ_DELETE: return "DELETE";
    case EVHTTP_REQ_OPTIONS: return "OPTIONS";
    case EVHTTP_REQ_TRACE: return "TRACE";
    case EVHTTP_REQ_CONNECT: return "CONNECT";
    case EVHTTP_REQ_PATCH: return "PATCH";
    }
    return "UNKNOWN";
}

/* Percent-decodes (no '+' -> space) into a new string; *nul when a %00
 * appears. Malformed escapes are kept as they are. */
static char *pct_decode(const char *s, size_t n, bool *nul)
{
    char *out = xmalloc(n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
            hexval(s[i + 2]) >= 0) {
            char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            if (c == 0)
                *nul = true;
            out[j++] = c;
            i += 2;
        } else {
            out[j++] = s[i];
        }
    }
    out[j] = 0;
    return out;
}

static void parse_params(struct ctx *c)
{
    const char *p = c->query;
    while (*p) {
        size_t n = strcspn(p, "&");
        if (n) {
            if (c->nparams == MAX_PARAMS) {
                c->bad_params = true;
                return;
            }
            size_t k = strcspn(p, "=&");
            bool nul = false;
            struct param *x = &c->params[c->nparams++];
            x->name = pct_decode(p, k, &nul);
            x->value = k < n ? pct_decode(p + k + 1, n - k - 1, &nul)
                             : xstrdup("");
            if (nul)
                c->bad_params = true;
        }
        p += n;
        if (*p == '&')
            p++;
    }
}

static const char *param(const struct ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nparams; i++)
        if (!strcmp(c->params[i].name, name))
            return c->params[i].value;
    return NULL;
}

static bool param_on(const struct ctx *c, const char *name)
{
    const char *v = param(c, name);
    return v && (!strcmp(v, "1") || !strcmp(v, "yes") || !strcmp(v, "true"));
}

static void ctx_free(struct ctx *c)
{
    for (size_t i = 0; i < c->nparams; i++) {
        free(c->params[i].name);
        free(c->params[i].value);
    }
    for (size_t i = 0; i < c->nout; i++)
        free(c->out_mem[i]);
    free(c->path);
    free(c->host);
    free(c->url);
}

/* Adds a response header (the value is copied). A value with CR or LF
 * is left out: it would split the field (other control bytes go out as
 * they are, to test how clients read them). */
static void out_header(struct ctx *c, const char *name, const char *value)
{
    if (c->nout == MAX_OUT_HEADERS || strpbrk(value, "\r\n"))
        return;
    size_t nn = strlen(name), nv = strlen(value);
    char *m = xmalloc(nn + nv + 2);
    memcpy(m, name, nn + 1);
    memcpy(m + nn + 1, value, nv + 1);
    c->out_mem[c->nout] = m;
    c->out[c->nout].name = m;
    c->out[c->nout].value = m + nn + 1;
    c->nout++;
}

/* The scenario id: id= in the query, or /sink/ID/... */
static void find_id(struct ctx *c)
{
    const char *v = param(c, "id");
    char tmp[ID_MAX + 1];
    size_t n = 0;
    if (v) {
        while (v[n] && n < ID_MAX && id_char(v[n]))
            n++;
        if (v[n])
            n = 0;  /* not a valid id: none */
        memcpy(tmp, v, n);
    } else if (!strncmp(c->path, "/sink/", 6)) {
        const char *s = c->path + 6;
        while (s[n] && n < ID_MAX && id_char(s[n]))
            n++;
        if (s[n] && s[n] != '/')
            n = 0;
        memcpy(tmp, s, n);
    }
    tmp[n] = 0;
    memcpy(c->id, tmp, n + 1);
}

/* The Location of the sink for this scenario: relative on the same
 * origin, absolute on the other port with origin=other. */
static void sink_location(const struct ctx *c, char *out, size_t cap)
{
    const char *o = param(c, "origin");
    if (o && !strcmp(o, "other")) {
        /* the host the client used, with the other port */
        char host[300];
        snprintf(host, sizeof host, "%s", c->host);
        char *colon = strrchr(host, ':');
        char *bracket = strrchr(host, ']');
        if (colon && (!bracket || colon > bracket))
            *colon = 0;
        snprintf(out, cap, "http://%s:%d/sink/%s", host,
                 c->lab->port[1 - c->index], c->id);
    } else {
        snprintf(out, cap, "/sink/%s", c->id);
    }
}

/* A [name, value] pair on one line of pretty JSON. */
static void json_pair(jw *w, const char *name, const char *value)
{
    jw_array(w);
    bool pretty = w->pretty;
    w->pretty = false;
    jw_string(w, name);
    fputc(' ', w->out);
    jw_string(w, value);
    jw_array_end(w);
    w->pretty = pretty;
}

/* Writes the request as JSON: method, target, headers, body length. */
static void json_request(jw *w, const struct ctx *c)
{
    jw_object(w);
    jw_kint(w, "port", c->lab->port[c->index]);
    jw_kstring(w, "method", c->method);
    jw_kstring(w, "target", c->target);
    jw_kstring(w, "url", c->url);
    jw_key(w, "headers");
    jw_array(w);
    const struct evkeyvalq *h = evhttp_request_get_input_headers(c->req);
    for (const struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next) {
        json_pair(w, kv->key, kv->value);
    }
    jw_array_end(w);
    jw_kint(w, "body_length", (long long)c->body_len);
    jw_object_end(w);
}

/* Records the request with its answer and sends the answer. */
static void respond(struct ctx *c, int status, const char *content_type,
                    const char *body, size_t body_len)
{
    struct lab *lab = c->lab;
    const char *locs[MAX_LOC];
    size_t nloc = 0;
    bool set_cookie = false;
    struct evkeyvalq *oh = evhttp_request_get_output_headers(c->req);
    for (size_t i = 0; i < c->nout; i++) {
        if (evhttp_add_header(oh, c->out[i].name, c->out[i].value) != 0)
            continue;
        if (ieq(c->out[i].name, "Location") && nloc < MAX_LOC)
            locs[nloc++] = c->out[i].value;
        if (ieq(c->out[i].name, "Set-Cookie"))
            set_cookie = true;
    }
    if (content_type)
        evhttp_add_header(oh, "Content-Type", content_type);
    struct rec_in in = {
        .port = lab->port[c->index], .method = c->method,
        .target = c->target, .url = c->url, .id = c->id,
        .headers = evhttp_request_get_input_headers(c->req),
        .body_len = c->body_len, .body_hash = c->body_hash,
        .status = status, .loc = locs, .nloc = nloc,
        .set_cookie = set_cookie,
    };
    log_add(&lab->log, rec_new(&in));
    if (!lab->quiet) {
        fprintf(stderr, "[%d] %s %s -> %d", lab->port[c->index], c->method,
                c->target, status);
        for (size_t i = 0; i < nloc; i++)
            fprintf(stderr, "%sLocation: %s", i ? ", " : " ", locs[i]);
        fputc('\n', stderr);
    }
    struct evbuffer *b = evbuffer_new();
    if (b && body && body_len)
        evbuffer_add(b, body, body_len);
    const char *reason = redir_status_reason(status);
    evhttp_send_reply(c->req, status, reason[0] ? reason : "Status", b);
    if (b)
        evbuffer_free(b);
}

/* The lab's own pages (grading, help): sent, not recorded. */
static void reply_page(struct evhttp_request *req, int status,
                       const char *content_type, const char *body, size_t len)
{
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
                      content_type);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control",
                      "no-store");
    struct evbuffer *b = evbuffer_new();
    if (b)
        evbuffer_add(b, body, len);
    evhttp_send_reply(req, status, redir_status_reason(status), b);
    if (b)
        evbuffer_free(b);
}

/* A recorded error about the lab request itself (bad status, bad query). */
static void respond_error(struct ctx *c, int status, const char *message)
{
    membuf m;
    jw w;
    jw_init(&w, mb_open(&m), true);
    jw_object(&w);
    jw_kstring(&w, "lab", "redir-lab");
    jw_kstring(&w, "error", message);
    jw_key(&w, "request");
    json_request(&w, c);
    jw_object_end(&w);
    jw_end(&w);
    mb_close(&m);
    respond(c, status, "application/json", m.data, m.len);
    free(m.data);
}

/* The header names a status card lists, without request-only ones. */
static bool card_lists(const redir_status *st, const char *name)
{
    for (size_t i = 0; i < st->header_count; i++) {
        const char *t = st->headers[i].topic;
        size_t n = strlen(name);
        if (!strncmp(t, name, n) && (t[n] == 0 || t[n] == ' ') &&
            !strstr(t, "(request)"))
            return true;
    }
    return false;
}

/* The headers that matter for `code` (RFC 9110 and the knowledge base),
 * with the values the query chooses. Only what is not set yet. */
static void status_headers(struct ctx *c, int code, bool location)
{
    const redir_status *st = redir_status_get(code);
    const char *v;
    /* Location: what to= says (several times for several fields), else
     * the sink where the status uses one (RFC 9110, Section 10.2.2: 3xx
     * but 304, 201; the card lists 202 too). */
    bool any_to = false;
    for (size_t i = 0; i < c->nparams; i++)
        if (!strcmp(c->params[i].name, "to")) {
            out_header(c, "Location", c->params[i].value);
            any_to = true;
        }
    if (!any_to && location && !param_on(c, "noloc")) {
        char loc[400];
        sink_location(c, loc, sizeof loc);
        out_header(c, "Location", loc);
    }
    /* Retry-After: 503 and 429 (the card's retry advice), and where the
     * card lists it (202, 413); RFC 9110, Section 10.2.3. */
    if ((v = param(c, "retry")) != NULL)
        out_header(c, "Retry-After", v);
    else if (st->retry == REDIR_RETRY_AFTER_RETRY_AFTER ||
             card_lists(st, "Retry-After"))
        out_header(c, "Retry-After", "120");
    /* Allow on 405 (RFC 9110, Section 15.5.6: MUST). */
    if ((v = param(c, "allow")) != NULL)
        out_header(c, "Allow", v);
    else if (code == 405 || card_lists(st, "Allow"))
        out_header(c, "Allow", "GET, HEAD, OPTIONS");
    /* Challenges (RFC 9110, Sections 15.5.2 and 15.5.8: MUST). */
    if (code == 401)
        out_header(c, "WWW-Authenticate", "Basic realm=\"redir-lab\"");
    else if (card_lists(st, "WWW-Authenticate"))
        out_header(c, "WWW-Authenticate",
                   "Bearer realm=\"redir-lab\", error=\"insufficient_scope\"");
    if (code == 407 || card_lists(st, "Proxy-Authenticate"))
        out_header(c, "Proxy-Authenticate", "Basic realm=\"redir-lab proxy\"");
    /* Upgrade on 426 (RFC 9110, Section 15.5.22: MUST). */
    if (code == 426 || (card_lists(st, "Upgrade") && code >= 200)) {
        out_header(c, "Upgrade", "HTTP/2");
        out_header(c, "Connection", "Upgrade");
    }
    if (code == 416)   /* RFC 9110, Section 15.5.17: unsatisfied-range */
        out_header(c, "Content-Range", "bytes */1000");
    if (code == 206 || card_lists(st, "Accept-Ranges"))
        out_header(c, "Accept-Ranges", "bytes");
    if (card_lists(st, "ETag"))
        out_header(c, "ETag", "\"redir-lab-1\"");
    /* The caller's choices. */
    if ((v = param(c, "cc")) != NULL)
        out_header(c, "Cache-Control", v);
    if ((v = param(c, "vary")) != NULL)
        out_header(c, "Vary", v);
    if ((v = param(c, "expires")) != NULL)
        out_header(c, "Expires", v);
    if ((v = param(c, "cookie")) != NULL)
        out_header(c, "Set-Cookie", v);
    for (size_t i = 0; i < c->nparams; i++) {
        if (strcmp(c->params[i].name, "h"))
            continue;
        const char *hv = c->params[i].value;
        const char *colon = strchr(hv, ':');
        if (!colon || !is_token(hv, (size_t)(colon - hv)) || colon - hv > 64)
            continue;
        char name[80];
        memcpy(name, hv, (size_t)(colon - hv));
        name[colon - hv] = 0;
        const char *val = colon + 1;
        while (*val == ' ')
            val++;
        out_header(c, name, val);
    }
}

/* Answers `code` with its headers and a JSON body describing the request. */
static void answer_status(struct ctx *c, int code, bool location)
{
    const redir_status *st = redir_status_get(code);
    status_headers(c, code, location);
    bool no_content = (st->flags & (REDIR_SF_NO_BODY | REDIR_SF_EMPTY_CONTENT)) != 0;

    membuf m;
    jw w;
    jw_init(&w, mb_open(&m), true);
    jw_object(&w);
    jw_kstring(&w, "lab", "redir-lab");
    jw_key(&w, "scenario");
    if (c->id[0])
        jw_string(&w, c->id);
    else
        jw_null(&w);
    jw_key(&w, "request");
    json_request(&w, c);
    jw_key(&w, "response");
    jw_object(&w);
    jw_kint(&w, "status", code);
    jw_kstring(&w, "reason", redir_status_reason(code));
    jw_kstring(&w, "class", redir_status_class_name(st->status_class));
    jw_kstring(&w, "spec", st->spec);
    jw_kbool(&w, "registered", st->registered);
    jw_key(&w, "headers");
    jw_array(&w);
    for (size_t i = 0; i < c->nout; i++) {
        json_pair(&w, c->out[i].name, c->out[i].value);
    }
    jw_array_end(&w);
    /* What the status card says matters (empty without the prose). */
    jw_key(&w, "headers_that_matter");
    jw_array(&w);
    for (size_t i = 0; i < st->header_count; i++)
        jw_string(&w, st->headers[i].topic);
    jw_array_end(&w);
    jw_object_end(&w);
    jw_object_end(&w);
    jw_end(&w);
    mb_close(&m);

    if (code == 206) {
        /* the whole body as the one range (RFC 9110, Section 14.4) */
        char cr[64];
        snprintf(cr, sizeof cr, "bytes 0-%zu/%zu", m.len - 1, m.len);
        out_header(c, "Content-Range", cr);
    }
    if (no_content)
        respond(c, code, NULL, NULL, 0);
    else
        respond(c, code, "application/json", m.data, m.len);
    free(m.data);
}

/* /status/NNN */
static void route_status(struct ctx *c, const char *digits)
{
    int code;
    if (redir_status_parse(digits, strlen(digits), &code) != REDIR_OK) {
        respond_error(c, 400, "the status must be three digits from 100 to 599, "
                              "as in /status/503");
        return;
    }
    if (code < 200) {
        respond_error(c, 400, "1xx responses are interim: a server sends them "
                              "before the final response, so the lab cannot "
                              "answer with one alone");
        return;
    }
    const redir_status *st = redir_status_get(code);
    bool location = (code >= 300 && code < 400 && code != 304) ||
                    (st->flags & REDIR_SF_NEEDS_LOCATION) || code == 201 ||
                    card_lists(st, "Location");
    answer_status(c, code, location);
}

/* The query without hop=..., for the next hop of a chain. */
static void query_without_hop(const char *q, char *out, size_t cap)
{
    size_t j = 0;
    out[0] = 0;
    while (*q) {
        size_t n = strcspn(q, "&");
        if (n && strncmp(q, "hop=", 4) && j + n + 2 < cap) {
            if (j)
                out[j++] = '&';
            memcpy(out + j, q, n);
            j += n;
            out[j] = 0;
        }
        q += n;
        if (*q == '&')
            q++;
    }
}

/* /redirect/NNN?hops=N[&loop=1][&to=LOC]: hop K of N answers NNN to hop
 * K+1; the last hop to LOC (default: the sink), or with loop=1 back to the
 * first hop. */
static void route_redirect(struct ctx *c, const char *digits)
{
    int code;
    if (redir_status_parse(digits, strlen(digits), &code) != REDIR_OK ||
        code < 300 || code > 399) {
        respond_error(c, 400, "/redirect/NNN takes a 3xx status, 300 to 399; "
                              "use /status/NNN?to=LOC for a Location on "
                              "another status");
        return;
    }
    unsigned long hops = 1, hop = 1;
    const char *v;
    if ((v = param(c, "hops")) && !parse_uint(v, MAX_HOPS, &hops)) {
        respond_error(c, 400, "hops= takes a number from 1 to 100");
        return;
    }
    if ((v = param(c, "hop")) && !parse_uint(v, MAX_HOPS, &hop)) {
        respond_error(c, 400, "hop= takes a number from 1 to 100");
        return;
    }
    if (hops == 0)
        hops = 1;
    if (hop == 0 || hop > hops)
        hop = 1;
    char q[REC_MAX_TARGET];
    query_without_hop(c->query, q, sizeof q);
    char loc[REC_MAX_TARGET + 64];
    if (hop < hops) {
        snprintf(loc, sizeof loc, "/redirect/%d?%s%shop=%lu", code, q,
                 q[0] ? "&" : "", hop + 1);
        out_header(c, "Location", loc);
    } else if (param_on(c, "loop")) {
        snprintf(loc, sizeof loc, "/redirect/%d%s%s", code, q[0] ? "?" : "", q);
        out_header(c, "Location", loc);
    }
    /* the last hop: to= or the sink, through status_headers() */
    answer_status(c, code, hop == hops && !param_on(c, "loop"));
}

/* ---- grading -------------------------------------------------------------- */

/* A URL for comparison: scheme and host in lower case, no default port, no
 * fragment, percent-escapes in upper case. */
static void norm_url(const char *u, char *out, size_t cap)
{
    redir_uri x;
    size_t j = 0;
#define PUT(ch) do { if (j + 1 < cap) out[j++] = (ch); } while (0)
    if (redir_uri_parse(u, strlen(u), REDIR_URI_LENIENT, &x) != REDIR_OK ||
        !(x.parts & REDIR_URI_SCHEME)) {
        for (; *u && *u != '#'; u++)
            PUT(*u);
        out[j] = 0;
        return;
    }
    for (size_t i = 0; i < x.scheme.len; i++)
        PUT(lc(x.scheme.ptr[i]));
    PUT(':');
    if (x.parts & REDIR_URI_AUTHORITY) {
        PUT('/');
        PUT('/');
        for (size_t i = 0; i < x.host.len; i++)
            PUT(lc(x.host.ptr[i]));
        int port = redir_uri_port(&x);
        if (port >= 0 && port != redir_default_port(x.scheme.ptr, x.scheme.len)) {
            char p[16];
            snprintf(p, sizeof p, ":%d", port);
            for (const char *s = p; *s; s++)
                PUT(*s);
        }
    }
    const char *parts[2] = {x.path.ptr, x.query.ptr};
    size_t lens[2] = {x.path.len, x.query.len};
    if (x.path.len == 0)
        PUT('/');
    for (int k = 0; k < 2; k++) {
        if (k == 1) {
            if (!(x.parts & REDIR_URI_QUERY))
                break;
            PUT('?');
        }
        for (size_t i = 0; i < lens[k]; i++) {
            char ch = parts[k][i];
            if (ch == '%' && i + 2 < lens[k]) {
                PUT('%');
                for (int t = 1; t <= 2; t++) {
                    char h = parts[k][i + (size_t)t];
                    PUT((h >= 'a' && h <= 'f') ? (char)(h - 'a' + 'A') : h);
                }
                i += 2;
            } else {
                PUT(ch);
            }
        }
    }
#undef PUT
    out[j] = 0;
}

static bool same_url(const char *a, const char *b)
{
    static char na[REC_MAX_TARGET + 400], nb[REC_MAX_TARGET + 400];
    norm_url(a, na, sizeof na);
    norm_url(b, nb, sizeof nb);
    return !strcmp(na, nb);
}

/* Does `cur` follow a Location of `prev`? (A request for the scenario's
 * first URL starts a new run unless a Location led there: a loop.) */
static bool continues(const struct rec *prev, const struct rec *cur)
{
    static char buf[REC_MAX_TARGET * 3 + 400];
    for (size_t i = 0; i < prev->nloc; i++) {
        size_t len;
        if (redir_resolve_location_ex(prev->url, strlen(prev->url),
                                      prev->loc[i], strlen(prev->loc[i]),
                                      REDIR_URI_LENIENT, buf, sizeof buf,
                                      &len) != REDIR_OK)
            continue;
        if (same_url(buf, cur->url))
            return true;
    }
    return false;
}

static bool tracked(const char *name)
{
    return ieq(name, "Authorization") || ieq(name, "Cookie") ||
           ieq(name, "Proxy-Authorization") || iprefix(name, "X-");
}

/* What the client did after one response. */
struct hop {
    const struct rec *req;
    const struct rec *next;     /* NULL: the client stopped here */
    size_t ntrack;
    size_t track[MAX_TRACK];    /* indexes into req->h */
    char tname[MAX_TRACK][64];  /* canonical names */
    const char *body;           /* "re-sent", "not sent", "none", "other content" */
    const char *hstate[MAX_TRACK]; /* "kept", "dropped", "changed" */
};

/* One profile's decision at one hop. */
struct pdec {
    redir_result error;         /* REDIR_OK when it decided */
    redir_verdict verdict;
    char method[24];
    char url[600];
    const char *body;           /* expected: "re-sent", "not sent", "none" */
    bool keep[MAX_TRACK];
    const char *reason;
    const char *spec;
    unsigned flags;
    unsigned ndiff;
};

struct diff {
    size_t hop;                 /* 1-based */
    char aspect[64];
    char expected[300];
    char observed[300];
};

struct pgrade {
    const redir_policy *p;
    redir_chain chain;
    bool chain_ok;
    struct diff *d;
    size_t nd, capd;
};

struct grade {
    const char *id;
    size_t runs;                /* runs of the scenario in the log */
    size_t n;                   /* requests of the last run (graded) */
    bool cut;                   /* more requests than MAX_GRADE_HOPS */
    struct hop *hops;
    size_t np;
    struct pdec *dec;           /* n * np */
    struct pgrade *prof;
};

static void add_diff(struct pgrade *pg, size_t hop, const char *aspect,
                     const char *expected, const char *observed)
{
    if (pg->nd == pg->capd) {
        pg->capd = pg->capd ? pg->capd * 2 : 8;
        struct diff *d = realloc(pg->d, pg->capd * sizeof *d);
        if (!d) {
            fputs("redir-lab: out of memory\n", stderr);
            exit(1);
        }
        pg->d = d;
    }
    struct diff *d = &pg->d[pg->nd++];
    d->hop = hop;
    snprintf(d->aspect, sizeof d->aspect, "%s", aspect);
    snprintf(d->expected, sizeof d->expected, "%s", expected);
    snprintf(d->observed, sizeof d->observed, "%s", observed);
}

static void observe(struct hop *h)
{
    const struct rec *r = h->req, *nx = h->next;
    h->ntrack = 0;
    for (size_t j = 0; j < r->nh && h->ntrack < MAX_TRACK; j++)
        if (tracked(r->h[j].name)) {
            canonical_name(r->h[j].name, h->tname[h->ntrack],
                           sizeof h->tname[0]);
            h->track[h->ntrack++] = j;
        }
    if (!nx)
        return;
    if (nx->body_len == 0)
        h->body = r->body_len ? "not sent" : "none";
    else if (r->body_len == nx->body_len && r->body_hash == nx->body_hash)
        h->body = "re-sent";
    else
        h->body = "other content";
    for (size_t t = 0; t < h->ntrack; t++) {
        const struct hdr *x = &r->h[h->track[t]];
        h->hstate[t] = "dropped";
        for (size_t j = 0; j < nx->nh; j++)
            if (ieq(nx->h[j].name, x->name)) {
                if (!strcmp(nx->h[j].value, x->value)) {
                    h->hstate[t] = "kept";
                    break;
                }
                h->hstate[t] = "changed";
            }
    }
}

static void decide_hop(struct grade *g, size_t i, size_t k)
{
    static char buf[REDIR_MAX_INPUT * 3 + 64];
    struct hop *h = &g->hops[i];
    struct pgrade *pg = &g->prof[k];
    struct pdec *pd = &g->dec[i * g->np + k];
    const struct rec *r = h->req;
    memset(pd, 0, sizeof *pd);

    redir_header rq_h[MAX_TRACK];
    for (size_t t = 0; t < h->ntrack; t++) {
        const struct hdr *x = &r->h[h->track[t]];
        rq_h[t] = (redir_header){x->name, strlen(x->name), x->value,
                                 strlen(x->value)};
    }
    redir_header rs_h[MAX_LOC + 1];
    size_t nrs = 0;
    for (size_t l = 0; l < r->nloc; l++)
        rs_h[nrs++] = (redir_header){"Location", 8, r->loc[l], strlen(r->loc[l])};
    if (r->set_cookie)
        rs_h[nrs++] = (redir_header){"Set-Cookie", 10, "lab=2", 5};
    redir_request rq = {
        .method = r->method, .method_len = strlen(r->method),
        .url = r->url, .url_len = strlen(r->url),
        .body = r->body_len ? REDIR_BODY_REPLAYABLE : REDIR_BODY_NONE,
        .headers = rq_h, .header_count = h->ntrack,
    };
    redir_response rs = {.status = r->status, .headers = rs_h,
                         .header_count = nrs};
    redir_decision d;
    redir_result res = pg->chain_ok
                           ? redir_chain_step(&pg->chain, &rq, &rs, buf,
                                              sizeof buf, &d)
                           : REDIR_E_BASE_INVALID;
    pd->error = res;
    if (res != REDIR_OK) {
        pd->reason = redir_strerror(res);
        pd->spec = "";
        add_diff(pg, i + 1, "decision", "a decision", pd->reason);
        pd->ndiff = 1;
        return;
    }
    pd->verdict = d.verdict;
    pd->reason = d.reason;
    pd->spec = d.spec;
    pd->flags = d.flags;
    bool follow = d.verdict == REDIR_VERDICT_FOLLOW;
    if (follow) {
        snprintf(pd->method, sizeof pd->method, "%.*s", (int)d.method_len,
                 d.method);
        snprintf(pd->url, sizeof pd->url, "%.*s", (int)d.url_len, d.url);
        pd->body = !r->body_len ? "none"
                   : d.body == REDIR_BODY_KEEP ? "re-sent" : "not sent";
        for (size_t t = 0; t < h->ntrack; t++)
            pd->keep[t] = d.header_actions[t] == REDIR_HEADER_KEEP;
    } else if (d.url) {
        snprintf(pd->url, sizeof pd->url, "%.*s", (int)d.url_len, d.url);
    }

    size_t before = pg->nd;
    const struct rec *nx = h->next;
    char e[700], o[700];
    if (follow != (nx != NULL)) {
        if (follow)
            snprintf(e, sizeof e, "follow: %s %s", pd->method, pd->url);
        else
            snprintf(e, sizeof e, "stop: %s", redir_verdict_name(d.verdict));
        if (nx)
            snprintf(o, sizeof o, "followed: %s %s", nx->method, nx->url);
        else
            snprintf(o, sizeof o, "stopped");
        add_diff(pg, i + 1, "follow", e, o);
    } else if (follow) {
        if (strcmp(pd->method, nx->method))
            add_diff(pg, i + 1, "method", pd->method, nx->method);
        if (!same_url(buf, nx->url))
            add_diff(pg, i + 1, "url", pd->url, nx->url);
        if (strcmp(pd->body, h->body))
            add_diff(pg, i + 1, "body", pd->body, h->body);
        for (size_t t = 0; t < h->ntrack; t++) {
            bool kept = !strcmp(h->hstate[t], "kept");
            if (kept != pd->keep[t])
                add_diff(pg, i + 1, h->tname[t],
                         pd->keep[t] ? "kept" : "dropped", h->hstate[t]);
        }
    }
    pd->ndiff = (unsigned)(pg->nd - before);
}

/* Grades the last run of a scenario: recs are its records, oldest first. */
static void grade_compute(struct grade *g, const char *id,
                          const struct rec *const *recs, size_t n)
{
    memset(g, 0, sizeof *g);
    g->id = id;
    g->runs = n ? 1 : 0;
    size_t start = 0;
    for (size_t i = 1; i < n; i++)
        if (!strcmp(recs[i]->target, recs[start]->target) &&
            !continues(recs[i - 1], recs[i])) {
            start = i;
            g->runs++;
        }
    recs += start;
    n -= start;
    if (n > MAX_GRADE_HOPS) {
        n = MAX_GRADE_HOPS;
        g->cut = true;
    }
    g->n = n;
    g->np = redir_profile_count();
    g->hops = calloc(n ? n : 1, sizeof *g->hops);
    g->dec = calloc((n ? n : 1) * g->np, sizeof *g->dec);
    g->prof = calloc(g->np, sizeof *g->prof);
    if (!g->hops || !g->dec || !g->prof) {
        fputs("redir-lab: out of memory\n", stderr);
        exit(1);
    }
    for (size_t i = 0; i < n; i++) {
        g->hops[i].req = recs[i];
        g->hops[i].next = i + 1 < n ? recs[i + 1] : NULL;
        observe(&g->hops[i]);
    }
    for (size_t k = 0; k < g->np; k++) {
        struct pgrade *pg = &g->prof[k];
        pg->p = redir_profile_at(k);
        if (n)
            pg->chain_ok = redir_chain_init(&pg->chain, pg->p, recs[0]->method,
                                            strlen(recs[0]->method),
                                            recs[0]->url,
                                            strlen(recs[0]->url)) == REDIR_OK;
        for (size_t i = 0; i < n; i++)
            decide_hop(g, i, k);
    }
}

static void grade_free(struct grade *g)
{
    for (size_t k = 0; k < g->np; k++)
        free(g->prof[k].d);
    free(g->hops);
    free(g->dec);
    free(g->prof);
}

static bool prof_matches(const struct grade *g, size_t k)
{
    return g->n > 0 && g->prof[k].nd == 0;
}

/* "kept X-Custom; dropped Authorization, Cookie" */
static void header_story(FILE *f, const struct hop *h, const bool *keep,
                         const char *const *state)
{
    static const char *const kinds[] = {"kept", "dropped", "changed"};
    for (int kind = 0; kind < 3; kind++) {
        bool first = true;
        for (size_t t = 0; t < h->ntrack; t++) {
            const char *s = state ? state[t] : keep[t] ? "kept" : "dropped";
            if (strcmp(s, kinds[kind]))
                continue;
            if (first)
                fprintf(f, "; %s ", kinds[kind]);
            else
                fputs(", ", f);
            fputs(h->tname[t], f);
            first = false;
        }
    }
}

static void client_story(FILE *f, const struct hop *h)
{
    if (!h->next) {
        fprintf(f, "stopped (kept the %d response)", h->req->status);
        return;
    }
    fprintf(f, "followed: %s %s; body %s", h->next->method, h->next->url,
            h->body);
    header_story(f, h, NULL, h->hstate);
}

static void profile_story(FILE *f, const struct hop *h, const struct pdec *d)
{
    if (d->error != REDIR_OK) {
        fprintf(f, "cannot decide: %s", redir_strerror(d->error));
        return;
    }
    if (d->verdict != REDIR_VERDICT_FOLLOW) {
        fprintf(f, "stop: %s", redir_verdict_name(d->verdict));
        return;
    }
    fprintf(f, "follow: %s %s; body %s", d->method, d->url, d->body);
    header_story(f, h, d->keep, NULL);
}

static void wrapped(FILE *out, const char *label, int indent, const char *text)
{
    fputs(label, out);
    text_wrap_at(out, text, (int)strlen(label), indent, 78);
}

/* Writes a story through a memstream, then wrapped under a label. */
#define STORY(out, label, indent, call)                                        \
    do {                                                                       \
        membuf sm_;                                                            \
        FILE *sf_ = mb_open(&sm_);                                             \
        call;                                                                  \
        mb_close(&sm_);                                                        \
        wrapped((out), (label), (indent), sm_.data);                           \
        free(sm_.data);                                                        \
    } while (0)

/* The differences of one profile (at one hop, or at all), at most `max`
 * of them (0: all). */
static void diff_list(FILE *f, const struct pgrade *pg, size_t hop_only,
                      bool with_hop, size_t max)
{
    bool first = true;
    size_t shown = 0;
    for (size_t i = 0; i < pg->nd; i++) {
        const struct diff *d = &pg->d[i];
        if (hop_only && d->hop != hop_only)
            continue;
        if (max && shown == max) {
            fprintf(f, "; and %zu more", pg->nd - i);
            break;
        }
        shown++;
        fprintf(f, "%s", first ? "" : "; ");
        if (with_hop)
            fprintf(f, "hop %zu ", d->hop);
        fprintf(f, "%s: %s expected, %s observed", d->aspect, d->expected,
                d->observed);
        first = false;
    }
}

/* The profiles matching every hop, or those matching one hop. */
static void match_list(FILE *f, const struct grade *g, size_t hop_only)
{
    bool any = false;
    for (size_t k = 0; k < g->np; k++) {
        bool ok = hop_only ? g->dec[(hop_only - 1) * g->np + k].ndiff == 0
                           : prof_matches(g, k);
        if (ok) {
            fprintf(f, "%s%s", any ? ", " : "", g->prof[k].p->name);
            any = true;
        }
    }
    if (!any)
        fputs("none of the built-in profiles", f);
}

static void grade_text_one(FILE *out, const struct grade *g)
{
    const struct hop *last = &g->hops[g->n - 1];
    fprintf(out, "scenario %s: %zu request%s, %zu redirect%s followed, "
                 "stopped at %d %s (%s)\n",
            g->id, g->n, g->n == 1 ? "" : "s", g->n - 1,
            g->n == 2 ? "" : "s", last->req->status,
            redir_status_reason(last->req->status), last->req->url);
    if (g->runs > 1)
        fprintf(out, "(the log holds %zu runs of this scenario; this is the "
                     "last)\n", g->runs);
    if (g->cut)
        fprintf(out, "(only the first %d requests are graded)\n",
                MAX_GRADE_HOPS);
    for (size_t i = 0; i < g->n; i++) {
        const struct hop *h = &g->hops[i];
        const struct rec *r = h->req;
        fprintf(out, "\nhop %zu: %s %s\n", i + 1, r->method, r->url);
        fprintf(out, "  sent:    ");
        if (r->body_len)
            fprintf(out, "body %zu bytes", r->body_len);
        else
            fprintf(out, "no body");
        for (size_t t = 0; t < h->ntrack; t++)
            fprintf(out, "%s%s", t ? ", " : "; ", h->tname[t]);
        fputc('\n', out);
        fprintf(out, "  lab:     %d %s", r->status,
                redir_status_reason(r->status));
        for (size_t l = 0; l < r->nloc; l++)
            fprintf(out, "%sLocation: %s", l ? ", " : ", ", r->loc[l]);
        fputc('\n', out);
        STORY(out, "  client:  ", 11, client_story(sf_, h));
        const struct pdec *rfc = &g->dec[i * g->np + 0];
        STORY(out, "  rfc9110: ", 11, profile_story(sf_, h, rfc));
        if (rfc->spec && rfc->spec[0] && !strstr(rfc->reason, rfc->spec))
            STORY(out, "           ", 11,
                  fprintf(sf_, "%s (%s)", rfc->reason, rfc->spec));
        else
            STORY(out, "           ", 11, fputs(rfc->reason, sf_));
        if (rfc->ndiff)
            STORY(out, "           ", 11,
                  (fputs("the client differs: ", sf_),
                   diff_list(sf_, &g->prof[0], i + 1, false, 0)));
        else
            fputs("           the client does what RFC 9110 says\n", out);
        STORY(out, "  matches: ", 11, match_list(sf_, g, i + 1));
        membuf dm;
        FILE *df = mb_open(&dm);
        bool any = false;
        for (size_t k = 0; k < g->np; k++) {
            const struct pdec *pd = &g->dec[i * g->np + k];
            if (!pd->ndiff)
                continue;
            fprintf(df, "%s%s (", any ? ", " : "", g->prof[k].p->name);
            bool first = true;
            for (size_t x = 0; x < g->prof[k].nd; x++)
                if (g->prof[k].d[x].hop == i + 1) {
                    fprintf(df, "%s%s", first ? "" : ", ", g->prof[k].d[x].aspect);
                    first = false;
                }
            fputc(')', df);
            any = true;
        }
        mb_close(&dm);
        if (any)
            wrapped(out, "  differs: ", 11, dm.data);
        free(dm.data);
    }
    fputc('\n', out);
    STORY(out, "profiles matching every hop: ", 4, match_list(sf_, g, 0));
}

/* One scenario in a list: the story in a few lines. */
static void grade_text_brief(FILE *out, const struct grade *g)
{
    const struct hop *last = &g->hops[g->n - 1];
    STORY(out, "", 4,
          fprintf(sf_, "%s: %s %s, %zu redirect%s followed, ended with %d at "
                       "%s", g->id, g->hops[0].req->method,
                  g->hops[0].req->target, g->n - 1, g->n == 2 ? "" : "s",
                  last->req->status, last->req->url));
    size_t shown = 0;
    for (size_t i = 0; i < g->n; i++) {
        const struct hop *h = &g->hops[i];
        if (!h->next && i > 0)
            break;
        if (shown == 2 && g->n > 4) {
            fprintf(out, "  ... (%zu more hops)\n", g->n - 1 - i);
            break;
        }
        char label[64];
        snprintf(label, sizeof label, "  hop %zu (%d): ", i + 1, h->req->status);
        STORY(out, label, 6, client_story(sf_, h));
        shown++;
    }
    if (g->prof[0].nd == 0)
        fputs("  rfc9110: agrees\n", out);
    else
        STORY(out, "  rfc9110: ", 6,
              (fputs("differs: ", sf_), diff_list(sf_, &g->prof[0], 0, true, 3)));
    STORY(out, "  matches: ", 6, match_list(sf_, g, 0));
}

static void json_pdec(jw *w, const struct hop *h, const struct pdec *d)
{
    jw_object(w);
    if (d->error != REDIR_OK) {
        jw_kstring(w, "error", redir_strerror(d->error));
        jw_object_end(w);
        return;
    }
    bool follow = d->verdict == REDIR_VERDICT_FOLLOW;
    jw_kstring(w, "verdict", redir_verdict_name(d->verdict));
    jw_kbool(w, "follow", follow);
    jw_key(w, "method");
    if (follow)
        jw_string(w, d->method);
    else
        jw_null(w);
    jw_key(w, "url");
    if (d->url[0])
        jw_string(w, d->url);
    else
        jw_null(w);
    jw_key(w, "body");
    if (follow)
        jw_string(w, d->body);
    else
        jw_null(w);
    jw_key(w, "headers");
    jw_object(w);
    for (size_t t = 0; follow && t < h->ntrack; t++)
        jw_kstring(w, h->tname[t], d->keep[t] ? "kept" : "dropped");
    jw_object_end(w);
    jw_key(w, "flags");
    jw_array(w);
    for (unsigned bit = 1; bit & REDIR_DF_ALL_; bit <<= 1)
        if (d->flags & bit)
            jw_string(w, redir_flag_name(bit));
    jw_array_end(w);
    jw_kstring(w, "reason", d->reason);
    jw_kstring(w, "spec", d->spec);
    jw_kint(w, "differences", d->ndiff);
    jw_object_end(w);
}

static void json_rec(jw *w, const struct rec *r)
{
    jw_object(w);
    jw_kint(w, "port", r->port);
    jw_kstring(w, "method", r->method);
    jw_kstring(w, "target", r->target);
    jw_kstring(w, "url", r->url);
    jw_key(w, "headers");
    jw_array(w);
    for (size_t j = 0; j < r->nh; j++) {
        json_pair(w, r->h[j].name, r->h[j].value);
    }
    jw_array_end(w);
    jw_kint(w, "body_length", (long long)r->body_len);
    if (r->truncated)
        jw_kbool(w, "truncated", true);
    jw_object_end(w);
}

static void json_diff(jw *w, const struct diff *d)
{
    jw_object(w);
    jw_kint(w, "hop", (long long)d->hop);
    jw_kstring(w, "aspect", d->aspect);
    jw_kstring(w, "expected", d->expected);
    jw_kstring(w, "observed", d->observed);
    jw_object_end(w);
}

static void grade_json(jw *w, const struct grade *g)
{
    const struct hop *last = &g->hops[g->n - 1];
    jw_object(w);
    jw_kstring(w, "scenario", g->id);
    jw_kint(w, "runs", (long long)g->runs);
    jw_kint(w, "requests", (long long)g->n);
    jw_kint(w, "redirects_followed", (long long)(g->n - 1));
    jw_kbool(w, "cut", g->cut);
    jw_key(w, "stopped");
    jw_object(w);
    jw_kint(w, "status", last->req->status);
    jw_kstring(w, "url", last->req->url);
    jw_object_end(w);
    jw_key(w, "hops");
    jw_array(w);
    for (size_t i = 0; i < g->n; i++) {
        const struct hop *h = &g->hops[i];
        jw_object(w);
        jw_kint(w, "hop", (long long)(i + 1));
        jw_key(w, "request");
        json_rec(w, h->req);
        jw_key(w, "response");
        jw_object(w);
        jw_kint(w, "status", h->req->status);
        jw_kstring(w, "reason", redir_status_reason(h->req->status));
        jw_key(w, "locations");
        jw_array(w);
        for (size_t l = 0; l < h->req->nloc; l++)
            jw_string(w, h->req->loc[l]);
        jw_array_end(w);
        jw_object_end(w);
        jw_key(w, "client");
        jw_object(w);
        jw_kbool(w, "followed", h->next != NULL);
        if (h->next) {
            jw_kstring(w, "method", h->next->method);
            jw_kstring(w, "url", h->next->url);
            jw_kstring(w, "body", h->body);
            jw_key(w, "headers");
            jw_object(w);
            for (size_t t = 0; t < h->ntrack; t++)
                jw_kstring(w, h->tname[t], h->hstate[t]);
            jw_object_end(w);
        }
        jw_object_end(w);
        jw_key(w, "rfc9110");
        json_pdec(w, h, &g->dec[i * g->np]);
        jw_key(w, "matching");
        jw_array(w);
        for (size_t k = 0; k < g->np; k++)
            if (g->dec[i * g->np + k].ndiff == 0)
                jw_string(w, g->prof[k].p->name);
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_key(w, "matching");
    jw_array(w);
    for (size_t k = 0; k < g->np; k++)
        if (prof_matches(g, k))
            jw_string(w, g->prof[k].p->name);
    jw_array_end(w);
    jw_key(w, "profiles");
    jw_array(w);
    for (size_t k = 0; k < g->np; k++) {
        jw_object(w);
        jw_kstring(w, "profile", g->prof[k].p->name);
        jw_kbool(w, "matches", prof_matches(g, k));
        jw_key(w, "differences");
        jw_array(w);
        for (size_t x = 0; x < g->prof[k].nd; x++)
            json_diff(w, &g->prof[k].d[x]);
        jw_array_end(w);
        jw_object_end(w);
    }
    jw_array_end(w);
    jw_object_end(w);
}

/* A scenario of the standard set: RUN-STATUS-METHOD-same|other. */
static bool parse_cell(const char *id, int *status, size_t *method, int *other)
{
    const char *end = id + strlen(id);
    int o;
    if (end - id > 5 && !strcmp(end - 5, "-same"))
        o = 0, end -= 5;
    else if (end - id > 6 && !strcmp(end - 6, "-other"))
        o = 1, end -= 6;
    else
        return false;
    for (size_t m = 0; m < N_LAB_METHODS; m++) {
        size_t ml = strlen(lab_methods[m]);
        const char *mp = end - ml;
        if (mp - id < 5 || strncmp(mp, lab_methods[m], ml) || mp[-1] != '-')
            continue;
        const char *sp = mp - 4;
        if (sp[-1] != '-' || !is_digit(sp[0]) || !is_digit(sp[1]) ||
            !is_digit(sp[2]))
            continue;
        *status = (sp[0] - '0') * 100 + (sp[1] - '0') * 10 + (sp[2] - '0');
        *method = m;
        *other = o;
        return true;
    }
    return false;
}

static int cmp_rec(const void *a, const void *b)
{
    const struct rec *x = *(const struct rec *const *)a;
    const struct rec *y = *(const struct rec *const *)b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct group {
    const struct rec *const *recs;
    size_t n;
};

static int cmp_group(const void *a, const void *b)
{
    const struct group *x = a, *y = b;
    return x->recs[0]->seq < y->recs[0]->seq ? -1
                                              : x->recs[0]->seq > y->recs[0]->seq;
}

/* /grade and /grade.json: ?scenario=ID, ?prefix=P (default: everything),
 * ?profile=NAME for the text matrix. */
static void route_grade(struct ctx *c, bool json)
{
    struct lab *lab = c->lab;
    const char *scenario = param(c, "scenario");
    const char *prefix = param(c, "prefix");
    const char *want = param(c, "profile");
    if (!prefix)
        prefix = "";
    size_t plen = strlen(prefix);

    /* the records of the chosen scenarios, grouped by id, oldest first */
    const struct rec **all = xmalloc((lab->log.count + 1) * sizeof *all);
    size_t n = 0;
    for (size_t i = 0; i < lab->log.count; i++) {
        const struct rec *r = log_at(&lab->log, i);
        if (!r->id[0])
            continue;
        if (scenario ? !strcmp(r->id, scenario) : !strncmp(r->id, prefix, plen))
            all[n++] = r;
    }
    qsort(all, n, sizeof *all, cmp_rec);
    struct group *groups = xmalloc((n + 1) * sizeof *groups);
    size_t ng = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && !strcmp(all[j]->id, all[i]->id))
            j++;
        groups[ng++] = (struct group){all + i, j - i};
        i = j;
    }
    qsort(groups, ng, sizeof *groups, cmp_group);

    size_t np = redir_profile_count();
    size_t *matched = calloc(np, sizeof *matched);
    /* per scenario, per profile: matches? (for the matrix) */
    bool *cell = calloc((ng ? ng : 1) * np, sizeof *cell);
    if (!matched || !cell) {
        fputs("redir-lab: out of memory\n", stderr);
        exit(1);
    }

    membuf body;
    FILE *bf = mb_open(&body);
    jw w;
    jw_init(&w, bf, true);
    if (json) {
        jw_object(&w);
        jw_kstring(&w, "lab", "redir-lab");
        jw_kstring(&w, "library", redir_version());
        jw_key(&w, "scenario");
        if (scenario)
            jw_string(&w, scenario);
        else
            jw_null(&w);
        jw_kstring(&w, "prefix", scenario ? "" : prefix);
        jw_kint(&w, "dropped_requests", (long long)lab->log.dropped);
        jw_key(&w, "scenarios");
        jw_array(&w);
    }
    for (size_t gi = 0; gi < ng; gi++) {
        struct grade g;
        grade_compute(&g, groups[gi].recs[0]->id, groups[gi].recs,
                      groups[gi].n);
        for (size_t k = 0; k < np; k++)
            if (prof_matches(&g, k)) {
                matched[k]++;
                cell[gi * np + k] = true;
            }
        if (json) {
            grade_json(&w, &g);
        } else if (scenario) {
            grade_text_one(bf, &g);
        } else {
            fputc('\n', bf);
            grade_text_brief(bf, &g);
        }
        grade_free(&g);
    }
    if (json) {
        jw_array_end(&w);
        jw_key(&w, "summary");
        jw_array(&w);
        for (size_t k = 0; k < np; k++) {
            jw_object(&w);
            jw_kstring(&w, "profile", redir_profile_at(k)->name);
            jw_kint(&w, "matched", (long long)matched[k]);
            jw_kint(&w, "scenarios", (long long)ng);
            jw_object_end(&w);
        }
        jw_array_end(&w);
        jw_object_end(&w);
        jw_end(&w);
    }
    mb_close(&body);

    if (json) {
        reply_page(c->req, 200, "application/json", body.data, body.len);
    } else {
        membuf head;
        FILE *hf = mb_open(&head);
        if (ng == 0) {
            if (scenario)
                fprintf(hf, "redir-lab: no request with scenario id '%s' has "
                            "reached the lab\n", scenario);
            else
                fprintf(hf, "redir-lab: no scenario%s%s%s has reached the "
                            "lab yet\n", plen ? " with prefix '" : "",
                        prefix, plen ? "'" : "");
        } else if (!scenario) {
            fprintf(hf, "redir-lab grading: %zu scenario%s%s%s%s\n", ng,
                    ng == 1 ? "" : "s", plen ? " with prefix '" : "", prefix,
                    plen ? "'" : "");
            /* profiles by scenarios matched */
            size_t *order = xmalloc(np * sizeof *order);
            for (size_t k = 0; k < np; k++)
                order[k] = k;
            for (size_t a = 1; a < np; a++)
                for (size_t b = a; b > 0 && matched[order[b]] > matched[order[b - 1]]; b--) {
                    size_t t = order[b];
                    order[b] = order[b - 1];
                    order[b - 1] = t;
                }
            fputs("\nbuilt-in profiles whose decisions match what the client "
                  "did, by scenarios matched:\n", hf);
            for (size_t a = 0; a < np; a++) {
                const redir_policy *p = redir_profile_at(order[a]);
                fprintf(hf, "  %-16s %4zu of %zu  %s\n", p->name,
                        matched[order[a]], ng, p->client);
            }
            /* the status x method matrix for one profile */
            size_t mk = order[0];
            if (want)
                for (size_t k = 0; k < np; k++)
                    if (!strcmp(redir_profile_at(k)->name, want))
                        mk = k;
            bool any_cell = false;
            int st_seen[N_STATUSES] = {0};
            bool m_seen[N_LAB_METHODS] = {false};
            for (size_t gi = 0; gi < ng; gi++) {
                int s, o;
                size_t m;
                if (!parse_cell(groups[gi].recs[0]->id, &s, &m, &o))
                    continue;
                any_cell = true;
                m_seen[m] = true;
                for (size_t x = 0; x < N_STATUSES; x++)
                    if (scenario_statuses[x] == s)
                        st_seen[x] = 1;
            }
            if (any_cell) {
                fprintf(hf, "\n%s, status x method: '.' matches, 'X' differs; "
                            "each cell: same origin, other origin\n",
                        redir_profile_at(mk)->name);
                size_t mlast = 0;
                for (size_t m = 0; m < N_LAB_METHODS; m++)
                    if (m_seen[m])
                        mlast = m;
                fputs("  status", hf);
                for (size_t m = 0; m < N_LAB_METHODS; m++)
                    if (m_seen[m])
                        fprintf(hf, m == mlast ? " %s" : " %-7s",
                                lab_methods[m]);
                fputc('\n', hf);
                for (size_t x = 0; x < N_STATUSES; x++) {
                    if (!st_seen[x])
                        continue;
                    fprintf(hf, "  %-6d", scenario_statuses[x]);
                    for (size_t m = 0; m < N_LAB_METHODS; m++) {
                        if (!m_seen[m])
                            continue;
                        char marks[3] = "  ";
                        for (size_t gi = 0; gi < ng; gi++) {
                            int s, o;
                            size_t mm;
                            if (parse_cell(groups[gi].recs[0]->id, &s, &mm, &o) &&
                                s == scenario_statuses[x] && mm == m)
                                marks[o] = cell[gi * np + mk] ? '.' : 'X';
                        }
                        fprintf(hf, m == mlast ? " %s" : " %-7s", marks);
                    }
                    fputc('\n', hf);
                }
            }
            free(order);
        }
        if (lab->log.dropped)
            fprintf(hf, "\n(the log is full: the %lu oldest requests were "
                        "forgotten; see --log-size)\n", lab->log.dropped);
        fwrite(body.data, 1, body.len, hf);
        mb_close(&head);
        reply_page(c->req, 200, "text/plain; charset=utf-8", head.data,
                   head.len);
        free(head.data);
    }
    free(body.data);
    free(matched);
    free(cell);
    free(groups);
    free(all);
}

/* ---- the other routes ----------------------------------------------------- */

static const char help_text[] =
    "redir-lab: an HTTP server to test a client's redirects (libredir %s).\n"
    "Ports: %d and %d (another origin).\n"
    "\n"
    "  /status/NNN            status NNN with the headers that matter for it\n"
    "                         (Location for 3xx and 201, Retry-After for 503\n"
    "                         and 429, Allow for 405, WWW-Authenticate for 401,\n"
    "                         Proxy-Authenticate for 407, Content-Range for\n"
    "                         206 and 416, ...) and a JSON body describing\n"
    "                         the request\n"
    "  /redirect/NNN?hops=N   N hops of NNN (300-399), then the target;\n"
    "                         loop=1 leads the last hop back to the first\n"
    "  /sink/ID/...           200: records the request\n"
    "  /grade?scenario=ID     what the client did at each hop, beside\n"
    "  /grade?prefix=RUN-     RFC 9110 and the built-in profiles (text);\n"
    "  /grade.json?...        the same as JSON\n"
    "  /commands?client=C     the commands running client C (curl, wget,\n"
    "                         python-requests, node-fetch) through the\n"
    "                         standard scenarios (&batch=1: in one process)\n"
    "  /reset                 forget every recorded request\n"
    "\n"
    "Query parameters of /status and /redirect:\n"
    "  id=ID          the scenario the request belongs to (graded together)\n"
    "  to=LOC         the Location (percent-decoded; repeat for several\n"
    "                 fields); default: /sink/ID\n"
    "  origin=other   the default Location is on the other port\n"
    "  noloc=1        no Location at all (/status only)\n"
    "  cc=V retry=V allow=V vary=V expires=V cookie=V\n"
    "                 Cache-Control, Retry-After, Allow, Vary, Expires,\n"
    "                 Set-Cookie\n"
    "  h=Name:value   any other response header\n";

static void route_help(struct ctx *c, int status)
{
    membuf m;
    FILE *f = mb_open(&m);
    fprintf(f, help_text, redir_version(), c->lab->port[0], c->lab->port[1]);
    mb_close(&m);
    if (status == 200)
        reply_page(c->req, 200, "text/plain; charset=utf-8", m.data, m.len);
    else
        respond(c, status, "text/plain; charset=utf-8", m.data, m.len);
    free(m.data);
}

static void route_commands(struct ctx *c)
{
    struct cmd_opts o;
    memset(&o, 0, sizeof o);
    const char *name = param(c, "client");
    bool found = false;
    for (size_t i = 0; name && i < sizeof clients / sizeof clients[0]; i++)
        if (!strcmp(name, clients[i].name) ||
            (clients[i].alias && !strcmp(name, clients[i].alias))) {
            o.client = clients[i].client;
            o.run = clients[i].run;
            found = true;
        }
    const char *bad = NULL;
    const char *methods = param(c, "methods");
    const char *run = param(c, "run");
    if (!found || (methods && !parse_methods(methods, o.methods, &bad)) ||
        (run && !valid_run(run))) {
        const char *msg = "/commands?client=curl|wget|python-requests|"
                          "node-fetch[&methods=GET,POST][&run=NAME]\n";
        reply_page(c->req, 400, "text/plain; charset=utf-8", msg, strlen(msg));
        return;
    }
    if (!methods)
        for (size_t i = 0; i < N_LAB_METHODS; i++)
            o.methods[i] = true;
    if (run)
        o.run = run;
    o.batch = param_on(c, "batch") &&
              (o.client == CLIENT_REQUESTS || o.client == CLIENT_FETCH);
    o.python = "python3";
    o.node = "node";
    snprintf(o.host, sizeof o.host, "%s", c->lab->host);
    o.port[0] = c->lab->port[0];
    o.port[1] = c->lab->port[1];
    membuf m;
    print_commands(mb_open(&m), &o);
    mb_close(&m);
    reply_page(c->req, 200, "text/plain; charset=utf-8", m.data, m.len);
    free(m.data);
}

static void route_reset(struct ctx *c)
{
    char msg[96];
    size_t n = log_clear(&c->lab->log);
    snprintf(msg, sizeof msg, "redir-lab: forgot %zu request%s\n", n,
             n == 1 ? "" : "s");
    reply_page(c->req, 200, "text/plain; charset=utf-8", msg, strlen(msg));
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct listener *ls = arg;
    struct lab *lab = ls->lab;
    struct ctx c;
    memset(&c, 0, sizeof c);
    c.lab = lab;
    c.index = ls->index;
    c.req = req;
    c.method = method_name(evhttp_request_get_command(req));
    c.target = evhttp_request_get_uri(req);
    if (!c.target)
        c.target = "/";
    size_t plen = strcspn(c.target, "?");
    c.path = xmalloc(plen + 1);
    memcpy(c.path, c.target, plen);
    c.path[plen] = 0;
    c.query = c.target[plen] ? c.target + plen + 1 : "";
    const char *host = evhttp_find_header(evhttp_request_get_input_headers(req),
                                          "Host");
    if (host && *host) {
        c.host = xstrdup(host);
    } else {
        char h[128];
        snprintf(h, sizeof h, "%s:%d", lab->host, lab->port[ls->index]);
        c.host = xstrdup(h);
    }
    c.url = xmalloc(strlen(c.host) + strlen(c.target) + 16);
    sprintf(c.url, "http://%s%s", c.host, c.target[0] == '/' ? c.target : "/");
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    c.body_len = evbuffer_get_length(in);
    if (c.body_len) {
        unsigned char *p = evbuffer_pullup(in, -1);
        c.body_hash = p ? fnv1a(p, c.body_len) : 0;
    }
    parse_params(&c);
    find_id(&c);
    lab->served++;

    const char *p = c.path;
    if (!strcmp(p, "/") || !strcmp(p, "/help"))
        route_help(&c, 200);
    else if (!strcmp(p, "/grade") || !strcmp(p, "/grade.json"))
        route_grade(&c, !strcmp(p, "/grade.json") || param_on(&c, "json"));
    else if (!strcmp(p, "/commands"))
        route_commands(&c);
    else if (!strcmp(p, "/reset"))
        route_reset(&c);
    else if (c.bad_params)
        respond_error(&c, 400, "the query has a %00 (NUL) byte or more than "
                               "32 parameters");
    else if (!strncmp(p, "/status/", 8))
        route_status(&c, p + 8);
    else if (!strncmp(p, "/redirect/", 10))
        route_redirect(&c, p + 10);
    else if (!strcmp(p, "/sink") || !strncmp(p, "/sink/", 6))
        answer_status(&c, 200, false);
    else
        route_help(&c, 404);
    ctx_free(&c);
}

/* ---- main ------------------------------------------------------------------ */

static void usage(FILE *out)
{
    fputs(
        "usage: redir-lab [--listen ADDR] [--port P1] [--port2 P2] [--log-size N] [-q]\n"
        "       redir-lab --commands CLIENT [--listen ADDR] [--port P1] [--port2 P2]\n"
        "                 [--methods LIST] [--run NAME] [--python PATH] [--node PATH]\n"
        "                 [--batch]\n"
        "       redir-lab --template 'CMD {method} {url} {body}' [same options]\n"
        "\n"
        "Serves redirect scenarios on two ports of ADDR (default 127.0.0.1, ports\n"
        "8307 and 8308; 0 picks a free port) and grades what a client did against\n"
        "RFC 9110 and redir's client profiles: GET / lists the routes.\n"
        "\n"
        "--commands prints, without serving, the commands that run CLIENT (curl,\n"
        "wget, python-requests, node-fetch) through the standard scenario set;\n"
        "--template does the same for any client, replacing {method}, {url},\n"
        "{body} and {id} with shell-quoted values. --methods chooses among GET,\n"
        "HEAD, POST, PUT, DELETE, PATCH, OPTIONS (default: all for CLIENT; GET,\n"
        "POST, PUT for a template). --run sets the scenario ids' prefix.\n"
        "--batch prints one command that runs every scenario in one process\n"
        "(python-requests, node-fetch: their interpreters start slowly).\n"
        "The log keeps the last N requests (default 4096).\n",
        out);
}

static int bad_usage(const char *what, const char *detail)
{
    fprintf(stderr, "redir-lab: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return 2;
}

static void on_signal(evutil_socket_t sig, short events, void *arg)
{
    (void)sig;
    (void)events;
    event_base_loopexit(arg, NULL);
}

static int bound_port(struct evhttp_bound_socket *s)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(evhttp_bound_socket_get_fd(s), (struct sockaddr *)&ss,
                    &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET)
        return ntohs(((struct sockaddr_in *)&ss)->sin_port);
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return -1;
}

static int serve(const char *listen, const int ports[2], size_t log_size,
                 bool quiet)
{
    static struct lab lab;
    int rc = 1;
    memset(&lab, 0, sizeof lab);
    lab.quiet = quiet;
    url_host(listen, lab.host, sizeof lab.host);
    log_init(&lab.log, log_size);
    struct event *sigs[2] = {NULL, NULL};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    lab.base = event_base_new();
    if (!lab.base) {
        fputs("redir-lab: cannot create the event loop\n", stderr);
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        lab.http[i] = evhttp_new(lab.base);
        if (!lab.http[i])
            goto out;
        lab.listeners[i] = (struct listener){&lab, i};
        evhttp_set_gencb(lab.http[i], on_request, &lab.listeners[i]);
        evhttp_set_allowed_methods(
            lab.http[i], EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
                             EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                             EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH |
                             EVHTTP_REQ_TRACE);
        evhttp_set_max_body_size(lab.http[i], MAX_BODY);
        evhttp_set_max_headers_size(lab.http[i], 65536);
        evhttp_set_timeout(lab.http[i], 30);
        struct evhttp_bound_socket *s =
            evhttp_bind_socket_with_handle(lab.http[i], listen,
                                           (ev_uint16_t)ports[i]);
        if (!s) {
            fprintf(stderr, "redir-lab: cannot listen on %s port %d (in use? "
                            "--port 0 picks a free one)\n", listen, ports[i]);
            goto out;
        }
        lab.port[i] = bound_port(s);
    }
    int signals[2] = {SIGINT, SIGTERM};
    for (int i = 0; i < 2; i++) {
        sigs[i] = evsignal_new(lab.base, signals[i], on_signal, lab.base);
        if (!sigs[i] || event_add(sigs[i], NULL) != 0)
            goto out;
    }
    printf("redir-lab: listening on http://%s:%d/ and http://%s:%d/ "
           "(another origin)\n", lab.host, lab.port[0], lab.host, lab.port[1]);
    printf("redir-lab: scenarios: redir-lab --commands CLIENT --listen %s "
           "--port %d --port2 %d; grading: http://%s:%d/grade\n",
           listen, lab.port[0], lab.port[1], lab.host, lab.port[0]);
    fflush(stdout);
    event_base_dispatch(lab.base);
    printf("redir-lab: stopped after %lu request%s\n", lab.served,
           lab.served == 1 ? "" : "s");
    rc = 0;
out:
    for (int i = 0; i < 2; i++)
        if (sigs[i])
            event_free(sigs[i]);
    for (int i = 0; i < 2; i++)
        if (lab.http[i])
            evhttp_free(lab.http[i]);
    if (lab.base)
        event_base_free(lab.base);
    log_clear(&lab.log);
    free(lab.log.ring);
    return rc;
}

int main(int argc, char **argv)
{
    const char *listen = "127.0.0.1";
    int ports[2] = {LAB_PORT1, LAB_PORT2};
    bool port_given[2] = {false, false};
    unsigned long log_size = LAB_LOG_DEFAULT;
    bool quiet = false;
    const char *commands = NULL, *template_ = NULL, *methods = NULL;
    const char *run = NULL, *python = "python3", *node = "node";
    bool batch = false;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--version")) {
            printf("redir-lab (libredir %s)\n", redir_version());
            return 0;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = true;
            takes = false;
        } else if (!strcmp(a, "--batch")) {
            batch = true;
            takes = false;
        } else if (!v && a[0] == '-') {
            return bad_usage("this option needs a value", a);
        } else if (!strcmp(a, "--listen")) {
            listen = v;
        } else if (!strcmp(a, "--port") || !strcmp(a, "--port2")) {
            unsigned long p;
            if (!parse_uint(v, 65535, &p))
                return bad_usage("a port is a number from 0 to 65535", v);
            int k = !strcmp(a, "--port2");
            ports[k] = (int)p;
            port_given[k] = true;
        } else if (!strcmp(a, "--log-size")) {
            if (!parse_uint(v, LAB_LOG_MAX, &log_size) || log_size == 0)
                return bad_usage("--log-size takes a number from 1 to 1000000",
                                 v);
        } else if (!strcmp(a, "--commands")) {
            commands = v;
        } else if (!strcmp(a, "--template")) {
            template_ = v;
        } else if (!strcmp(a, "--methods")) {
            methods = v;
        } else if (!strcmp(a, "--run")) {
            run = v;
        } else if (!strcmp(a, "--python")) {
            python = v;
        } else if (!strcmp(a, "--node")) {
            node = v;
        } else {
            usage(stderr);
            return bad_usage("unknown argument", a);
        }
        if (takes)
            i++;
    }
    if (strlen(listen) > 64)
        return bad_usage("--listen takes an IP address", listen);
    if (port_given[0] && port_given[1] && ports[0] == ports[1] && ports[0])
        return bad_usage("--port and --port2 must differ", NULL);
    if (!port_given[1] && port_given[0])
        ports[1] = ports[0] ? (ports[0] == 65535 ? 65534 : ports[0] + 1) : 0;

    if (!commands && !template_)
        return serve(listen, ports, log_size, quiet);

    struct cmd_opts o;
    memset(&o, 0, sizeof o);
    if (commands && template_)
        return bad_usage("--commands and --template exclude each other", NULL);
    if (commands) {
        bool found = false;
        for (size_t i = 0; i < sizeof clients / sizeof clients[0]; i++)
            if (!strcmp(commands, clients[i].name) ||
                (clients[i].alias && !strcmp(commands, clients[i].alias))) {
                o.client = clients[i].client;
                o.run = clients[i].run;
                found = true;
            }
        if (!found)
            return bad_usage("--commands takes curl, wget, python-requests or "
                             "node-fetch (--template for any other client)",
                             commands);
    } else {
        o.client = CLIENT_TEMPLATE;
        o.template_ = template_;
        o.run = "custom";
        if (!strstr(template_, "{url}"))
            return bad_usage("the template needs {url}", template_);
    }
    if (batch && o.client != CLIENT_REQUESTS && o.client != CLIENT_FETCH)
        return bad_usage("--batch is for python-requests and node-fetch (curl, "
                         "wget and a template run one command per scenario)",
                         NULL);
    o.batch = batch;
    if (run) {
        if (!valid_run(run))
            return bad_usage("--run takes 1 to 32 letters, digits, '-', '_' "
                             "or '.'", run);
        o.run = run;
    }
    const char *bad = NULL;
    if (methods) {
        if (!parse_methods(methods, o.methods, &bad))
            return bad_usage("--methods takes a list of GET, HEAD, POST, PUT, "
                             "DELETE, PATCH, OPTIONS", bad);
    } else {
        for (size_t i = 0; i < N_LAB_METHODS; i++)
            o.methods[i] = o.client != CLIENT_TEMPLATE ||
                           !strcmp(lab_methods[i], "GET") ||
                           !strcmp(lab_methods[i], "POST") ||
                           !strcmp(lab_methods[i], "PUT");
    }
    if (ports[0] == 0 || ports[1] == 0)
        return bad_usage("--commands needs the ports the lab listens on "
                         "(it prints them when it starts)", NULL);
    if (strpbrk(python, "'") || strpbrk(node, "'"))
        return bad_usage("--python and --node take a path without quotes",
                         NULL);
    o.python = python;
    o.node = node;
    url_host(listen, o.host, sizeof o.host);
    o.port[0] = ports[0];
    o.port[1] = ports[1];
    print_commands(stdout, &o);
    return 0;
}
