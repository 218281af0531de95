/* SPDX-License-Identifier: MIT */
/*
 * redir-inspect: read HTTP response heads and say what is wrong with them.
 *
 *   curl -sIL URL | redir-inspect [--json] [--url URL]
 *   curl -sv -L URL 2>&1 >/dev/null | redir-inspect [--json]
 *
 * Input, on standard input (or FILE):
 *  - raw response heads as `curl -sIL` prints them, several in a row, with
 *    HTTP/1.0, HTTP/1.1 or "HTTP/2 301" status lines; bodies may follow a
 *    head (`curl -siL`);
 *  - the standard error of `curl -sv -L`: "< " lines are the response
 *    heads, "> " lines the requests (method, target and Host give each
 *    hop's URL), "* Issue another request to this URL: '...'" the next
 *    URL, "{ [N bytes data]" the content received.
 * Interim 1xx heads are skipped. In raw input, the first URL is --url (when
 * given) and each next one the previous hop's Location, resolved.
 *
 * Exit status: 0 no finding above info, 1 warnings, 2 errors, 3 unreadable
 * input or bad usage.
 */
#include <redir.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/jsonw.h"
#include "common/text.h"

/* Bounds: absurd input gets a clear error (exit 3), never an overflow. */
#define MAX_INPUT_BYTES ((size_t)64 << 20)  /* 64 MiB */
#define MAX_LINE ((size_t)REDIR_MAX_INPUT)  /* bytes in one line */
#define MAX_HOPS 1000                       /* response heads */
#define MAX_FIELDS 1000                     /* header fields in one head */

#define EXIT_UNREADABLE 3

typedef struct hop {
    int status;
    const char *reason;
    size_t reason_len;
    redir_header *fields;
    size_t nfields;
    size_t capfields;
    const char *method; /* NULL: unknown */
    size_t method_len;
    char *url;          /* owned; NULL: unknown */
    size_t url_len;
    int64_t body_len;
    char *target;       /* the Location resolved (owned), or NULL */
    size_t target_len;
    redir_finding findings[REDIR_FINDING_LAST_];
    size_t nfindings;
} hop;

typedef struct ctx {
    /* options */
    bool json;
    unsigned long_chain;
    const redir_policy *policy;
    const char *first_url;
    const char *file;
    /* input */
    char *buf;
    size_t len;
    /* hops */
    hop *hops;
    size_t nhops;
    size_t caphops;
    redir_finding chain[REDIR_FINDING_LAST_];
    size_t nchain;
} ctx;

/* Everything lives here, so that nothing is lost when a fatal error ends
 * the program early. */
static ctx g;

static void free_all(void)
{
    for (size_t i = 0; i < g.nhops; i++) {
        free(g.hops[i].fields);
        free(g.hops[i].url);
        free(g.hops[i].target);
    }
    free(g.hops);
    free(g.buf);
    memset(&g, 0, sizeof g);
}

/* Ends the program on input it cannot read: "redir-inspect: what[: detail]
 * (line N)", exit status 3. */
static void die(const char *what, const char *detail, size_t line)
{
    fprintf(stderr, "redir-inspect: %s", what);
    if (detail)
        fprintf(stderr, ": %s", detail);
    if (line)
        fprintf(stderr, " (line %zu)", line);
    fputc('\n', stderr);
    free_all();
    exit(EXIT_UNREADABLE);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("out of memory", NULL, 0);
    return q;
}

static char *xstrndup(const char *s, size_t n)
{
    char *p = xrealloc(NULL, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* ---- usage -------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs(
        "usage: redir-inspect [--json] [--url URL] [--long-chain N] [--profile NAME]\n"
        "                     [FILE]\n"
        "\n"
        "Reads HTTP response heads (curl -sIL, curl -siL, or the stderr of\n"
        "curl -sv -L) from FILE or standard input and reports what is wrong with\n"
        "each response and with the redirect chain, citing the RFCs.\n"
        "\n"
        "  --json          one JSON object: {\"hops\":[...],\"chain\":{...}}\n"
        "  --url URL       the first request's URL (raw heads do not say it; in\n"
        "                  curl -v output it replaces the guess from Host)\n"
        "  --long-chain N  report chains of more than N redirects (default 10)\n"
        "  --profile NAME  the client whose redirect limit applies (default rfc9110)\n"
        "\n"
        "Exit status: 0 clean (info only), 1 warnings, 2 errors, 3 unreadable input\n"
        "or bad usage.\n",
        out);
}

static void usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "redir-inspect: %s '%s'\n", what, arg);
    usage(stderr);
    free_all();
    exit(EXIT_UNREADABLE);
}

static const char *need_value(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage_error("a value is missing after", argv[*i]);
    return argv[++*i];
}

static void parse_args(int argc, char **argv)
{
    g.long_chain = 10;
    g.policy = redir_profile_get("rfc9110");
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--json")) {
            g.json = true;
        } else if (!strcmp(s, "--url")) {
            g.first_url = need_value(argc, argv, &i);
            redir_uri u;
            if (redir_uri_parse(g.first_url, strlen(g.first_url), 0, &u) != REDIR_OK ||
                !(u.parts & REDIR_URI_SCHEME))
                usage_error("--url needs an absolute URI, not", g.first_url);
        } else if (!strcmp(s, "--long-chain")) {
            const char *v = need_value(argc, argv, &i);
            unsigned long n = 0;
            size_t k = 0;
            for (; v[k] >= '0' && v[k] <= '9' && n <= 1000000; k++)
                n = n * 10 + (unsigned long)(v[k] - '0');
            if (k == 0 || v[k] || n < 1 || n > 1000000)
                usage_error("--long-chain takes a number from 1 to 1000000, not", v);
            g.long_chain = (unsigned)n;
        } else if (!strcmp(s, "--profile")) {
            const char *v = need_value(argc, argv, &i);
            g.policy = redir_profile_get(v);
            if (!g.policy) {
                fprintf(stderr, "redir-inspect: no profile named '%s'; profiles:", v);
                for (size_t k = 0; k < redir_profile_count(); k++)
                    fprintf(stderr, " %s", redir_profile_at(k)->name);
                fputc('\n', stderr);
                free_all();
                exit(EXIT_UNREADABLE);
            }
        } else if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            exit(0);
        } else if (!strcmp(s, "--version")) {
            printf("redir-inspect (libredir %s)\n", redir_version());
            exit(0);
        } else if (s[0] == '-' && s[1]) {
            usage_error("unknown option", s);
        } else if (!g.file) {
            g.file = s;
        } else {
            usage_error("one input file at most; extra argument", s);
        }
    }
}

/* ---- input -------------------------------------------------------------------- */

static void read_input(void)
{
    FILE *in = stdin;
    if (g.file && strcmp(g.file, "-")) {
        in = fopen(g.file, "rb");
        if (!in)
            die("cannot open the input file", g.file, 0);
    }
    size_t cap = 1 << 16;
    g.buf = xrealloc(NULL, cap + 1);
    for (;;) {
        if (g.len == cap) {
            if (cap >= MAX_INPUT_BYTES)
                die("the input is larger than 64 MiB", NULL, 0);
            cap *= 2;
            g.buf = xrealloc(g.buf, cap + 1);
        }
        size_t n = fread(g.buf + g.len, 1, cap - g.len, in);
        g.len += n;
        if (n == 0)
            break;
    }
    bool failed = ferror(in) != 0;
    if (in != stdin)
        fclose(in);
    if (failed)
        die("cannot read the input", NULL, 0);
    g.buf[g.len] = '\0';
}

/* A line: [p, p + n) without its CR LF; *next is where the next begins. */
typedef struct line {
    const char *p;
    size_t n;
    size_t next;
    size_t number; /* 1-based */
} line;

static bool get_line(size_t pos, size_t number, line *l)
{
    if (pos >= g.len)
        return false;
    const char *s = g.buf + pos;
    const char *e = memchr(s, '\n', g.len - pos);
    size_t n = e ? (size_t)(e - s) : g.len - pos;
    l->next = pos + n + (e ? 1 : 0);
    if (n && s[n - 1] == '\r')
        n--;
    l->p = s;
    l->n = n;
    l->number = number;
    return true;
}

/* Lines of a head are bounded; body lines are not read as text. */
static void check_head_line(const line *l)
{
    if (l->n > MAX_LINE)
        die("a line of a response head is longer than 65536 bytes", NULL, l->number);
}

static bool starts(const char *p, size_t n, const char *lit)
{
    size_t k = strlen(lit);
    return n >= k && memcmp(p, lit, k) == 0;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* "HTTP/" version SP 3DIGIT [SP reason] (RFC 9112, Section 4; curl prints
 * "HTTP/2 301" for HTTP/2 and HTTP/3). */
static bool status_line(const char *p, size_t n, int *status, const char **reason,
                        size_t *rlen)
{
    if (!starts(p, n, "HTTP/"))
        return false;
    size_t i = 5;
    if (i >= n || !is_digit(p[i]))
        return false;
    while (i < n && (is_digit(p[i]) || p[i] == '.'))
        i++;
    if (i >= n || p[i] != ' ')
        return false;
    i++;
    if (i + 3 > n || (i + 3 < n && p[i + 3] != ' '))
        return false;
    int code;
    if (redir_status_parse(p + i, 3, &code) != REDIR_OK)
        return false;
    *status = code;
    i += 3;
    if (i < n)
        i++;
    *reason = p + i;
    *rlen = n - i;
    return true;
}

static hop *new_hop(int status, const char *reason, size_t rlen, size_t number)
{
    if (g.nhops == MAX_HOPS)
        die("more than 1000 responses in the input", NULL, number);
    if (g.nhops == g.caphops) {
        g.caphops = g.caphops ? g.caphops * 2 : 16;
        g.hops = xrealloc(g.hops, g.caphops * sizeof *g.hops);
    }
    hop *h = &g.hops[g.nhops++];
    memset(h, 0, sizeof *h);
    h->status = status;
    h->reason = reason;
    h->reason_len = rlen;
    h->body_len = -1;
    return h;
}

/* A "Name: value" line; other lines of a head (obs-fold continuations,
 * junk without a colon) are skipped. */
static void add_field(hop *h, const char *p, size_t n, size_t number)
{
    if (n == 0 || p[0] == ' ' || p[0] == '\t')
        return;
    const char *colon = memchr(p, ':', n);
    if (!colon || colon == p)
        return;
    if (h->nfields == MAX_FIELDS)
        die("more than 1000 header fields in one response", NULL, number);
    if (h->nfields == h->capfields) {
        h->capfields = h->capfields ? h->capfields * 2 : 16;
        h->fields = xrealloc(h->fields, h->capfields * sizeof *h->fields);
    }
    size_t nlen = (size_t)(colon - p);
    const char *v = colon + 1;
    size_t vlen = n - nlen - 1;
    while (vlen && (*v == ' ' || *v == '\t')) {
        v++;
        vlen--;
    }
    while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
        vlen--;
    h->fields[h->nfields++] = (redir_header){p, nlen, v, vlen};
}

/* Forgets the last hop (an interim 1xx response). */
static void drop_last_hop(void)
{
    hop *h = &g.hops[--g.nhops];
    free(h->fields);
    free(h->url);
    free(h->target);
    memset(h, 0, sizeof *h);
}

static const redir_header *get_field(const hop *h, const char *name)
{
    size_t k = strlen(name);
    for (size_t i = 0; i < h->nfields; i++) {
        if (h->fields[i].name_len != k)
            continue;
        size_t j = 0;
        for (; j < k; j++) {
            char c = h->fields[i].name[j];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            if (c != name[j])
                break;
        }
        if (j == k)
            return &h->fields[i];
    }
    return NULL;
}

static bool is_status_line(const line *l)
{
    int s;
    const char *r;
    size_t rn;
    return status_line(l->p, l->n, &s, &r, &rn);
}

/* Raw heads, as curl -sIL or -siL print them. */
static void parse_raw(void)
{
    size_t pos = 0, number = 1;
    line l;
    while (get_line(pos, number, &l) && l.n == 0) {
        pos = l.next;
        number++;
    }
    if (pos >= g.len || !is_status_line(&l))
        die("the input does not start with an HTTP status line such as "
            "\"HTTP/1.1 200 OK\"", NULL, number);
    while (get_line(pos, number, &l)) {
        int status;
        const char *reason;
        size_t rlen;
        check_head_line(&l);
        if (!status_line(l.p, l.n, &status, &reason, &rlen))
            die("expected an HTTP status line", NULL, number);
        hop *h = new_hop(status, reason, rlen, number);
        pos = l.next;
        number++;
        /* the header section */
        bool ended = false;
        while (get_line(pos, number, &l)) {
            if (l.n == 0) {
                pos = l.next;
                number++;
                ended = true;
                break;
            }
            if (is_status_line(&l))
                break; /* a head without its empty line */
            check_head_line(&l);
            add_field(h, l.p, l.n, number);
            pos = l.next;
            number++;
        }
        /* the content, up to the next status line */
        size_t body_start = pos;
        if (!ended || !get_line(pos, number, &l) || is_status_line(&l)) {
            h->body_len = 0;
            if (h->status < 200)
                drop_last_hop(); /* interim: not a hop */
            continue;
        }
        const redir_header *cl = get_field(h, "content-length");
        size_t declared = 0;
        bool has_cl = cl && cl->value_len && cl->value_len < 16;
        for (size_t k = 0; has_cl && k < cl->value_len; k++) {
            if (!is_digit(cl->value[k]))
                has_cl = false;
            else
                declared = declared * 10 + (size_t)(cl->value[k] - '0');
        }
        line after;
        if (has_cl && declared <= g.len - body_start &&
            (body_start + declared == g.len ||
             (get_line(body_start + declared, number, &after) &&
              is_status_line(&after)))) {
            h->body_len = (int64_t)declared;
            for (size_t k = body_start; k < body_start + declared; k++)
                number += g.buf[k] == '\n';
            pos = body_start + declared;
        } else {
            while (get_line(pos, number, &l) && !is_status_line(&l)) {
                pos = l.next;
                number++;
            }
            h->body_len = (int64_t)(pos - body_start);
        }
        if (h->status < 200)
            drop_last_hop();
    }
}

/* ---- curl -v ------------------------------------------------------------------ */

typedef struct vstate {
    /* the request being read, and the one waiting for its response */
    bool in_request;
    const char *method;
    size_t method_len;
    const char *target;
    size_t target_len;
    const char *host;
    size_t host_len;
    bool have_pending;
    const char *pmethod;
    size_t pmethod_len;
    char *purl;
    /* the connection */
    const char *conn_host;
    size_t conn_host_len;
    const char *conn_port;
    size_t conn_port_len;
    bool tls;
    /* "Issue another request to this URL" */
    const char *next_url;
    size_t next_url_len;
    bool seen_request;
    /* the response being read: an index into g.hops, or SIZE_MAX */
    size_t resp;
    bool in_head;
} vstate;

static bool valid_url(const char *u, size_t n)
{
    redir_uri x;
    return n <= REDIR_MAX_INPUT && redir_uri_parse(u, n, 0, &x) == REDIR_OK &&
           (x.parts & REDIR_URI_SCHEME);
}

static void finish_request(vstate *v)
{
    if (!v->in_request)
        return;
    v->in_request = false;
    free(v->purl);
    v->purl = NULL;
    v->have_pending = true;
    v->pmethod = v->method;
    v->pmethod_len = v->method_len;
    const char *u = NULL;
    size_t n = 0;
    char *built = NULL;
    if (v->target_len && (starts(v->target, v->target_len, "http://") ||
                          starts(v->target, v->target_len, "https://"))) {
        u = v->target; /* absolute-form (a proxy request) */
        n = v->target_len;
    } else if (v->next_url) {
        u = v->next_url;
        n = v->next_url_len;
    } else if (!v->seen_request && g.first_url) {
        u = g.first_url;
        n = strlen(g.first_url);
    } else if (v->target_len && v->target[0] == '/') {
        const char *h = v->host ? v->host : v->conn_host;
        size_t hn = v->host ? v->host_len : v->conn_host_len;
        if (h && hn) {
            const char *scheme = v->tls ? "https://" : "http://";
            size_t cap = strlen(scheme) + hn + 1 + v->conn_port_len + v->target_len + 1;
            built = xrealloc(NULL, cap);
            size_t k = 0;
            memcpy(built + k, scheme, strlen(scheme));
            k += strlen(scheme);
            memcpy(built + k, h, hn);
            k += hn;
            if (!v->host && v->conn_port_len) {
                built[k++] = ':';
                memcpy(built + k, v->conn_port, v->conn_port_len);
                k += v->conn_port_len;
            }
            memcpy(built + k, v->target, v->target_len);
            k += v->target_len;
            built[k] = '\0';
            u = built;
            n = k;
        }
    }
    if (u && valid_url(u, n))
        v->purl = built ? built : xstrndup(u, n);
    else
        free(built);
    v->next_url = NULL;
    v->seen_request = true;
}

static void start_request(vstate *v, const char *p, size_t n)
{
    finish_request(v);
    /* METHOD SP request-target SP HTTP-version */
    const char *sp = memchr(p, ' ', n);
    if (!sp)
        return;
    v->in_request = true;
    v->method = p;
    v->method_len = (size_t)(sp - p);
    const char *t = sp + 1;
    size_t rest = n - v->method_len - 1;
    const char *sp2 = memchr(t, ' ', rest);
    v->target = t;
    v->target_len = sp2 ? (size_t)(sp2 - t) : rest;
    v->host = NULL;
    v->host_len = 0;
}

static void info_line(vstate *v, const char *p, size_t n)
{
    static const char connected[] = "Connected to ";
    static const char another[] = "Issue another request to this URL: '";
    if (starts(p, n, connected)) {
        /* "Connected to HOST (IP) port N (#0)" */
        const char *h = p + sizeof connected - 1;
        size_t rest = n - (sizeof connected - 1);
        const char *sp = memchr(h, ' ', rest);
        v->conn_host = h;
        v->conn_host_len = sp ? (size_t)(sp - h) : rest;
        v->conn_port = NULL;
        v->conn_port_len = 0;
        const char *port = NULL;
        for (size_t k = 0; k + 6 <= n; k++)
            if (!memcmp(p + k, " port ", 6)) {
                port = p + k + 6;
                break;
            }
        if (port) {
            size_t k = 0;
            while (port + k < p + n && is_digit(port[k]))
                k++;
            v->conn_port = port;
            v->conn_port_len = k;
        }
        v->tls = false;
    } else if (starts(p, n, another)) {
        const char *u = p + sizeof another - 1;
        size_t un = n - (sizeof another - 1);
        if (un && u[un - 1] == '\'')
            un--;
        v->next_url = u;
        v->next_url_len = un;
    } else if (starts(p, n, "SSL connection using") || starts(p, n, "ALPN") ||
               starts(p, n, "TLSv") || starts(p, n, "Server certificate") ||
               starts(p, n, "SSL certificate verify")) {
        v->tls = true;
    }
}

static void end_head(vstate *v)
{
    v->in_head = false;
}

static void response_line(vstate *v, const char *p, size_t n, size_t number)
{
    int status;
    const char *reason;
    size_t rlen;
    if (status_line(p, n, &status, &reason, &rlen)) {
        finish_request(v);
        if (g.nhops && g.hops[g.nhops - 1].status < 200)
            drop_last_hop(); /* the previous head was interim */
        hop *h = new_hop(status, reason, rlen, number);
        if (v->have_pending) {
            h->method = v->pmethod;
            h->method_len = v->pmethod_len;
            if (v->purl) {
                h->url = xstrndup(v->purl, strlen(v->purl));
                h->url_len = strlen(h->url);
            }
            if (status >= 200) {
                v->have_pending = false;
                free(v->purl);
                v->purl = NULL;
            }
        }
        v->resp = g.nhops - 1;
        v->in_head = true;
        return;
    }
    if (!v->in_head)
        return;
    if (n == 0) {
        end_head(v);
        return;
    }
    add_field(&g.hops[v->resp], p, n, number);
}

static void parse_verbose(void)
{
    vstate v;
    memset(&v, 0, sizeof v);
    v.resp = SIZE_MAX;
    size_t pos = 0, number = 1;
    line l;
    while (get_line(pos, number, &l)) {
        const char *p = l.p;
        size_t n = l.n;
        if (n >= 1 && p[0] == '<' && (n == 1 || p[1] == ' ')) {
            check_head_line(&l);
            response_line(&v, p + (n > 1 ? 2 : 1), n > 1 ? n - 2 : 0, number);
        } else if (n >= 1 && p[0] == '>' && (n == 1 || p[1] == ' ')) {
            check_head_line(&l);
            const char *c = p + (n > 1 ? 2 : 1);
            size_t cn = n > 1 ? n - 2 : 0;
            v.in_head = false;
            if (!v.in_request) {
                if (cn)
                    start_request(&v, c, cn);
            } else if (cn == 0) {
                finish_request(&v);
            } else if (cn > 5 && (c[0] == 'H' || c[0] == 'h') &&
                       !memcmp(c + 1, "ost:", 4)) {
                const char *h = c + 5;
                size_t hn = cn - 5;
                while (hn && (*h == ' ' || *h == '\t')) {
                    h++;
                    hn--;
                }
                v.host = h;
                v.host_len = hn;
            }
        } else if (n >= 2 && n <= MAX_LINE && p[0] == '*' && p[1] == ' ') {
            size_t k = 1;
            while (k < n && p[k] == ' ')
                k++;
            info_line(&v, p + k, n - k);
        } else if (starts(p, n, "{ [") && v.resp < g.nhops && !v.in_head) {
            /* "{ [5 bytes data]": content received */
            size_t k = 3;
            int64_t bytes = 0;
            while (k < n && is_digit(p[k]) && bytes < ((int64_t)1 << 50))
                bytes = bytes * 10 + (p[k++] - '0');
            hop *h = &g.hops[v.resp];
            if (k > 3 && starts(p + k, n - k, " bytes data]"))
                h->body_len = (h->body_len < 0 ? 0 : h->body_len) + bytes;
        }
        pos = l.next;
        number++;
    }
    if (g.nhops && g.hops[g.nhops - 1].status < 200)
        drop_last_hop();
    free(v.purl);
    if (g.nhops == 0)
        die("no response head (\"< HTTP/...\") in the curl -v output", NULL, 0);
}

/* Verbose when a line begins with "< HTTP/". */
static bool is_verbose(void)
{
    size_t pos = 0, number = 1;
    line l;
    while (get_line(pos, number, &l)) {
        if (starts(l.p, l.n, "< HTTP/"))
            return true;
        if (starts(l.p, l.n, "HTTP/"))
            return false;
        pos = l.next;
        number++;
    }
    return false;
}

/* ---- analysis ----------------------------------------------------------------- */

static const redir_header *location_of(const hop *h)
{
    return get_field(h, "location");
}

/* Resolves the hop's Location against its URL: strictly, else leniently
 * (as curl and browsers repair spaces and raw UTF-8). */
static void resolve_target(hop *h)
{
    const redir_header *loc = location_of(h);
    if (!loc || loc->value_len == 0)
        return;
    if (!h->url) {
        redir_uri u;
        if (redir_uri_parse(loc->value, loc->value_len, 0, &u) == REDIR_OK &&
            (u.parts & REDIR_URI_SCHEME)) {
            h->target = xstrndup(loc->value, loc->value_len);
            h->target_len = loc->value_len;
        }
        return;
    }
    size_t cap = h->url_len + 3 * loc->value_len + 16;
    char *out = xrealloc(NULL, cap);
    size_t n;
    redir_result r = redir_resolve_location(h->url, h->url_len, loc->value,
                                            loc->value_len, out, cap, &n);
    if (r != REDIR_OK)
        r = redir_resolve_location_ex(h->url, h->url_len, loc->value, loc->value_len,
                                      REDIR_URI_LENIENT, out, cap, &n);
    if (r != REDIR_OK || n > REDIR_MAX_INPUT) {
        free(out);
        return;
    }
    h->target = out;
    h->target_len = n;
}

static bool is_redirect(const hop *h)
{
    const redir_status *st = redir_status_get(h->status);
    return st && (st->flags & REDIR_SF_REDIRECT) && location_of(h);
}

typedef struct chain_facts {
    size_t followed;  /* 3xx responses with a Location that a later response
                         in the input answers: redirects followed */
    size_t redirects; /* responses with a redirect status (301, 302, 303,
                         307, 308) and a Location, the last included: what
                         the library's too-many-redirects counts */
    bool all_permanent;
    bool downgrade;
    bool cross_origin;
} chain_facts;

static bool parse_abs(const char *u, size_t n, redir_uri *x)
{
    return u && redir_uri_parse(u, n, 0, x) == REDIR_OK && (x->parts & REDIR_URI_SCHEME);
}

static bool scheme_is(const redir_uri *u, const char *lower)
{
    size_t n = strlen(lower);
    if (u->scheme.len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = u->scheme.ptr[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != lower[i])
            return false;
    }
    return true;
}

static void analyse(chain_facts *cf)
{
    /* URLs: raw input learns them from the Locations */
    for (size_t i = 0; i < g.nhops; i++) {
        hop *h = &g.hops[i];
        if (i == 0 && !h->url && g.first_url) {
            h->url = xstrndup(g.first_url, strlen(g.first_url));
            h->url_len = strlen(g.first_url);
        }
        resolve_target(h);
        if (i + 1 < g.nhops && !g.hops[i + 1].url && h->target &&
            h->status / 100 == 3) {
            g.hops[i + 1].url = xstrndup(h->target, h->target_len);
            g.hops[i + 1].url_len = h->target_len;
        }
    }
    redir_inspect_options opt;
    memset(&opt, 0, sizeof opt);
    opt.size = sizeof opt;
    opt.long_chain = g.long_chain;
    opt.policy = g.policy;
    redir_inspect_input *in = xrealloc(NULL, (g.nhops ? g.nhops : 1) * sizeof *in);
    for (size_t i = 0; i < g.nhops; i++) {
        hop *h = &g.hops[i];
        redir_inspect_input *x = &in[i];
        memset(x, 0, sizeof *x);
        x->method = h->method;
        x->method_len = h->method_len;
        x->url = h->url;
        x->url_len = h->url_len;
        x->status = h->status;
        x->headers = h->fields;
        x->header_count = h->nfields;
        x->body_len = h->body_len;
        x->options = &opt;
        /* "now": the response's Date, so Expires and Age read as sent */
        const redir_header *date = get_field(h, "date");
        int64_t t;
        x->now = (int64_t)time(NULL);
        if (date && redir_http_date_parse(date->value, date->value_len, x->now, &t) ==
                        REDIR_OK)
            x->now = t;
        /* a method that is not a token: unknown */
        if (x->method) {
            bool ok = x->method_len > 0;
            for (size_t k = 0; k < x->method_len; k++)
                ok &= x->method[k] > ' ' && x->method[k] < 0x7f &&
                      !strchr("\"(),/:;<=>?@[\\]{}", x->method[k]);
            if (!ok) {
                x->method = NULL;
                x->method_len = 0;
                h->method = NULL;
            }
        }
        redir_result r = redir_inspect(x, h->findings, REDIR_FINDING_LAST_,
                                       &h->nfindings);
        if (r != REDIR_OK) {
            free(in);
            die("cannot inspect a response", redir_strerror(r), 0);
        }
    }
    redir_result r = redir_inspect_chain(in, g.nhops, &opt, g.chain,
                                         REDIR_FINDING_LAST_, &g.nchain);
    free(in);
    if (r != REDIR_OK)
        die("cannot inspect the chain", redir_strerror(r), 0);

    memset(cf, 0, sizeof *cf);
    cf->all_permanent = true;
    for (size_t i = 0; i < g.nhops; i++) {
        const hop *h = &g.hops[i];
        if (is_redirect(h))
            cf->redirects++;
        /* a client went on from here: any 3xx with a Location (curl -L
         * follows them all) */
        if (h->status / 100 != 3 || !location_of(h))
            continue;
        if (i + 1 < g.nhops) {
            cf->followed++;
            if (h->status != 301 && h->status != 308)
                cf->all_permanent = false;
        }
        redir_uri a, b;
        const char *next = i + 1 < g.nhops && g.hops[i + 1].url ? g.hops[i + 1].url
                                                                  : h->target;
        size_t next_len = i + 1 < g.nhops && g.hops[i + 1].url ? g.hops[i + 1].url_len
                                                                 : h->target_len;
        if (parse_abs(h->url, h->url_len, &a) && parse_abs(next, next ? next_len : 0, &b)) {
            if (!(a.parts & REDIR_URI_AUTHORITY) || !(b.parts & REDIR_URI_AUTHORITY) ||
                redir_uri_origin_diff(&a, &b))
                cf->cross_origin = true;
            if (scheme_is(&a, "https") && scheme_is(&b, "http"))
                cf->downgrade = true;
        }
    }
    if (cf->followed == 0)
        cf->all_permanent = false;
}

/* ---- output ------------------------------------------------------------------- */

static void count_findings(const redir_finding *f, size_t n, size_t counts[3])
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned)f[i].severity < 3)
            counts[f[i].severity]++;
}

static void json_findings(jw *w, const redir_finding *f, size_t n)
{
    jw_key(w, "findings");
    jw_array(w);
    for (size_t i = 0; i < n; i++) {
        jw_object(w);
        jw_kstring(w, "id", f[i].name);
        jw_kstring(w, "severity", redir_severity_name(f[i].severity));
        jw_kstring(w, "message", f[i].message);
        jw_kstring(w, "spec", f[i].spec);
        jw_object_end(w);
    }
    jw_array_end(w);
}

static void json_stringn_or_null(jw *w, const char *key, const char *s, size_t n)
{
    jw_key(w, key);
    if (s)
        jw_stringn(w, s, n);
    else
        jw_null(w);
}

static void print_json(const chain_facts *cf, const size_t counts[3], int code)
{
    jw w;
    jw_init(&w, stdout, true);
    jw_object(&w);
    jw_key(&w, "hops");
    jw_array(&w);
    for (size_t i = 0; i < g.nhops; i++) {
        const hop *h = &g.hops[i];
        const redir_header *loc = location_of(h);
        jw_object(&w);
        jw_kint(&w, "index", (long long)i);
        jw_kint(&w, "status", h->status);
        jw_key(&w, "reason");
        jw_stringn(&w, h->reason, h->reason_len);
        jw_kstring(&w, "registered_reason", redir_status_reason(h->status));
        json_stringn_or_null(&w, "method", h->method, h->method_len);
        json_stringn_or_null(&w, "url", h->url, h->url_len);
        json_stringn_or_null(&w, "location", loc ? loc->value : NULL,
                             loc ? loc->value_len : 0);
        json_stringn_or_null(&w, "target", h->target, h->target_len);
        jw_key(&w, "body_length");
        if (h->body_len >= 0)
            jw_int(&w, (long long)h->body_len);
        else
            jw_null(&w);
        json_findings(&w, h->findings, h->nfindings);
        jw_object_end(&w);
    }
    jw_array_end(&w);
    jw_key(&w, "chain");
    jw_object(&w);
    jw_kint(&w, "hops", (long long)cf->followed);
    jw_kint(&w, "responses", (long long)g.nhops);
    jw_kint(&w, "redirects", (long long)cf->redirects);
    jw_kbool(&w, "all_permanent", cf->all_permanent);
    jw_kbool(&w, "any_downgrade", cf->downgrade);
    jw_kbool(&w, "cross_origin", cf->cross_origin);
    const hop *first = &g.hops[0], *last = &g.hops[g.nhops - 1];
    json_stringn_or_null(&w, "first_url", first->url, first->url_len);
    json_stringn_or_null(&w, "final_url", last->url, last->url_len);
    jw_kint(&w, "final_status", last->status);
    jw_kstring(&w, "profile", g.policy->name);
    jw_kint(&w, "max_redirects", g.policy->max_redirects);
    json_findings(&w, g.chain, g.nchain);
    jw_object_end(&w);
    jw_key(&w, "summary");
    jw_object(&w);
    jw_kint(&w, "errors", (long long)counts[REDIR_SEVERITY_ERROR]);
    jw_kint(&w, "warnings", (long long)counts[REDIR_SEVERITY_WARNING]);
    jw_kint(&w, "info", (long long)counts[REDIR_SEVERITY_INFO]);
    jw_kint(&w, "exit_status", code);
    jw_object_end(&w);
    jw_object_end(&w);
    jw_end(&w);
}

/* Text that came from the input: printable ASCII as is, the rest escaped,
 * so that no byte of it can drive the terminal. */
static void put_safe(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            putchar(c);
        else
            printf("\\x%02x", c);
    }
}

static bool colour;

static const char *sev_colour(redir_severity s)
{
    switch (s) {
    case REDIR_SEVERITY_ERROR: return "\033[1;31m";
    case REDIR_SEVERITY_WARNING: return "\033[1;33m";
    case REDIR_SEVERITY_INFO: return "\033[36m";
    }
    return "";
}

static void text_findings(const redir_finding *f, size_t n)
{
    if (n == 0) {
        puts("    no findings");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = redir_severity_name(f[i].severity);
        if (colour)
            printf("    %s%-7s\033[0m  \033[1m%s\033[0m\n", sev_colour(f[i].severity),
                   name, f[i].name);
        else
            printf("    %-7s  %s\n", name, f[i].name);
        char text[2048];
        snprintf(text, sizeof text, "%s (%s)", f[i].message, f[i].spec);
        text_wrap(stdout, text, 13, 13, 79);
    }
}

static void print_text(const chain_facts *cf, const size_t counts[3])
{
    for (size_t i = 0; i < g.nhops; i++) {
        const hop *h = &g.hops[i];
        printf(colour ? "\033[1m%zu\033[0m  " : "%zu  ", i + 1);
        /* "?" where the input does not say the method (raw heads) */
        if (h->method)
            put_safe(h->method, h->method_len);
        else
            fputs("?", stdout);
        fputs(" ", stdout);
        if (h->url)
            put_safe(h->url, h->url_len);
        else
            fputs("(URL unknown)", stdout);
        printf("\n   %d ", h->status);
        put_safe(h->reason, h->reason_len);
        const redir_header *loc = location_of(h);
        if (loc) {
            fputs("  ->  ", stdout);
            if (h->target)
                put_safe(h->target, h->target_len);
            else
                put_safe(loc->value, loc->value_len);
        }
        fputc('\n', stdout);
        text_findings(h->findings, h->nfindings);
        fputc('\n', stdout);
    }
    printf(colour ? "\033[1mchain\033[0m  " : "chain  ");
    printf("%zu response%s, %zu redirect%s followed\n", g.nhops,
           g.nhops == 1 ? "" : "s", cf->followed, cf->followed == 1 ? "" : "s");
    printf("   all permanent: %s, downgrade: %s, cross-origin: %s\n",
           cf->all_permanent ? "yes" : "no", cf->downgrade ? "yes" : "no",
           cf->cross_origin ? "yes" : "no");
    const hop *last = &g.hops[g.nhops - 1];
    fputs("   final: ", stdout);
    if (last->url)
        put_safe(last->url, last->url_len);
    else
        fputs("(URL unknown)", stdout);
    printf(" (%d)\n", last->status);
    text_findings(g.chain, g.nchain);
    printf("\n%zu error%s, %zu warning%s, %zu info\n", counts[REDIR_SEVERITY_ERROR],
           counts[REDIR_SEVERITY_ERROR] == 1 ? "" : "s", counts[REDIR_SEVERITY_WARNING],
           counts[REDIR_SEVERITY_WARNING] == 1 ? "" : "s", counts[REDIR_SEVERITY_INFO]);
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    read_input();
    if (is_verbose())
        parse_verbose();
    else
        parse_raw();
    if (g.nhops == 0)
        die("no final response in the input (only interim 1xx heads)", NULL, 0);

    chain_facts cf;
    analyse(&cf);
    size_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < g.nhops; i++)
        count_findings(g.hops[i].findings, g.hops[i].nfindings, counts);
    count_findings(g.chain, g.nchain, counts);
    int code = counts[REDIR_SEVERITY_ERROR] ? 2 : counts[REDIR_SEVERITY_WARNING] ? 1 : 0;

    /* NO_COLOR (https://no-color.org): set and not empty disables colour */
    const char *nc = getenv("NO_COLOR");
    colour = !g.json && isatty(fileno(stdout)) && !(nc && nc[0]);
    if (g.json)
        print_json(&cf, counts, code);
    else
        print_text(&cf, counts);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "redir-inspect: cannot write the output: %s\n", strerror(errno));
        code = EXIT_UNREADABLE;
    }
    free_all();
    return code;
}
