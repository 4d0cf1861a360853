/* docdata.c — see docdata.h. */
#include "docdata.h"

void dd_add(sbuf *out, int tag, const char *v, size_t n)
{
    sbuf_addf(out, "%c%zu:", tag, n);
    sbuf_add(out, v, n);
}

int dd_next(const char *data, size_t len, size_t *pos, int *tag,
            const char **v, size_t *n)
{
    size_t p = *pos, k = 0;
    int digits = 0;
    if (p >= len || (unsigned char)data[p] < 'a' ||
        (unsigned char)data[p] > 'z')
        return 0;
    *tag = data[p++];
    while (p < len && data[p] >= '0' && data[p] <= '9' && digits < 10) {
        k = k * 10 + (size_t)(data[p++] - '0');
        digits++;
    }
    if (!digits || p >= len || data[p] != ':' || k > len - p - 1)
        return 0;
    *v = data + p + 1;
    *n = k;
    *pos = p + 1 + k;
    return 1;
}
