/* SPDX-License-Identifier: MIT */
/* redir_explain(): a decision in sentences, into the caller's buffer. */
#include "util.h"

#include "redir.h"

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *s, size_t n)
{
    if (n && o->buf && o->len + n <= o->cap)
        memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void puts_(out *o, const char *s)
{
    put(o, s, strlen(s));
}

/* Names of the request headers given the action, "A, B and C". */
static size_t names_with(out *o, const redir_decision *d,
                         const redir_request *req, redir_header_action want,
                         unsigned classes)
{
    size_t n = 0, total = 0;
    size_t count = 0;
    if (req && req->headers)
        count = d->header_count < req->header_count ? d->header_count
                                                    : req->header_count;
    if (count > REDIR_MAX_HEADERS)
        count = REDIR_MAX_HEADERS;
    for (size_t i = 0; i < count; i++)
        if (d->header_actions[i] == want &&
            (redir_header_class(req->headers[i].name, req->headers[i].name_len) &
             classes))
            total++;
    for (size_t i = 0; i < count; i++) {
        if (d->header_actions[i] != want ||
            !(redir_header_class(req->headers[i].name, req->headers[i].name_len) &
              classes))
            continue;
        if (n)
            puts_(o, n + 1 == total ? " and " : ", ");
        put(o, req->headers[i].name, req->headers[i].name_len);
        n++;
    }
    return total;
}

static size_t count_with(const redir_decision *d, const redir_request *req,
                         redir_header_action want, unsigned classes)
{
    out sink = {NULL, 0, 0};
    return names_with(&sink, d, req, want, classes);
}

redir_result redir_explain(const redir_decision *d, const redir_request *req,
                           char *buf, size_t cap, size_t *len)
{
    if (!d || !len || (!buf && cap))
        return REDIR_E_NULL;
    out o = {buf, cap, 0};
    if (d->verdict == REDIR_VERDICT_ERROR || d->verdict >= REDIR_VERDICT_LAST_ ||
        !d->reason)
        puts_(&o, "No decision was made: the request, the response or the "
                  "policy was refused.");
    else
        puts_(&o, d->reason);
    if (d->verdict == REDIR_VERDICT_BAD_LOCATION && d->error != REDIR_OK) {
        puts_(&o, " (");
        puts_(&o, redir_strerror(d->error));
        puts_(&o, ".)");
    }
    if (d->verdict == REDIR_VERDICT_FOLLOW && d->method && d->url) {
        puts_(&o, " The next request is ");
        put(&o, d->method, d->method_len);
        puts_(&o, " ");
        put(&o, d->url, d->url_len);
        puts_(&o, d->body == REDIR_BODY_KEEP
                      ? ", with the same content, if any."
                      : ", without content.");
        if (d->flags & REDIR_DF_BODY_DROPPED)
            puts_(&o, " The request's content is not sent again.");
    } else if (d->url && d->verdict != REDIR_VERDICT_ERROR) {
        puts_(&o, " The target would have been ");
        put(&o, d->url, d->url_len);
        puts_(&o, ".");
    }
    unsigned f = d->flags;
    if (f & REDIR_DF_LOCATION_REPAIRED)
        puts_(&o, " The Location was not a valid URI reference; this policy "
                  "repaired it by percent-encoding the bytes that were not "
                  "allowed.");
    if (f & REDIR_DF_FRAGMENT_INHERITED)
        puts_(&o, " The Location has no fragment, so the request URL's "
                  "fragment carries over (RFC 9110, Section 10.2.2).");
    if (f & REDIR_DF_DOWNGRADE)
        puts_(&o, " The target uses http after https: the next request "
                  "travels unencrypted, and a Referer must not be sent "
                  "(RFC 9110, Section 10.1.3).");
    else if (f & REDIR_DF_CROSS_ORIGIN)
        puts_(&o, " The target is on another origin (scheme, host or port "
                  "differ).");
    if (d->verdict == REDIR_VERDICT_FOLLOW && req && req->headers) {
        if (count_with(d, req, REDIR_HEADER_DROP, REDIR_HC_CREDENTIALS) ||
            count_with(d, req, REDIR_HEADER_REGENERATE, REDIR_HC_CREDENTIALS)) {
            puts_(&o, " Credentials must not follow the request out of their "
                      "scope: ");
            size_t a = names_with(&o, d, req, REDIR_HEADER_DROP,
                                  REDIR_HC_CREDENTIALS);
            if (a)
                puts_(&o, a > 1 ? " are dropped" : " is dropped");
            size_t b = count_with(d, req, REDIR_HEADER_REGENERATE,
                                  REDIR_HC_CREDENTIALS);
            if (b) {
                puts_(&o, a ? ", and " : "");
                names_with(&o, d, req, REDIR_HEADER_REGENERATE,
                           REDIR_HC_CREDENTIALS);
                puts_(&o, b > 1 ? " are recomputed for the new target (or "
                                  "left out)"
                                : " is recomputed for the new target (or left "
                                  "out)");
            }
            puts_(&o, " (RFC 9110, Section 15.4, step 4).");
        }
        unsigned content = REDIR_HC_CONTENT;
        if (count_with(d, req, REDIR_HEADER_DROP, content)) {
            puts_(&o, " Without content, the content headers go too: ");
            size_t a = names_with(&o, d, req, REDIR_HEADER_DROP, content);
            puts_(&o, a > 1 ? " are removed" : " is removed");
            puts_(&o, " (RFC 9110, Section 15.4, step 6).");
        }
        unsigned other = ~(unsigned)(REDIR_HC_CREDENTIALS | content);
        size_t drop = count_with(d, req, REDIR_HEADER_DROP, other);
        size_t regen = count_with(d, req, REDIR_HEADER_REGENERATE, other);
        if (drop) {
            puts_(&o, " This policy also drops ");
            names_with(&o, d, req, REDIR_HEADER_DROP, other);
            puts_(&o, ".");
        }
        if (regen) {
            puts_(&o, " ");
            names_with(&o, d, req, REDIR_HEADER_REGENERATE, other);
            puts_(&o, regen > 1 ? " are set anew for the new target "
                                : " is set anew for the new target ");
            puts_(&o, "(RFC 9110, Section 15.4, step 3).");
        }
    }
    if (d->verdict == REDIR_VERDICT_FOLLOW && (f & REDIR_DF_UNSAFE_METHOD) &&
        d->body == REDIR_BODY_KEEP)
        puts_(&o, " The method is not safe: RFC 9110, Section 15.4 asks "
                  "clients to take care before repeating it automatically.");
    if (f & REDIR_DF_USERINFO && d->verdict == REDIR_VERDICT_FOLLOW)
        puts_(&o, " The target carries userinfo, which RFC 9110, Section "
                  "4.2.4 advises treating as an error.");
    if (f & REDIR_DF_PERMANENT && d->verdict == REDIR_VERDICT_FOLLOW)
        puts_(&o, " The move is permanent: clients may update stored links, "
                  "and caches may keep the redirect without explicit "
                  "freshness (RFC 9111, Section 4.2.2).");
    if (f & REDIR_DF_DUPLICATE_LOCATIONS)
        puts_(&o, " The response carries more than one Location field; they "
                  "agree, or this policy takes one of them.");
    *len = o.len;
    if (o.len + 1 > cap)
        return REDIR_E_BUFFER_TOO_SMALL;
    buf[o.len] = '\0';
    return REDIR_OK;
}
