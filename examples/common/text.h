/* SPDX-License-Identifier: MIT */
/* Word wrapping for the example programs' text output. */
#ifndef REDIR_EXAMPLES_TEXT_H
#define REDIR_EXAMPLES_TEXT_H

#include <stdio.h>

/* Writes `text` wrapped at `width` columns, every line indented by `indent`
 * spaces (the first by `first_indent`). Existing newlines are kept. */
void text_wrap(FILE *out, const char *text, int first_indent, int indent,
               int width);

/* The same when the cursor already stands at column `col`. */
void text_wrap_at(FILE *out, const char *text, int col, int indent, int width);

#endif
