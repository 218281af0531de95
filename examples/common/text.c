/* SPDX-License-Identifier: MIT */
#include "text.h"

#include <string.h>

static void spaces(FILE *out, int n)
{
    for (int i = 0; i < n; i++)
        fputc(' ', out);
}

void text_wrap(FILE *out, const char *text, int first_indent, int indent,
               int width)
{
    spaces(out, first_indent);
    text_wrap_at(out, text, first_indent, indent, width);
}

void text_wrap_at(FILE *out, const char *text, int col, int indent, int width)
{
    int line_start = 1;
    const char *p = text;
    while (*p) {
        if (*p == '\n') {
            fputc('\n', out);
            spaces(out, indent);
            col = indent;
            line_start = 1;
            p++;
            continue;
        }
        if (*p == ' ') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " \n");
        if (!line_start && col + 1 + (int)n > width) {
            fputc('\n', out);
            spaces(out, indent);
            col = indent;
            line_start = 1;
        }
        if (!line_start) {
            fputc(' ', out);
            col++;
        }
        fwrite(p, 1, n, out);
        col += (int)n;
        line_start = 0;
        p += n;
    }
    fputc('\n', out);
}
