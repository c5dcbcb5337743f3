#include <zlib.h>

/// inflateInit2 is a macro; Swift cannot import it.
static inline int vigil_inflateInit2(z_stream *strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

/// deflateInit2 is a macro too; used to write gzip (windowBits 31) for generated data.
static inline int vigil_deflateInit2(z_stream *strm, int level, int windowBits) {
    return deflateInit2(strm, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY);
}
