/*
 * fuzz_media.c: libFuzzer harness for the bytes of a photo a citizen sends
 * with a survey (issue 16, model/media.h): the type sniffed from them, the
 * image decoded (libjpeg, libpng) under buzon's limits and re-encoded, and
 * the EXIF orientation parser on the same bytes.
 *
 * Why not the multipart parser itself: src/http/http_multipart.c is
 * libmicrohttpd's post processor, which needs a live connection (it reads
 * the Content-Type header from it); it is driven over real sockets by
 * test_media_http and test_forms_upload instead, malformed bodies included.
 *
 * Oracle beyond the sanitizers: a photo taken is a JPEG of at most
 * MEDIA_IMAGE_SIDE pixels a side, with no Exif segment; a refusal leaves
 * the output untouched; an orientation is always 1..8.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    media_kind_t k = media_sniff(data, size);
    (void)media_kind_type(k);
    int o = media_exif_orientation(data, size);
    assert(o >= 1 && o <= 8);
    buf_t out;
    buf_init(&out);
    unsigned w = 0, h = 0;
    media_rc_t rc = media_image_clean(data, size, &out, &w, &h);
    if (rc == MEDIA_OK) {
        assert(k == MEDIA_JPEG || k == MEDIA_PNG);
        assert(media_sniff(out.data, out.len) == MEDIA_JPEG);
        assert(w >= 1 && h >= 1 && w <= MEDIA_IMAGE_SIDE && h <= MEDIA_IMAGE_SIDE);
        assert(!memmem(out.data, out.len, "Exif", 4));
    } else {
        assert(out.len == 0);
        if (k != MEDIA_JPEG && k != MEDIA_PNG) assert(rc == MEDIA_NOT_IMAGE);
    }
    buf_free(&out);
    return 0;
}
