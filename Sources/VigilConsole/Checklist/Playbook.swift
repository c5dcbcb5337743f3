import VigilDetect

/// The playbook steps of a finding as checklist items.
///
/// Findings name their next steps by playbook-step id; the step texts come with the casework module, so
/// until then each id is listed as it is, to be ticked as it is done.
enum Playbook {
    static func items(for finding: Finding) -> [ChecklistItem] {
        finding.nextSteps.enumerated().map { index, step in
            ChecklistItem(
                id: "playbook.\(finding.id).\(index)", title: step,
                why: "Next step for \u{201C}\(finding.title)\u{201D}; the full playbook text comes with case playbooks.",
                command: nil, section: "Playbook: " + finding.title)
        }
    }
}
