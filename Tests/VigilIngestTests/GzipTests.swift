import Testing
@testable import VigilIngest
import VigilSynth

@Suite("Gzip")
struct GzipTests {
    let text = Array(String(repeating: "{\"eventName\":\"GetObject\"}\n", count: 5000).utf8)

    @Test("inflates a stream and concatenated members")
    func inflates() {
        let gz = GzipWriter.compress(text)
        #expect(gz.withUnsafeBytes { Gzip.isGzip($0) })
        let one = gz.withUnsafeBytes { Gzip.decompress($0) }
        #expect(one.problem == nil)
        #expect(one.bytes == text)
        let two = (gz + gz).withUnsafeBytes { Gzip.decompress($0) }
        #expect(two.problem == nil)
        #expect(two.bytes == text + text)
    }

    @Test("a truncated stream returns what was recovered and says so")
    func truncated() {
        let gz = GzipWriter.compress(text)
        let cut = Array(gz.prefix(gz.count / 2))
        let result = cut.withUnsafeBytes { Gzip.decompress($0) }
        #expect(result.problem?.hasPrefix("truncated gzip stream") == true)
        #expect(result.bytes.count > 0 && result.bytes.count < text.count)
        #expect(Array(text.prefix(result.bytes.count)) == result.bytes)
    }

    @Test("corruption is reported, not a crash")
    func corrupt() {
        var gz = GzipWriter.compress(text)
        for k in stride(from: 20, to: gz.count - 8, by: 7) { gz[k] ^= 0x5A }
        let result = gz.withUnsafeBytes { Gzip.decompress($0) }
        #expect(result.problem != nil)
    }

    @Test("whole-buffer inflation handles members whose sizes the trailer does not give, and zero padding")
    func wholeMembers() {
        // A highly compressible first member, so its size is far beyond the first guesses (trailer, 4× input).
        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 3_000_000)
        let small = Array("tail\n".utf8)
        let gz = GzipWriter.compress(big) + GzipWriter.compress(small) + [0, 0, 0, 0]
        let whole = gz.withUnsafeBytes { Gzip.wholeMembers($0) }
        #expect(whole == big + small)
        #expect(gz.withUnsafeBytes { Gzip.decompress($0) }.bytes == big + small)
        // What libdeflate rejects is left to zlib (which says what went wrong).
        let junk = GzipWriter.compress(small) + Array("junk".utf8)
        #expect(junk.withUnsafeBytes { Gzip.wholeMembers($0) } == nil)
        #expect(junk.withUnsafeBytes { Gzip.decompress($0) }.problem?.contains("unexpected data") == true)
    }
}
