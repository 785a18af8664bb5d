/* pngstore: make the PNG images Tesseract writes for itself stored, not compressed.
 *
 * Tesseract's LSTM recogniser keeps every text line it reads as an ImageData, and
 * ImageData::SetPix encodes the line image as PNG in memory, only to decode it again a
 * moment later (tesseract-ocr/tesseract#2965; the TESSERACT_IMAGEDATA_AS_PIX build
 * option that avoids it is off in Debian's build). On a 300-dpi letter page zlib's
 * deflate and libpng take 15-20% of Tesseract's time (perf).
 *
 * Preloaded into the tesseract process (LD_PRELOAD), this replaces zlib's
 * deflateInit2_ with one that asks for compression level 0: the PNG holds the same
 * pixels, stored instead of compressed, so Tesseract reads exactly the same words.
 * Nothing else changes; a program that compresses gets larger output, never different
 * data. Built by scripts/setup.sh; see vanthu.pipeline.ocr.tesseract.TesseractEnviron.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

typedef int (*deflate_init2_fn)(void *strm, int level, int method, int window_bits,
                                int mem_level, int strategy, const char *version,
                                int stream_size);

int deflateInit2_(void *strm, int level, int method, int window_bits, int mem_level,
                  int strategy, const char *version, int stream_size)
{
    static deflate_init2_fn real;
    (void)level;
    if (real == NULL)
        real = (deflate_init2_fn)dlsym(RTLD_NEXT, "deflateInit2_");
    if (real == NULL) {
        /* zlib opened later with dlopen (a Python extension) is not in the global scope */
        void *zlib = dlopen("libz.so.1", RTLD_LAZY);
        if (zlib != NULL)
            real = (deflate_init2_fn)dlsym(zlib, "deflateInit2_");
    }
    if (real == NULL)
        return -6; /* Z_VERSION_ERROR: the caller falls back (Leptonica writes PNM) */
    return real(strm, 0, method, window_bits, mem_level, strategy, version, stream_size);
}
