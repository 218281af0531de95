/* SPDX-License-Identifier: MIT */
/* A tiny streaming JSON writer for the example programs (not part of the
 * library: the library prints nothing). */
#ifndef REDIR_EXAMPLES_JSONW_H
#define REDIR_EXAMPLES_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    FILE *out;
    int depth;
    bool first[JW_MAX_DEPTH];
    bool after_key;
    bool pretty;
} jw;

void jw_init(jw *w, FILE *out, bool pretty);
void jw_object(jw *w);
void jw_object_end(jw *w);
void jw_array(jw *w);
void jw_array_end(jw *w);
void jw_key(jw *w, const char *key);
void jw_string(jw *w, const char *s);
void jw_stringn(jw *w, const char *s, size_t len);
void jw_int(jw *w, long long v);
void jw_bool(jw *w, bool v);
void jw_null(jw *w);
/* Finishes the document with a newline. */
void jw_end(jw *w);

/* key + value shorthands */
void jw_kstring(jw *w, const char *key, const char *s);
void jw_kint(jw *w, const char *key, long long v);
void jw_kbool(jw *w, const char *key, bool v);

#endif
