/*
 * http_download.c: large downloads (a form's raw responses) answered from
 * an unlinked temporary file instead of a buffer, so the server's memory
 * does not grow with the file: the producer writes into the FILE* of
 * http_download_new, and http_send_download hands the file's descriptor
 * to libmicrohttpd, which sends it with sendfile(2) (read in pieces where
 * sendfile cannot be used) and closes it when the response is done.
 *
 * Why a file rather than a response callback pulling rows from the store
 * as the client reads: the file is produced at full speed with one read
 * snapshot held for a few seconds, whatever the client's link; a slow
 * client then holds only a descriptor, not a database read transaction
 * (which would keep the WAL from being checkpointed) nor a thread running
 * the export. And the whole file is done before its first byte is sent, so
 * a failure midway is still an honest 500, never a truncated 200.
 *
 * The file lives in $TMPDIR, else /tmp (the systemd unit gives buzon a
 * private /tmp), and has no name from the start: nothing is left behind
 * if the server is killed. These downloads are not gzipped (a CSV of a
 * million responses would take longer to compress than to make).
 */
#include "http/http_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <unistd.h>

FILE *http_download_new(void)
{
    const char *dir = getenv("TMPDIR");
    char path[512];
    snprintf(path, sizeof path, "%s/buzon-download-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("buzon: download temp file");
        return NULL;
    }
    unlink(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        perror("buzon: download temp file");
        close(fd);
    }
    return f;
}

int http_download_append(FILE *dst, FILE *src)
{
    if (fflush(dst) || fflush(src) || fseeko(dst, 0, SEEK_END)) {
        perror("buzon: download append");
        return -1;
    }
    int in = fileno(src), out = fileno(dst);
    off_t at = 0;
    /* copy_file_range moves the bytes inside the kernel (a reflink or a
     * page copy, no trip through this process); where it cannot
     * (EXDEV, ENOSYS, EINVAL on some file systems), a read/write loop. */
    for (;;) {
        ssize_t n = copy_file_range(in, &at, out, NULL, 1 << 30, 0);
        if (n > 0) continue;
        if (n == 0) return fseeko(dst, 0, SEEK_END) ? -1 : 0;
        if (errno == EINTR) continue;
        if (errno != EXDEV && errno != ENOSYS && errno != EINVAL && errno != EOPNOTSUPP) break;
        char piece[65536];
        ssize_t r;
        while ((r = pread(in, piece, sizeof piece, at)) > 0 || (r < 0 && errno == EINTR)) {
            if (r < 0) continue;
            for (ssize_t w = 0; w < r;) {
                ssize_t k = write(out, piece + w, (size_t)(r - w));
                if (k < 0 && errno == EINTR) continue;
                if (k <= 0) goto fail;
                w += k;
            }
            at += r;
        }
        if (r == 0) return fseeko(dst, 0, SEEK_END) ? -1 : 0;
        break;
    }
fail:
    perror("buzon: download append");
    return -1;
}

enum MHD_Result http_send_download(struct MHD_Connection *c, req_t *r, const app_t *app, FILE *f,
                                   const char *type, const char *filename)
{
    off_t size = -1;
    int fd = -1;
    if (fflush(f) == 0 && fseeko(f, 0, SEEK_END) == 0) size = ftello(f);
    if (size >= 0) fd = dup(fileno(f));
    fclose(f);
    struct MHD_Response *resp = fd >= 0 ? MHD_create_response_from_fd64((uint64_t)size, fd) : NULL;
    if (!resp) {
        if (fd >= 0) close(fd);
        fprintf(stderr, "buzon: download: cannot send %s\n", filename);
        return http_send_error(c, r, app, MHD_HTTP_INTERNAL_SERVER_ERROR);
    }
    buf_t d;
    buf_init(&d);
    buf_printf(&d, "attachment; filename=\"%s\"", filename);
    MHD_add_response_header(resp, "Content-Disposition", d.data);
    buf_free(&d);
    r->bytes = (size_t)size;
    return http_queue(c, r, MHD_HTTP_OK, resp, type, "no-store");
}
