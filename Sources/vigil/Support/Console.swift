#if canImport(Glibc)
import Glibc
#endif
import VigilCore

/// Writing to standard error, where every diagnostic goes (standard output is for results).
enum Console {
    static func error(_ text: String) {
        var line = text
        if !line.hasSuffix("\n") { line += "\n" }
        writeAll(2, line)
    }

    /// Writes results to standard output unbuffered, so followed output appears as it happens.
    static func out(_ text: String) { writeAll(1, text) }

    private static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                offset += n
            }
        }
    }

    /// Whether standard output is a terminal (for deciding on colour and column widths).
    static var stdoutIsTerminal: Bool { isatty(1) != 0 }


    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(n)
        var unit = 0
        while value >= 1000, unit < units.count - 1 { value /= 1000; unit += 1 }
        return unit == 0 ? "\(n) B" : String(format1(value)) + " " + units[unit]
    }

    /// `v` with `digits` decimals, without Foundation's String(format:).
    static func fixed(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return String(v) }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int64((abs(v) * scale).rounded())
        let whole = n / Int64(scale), frac = n % Int64(scale)
        var f = String(frac)
        while f.count < digits { f = "0" + f }
        return (v < 0 && n != 0 ? "-" : "") + String(whole) + (digits > 0 ? "." + f : "")
    }

    static func format1(_ v: Double) -> String {
        let scaled = (v * 10).rounded() / 10
        return scaled == scaled.rounded() ? String(Int(scaled)) : String(scaled)
    }
}

/// Left-aligned text columns for terminal tables.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []
    /// Columns whose values are right-aligned (numbers).
    var rightAligned: Set<Int> = []
    /// Widest a column may get before its values are cut with an ellipsis.
    var maximumWidth = 60
    /// Whether the header row (and its rule) is printed; followed output prints it once.
    var showsHeader = true

    func render() -> String {
        let all = showsHeader ? [headers] + rows : rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (k, cell) in row.enumerated() where k < widths.count {
                widths[k] = min(maximumWidth, max(widths[k], DisplayWidth.columns(of: cell)))
            }
        }
        var out = ""
        for (r, row) in all.enumerated() {
            var cells: [String] = []
            for (k, cell) in row.enumerated() where k < widths.count {
                // The last column is not padded, so lines carry no trailing spaces.
                let last = k == row.count - 1 && !rightAligned.contains(k)
                cells.append(last ? DisplayWidth.truncate(cell, to: widths[k])
                                  : DisplayWidth.pad(cell, to: widths[k], alignRight: rightAligned.contains(k)))
            }
            out += cells.joined(separator: "  ") + "\n"
            if r == 0 && showsHeader { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
