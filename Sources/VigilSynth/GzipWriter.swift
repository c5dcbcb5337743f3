import CZlib

/// Compresses bytes to the gzip format with zlib, deterministically.
///
/// zlib's gzip wrapper (`deflateInit2` with window bits 31) writes a header with no file name, mtime 0 and
/// XFL 0, so the output depends only on the input and the level — except the header's OS byte, which zlib
/// sets to the platform it was built for (3 on Linux, 19 on macOS). It is forced to 3 (Unix) here so that
/// generated files are the same bytes everywhere zlib's deflate is.
public enum GzipWriter {
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = vigil_deflateInit2(&stream, level, 31)
        precondition(status == Z_OK, "deflateInit2 failed (\(status))")
        defer { deflateEnd(&stream) }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count / 4 + 64)
        let chunkSize = 1 << 16
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        bytes.withUnsafeBufferPointer { input in
            var offset = 0
            var finished = false
            while !finished {
                // Feed at most 1 GiB at a time: avail_in is 32 bits.
                if stream.avail_in == 0 && offset < input.count {
                    let n = min(input.count - offset, 1 << 30)
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress! + offset)
                    stream.avail_in = uInt(n)
                    offset += n
                }
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    let rc = deflate(&stream, flush)
                    precondition(rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR, "deflate failed (\(rc))")
                    if rc == Z_STREAM_END { finished = true }
                }
                out.append(contentsOf: chunk[0..<(chunkSize - Int(stream.avail_out))])
            }
        }
        if out.count > 9 { out[9] = 3 }
        return out
    }
}
