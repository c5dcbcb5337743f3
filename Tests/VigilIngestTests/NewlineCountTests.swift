import Testing
@testable import VigilIngest

/// Line numbers of later chunks come from counting the newlines of earlier ones, eight bytes at a time.
@Suite("Newline counting")
struct NewlineCountTests {
    @Test("counts exactly the newline bytes, whatever the neighbours and alignment")
    func countsNewlines() {
        // Bytes one off from `\n` in either direction, with and without the high bit, around runs of newlines.
        let alphabet: [UInt8] = [0x0A, 0x0B, 0x09, 0x8A, 0x0A, 0x00, 0xFF, 0x7F, 0x80, 0x20, 0x0A, 0x0A]
        var state: UInt64 = 12345
        for length in 0..<80 {
            for _ in 0..<20 {
                let bytes = (0..<length).map { _ -> UInt8 in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return alphabet[Int(state >> 33) % alphabet.count]
                }
                let counted = bytes.withUnsafeBytes { Ingestor.newlines(in: $0) }
                #expect(counted == bytes.count { $0 == 0x0A }, "\(bytes)")
            }
        }
    }

    @Test("chunked reading numbers lines across chunk boundaries")
    func chunkLineNumbers() {
        let lines = (0..<600_000).map { "flow line \($0)" }.joined(separator: "\n") + "\n"
        var firstLines: [Int] = []
        var expected = 1
        Array(lines.utf8).withUnsafeBytes { data in
            Ingestor.forEachChunk(data) { chunk, first in
                firstLines.append(first)
                #expect(first == expected)
                expected += chunk.count { $0 == 0x0A }
            }
        }
        #expect(firstLines.count > 1)
        #expect(expected == 600_001)
    }
}
