import CDeflate
import CZlib

/// gzip decompression, tolerant of concatenated members and honest about truncation.
///
/// Whole files are inflated by libdeflate in one call per member, into a buffer sized from the gzip trailer;
/// a stream libdeflate rejects (truncated, corrupt, trailing junk) is inflated again by zlib, which recovers
/// what it can and says where the stream broke.
public enum Gzip {
    /// The outcome of inflating a gzip stream: the bytes recovered, and what went wrong if anything did.
    public struct Result: Sendable {
        public var bytes: [UInt8]
        /// nil when the whole stream inflated cleanly.
        public var problem: String?
    }

    /// True when `bytes` starts with the gzip magic number.
    public static func isGzip(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Inflates every gzip member in `input`. On a truncated or corrupt stream the bytes inflated so far are
    /// returned together with a description of the problem, so the caller can still read the intact records.
    public static func decompress(_ input: UnsafeRawBufferPointer) -> Result {
        if let whole = wholeMembers(input) { return Result(bytes: whole, problem: nil) }
        return streaming(input)
    }

    /// Inflates every member with libdeflate; nil when any member fails (the caller falls back to zlib).
    static func wholeMembers(_ input: UnsafeRawBufferPointer) -> [UInt8]? {
        guard input.count >= 18, let base = input.baseAddress, let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        // ISIZE, the last four bytes, is the uncompressed size (mod 4 GiB) of the last member: exact for the usual
        // single-member file, and a first guess otherwise.
        let trailer = Int(input.loadUnaligned(fromByteOffset: input.count - 4, as: UInt32.self).littleEndian)
        var output: [UInt8] = []
        var offset = 0
        while offset < input.count {
            guard input.count - offset >= 18, input[offset] == 0x1F, input[offset + 1] == 0x8B else { return nil }
            var capacity = max(trailer, (input.count - offset) * 4, 1 << 16)
            while true {
                var consumed = 0
                var produced = 0
                var status = LIBDEFLATE_SUCCESS
                let grown: [UInt8] = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                    status = libdeflate_gzip_decompress_ex(decompressor, base + offset, input.count - offset,
                                                           buffer.baseAddress, capacity, &consumed, &produced)
                    count = status == LIBDEFLATE_SUCCESS ? produced : 0
                }
                if status == LIBDEFLATE_INSUFFICIENT_SPACE, capacity < Int(UInt32.max) {
                    capacity *= 2
                    continue
                }
                guard status == LIBDEFLATE_SUCCESS else { return nil }
                if output.isEmpty { output = grown } else { output.append(contentsOf: grown) }
                offset += consumed
                break
            }
            // Trailing zero padding ends the stream; anything else must be another member.
            var rest = offset
            while rest < input.count, input[rest] == 0 { rest += 1 }
            if rest >= input.count { break }
            offset = rest
        }
        return output
    }

    /// Inflates with zlib, member after member, keeping what was inflated when the stream breaks.
    static func streaming(_ input: UnsafeRawBufferPointer) -> Result {
        var output = [UInt8]()
        output.reserveCapacity(min(input.count * 8, 1 << 30))
        var stream = z_stream()
        guard vigil_inflateInit2(&stream, 31) == Z_OK else { return Result(bytes: [], problem: "zlib could not start") }
        defer { inflateEnd(&stream) }
        guard let base = input.baseAddress else { return Result(bytes: [], problem: "empty gzip stream") }
        var consumed = 0
        let chunk = 1 << 18
        var scratch = [UInt8](repeating: 0, count: chunk)
        while consumed < input.count {
            stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self) + consumed)
            let available = min(input.count - consumed, Int(UInt32.max))
            stream.avail_in = UInt32(available)
            var status: Int32 = Z_OK
            repeat {
                let produced: Int = scratch.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return chunk - Int(stream.avail_out)
                }
                if produced > 0 { output.append(contentsOf: scratch[0..<produced]) }
                if status == Z_STREAM_END { break }
                if status == Z_BUF_ERROR && stream.avail_in == 0 {
                    return Result(bytes: output, problem: "truncated gzip stream: it ends after \(input.count) compressed bytes, \(output.count) bytes recovered")
                }
                if status != Z_OK && status != Z_BUF_ERROR {
                    let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    return Result(bytes: output, problem: "corrupt gzip stream at compressed byte \(consumed + available - Int(stream.avail_in)): \(reason); \(output.count) bytes recovered")
                }
            } while true
            consumed += available - Int(stream.avail_in)
            // Another member may follow (concatenated .gz files are valid gzip); trailing zero padding is not.
            var rest = consumed
            while rest < input.count, input[rest] == 0 { rest += 1 }
            if rest >= input.count { break }
            guard rest + 1 < input.count, input[rest] == 0x1F, input[rest + 1] == 0x8B else {
                return Result(bytes: output, problem: "unexpected data after the gzip stream at byte \(rest)")
            }
            consumed = rest
            inflateReset(&stream)
        }
        return Result(bytes: output, problem: nil)
    }
}
