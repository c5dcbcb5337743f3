import ArgumentParser
import Foundation
import VigilCore
import VigilDetect
import VigilStore

/// Options for commands that run detections: which rules, which threat lists, which placeholders.
struct DetectionOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or folder to load besides the built-in pack (repeatable). SigmaHQ's AWS rules load unchanged.", valueName: "dir"))
    var ruleFolders: [String] = []

    @Flag(help: "Leave out the built-in rule pack (run only --rules).")
    var noBuiltinRules = false

    @Option(name: .customLong("intel"), help: ArgumentHelp("A threat list: IP addresses, CIDR blocks or domains, one per line, # comments (repeatable). Named after the file.", valueName: "file"))
    var intelFiles: [String] = []

    @Option(help: ArgumentHelp("A YAML map of placeholder lists for rules that use |expand.", valueName: "file"))
    var placeholders: String?

    @Flag(help: "Leave out the Swift detectors (baselines, flow and DNS analytics).")
    var noDetectors = false

    /// Loads the rules, lists and detectors; prints rule and list problems to standard error.
    func prepare(quiet: Bool = false) throws -> (rules: RuleSet, intel: ThreatIntel, detectors: [any Detector]) {
        var values = Placeholders()
        if let placeholders {
            guard let text = try? String(contentsOfFile: placeholders, encoding: .utf8) else {
                throw ValidationError("cannot read the placeholder file \(placeholders)")
            }
            do { values = try Placeholders(yaml: text, file: placeholders) } catch {
                throw ValidationError(error.description)
            }
        }
        let rules = RuleSet.load(includeBuiltIn: !noBuiltinRules, paths: ruleFolders, placeholders: values)
        if !quiet {
            for error in rules.errors { Console.error("vigil: rule: " + TextSanitizer.sanitize(error.description)) }
        }
        var intel = ThreatIntel()
        for file in intelFiles {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ValidationError("cannot read the threat list \(file)")
            }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let bad = intel.add(name: name, text: text, file: file)
            if !quiet { for entry in bad.prefix(20) { Console.error("vigil: intel: \(entry)") } }
        }
        let detectors: [any Detector] = noDetectors ? [] : StandardDetectors.make(intel: intel)
        return (rules, intel, detectors)
    }
}
