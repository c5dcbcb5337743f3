import Foundation

/// Finds and reads rule files: a file, or a folder walked for `*.yml` / `*.yaml` (hidden entries skipped).
enum RuleFiles {
    static func read(_ path: String, builtIn: Bool, displayPrefix: String? = nil) -> ([DetectionRule], [RuleLoadError]) {
        var rules: [DetectionRule] = []
        var errors: [RuleLoadError] = []
        let files: [String]
        do { files = try list(path) } catch {
            return ([], [error])
        }
        for file in files {
            let shown = displayPrefix.map { $0 + String(file.dropFirst(path.count)) } ?? file
            guard let data = FileManager.default.contents(atPath: file) else {
                errors.append(RuleLoadError(file: shown, line: 0, message: "cannot be read"))
                continue
            }
            guard data.count <= SigmaRuleParser.maximumFileBytes else {
                errors.append(RuleLoadError(file: shown, line: 0, message: "file is larger than \(SigmaRuleParser.maximumFileBytes >> 20) MB; not a rule"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                errors.append(RuleLoadError(file: shown, line: 0, message: "not UTF-8 text"))
                continue
            }
            let (r, e) = SigmaRuleParser.parse(text: text, file: shown, builtIn: builtIn)
            rules += r
            errors += e
        }
        return (rules, errors)
    }

    /// The rule files under `path`, sorted so load order (and duplicate handling) is stable.
    static func list(_ path: String) throws(RuleLoadError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RuleLoadError(file: path, line: 0, message: "no such file or folder")
        }
        guard isDirectory.boolValue else { return [path] }
        var out: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: path) else {
            throw RuleLoadError(file: path, line: 0, message: "folder cannot be read")
        }
        while let entry = walker.nextObject() as? String {
            let name = (entry as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if name.hasSuffix(".yml") || name.hasSuffix(".yaml") { out.append(path + "/" + entry) }
        }
        return out.sorted()
    }
}

/// The rule pack bundled with Vigil.
enum BuiltInRules {
    /// The folder of the bundled pack, when the resources are installed next to the binary.
    static var folder: String? {
        if let override = ProcessInfo.processInfo.environment["VIGIL_RULEPACK_DIR"] { return override }
        return Bundle.module.resourceURL.map { $0.appendingPathComponent("RulePack").path }
    }

    static func load() -> ([DetectionRule], [RuleLoadError]) {
        guard let folder else {
            return ([], [RuleLoadError(file: "builtin", line: 0, message: "the bundled rule pack is missing from this installation")])
        }
        return RuleFiles.read(folder, builtIn: true, displayPrefix: "builtin:")
    }
}
