/* SPDX-License-Identifier: MIT */
/* A program outside the tree, built against the installed library. */
#include <redir.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    char url[256];
    size_t len;
    if (strcmp(redir_version(), REDIR_VERSION) != 0)
        return 1;
    if (redir_resolve_location("https://a.example/b/c#top", 25, "../d", 4, url,
                               sizeof url, &len) != REDIR_OK)
        return 2;
    const redir_status *st = redir_status_get(308);
    printf("%s %d %s\n", url, st->code, st->reason);
    return strcmp(url, "https://a.example/d#top") == 0 ? 0 : 3;
}
