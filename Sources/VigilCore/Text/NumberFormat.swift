/// Numbers as people read them in tables and status lines, shared by the command line and the console.
public enum NumberFormat {
    /// Thousands separators: `3,261`.
    public static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (k, c) in digits.enumerated() {
            if k > 0, (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// `1 event`, `3,261 events`.
    public static func plural(_ n: Int, _ noun: String) -> String { count(n) + " " + noun + (n == 1 ? "" : "s") }

    /// A compact rate or size: `950`, `12.3k`, `4.1M`.
    public static func compact(_ v: Double) -> String {
        if v < 1000 { return String(Int(v.rounded())) }
        if v < 1_000_000 { return one(v / 1000) + "k" }
        return one(v / 1_000_000) + "M"
    }

    private static func one(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 || tenths >= 1000 ? String(tenths / 10) : "\(tenths / 10).\(tenths % 10)"
    }
}
