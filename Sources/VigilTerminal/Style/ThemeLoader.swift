import Foundation

/// Finds and reads theme files.
///
/// A theme is asked for by name (`light`) or by path (anything with a `/` or ending in `.yaml`/`.yml`).
/// Names are looked up as `<name>.yaml` in, in order: `$VIGIL_THEMES_DIR`, `./themes`,
/// `<executable dir>/../../themes` (a build tree) and `<executable dir>/../share/vigil/themes` (an install).
/// `default` and `monochrome` are compiled in, so they work when no folder is found.
public struct ThemeLoader: Sendable {
    /// Folders searched for `<name>.yaml`, first match wins.
    public var searchDirectories: [String]

    public init(searchDirectories: [String]) {
        self.searchDirectories = searchDirectories
    }

    /// A loader searching the standard folders for this process.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.init(searchDirectories: Self.standardDirectories(
            environment: environment,
            currentDirectory: FileManager.default.currentDirectoryPath,
            executablePaths: Self.executablePaths()))
    }

    /// The search folders, in order, without duplicates.
    static func standardDirectories(
        environment: [String: String], currentDirectory: String, executablePaths: [String]
    ) -> [String] {
        var folders: [String] = []
        if let dir = environment["VIGIL_THEMES_DIR"], !dir.isEmpty { folders.append(dir) }
        folders.append(currentDirectory + "/themes")
        for executable in executablePaths {
            let dir = parentDirectory(of: executable)
            folders.append(dir + "/../../themes")
            folders.append(dir + "/../share/vigil/themes")
        }
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The executable as invoked (`.build/debug/vigil`, whose symlinked folder leads back to the repository)
    /// and as resolved by the kernel (an installed binary's real place).
    static func executablePaths() -> [String] {
        var paths: [String] = []
        if let invoked = CommandLine.arguments.first, invoked.contains("/") {
            paths.append(invoked.hasPrefix("/") ? invoked : FileManager.default.currentDirectoryPath + "/" + invoked)
        }
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            paths.append(resolved)
        }
        return paths
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    // MARK: - Loading

    /// Loads a theme by name or path; throws a `ThemeError` naming the file, line and problem.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        if Self.looksLikePath(nameOrPath) { return try loadFile(nameOrPath) }
        if let path = path(forName: nameOrPath) { return try loadFile(path) }
        if let builtIn = Theme.builtIn(named: nameOrPath) { return builtIn }
        let known = availableThemeNames().joined(separator: ", ")
        throw ThemeError(file: nameOrPath, line: nil, message: "no theme of that name (available: \(known))")
    }

    /// Parses one theme file.
    public func loadFile(_ path: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard data.count <= 1 << 20 else { throw ThemeError(file: path, line: nil, message: "larger than 1 MB") }
            guard let decoded = String(data: data, encoding: .utf8) else {
                throw ThemeError(file: path, line: nil, message: "not UTF-8 text")
            }
            text = decoded
        } catch let error as ThemeError {
            throw error
        } catch {
            throw ThemeError(file: path, line: nil, message: "cannot read the file (\(Self.reason(error)))")
        }
        return try ThemeParser.parse(text, file: path).theme
    }

    /// The theme file a name refers to, if any search folder has it.
    public func path(forName name: String) -> String? {
        for folder in searchDirectories {
            for ext in ["yaml", "yml"] {
                let candidate = "\(folder)/\(name).\(ext)"
                if FileManager.default.isReadableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// Every theme name that `load` accepts, sorted (for `:theme` completion).
    public func availableThemeNames() -> [String] {
        var names = Set(Theme.builtInNames)
        for folder in searchDirectories {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for entry in entries where entry.hasSuffix(".yaml") || entry.hasSuffix(".yml") {
                names.insert(ThemeParser.defaultName(for: entry))
            }
        }
        return names.sorted()
    }

    // MARK: - Choosing

    /// The theme to start with, never failing: problems come back as a warning to show, with a fallback.
    ///
    /// A terminal without colour always gets `monochrome`. `NO_COLOR` (set and not empty) picks `monochrome`
    /// unless a theme was asked for explicitly (no-color.org: command-line arguments override it).
    /// A theme that fails to load falls back to `default`.
    public func choose(
        requested: String?, colorDepth: ColorDepth,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> ThemeChoice {
        if colorDepth == .none { return ThemeChoice(theme: .monochrome, warning: nil) }
        guard let requested, !requested.isEmpty else {
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            return ThemeChoice(theme: noColor ? .monochrome : (try? load("default")) ?? .default, warning: nil)
        }
        do {
            return ThemeChoice(theme: try load(requested), warning: nil)
        } catch {
            return ThemeChoice(theme: .default, warning: "\(error.description); using the default theme")
        }
    }

    static func looksLikePath(_ text: String) -> Bool {
        text.contains("/") || text.hasSuffix(".yaml") || text.hasSuffix(".yml")
    }

    private static func reason(_ error: Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}

/// The theme picked at start-up, and a message to show when the one asked for could not be used.
public struct ThemeChoice: Sendable {
    public var theme: Theme
    public var warning: String?
}
