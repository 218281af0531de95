/* SPDX-License-Identifier: MIT */
/*
 * redir-proxy: a small reverse proxy on libevent's evhttp in front of one
 * plain-http upstream, with redir deciding what to do with the upstream's
 * redirects.
 *
 *   redir-proxy --listen HOST:PORT --upstream http://HOST:PORT
 *               [--public-origin http://HOST:PORT] [--follow STATUSES]
 *               [--allow HOSTS] [--max-hops N] [--cache-size N]
 *               [--profile NAME]
 *
 * Every request goes to the upstream with its method, its headers (less
 * the hop-by-hop ones) and its body, read whole first. A redirect from the
 * upstream is then either
 *
 *  - followed inside the proxy, the way Envoy's internal redirects work:
 *    only for the statuses of --follow, only when the request body was read
 *    whole (or there is none), only to the same scheme and to a host of
 *    --allow, at most --max-hops times; redir_chain_step() gives the next
 *    method, whether the body goes again, the target, and the request
 *    headers to drop (credentials to another origin ...);
 *  - or passed on, with a Location on the upstream's origin rewritten to
 *    the public origin (what nginx's `proxy_redirect default` does).
 *
 * Redirects passed on that a shared cache may keep (301 and 308 by
 * heuristic, others with explicit freshness; redir_cache_evaluate()) are
 * kept in a small LRU cache keyed by method and URL, for as long as they
 * are fresh by a monotonic clock, and repeats are answered from it. Every
 * response carries X-Redir-Cache: HIT or MISS.
 *
 * At start it prints "redir-proxy: listening on HOST:PORT ..." (PORT 0
 * picks a free port). SIGINT or SIGTERM stops it cleanly. Exit status: 0
 * after a signal, 1 when it cannot start, 2 for bad usage.
 */
#include <redir.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define URL_CAP 16384           /* an upstream URL or a Location */
#define HOST_CAP 256
#define MAX_FIELDS 128          /* response header fields handled */
#define MAX_ALLOW 32
#define MAX_BODY (16 << 20)     /* request and response bodies */
#define UPSTREAM_TIMEOUT 30     /* seconds */
#define HEURISTIC_DEFAULT 300   /* seconds of heuristic freshness (301, 308)
                                   without Last-Modified; RFC 9111, 4.2.2 */

/* ---- small helpers ------------------------------------------------------- */

static char ascii_lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* ASCII case-insensitive comparison of (a, n) with the string b. */
static bool ieqn(const char *a, size_t n, const char *b)
{
    size_t i = 0;
    for (; i < n && b[i]; i++)
        if (ascii_lower(a[i]) != ascii_lower(b[i]))
            return false;
    return i == n && !b[i];
}

static bool ieq(const char *a, const char *b) { return ieqn(a, strlen(a), b); }

/* Appends (p, n) to the string in out; false when it does not fit. */
static bool append(char *out, size_t cap, const char *p, size_t n)
{
    size_t len = strlen(out);
    if (n >= cap - len)
        return false;
    if (n)
        memcpy(out + len, p, n);
    out[len + n] = '\0';
    return true;
}

static int64_t monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const struct {
    enum evhttp_cmd_type cmd;
    const char *name;
} methods[] = {
    {EVHTTP_REQ_GET, "GET"},       {EVHTTP_REQ_HEAD, "HEAD"},
    {EVHTTP_REQ_POST, "POST"},     {EVHTTP_REQ_PUT, "PUT"},
    {EVHTTP_REQ_DELETE, "DELETE"}, {EVHTTP_REQ_OPTIONS, "OPTIONS"},
    {EVHTTP_REQ_PATCH, "PATCH"},
};
#define NMETHODS (sizeof methods / sizeof methods[0])

static const char *method_name(enum evhttp_cmd_type cmd)
{
    for (size_t i = 0; i < NMETHODS; i++)
        if (methods[i].cmd == cmd)
            return methods[i].name;
    return NULL;
}

static bool method_cmd(const char *name, size_t len, enum evhttp_cmd_type *cmd)
{
    for (size_t i = 0; i < NMETHODS; i++)
        if (strlen(methods[i].name) == len &&
            !memcmp(methods[i].name, name, len)) {
            *cmd = methods[i].cmd;
            return true;
        }
    return false;
}

/* Hop-by-hop fields (RFC 9110, Section 7.6.1) and those a Connection field
 * names are not forwarded. */
static bool is_hop_by_hop(const struct evkeyvalq *h, const char *name)
{
    static const char *const fixed[] = {"Connection", "Proxy-Connection",
                                        "Keep-Alive", "TE",
                                        "Transfer-Encoding", "Upgrade"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        if (ieq(name, fixed[i]))
            return true;
    for (const struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next) {
        if (!ieq(kv->key, "Connection"))
            continue;
        for (const char *p = kv->value; *p;) {
            p += strspn(p, " \t,");
            size_t n = strcspn(p, ",");
            size_t t = n;
            while (t && (p[t - 1] == ' ' || p[t - 1] == '\t'))
                t--;
            if (t && ieqn(p, t, name))
                return true;
            p += n;
        }
    }
    return false;
}

/* ---- the redirect cache -------------------------------------------------- */

struct cache_entry {
    char *key;        /* "METHOD /target"; NULL: a free slot */
    int status;
    char *reason;
    char *fields;     /* nfields "name\0value\0" pairs */
    size_t nfields;
    char *body;
    size_t body_len;
    int64_t stored_ms, expires_ms; /* monotonic */
    int64_t age;      /* the response's age when stored, seconds */
    uint64_t used;    /* for LRU */
};

struct cache {
    struct cache_entry *e;
    size_t size;
    uint64_t tick;
};

static void entry_clear(struct cache_entry *e)
{
    free(e->key);
    free(e->reason);
    free(e->fields);
    free(e->body);
    memset(e, 0, sizeof *e);
}

/* A fresh entry for key, or NULL. Stale entries are dropped on the way. */
static struct cache_entry *cache_get(struct cache *c, const char *key)
{
    int64_t now = monotonic_ms();
    for (size_t i = 0; i < c->size; i++) {
        struct cache_entry *e = &c->e[i];
        if (!e->key || strcmp(e->key, key))
            continue;
        if (now >= e->expires_ms) {
            entry_clear(e);
            return NULL;
        }
        e->used = ++c->tick;
        return e;
    }
    return NULL;
}

/* The slot for key: its own, a free one, or the least recently used. */
static struct cache_entry *cache_slot(struct cache *c, const char *key)
{
    struct cache_entry *victim = NULL;
    for (size_t i = 0; i < c->size; i++) {
        struct cache_entry *e = &c->e[i];
        if (e->key && !strcmp(e->key, key))
            return e;
        if (!victim || (victim->key && (!e->key || e->used < victim->used)))
            victim = e;
    }
    return victim;
}

/* ---- the proxy ----------------------------------------------------------- */

struct allow {
    char host[HOST_CAP]; /* as written in a URL; IPv6 with brackets */
    int port;            /* -1: any */
};

struct exchange;

struct proxy {
    struct event_base *base;
    struct evhttp *http;
    redir_policy policy;          /* the profile, with --max-hops */
    char upstream[512];           /* "http://host:port", no trailing '/' */
    redir_uri upstream_uri;       /* views into upstream */
    char public_origin[512];      /* no trailing '/' */
    bool follow[600];             /* statuses followed internally */
    struct allow allow[MAX_ALLOW];
    size_t nallow;
    struct cache cache;
    struct exchange *live;        /* requests in flight */
};

/* One client request and the upstream requests made for it. */
struct exchange {
    struct proxy *px;
    struct exchange *prev, *next;
    struct evhttp_request *down;      /* the client's; NULL once it is gone */
    struct evhttp_connection *upconn; /* the upstream request in flight */
    bool up_failed;
    char *key;                        /* "METHOD /target", for the cache */
    bool cache_allowed;               /* the client did not say no-cache */
    bool authorization;               /* the request carried Authorization */
    char method[16];                  /* of the current hop */
    const char *url;                  /* of the current hop */
    char first[URL_CAP];              /* the first upstream URL */
    char hop[2][URL_CAP];             /* later ones, in turn */
    unsigned char *body;
    size_t body_len;
    bool body_buffered, has_body;
    redir_header headers[REDIR_MAX_HEADERS]; /* forwarded, strdup'ed */
    size_t nheaders;
    redir_chain chain;
    unsigned hops;                    /* redirects followed */
    const char *note;                 /* why a redirect was passed on */
};

static void on_client_close(struct evhttp_connection *conn, void *arg)
{
    (void)conn;
    struct exchange *x = arg;
    x->down = NULL; /* libevent frees the request; reply to nobody */
}

static struct exchange *exchange_new(struct proxy *px,
                                     struct evhttp_request *down)
{
    struct exchange *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->px = px;
    x->down = down;
    x->next = px->live;
    if (px->live)
        px->live->prev = x;
    px->live = x;
    evhttp_connection_set_closecb(evhttp_request_get_connection(down),
                                  on_client_close, x);
    return x;
}

static void exchange_free(struct exchange *x)
{
    if (x->down)
        evhttp_connection_set_closecb(evhttp_request_get_connection(x->down),
                                      NULL, NULL);
    if (x->prev)
        x->prev->next = x->next;
    else
        x->px->live = x->next;
    if (x->next)
        x->next->prev = x->prev;
    for (size_t i = 0; i < x->nheaders; i++) {
        free((char *)(uintptr_t)x->headers[i].name);
        free((char *)(uintptr_t)x->headers[i].value);
    }
    free(x->body);
    free(x->key);
    free(x);
}

struct field {
    const char *name, *value;
};

/* Answers the client and ends the exchange. age >= 0 adds an Age field. */
static void reply(struct exchange *x, int status, const char *reason,
                  const struct field *f, size_t n, const char *cache_state,
                  int64_t age, const void *body, size_t len)
{
    if (x->down) {
        struct evkeyvalq *h = evhttp_request_get_output_headers(x->down);
        for (size_t i = 0; i < n; i++)
            evhttp_add_header(h, f[i].name, f[i].value);
        if (age >= 0) {
            char a[24];
            snprintf(a, sizeof a, "%lld", (long long)age);
            evhttp_add_header(h, "Age", a);
        }
        evhttp_add_header(h, "X-Redir-Cache", cache_state);
        struct evbuffer *b = evbuffer_new();
        if (b && len)
            evbuffer_add(b, body, len);
        fprintf(stderr, "redir-proxy: \"%s\" %d %s, %u hop%s followed%s%s\n",
                x->key ? x->key : "?", status, cache_state, x->hops,
                x->hops == 1 ? "" : "s", x->note ? "; " : "",
                x->note ? x->note : "");
        evhttp_connection_set_closecb(evhttp_request_get_connection(x->down),
                                      NULL, NULL);
        evhttp_send_reply(x->down, status, reason, b);
        x->down = NULL;
        if (b)
            evbuffer_free(b);
    }
    exchange_free(x);
}

static void reply_error(struct exchange *x, int status, const char *msg)
{
    static const struct field f[] = {{"Content-Type", "text/plain"}};
    char body[512];
    int n = snprintf(body, sizeof body, "redir-proxy: %s\n", msg);
    x->note = msg;
    reply(x, status, redir_status_reason(status), f, 1, "MISS", -1, body,
          (size_t)n < sizeof body ? (size_t)n : sizeof body - 1);
}

/* nginx's `proxy_redirect default`: a Location on the upstream's origin is
 * rewritten to the public origin. A relative Location from the upstream
 * stays as it is (the client resolves it against the public origin); one
 * from another host, after an internal redirect, is made absolute. Writes
 * the new value to out and returns true, or returns false to keep it. */
static bool rewrite_location(const struct proxy *px, const char *hop_url,
                             const char *loc, char *out, size_t cap)
{
    redir_uri l, hop, abs;
    char buf[URL_CAP];
    size_t n;
    if (redir_uri_parse(loc, strlen(loc), 0, &l) != REDIR_OK ||
        redir_uri_parse(hop_url, strlen(hop_url), 0, &hop) != REDIR_OK)
        return false;
    bool from_upstream = redir_uri_origin_diff(&hop, &px->upstream_uri) == 0;
    if (from_upstream && !(l.parts & (REDIR_URI_SCHEME | REDIR_URI_AUTHORITY)))
        return false;
    if (redir_resolve(hop_url, strlen(hop_url), loc, strlen(loc), buf,
                      sizeof buf, &n) != REDIR_OK ||
        redir_uri_parse(buf, n, 0, &abs) != REDIR_OK)
        return false;
    if ((abs.parts & REDIR_URI_AUTHORITY) &&
        redir_uri_origin_diff(&abs, &px->upstream_uri) == 0) {
        const char *rest = abs.authority.ptr + abs.authority.len;
        int w = snprintf(out, cap, "%s%s", px->public_origin, rest);
        return w > 0 && (size_t)w < cap;
    }
    if (from_upstream || n >= cap)
        return false;
    memcpy(out, buf, n + 1);
    return true;
}

static bool host_allowed(const struct proxy *px, const redir_uri *u)
{
    int port = redir_uri_port(u);
    for (size_t i = 0; i < px->nallow; i++)
        if (ieqn(u->host.ptr, u->host.len, px->allow[i].host) &&
            (px->allow[i].port < 0 || px->allow[i].port == port))
            return true;
    return false;
}

static void send_hop(struct exchange *x);

/* Keeps a redirect passed on to the client, when a shared cache may. */
static void cache_store(struct exchange *x, int status, const char *reason,
                        const redir_header *rf, size_t nrf,
                        const struct field *f, size_t n, const char *body,
                        size_t len)
{
    struct proxy *px = x->px;
    if (!px->cache.size || x->hops > 0 || status < 300 || status > 308)
        return;
    for (size_t i = 0; i < nrf; i++)
        if (ieqn(rf[i].name, rf[i].name_len, "Vary"))
            return; /* the key has no room for the fields it names */
    /* redir: may a shared cache store this response, and for how long? */
    redir_cache_input in = {
        .status = status,
        .method = x->method, .method_len = strlen(x->method),
        .headers = rf, .header_count = nrf,
        .authorization = x->authorization,
        .now = (int64_t)time(NULL),
        .heuristic_percent = 10,
        .heuristic_default = HEURISTIC_DEFAULT,
    };
    redir_cache_result cr;
    if (redir_cache_evaluate(&in, &cr) != REDIR_OK)
        return;
    const redir_cache_verdict *v = &cr.shared_cache;
    if (!v->storable || !v->fresh || v->must_revalidate || v->ttl <= 0)
        return;

    struct cache_entry *e = cache_slot(&px->cache, x->key);
    entry_clear(e);
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(f[i].name) + strlen(f[i].value) + 2;
    e->key = strdup(x->key);
    e->reason = strdup(reason);
    e->fields = malloc(total ? total : 1);
    e->body = malloc(len ? len : 1);
    if (!e->key || !e->reason || !e->fields || !e->body) {
        entry_clear(e);
        return;
    }
    char *p = e->fields;
    for (size_t i = 0; i < n; i++) {
        size_t a = strlen(f[i].name) + 1, b = strlen(f[i].value) + 1;
        memcpy(p, f[i].name, a);
        memcpy(p + a, f[i].value, b);
        p += a + b;
    }
    e->nfields = n;
    memcpy(e->body, body, len);
    e->body_len = len;
    e->status = status;
    e->age = v->age;
    e->stored_ms = monotonic_ms();
    e->expires_ms = e->stored_ms + v->ttl * 1000;
    e->used = ++px->cache.tick;
}

static void reply_from_cache(struct exchange *x, const struct cache_entry *e)
{
    struct field f[MAX_FIELDS];
    const char *p = e->fields;
    for (size_t i = 0; i < e->nfields && i < MAX_FIELDS; i++) {
        f[i].name = p;
        p += strlen(p) + 1;
        f[i].value = p;
        p += strlen(p) + 1;
    }
    int64_t age = e->age + (monotonic_ms() - e->stored_ms) / 1000;
    x->note = "from the cache";
    reply(x, e->status, e->reason, f, e->nfields, "HIT", age, e->body,
          e->body_len);
}

/* The upstream's response goes to the client: hop-by-hop fields out,
 * Location rewritten, kept in the cache when it may be. */
static void pass_on(struct exchange *x, struct evhttp_request *up, int status,
                    const redir_header *rf, size_t nrf)
{
    const struct evkeyvalq *in = evhttp_request_get_input_headers(up);
    struct field f[MAX_FIELDS];
    size_t n = 0;
    char loc[URL_CAP];
    for (size_t i = 0; i < nrf; i++) {
        const char *name = rf[i].name, *value = rf[i].value;
        if (is_hop_by_hop(in, name) || ieq(name, "Content-Length") ||
            ieq(name, "Age") || ieq(name, "X-Redir-Cache"))
            continue; /* evhttp writes Content-Length; ours: see below */
        if (ieq(name, "Location") && status / 100 == 3 &&
            rewrite_location(x->px, x->url, value, loc, sizeof loc))
            value = loc;
        f[n++] = (struct field){name, value};
    }
    int64_t age = -1;
    const char *age_v = evhttp_find_header(in, "Age");
    if (age_v)
        age = strtoll(age_v, NULL, 10);

    struct evbuffer *b = evhttp_request_get_input_buffer(up);
    size_t len = evbuffer_get_length(b);
    const char *body = len ? (const char *)evbuffer_pullup(b, -1) : "";
    const char *reason = evhttp_request_get_response_code_line(up);
    if (!reason || !*reason)
        reason = redir_status_reason(status);
    if (x->cache_allowed)
        cache_store(x, status, reason, rf, nrf, f, n, body, len);
    reply(x, status, reason, f, n, "MISS", age, body, len);
}

/* Envoy's internal redirects, decided by redir. Returns false (with
 * x->note saying why) to pass the redirect on instead. */
static bool try_follow(struct exchange *x, int status, const redir_header *rf,
                       size_t nrf)
{
    struct proxy *px = x->px;
    if (!px->follow[status]) {
        x->note = "status not in --follow";
        return false;
    }
    /* Only a request whose body was read whole can be sent again. */
    if (!x->body_buffered) {
        x->note = "request body not buffered";
        return false;
    }

    /* redir: the request that got this response, and the response. */
    redir_request req = {
        .method = x->method, .method_len = strlen(x->method),
        .url = x->url, .url_len = strlen(x->url),
        .body = x->has_body ? REDIR_BODY_REPLAYABLE : REDIR_BODY_NONE,
        .headers = x->headers, .header_count = x->nheaders,
    };
    redir_response resp = {.status = status, .headers = rf,
                           .header_count = nrf};
    char *next = x->hop[x->hops % 2];
    redir_decision d;
    redir_result r =
        redir_chain_step(&x->chain, &req, &resp, next, URL_CAP, &d);
    if (r != REDIR_OK) {
        x->note = redir_strerror(r);
        return false;
    }
    if (d.verdict != REDIR_VERDICT_FOLLOW) { /* hop limit, loop, bad ... */
        x->note = redir_verdict_name(d.verdict);
        return false;
    }
    /* Envoy's conditions on the target: same scheme, allowed host. */
    redir_uri t, cur;
    if (redir_uri_parse(d.url, d.url_len, 0, &t) != REDIR_OK ||
        redir_uri_parse(x->url, strlen(x->url), 0, &cur) != REDIR_OK ||
        (redir_uri_origin_diff(&t, &cur) & REDIR_ORIGIN_SCHEME)) {
        x->note = "another scheme";
        return false;
    }
    if (!host_allowed(px, &t)) {
        x->note = "host not in --allow";
        return false;
    }
    enum evhttp_cmd_type cmd;
    if (!method_cmd(d.method, d.method_len, &cmd)) {
        x->note = "method evhttp cannot send";
        return false;
    }

    /* redir: follow with the decision's method, body and headers. */
    memcpy(x->method, d.method, d.method_len);
    x->method[d.method_len] = '\0';
    if (d.body != REDIR_BODY_KEEP) {
        free(x->body);
        x->body = NULL;
        x->body_len = 0;
        x->has_body = false;
    }
    size_t kept = 0;
    for (size_t i = 0; i < x->nheaders; i++) {
        if (d.header_actions[i] == REDIR_HEADER_KEEP) {
            x->headers[kept++] = x->headers[i];
        } else { /* dropped, or to regenerate: the proxy has no jar */
            free((char *)(uintptr_t)x->headers[i].name);
            free((char *)(uintptr_t)x->headers[i].value);
        }
    }
    x->nheaders = kept;
    x->url = next;
    x->hops++;
    x->note = NULL;
    send_hop(x);
    return true;
}

/* libevent reports a refused connection as a timeout: both are 502. */
static void on_upstream_error(enum evhttp_request_error err, void *arg)
{
    (void)err;
    struct exchange *x = arg;
    x->up_failed = true;
}

/* libevent must not free a connection inside its own callback, and does
 * not free one that failed to connect: each upstream connection is freed
 * here, just after its callback has returned. */
static void free_connection(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    evhttp_connection_free(arg);
}

static void on_upstream(struct evhttp_request *up, void *arg)
{
    struct exchange *x = arg;
    if (x->upconn)
        event_base_once(x->px->base, -1, EV_TIMEOUT, free_connection,
                        x->upconn, NULL);
    x->upconn = NULL;
    if (!x->down) { /* the client has gone */
        exchange_free(x);
        return;
    }
    int status = up ? evhttp_request_get_response_code(up) : 0;
    if (x->up_failed || status < 100 || status > 599) {
        reply_error(x, 502, "the upstream did not answer");
        return;
    }
    redir_header rf[MAX_FIELDS];
    size_t nrf = 0;
    const struct evkeyvalq *in = evhttp_request_get_input_headers(up);
    for (const struct evkeyval *kv = in->tqh_first; kv && nrf < MAX_FIELDS;
         kv = kv->next.tqe_next)
        rf[nrf++] = (redir_header){kv->key, strlen(kv->key), kv->value,
                                   strlen(kv->value)};
    if (status / 100 == 3 && try_follow(x, status, rf, nrf))
        return;
    if (status / 100 != 3)
        x->note = NULL;
    pass_on(x, up, status, rf, nrf);
}

/* Sends the current hop's request to its origin. */
static void send_hop(struct exchange *x)
{
    redir_uri u;
    enum evhttp_cmd_type cmd;
    if (redir_uri_parse(x->url, strlen(x->url), 0, &u) != REDIR_OK ||
        !method_cmd(x->method, strlen(x->method), &cmd)) {
        reply_error(x, 502, "cannot send this request upstream");
        return;
    }
    /* The host to connect to (an IPv6 literal without its brackets), the
     * Host field, and the request target (path and query). */
    char host[HOST_CAP] = "", authority[HOST_CAP + 8] = "";
    char target[URL_CAP] = "";
    bool v6 = u.host_type == REDIR_HOST_IPV6;
    bool has_port = (u.parts & REDIR_URI_PORT) != 0;
    bool has_query = (u.parts & REDIR_URI_QUERY) != 0;
    if (!append(host, sizeof host, u.host.ptr + v6, u.host.len - 2 * v6) ||
        !append(authority, sizeof authority, u.host.ptr, u.host.len) ||
        !append(authority, sizeof authority, ":", has_port) ||
        !append(authority, sizeof authority, u.port.ptr, u.port.len) ||
        !append(target, sizeof target, "/", u.path.len == 0) ||
        !append(target, sizeof target, u.path.ptr, u.path.len) ||
        !append(target, sizeof target, "?", has_query) ||
        !append(target, sizeof target, u.query.ptr, u.query.len)) {
        reply_error(x, 502, "the upstream host or target is too long");
        return;
    }
    int port = redir_uri_port(&u);

    struct evhttp_connection *conn = evhttp_connection_base_new(
        x->px->base, NULL, host, (unsigned short)port);
    struct evhttp_request *up = evhttp_request_new(on_upstream, x);
    if (!conn || !up) {
        if (conn)
            evhttp_connection_free(conn);
        if (up)
            evhttp_request_free(up);
        reply_error(x, 502, "cannot reach the upstream");
        return;
    }
    evhttp_connection_set_timeout(conn, UPSTREAM_TIMEOUT);
    evhttp_connection_set_max_body_size(conn, MAX_BODY);
    evhttp_request_set_error_cb(up, on_upstream_error);
    struct evkeyvalq *out = evhttp_request_get_output_headers(up);
    evhttp_add_header(out, "Host", authority);
    for (size_t i = 0; i < x->nheaders; i++)
        evhttp_add_header(out, x->headers[i].name, x->headers[i].value);
    if (x->has_body) {
        char cl[24];
        snprintf(cl, sizeof cl, "%zu", x->body_len);
        evhttp_add_header(out, "Content-Length", cl);
        evbuffer_add(evhttp_request_get_output_buffer(up), x->body,
                     x->body_len);
    }
    x->up_failed = false;
    if (evhttp_make_request(conn, up, cmd, target) != 0) {
        evhttp_connection_free(conn);
        reply_error(x, 502, "cannot send the request upstream");
        return;
    }
    x->upconn = conn;
}

/* Cache-Control: no-cache (or no-store, max-age=0) or Pragma: no-cache in
 * the request: do not answer from the cache (RFC 9111, Section 5.2.1). */
static bool request_allows_cache(const struct evkeyvalq *h)
{
    redir_cache_control cc;
    memset(&cc, 0, sizeof cc);
    bool merge = false;
    for (const struct evkeyval *kv = h->tqh_first; kv; kv = kv->next.tqe_next) {
        if (ieq(kv->key, "Pragma") && strstr(kv->value, "no-cache"))
            return false;
        if (ieq(kv->key, "Cache-Control") &&
            redir_cache_control_parse(kv->value, strlen(kv->value), merge,
                                      &cc) == REDIR_OK)
            merge = true;
    }
    return !(cc.directives & (REDIR_CC_NO_CACHE | REDIR_CC_NO_STORE)) &&
           !((cc.directives & REDIR_CC_MAX_AGE) && cc.max_age == 0);
}

static void on_request(struct evhttp_request *down, void *arg)
{
    struct proxy *px = arg;
    struct exchange *x = exchange_new(px, down);
    if (!x) {
        evhttp_send_error(down, 500, NULL);
        return;
    }
    const char *method = method_name(evhttp_request_get_command(down));
    const char *uri = evhttp_request_get_uri(down);
    size_t klen = strlen(uri) + 16;
    x->key = malloc(klen);
    if (!x->key || !method) {
        reply_error(x, x->key ? 501 : 500, "method not supported");
        return;
    }
    snprintf(x->key, klen, "%s %s", method, uri);
    snprintf(x->method, sizeof x->method, "%s", method);
    if (uri[0] != '/') {
        reply_error(x, 400, "the request target must be a path");
        return;
    }
    int w = snprintf(x->first, sizeof x->first, "%s%s", px->upstream, uri);
    if (w < 0 || (size_t)w >= sizeof x->first) {
        reply_error(x, 414, "the request target is too long");
        return;
    }

    /* A fresh redirect from the cache? */
    const struct evkeyvalq *in = evhttp_request_get_input_headers(down);
    x->cache_allowed = request_allows_cache(in);
    struct cache_entry *e = x->cache_allowed ? cache_get(&px->cache, x->key)
                                             : NULL;
    if (e) {
        reply_from_cache(x, e);
        return;
    }

    /* The headers to forward: not hop-by-hop, not Host (set per hop), not
     * Content-Length (evhttp writes it), not Expect (the body is here). */
    for (const struct evkeyval *kv = in->tqh_first; kv;
         kv = kv->next.tqe_next) {
        if (is_hop_by_hop(in, kv->key) || ieq(kv->key, "Host") ||
            ieq(kv->key, "Content-Length") || ieq(kv->key, "Expect"))
            continue;
        if (x->nheaders == REDIR_MAX_HEADERS) {
            reply_error(x, 431, "too many request header fields");
            return;
        }
        redir_header *hd = &x->headers[x->nheaders];
        char *name = strdup(kv->key), *value = strdup(kv->value);
        if (!name || !value) {
            free(name);
            free(value);
            reply_error(x, 500, "out of memory");
            return;
        }
        *hd = (redir_header){name, strlen(name), value, strlen(value)};
        x->nheaders++;
        if (ieq(name, "Authorization"))
            x->authorization = true;
    }

    /* evhttp calls us once the whole body has been read (no chunk
     * callback is set): the body is fully buffered, the condition for
     * sending it again after a redirect. */
    struct evbuffer *body = evhttp_request_get_input_buffer(down);
    x->body_len = evbuffer_get_length(body);
    x->body_buffered = true;
    x->has_body = x->body_len > 0;
    if (x->has_body) {
        x->body = malloc(x->body_len);
        if (!x->body) {
            reply_error(x, 500, "out of memory");
            return;
        }
        evbuffer_copyout(body, x->body, x->body_len);
    }

    /* redir: the chain of this request (hop limit, loops). */
    if (redir_chain_init(&x->chain, &px->policy, x->method,
                         strlen(x->method), x->first,
                         strlen(x->first)) != REDIR_OK) {
        reply_error(x, 400, "bad request target");
        return;
    }
    x->url = x->first;
    send_hop(x);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
    (void)what;
    struct proxy *px = arg;
    fprintf(stderr, "redir-proxy: signal %d, shutting down\n", (int)sig);
    event_base_loopexit(px->base, NULL);
}

/* ---- command line -------------------------------------------------------- */

static void usage(FILE *out)
{
    fputs("usage: redir-proxy --listen HOST:PORT --upstream http://HOST:PORT\n"
          "                   [--public-origin http://HOST:PORT]\n"
          "                   [--follow STATUSES] [--allow HOSTS]\n"
          "                   [--max-hops N] [--cache-size N]\n"
          "                   [--profile NAME]\n"
          "\n"
          "A reverse proxy that follows the upstream's redirects inside\n"
          "(statuses of --follow, default 301,302,303,307,308, to hosts of\n"
          "--allow, default the upstream's, at most --max-hops, default 5)\n"
          "or passes them on with Location rewritten to the public origin,\n"
          "and caches cacheable redirects (--cache-size entries, default\n"
          "128). --allow takes host or host:port entries, comma-separated.\n"
          "--profile picks the redir profile (default rfc9110).\n",
          out);
}

static int usage_error(const char *what, const char *detail)
{
    fprintf(stderr, "redir-proxy: %s%s%s\n", what, detail ? ": " : "",
            detail ? detail : "");
    return 2;
}

/* "host:port" or "[v6]:port" into host (brackets kept) and port. */
static bool split_host_port(const char *s, char *host, size_t cap, int *port,
                            bool port_required)
{
    const char *colon = s[0] == '[' ? strstr(s, "]:") : strrchr(s, ':');
    if (s[0] == '[' && colon)
        colon++;
    const char *end = colon ? colon : s + strlen(s);
    if (end == s || (size_t)(end - s) >= cap || (!colon && port_required))
        return false;
    memcpy(host, s, (size_t)(end - s));
    host[end - s] = '\0';
    *port = -1;
    if (colon) {
        char *e;
        long p = strtol(colon + 1, &e, 10);
        if (*e || e == colon + 1 || p < 0 || p > 65535)
            return false;
        *port = (int)p;
    }
    return true;
}

/* An http origin: scheme, host, optional port, nothing else. */
static bool parse_origin(const char *s, char *out, size_t cap, redir_uri *u,
                         bool https_too)
{
    size_t n = strlen(s);
    while (n && s[n - 1] == '/')
        n--;
    if (n >= cap)
        return false;
    memcpy(out, s, n);
    out[n] = '\0';
    if (redir_uri_parse(out, n, 0, u) != REDIR_OK || !u->host.len ||
        (u->parts & (REDIR_URI_USERINFO | REDIR_URI_QUERY |
                     REDIR_URI_FRAGMENT)) || u->path.len)
        return false;
    return ieqn(u->scheme.ptr, u->scheme.len, "http") ||
           (https_too && ieqn(u->scheme.ptr, u->scheme.len, "https"));
}

struct config {
    const char *listen, *upstream, *public_origin, *follow, *allow, *profile;
    long max_hops, cache_size;
};

static int parse_args(int argc, char **argv, struct config *c)
{
    c->follow = "301,302,303,307,308";
    c->max_hops = 5;
    c->cache_size = 128;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
            usage(stdout);
            exit(0);
        }
        if (i + 1 >= argc)
            return usage_error("unknown option or missing value", s);
        const char *v = argv[++i];
        char *end;
        if (!strcmp(s, "--listen")) {
            c->listen = v;
        } else if (!strcmp(s, "--upstream")) {
            c->upstream = v;
        } else if (!strcmp(s, "--public-origin")) {
            c->public_origin = v;
        } else if (!strcmp(s, "--follow")) {
            c->follow = v;
        } else if (!strcmp(s, "--allow")) {
            c->allow = v;
        } else if (!strcmp(s, "--profile")) {
            c->profile = v;
        } else if (!strcmp(s, "--max-hops")) {
            c->max_hops = strtol(v, &end, 10);
            if (*end || end == v || c->max_hops < 0 || c->max_hops > 100)
                return usage_error("--max-hops takes 0 to 100", v);
        } else if (!strcmp(s, "--cache-size")) {
            c->cache_size = strtol(v, &end, 10);
            if (*end || end == v || c->cache_size < 0 ||
                c->cache_size > 1000000)
                return usage_error("--cache-size takes 0 to 1000000", v);
        } else {
            usage(stderr);
            return usage_error("unknown option", s);
        }
    }
    if (!c->listen || !c->upstream) {
        usage(stderr);
        return 2;
    }
    return 0;
}

static int configure(struct proxy *px, const struct config *c)
{
    if (REDIR_POLICY_INIT(&px->policy, c->profile) != REDIR_OK)
        return usage_error("no such profile", c->profile);
    px->policy.max_redirects = (unsigned)c->max_hops;
    if (!parse_origin(c->upstream, px->upstream, sizeof px->upstream,
                      &px->upstream_uri, false))
        return usage_error("--upstream must be http://HOST[:PORT]",
                           c->upstream);
    for (const char *p = c->follow; *p;) {
        size_t n = strcspn(p, ",");
        int st;
        if (redir_status_parse(p, n, &st) != REDIR_OK || st / 100 != 3)
            return usage_error("--follow takes 3xx statuses", c->follow);
        px->follow[st] = true;
        p += n + (p[n] == ',');
    }
    if (c->allow) {
        for (const char *p = c->allow; *p;) {
            size_t n = strcspn(p, ",");
            char item[HOST_CAP];
            if (px->nallow == MAX_ALLOW || n >= sizeof item)
                return usage_error("--allow: too many or too long", c->allow);
            memcpy(item, p, n);
            item[n] = '\0';
            struct allow *a = &px->allow[px->nallow++];
            if (!split_host_port(item, a->host, sizeof a->host, &a->port,
                                 false))
                return usage_error("--allow takes host or host:port", item);
            p += n + (p[n] == ',');
        }
    } else { /* the upstream's host, any port */
        const redir_uri *u = &px->upstream_uri;
        if (!append(px->allow[0].host, HOST_CAP, u->host.ptr, u->host.len))
            return usage_error("--upstream: host too long", c->upstream);
        px->allow[0].port = -1;
        px->nallow = 1;
    }
    px->cache.size = (size_t)c->cache_size;
    if (px->cache.size) {
        px->cache.e = calloc(px->cache.size, sizeof *px->cache.e);
        if (!px->cache.e)
            return usage_error("--cache-size: out of memory", NULL);
    }
    return 0;
}

/* The port the listening socket got (for PORT 0). */
static int bound_port(struct evhttp_bound_socket *bs)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss,
                    &len) != 0)
        return -1;
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int main(int argc, char **argv)
{
    struct config c;
    memset(&c, 0, sizeof c);
    int rc = parse_args(argc, argv, &c);
    if (rc)
        return rc;
    struct proxy *px = calloc(1, sizeof *px);
    if (!px)
        return 1;
    rc = configure(px, &c);
    char host[HOST_CAP];
    int port = -1;
    if (!rc && !split_host_port(c.listen, host, sizeof host, &port, true))
        rc = usage_error("--listen takes HOST:PORT", c.listen);
    if (rc) {
        free(px->cache.e);
        free(px);
        return rc;
    }

    signal(SIGPIPE, SIG_IGN);
    px->base = event_base_new();
    px->http = px->base ? evhttp_new(px->base) : NULL;
    struct event *sigint = NULL, *sigterm = NULL;
    struct evhttp_bound_socket *bs = NULL;
    if (px->http) {
        char bind_host[HOST_CAP];
        snprintf(bind_host, sizeof bind_host, "%.*s",
                 host[0] == '[' ? (int)strlen(host) - 2 : (int)strlen(host),
                 host[0] == '[' ? host + 1 : host);
        evhttp_set_allowed_methods(
            px->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                          EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE |
                          EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
        evhttp_set_default_content_type(px->http, NULL);
        evhttp_set_max_body_size(px->http, MAX_BODY);
        evhttp_set_timeout(px->http, 60);
        evhttp_set_gencb(px->http, on_request, px);
        bs = evhttp_bind_socket_with_handle(px->http, bind_host,
                                            (unsigned short)port);
        sigint = evsignal_new(px->base, SIGINT, on_signal, px);
        sigterm = evsignal_new(px->base, SIGTERM, on_signal, px);
    }
    if (!bs || !sigint || !sigterm || event_add(sigint, NULL) ||
        event_add(sigterm, NULL)) {
        fprintf(stderr, "redir-proxy: cannot listen on %s\n", c.listen);
        rc = 1;
    } else {
        port = bound_port(bs);
        if (c.public_origin) {
            redir_uri u;
            if (!parse_origin(c.public_origin, px->public_origin,
                              sizeof px->public_origin, &u, true))
                rc = usage_error("--public-origin must be http://HOST[:PORT]",
                                 c.public_origin);
        } else {
            snprintf(px->public_origin, sizeof px->public_origin,
                     "http://%s:%d", host, port);
        }
    }
    if (!rc) {
        printf("redir-proxy: listening on %s:%d, upstream %s, public origin "
               "%s, profile %s\n",
               host, port, px->upstream, px->public_origin, px->policy.name);
        fflush(stdout);
        event_base_dispatch(px->base);
    }

    /* Shutdown: requests still waiting for the upstream are dropped. */
    while (px->live) {
        if (px->live->upconn)
            evhttp_connection_free(px->live->upconn);
        exchange_free(px->live);
    }
    if (px->http)
        evhttp_free(px->http);
    if (px->base) /* the connections still to free */
        event_base_loop(px->base, EVLOOP_NONBLOCK);
    if (sigint)
        event_free(sigint);
    if (sigterm)
        event_free(sigterm);
    if (px->base)
        event_base_free(px->base);
    for (size_t i = 0; i < px->cache.size; i++)
        entry_clear(&px->cache.e[i]);
    free(px->cache.e);
    free(px);
    return rc;
}
