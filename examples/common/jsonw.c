/* SPDX-License-Identifier: MIT */
#include "jsonw.h"

#include <string.h>

void jw_init(jw *w, FILE *out, bool pretty)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->pretty = pretty;
    w->first[0] = true;
}

static void newline(jw *w)
{
    if (!w->pretty)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < w->depth; i++)
        fputs("  ", w->out);
}

/* Separator before a value or key at the current level. */
static void before_value(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (!w->first[w->depth])
        fputc(',', w->out);
    w->first[w->depth] = false;
    if (w->depth > 0)
        newline(w);
}

static void open(jw *w, char c)
{
    before_value(w);
    fputc(c, w->out);
    if (w->depth + 1 < JW_MAX_DEPTH)
        w->depth++;
    w->first[w->depth] = true;
}

static void close(jw *w, char c)
{
    bool empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        newline(w);
    fputc(c, w->out);
}

void jw_object(jw *w) { open(w, '{'); }
void jw_object_end(jw *w) { close(w, '}'); }
void jw_array(jw *w) { open(w, '['); }
void jw_array_end(jw *w) { close(w, ']'); }

/* Length of the well-formed UTF-8 sequence at p, or 0. */
static size_t utf8_len(const unsigned char *p, size_t avail)
{
    size_t n;
    unsigned min;
    unsigned cp;
    if (p[0] >= 0xc2 && p[0] <= 0xdf) {
        n = 2; cp = p[0] & 0x1fu; min = 0x80;
    } else if (p[0] >= 0xe0 && p[0] <= 0xef) {
        n = 3; cp = p[0] & 0x0fu; min = 0x800;
    } else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
        n = 4; cp = p[0] & 0x07u; min = 0x10000;
    } else {
        return 0;
    }
    if (avail < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (p[i] & 0x3fu);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

void jw_stringn(jw *w, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    before_value(w);
    fputc('"', w->out);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '"': fputs("\\\"", w->out); break;
        case '\\': fputs("\\\\", w->out); break;
        case '\n': fputs("\\n", w->out); break;
        case '\r': fputs("\\r", w->out); break;
        case '\t': fputs("\\t", w->out); break;
        default:
            if (c < 0x20 || c == 0x7f) {
                fprintf(w->out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            } else if (c >= 0x80) {
                size_t n = utf8_len((const unsigned char *)s + i, len - i);
                if (n) {
                    fwrite(s + i, 1, n, w->out);
                    i += n - 1;
                } else {
                    /* Not UTF-8: keep the document valid, show the byte. */
                    fprintf(w->out, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
                }
            } else {
                fputc(c, w->out);
            }
        }
    }
    fputc('"', w->out);
}

void jw_string(jw *w, const char *s)
{
    if (!s) {
        jw_null(w);
        return;
    }
    jw_stringn(w, s, strlen(s));
}

void jw_key(jw *w, const char *key)
{
    jw_string(w, key);
    fputs(w->pretty ? ": " : ":", w->out);
    w->after_key = true;
}

void jw_int(jw *w, long long v)
{
    before_value(w);
    fprintf(w->out, "%lld", v);
}

void jw_bool(jw *w, bool v)
{
    before_value(w);
    fputs(v ? "true" : "false", w->out);
}

void jw_null(jw *w)
{
    before_value(w);
    fputs("null", w->out);
}

void jw_end(jw *w)
{
    fputc('\n', w->out);
}

void jw_kstring(jw *w, const char *key, const char *s)
{
    jw_key(w, key);
    jw_string(w, s);
}

void jw_kint(jw *w, const char *key, long long v)
{
    jw_key(w, key);
    jw_int(w, v);
}

void jw_kbool(jw *w, const char *key, bool v)
{
    jw_key(w, key);
    jw_bool(w, v);
}
