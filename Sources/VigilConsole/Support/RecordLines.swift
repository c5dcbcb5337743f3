import VigilTerminal

/// Pretty, coloured JSON lines for a raw record, each with the query term that pivots on its value.
///
/// The highlighter prints one member or element per line, indented two spaces per level, so each line's JSON
/// path can be rebuilt from its indentation and the keys of the lines that opened the enclosing objects.
enum RecordLines {
    static let indent = 2

    static func lines(for bytes: [UInt8]) -> [(text: StyledText, pivot: String?)] {
        let styled = JSONHighlighter(indent: indent).lines(for: bytes)
        var stack: [String?] = []
        var out: [(StyledText, String?)] = []
        out.reserveCapacity(styled.count)
        for line in styled {
            let spans = line.spans
            var i = 0
            var depth = 0
            if let first = spans.first, first.style.role == .text, first.text.allSatisfy({ $0 == " " }) {
                depth = first.text.count / indent
                i = 1
            }
            if stack.count > depth { stack.removeLast(stack.count - depth) }
            while stack.count < depth { stack.append(nil) }
            var key: String?
            var opener = ""
            if i < spans.count, spans[i].style.role == .jsonKey {
                key = unquote(spans[i].text)
                i += 1
                // ": " and an opening bracket share a style, so they may come as one span (`: {`).
                if i < spans.count, spans[i].style.role == .jsonPunctuation {
                    opener = String(spans[i].text.drop(while: { $0 == ":" || $0 == " " }))
                    i += 1
                }
            }
            if key == nil, i < spans.count, spans[i].style.role == .jsonPunctuation { opener = spans[i].text }
            var pivot: String?
            if opener == "{" || opener == "[" {
                stack.append(key)
            } else if opener.isEmpty, i < spans.count {
                let value = spans[i]
                switch value.style.role {
                case .jsonString, .jsonNumber, .jsonLiteral:
                    let path = stack.compactMap { $0 } + (key.map { [$0] } ?? [])
                    let text = value.style.role == .jsonString ? unquote(value.text) : value.text
                    pivot = PivotQuery.term(path: path, value: text)
                default:
                    break
                }
            }
            out.append((line, pivot))
        }
        return out
    }

    /// A JSON string token's value: quotes removed, escapes decoded.
    static func unquote(_ token: String) -> String {
        var scalars = Array(token.unicodeScalars)
        if scalars.first == "\"" { scalars.removeFirst() }
        if scalars.last == "\"" { scalars.removeLast() }
        var out = String.UnicodeScalarView()
        var i = 0
        var pendingHigh: UInt32?
        while i < scalars.count {
            let c = scalars[i]
            guard c == "\\", i + 1 < scalars.count else { out.append(c); i += 1; continue }
            let e = scalars[i + 1]
            i += 2
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "u":
                guard i + 4 <= scalars.count, let code = UInt32(String(String.UnicodeScalarView(scalars[i..<i + 4])), radix: 16) else {
                    out.append("\\"); out.append(e); continue
                }
                i += 4
                if (0xD800..<0xDC00).contains(code) { pendingHigh = code; continue }
                if (0xDC00..<0xE000).contains(code), let high = pendingHigh {
                    pendingHigh = nil
                    if let s = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)) { out.append(s) }
                    continue
                }
                if let s = Unicode.Scalar(code) { out.append(s) }
            default: out.append(e)
            }
        }
        return String(out)
    }
}
