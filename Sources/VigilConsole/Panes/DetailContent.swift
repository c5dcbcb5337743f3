import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// One line of the detail pane, with what `p` pivots on and what Enter opens, when the line has them.
struct DetailLine: Equatable {
    var text: StyledText
    var pivot: String?
    var entity: Entity?

    init(_ text: StyledText, pivot: String? = nil, entity: Entity? = nil) {
        self.text = text
        self.pivot = pivot
        self.entity = entity
    }
}

/// Cache key for detail lines: the subject and everything that changes how it is written.
struct DetailKey: Hashable {
    var subject: DetailSubject
    var width: Int
    var timeMode: TimeMode
    var markers: SeverityMarkers
    var ticks: [String: ChecklistTick]
}

/// Writes the detail pane's lines: a finding's explanation and entities, an event's fields and record, or a
/// checklist item's reason and command.
struct DetailContent {
    let environment: Environment
    let state: AppState
    let width: Int

    private var time: TimeFormat { environment.timeFormat(state) }
    private var store: EventStore { environment.store }

    func lines(for subject: DetailSubject) -> [DetailLine] {
        switch subject {
        case .finding(let id):
            guard let finding = environment.data.findings.first(where: { $0.hasID(id) }) else { return [] }
            return lines(for: finding)
        case .event(let id):
            guard Int(id) < store.rowCount else { return [] }
            return lines(forEvent: id)
        case .checklistItem(let id):
            guard let item = environment.checklistItems(state).first(where: { $0.id == id }) else { return [] }
            return lines(for: item)
        }
    }

    // MARK: - Finding

    private func lines(for finding: Finding) -> [DetailLine] {
        var out: [DetailLine] = []
        let role = Role.severity(finding.severity)
        var title = StyledText(state.theme.severityMarker(finding.severity) + " " + finding.severity.description.uppercased(), role)
        title.append("  ")
        title.append(finding.title, Style(.title))
        out += wrap(title)
        var rule = StyledText("rule ", .muted)
        rule.append(finding.ruleID)
        rule.append(" · \(source(finding.source)) · \(NumberFormat.count(finding.count)) match\(finding.count == 1 ? "" : "es")", .muted)
        out += wrap(rule)
        out += wrap(label("first", time.full(finding.firstSeen)) + StyledText("  ") + label("last", time.full(finding.lastSeen) + " " + state.timeMode.label))
        if !finding.tactics.isEmpty || !finding.techniques.isEmpty {
            out += wrap(label("ATT&CK", (finding.tactics + finding.techniques).joined(separator: ", ")))
        }
        if let summary = finding.summary, !summary.isEmpty { out += wrap(StyledText(summary)) }
        section("What it means", finding.explanation, into: &out)
        section("Why it matters", finding.whyItMatters, into: &out)
        if !finding.entities.isEmpty {
            out.append(DetailLine(""))
            out.append(DetailLine(heading("Entities") + StyledText("  Enter profile · p filter the timeline", .muted)))
            for entity in finding.entities {
                var line = StyledText("  ▸ ", .accent)
                line.append(entity.kind.rawValue.padding(12), .muted)
                line.append(entity.value, .link)
                out.append(DetailLine(line, pivot: PivotQuery.term(for: entity), entity: entity))
            }
        }
        bullets("Next steps", finding.nextSteps, into: &out)
        bullets("False positives", finding.falsePositives, into: &out)
        out.append(DetailLine(""))
        out.append(DetailLine(label("Evidence", "\(NumberFormat.count(finding.evidence.count)) events") +
                              StyledText("  (e in the timeline shows only these)", .muted)))
        out += wrap(label("Source", finding.origin))
        return out
    }

    private func source(_ source: Finding.Source) -> String {
        switch source {
        case .rule: "Sigma rule"
        case .correlation: "correlation"
        case .detector: "detector"
        case .guardDuty: "GuardDuty"
        }
    }

    // MARK: - Event

    private func lines(forEvent id: EventStore.EventID) -> [DetailLine] {
        let summary = EventSummary(store, id)
        var out: [DetailLine] = []
        var head = StyledText(time.full(summary.time) + " " + state.timeMode.label, .title)
        head.append(" · \(summary.kind) · \(store.value(.service, of: id) ?? "")", .muted)
        out += wrap(head)
        func field(_ name: String, _ value: String?, pivot: String?, entity: Entity? = nil) {
            guard let value, !value.isEmpty else { return }
            out.append(DetailLine(label(name.padding(9), value), pivot: pivot, entity: entity))
        }
        let user = store.value(.user, of: id)
        let principal = store.value(.principal, of: id)
        field("user", user, pivot: user.map { PivotQuery.term("user", $0) }, entity: user.map { Entity(.user, $0) })
        field("principal", principal, pivot: principal.map { PivotQuery.term("principal", $0) },
              entity: principal.map { Entity(.principal, $0) })
        field("action", store.value(.action, of: id), pivot: store.value(.action, of: id).map { PivotQuery.term("action", $0) })
        for resource in store.resources(of: id).prefix(6) {
            field("resource", resource, pivot: PivotQuery.term("resource", resource), entity: Entity.classify(resource: resource))
        }
        out.append(DetailLine(label("outcome".padding(9), summary.outcome), pivot: summary.succeeded ? "outcome:success" : PivotQuery.term("error", summary.outcome)))
        let ip = store.value(.sourceIP, of: id)
        field("source", ip, pivot: ip.map { PivotQuery.term("ip", $0) },
              entity: ip.flatMap { IPAddress($0) != nil ? Entity(.sourceIP, $0) : nil })
        let key = store.value(.accessKey, of: id)
        field("key", key, pivot: key.map { PivotQuery.term("key", $0) }, entity: key.map { Entity(.accessKey, $0) })
        field("region", store.value(.region, of: id), pivot: store.value(.region, of: id).map { PivotQuery.term("region", $0) })
        field("account", store.value(.account, of: id), pivot: store.value(.account, of: id).map { PivotQuery.term("account", $0) },
              entity: store.value(.account, of: id).map { Entity(.account, $0) })
        field("agent", store.value(.userAgent, of: id), pivot: store.value(.userAgent, of: id).map { PivotQuery.term("ua", $0) })
        out.append(DetailLine(StyledText(String(repeating: "─", count: max(0, min(width, 60))), .border)))
        let raw = store.rawBytes(of: id)
        switch summary.kind {
        case .flow, .auth:
            out += parsedBesideRaw(id, raw: raw)
        default:
            out += RecordLines.lines(for: raw).map { DetailLine($0.text, pivot: $0.pivot) }
        }
        return out
    }

    /// Flow and sshd lines: the parsed fields next to the raw line when there is room, else under it.
    private func parsedBesideRaw(_ id: EventStore.EventID, raw: [UInt8]) -> [DetailLine] {
        let fields = parsedFields(id)
        let rawText = String(decoding: raw, as: UTF8.self)
        let fieldWidth = 30
        if width >= 90 {
            let rawWidth = width - fieldWidth - 3
            let rawLines = StyledText(rawText, .jsonString).wrapped(to: rawWidth)
            var out: [DetailLine] = [DetailLine(heading("Parsed".padding(fieldWidth)) + StyledText(" │ ", .border) + heading("Raw line"))]
            for row in 0..<max(fields.count, rawLines.count) {
                var line = row < fields.count ? fields[row].text.padded(to: fieldWidth) : StyledText(String(repeating: " ", count: fieldWidth))
                line.append(" │ ", .border)
                if row < rawLines.count { line.append(rawLines[row]) }
                out.append(DetailLine(line, pivot: row < fields.count ? fields[row].pivot : nil))
            }
            return out
        }
        var out = [DetailLine(heading("Raw line"))]
        out += StyledText(rawText, .jsonString).wrapped(to: max(10, width)).map { DetailLine($0) }
        out.append(DetailLine(""))
        out.append(DetailLine(heading("Parsed")))
        return out + fields
    }

    private func parsedFields(_ id: EventStore.EventID) -> [DetailLine] {
        var out: [DetailLine] = []
        func add(_ name: String, _ value: String?, _ pivot: String? = nil) {
            guard let value else { return }
            out.append(DetailLine(label(name.padding(10), value), pivot: pivot))
        }
        if let flow = store.flow(of: id) {
            add("version", String(flow.version))
            add("interface", flow.interfaceID, flow.interfaceID.map { PivotQuery.term("resource", $0) })
            add("srcaddr", flow.sourceAddress?.description, flow.sourceAddress.map { PivotQuery.term("src", $0.description) })
            add("srcport", flow.sourcePort.map(String.init), flow.sourcePort.map { "srcport:\($0)" })
            add("dstaddr", flow.destinationAddress?.description, flow.destinationAddress.map { PivotQuery.term("dst", $0.description) })
            add("dstport", flow.destinationPort.map(String.init), flow.destinationPort.map { "dstport:\($0)" })
            add("protocol", flow.ipProtocol.map(String.init), flow.ipProtocol.map { "protocol:\($0)" })
            add("packets", flow.packets.map { String($0) })
            add("bytes", flow.bytes.map { String($0) })
            add("start", flow.start.map { time.full($0) })
            add("end", flow.end.map { time.full($0) })
            add("action", "\(flow.action)".uppercased(), "action:\("\(flow.action)".uppercased())")
            add("status", "\(flow.status)")
            add("instance", flow.instanceID, flow.instanceID.map { PivotQuery.term("resource", $0) })
            add("vpc", flow.vpcID, flow.vpcID.map { PivotQuery.term("resource", $0) })
            add("subnet", flow.subnetID, flow.subnetID.map { PivotQuery.term("resource", $0) })
            add("tcp-flags", flow.tcpFlags.map(String.init))
        } else if let auth = store.auth(of: id) {
            add("host", auth.host)
            add("process", auth.process + (auth.pid.map { "[\($0)]" } ?? ""))
            add("action", store.value(.action, of: id), store.value(.action, of: id).map { PivotQuery.term("action", $0) })
            add("user", store.value(.user, of: id), store.value(.user, of: id).map { PivotQuery.term("user", $0) })
            add("from", store.value(.sourceIP, of: id), store.value(.sourceIP, of: id).map { PivotQuery.term("ip", $0) })
            add("port", auth.port.map(String.init))
            add("method", auth.method)
            if auth.invalidUser { add("invalid", "user does not exist") }
        }
        return out
    }

    // MARK: - Checklist item

    private func lines(for item: ChecklistItem) -> [DetailLine] {
        var out: [DetailLine] = []
        let tick = state.checklist.ticks[item.id]
        out += wrap(StyledText(tick == nil ? "[ ] " : "[x] ", tick == nil ? .muted : .ok) + StyledText(item.title, .title))
        out.append(DetailLine(StyledText(item.section, .muted)))
        if let tick {
            out.append(DetailLine(StyledText("ticked by \(tick.who) at \(time.full(tick.when)) \(state.timeMode.label)", .ok)))
        } else {
            out.append(DetailLine(StyledText("not done yet: Space or x in the checklist ticks it", .muted)))
        }
        section("Why", item.why, into: &out)
        if let command = item.command {
            out.append(DetailLine(""))
            out.append(DetailLine(heading("Command")))
            out += StyledText(command, .jsonString).wrapped(to: max(10, width - 2)).map { DetailLine(StyledText("  ") + $0) }
        }
        return out
    }

    // MARK: - Helpers

    private func heading(_ text: String) -> StyledText { StyledText(text, Style(.title, .underline)) }

    private func label(_ name: String, _ value: String) -> StyledText {
        StyledText(name + " ", .muted) + StyledText(value)
    }

    private func wrap(_ text: StyledText) -> [DetailLine] {
        text.wrapped(to: max(10, width)).map { DetailLine($0) }
    }

    private func section(_ title: String, _ body: String?, into out: inout [DetailLine]) {
        guard let body, !body.isEmpty else { return }
        out.append(DetailLine(""))
        out.append(DetailLine(heading(title)))
        for paragraph in body.split(separator: "\n", omittingEmptySubsequences: false) {
            out += StyledText(String(paragraph)).wrapped(to: max(10, width - 2)).map { DetailLine(StyledText("  ") + $0) }
        }
    }

    private func bullets(_ title: String, _ items: [String], into out: inout [DetailLine]) {
        guard !items.isEmpty else { return }
        out.append(DetailLine(""))
        out.append(DetailLine(heading(title)))
        for item in items {
            let wrapped = StyledText(item).wrapped(to: max(10, width - 4))
            for (k, line) in wrapped.enumerated() {
                out.append(DetailLine(StyledText(k == 0 ? "  • " : "    ", .accent) + line))
            }
        }
    }
}

extension String {
    /// Padded with spaces to at least `width` columns.
    func padding(_ width: Int) -> String {
        let columns = DisplayWidth.columns(of: self)
        return columns >= width ? self : self + String(repeating: " ", count: width - columns)
    }
}
