import VigilCore
import VigilDetect
import VigilStore
import VigilTerminal

/// Measures how long the console takes to turn a key press into a frame, for `vigil bench`.
///
/// Each key goes through the same path as in the real console (key map, reducer, view, terminal draw) into a
/// `MemoryTerminal`; the time per key is returned in milliseconds. The first frame (caches cold) is not
/// counted.
///
/// ```swift
/// let times = benchmarkFrame(store: store, engine: engine, width: 200, height: 60, keys: ConsoleBenchmark.keys)
/// ```
public func benchmarkFrame(store: EventStore, engine: DetectionEngine?, width: Int, height: Int,
                           keys: [Key] = ConsoleBenchmark.keys) -> [Double] {
    let data = DataSource(store: store, engine: engine)
    let terminal = MemoryTerminal(width: width, height: height)
    var state = AppState(size: Size(width: width, height: height), caseName: "benchmark")
    let environment = Environment(data: data, now: Timestamp(milliseconds: 0))
    _ = Reducer.reduce(&state, .resize(state.size), environment)
    terminal.draw(ConsoleView.render(state, environment), theme: state.theme)
    var times: [Double] = []
    times.reserveCapacity(keys.count)
    for key in keys {
        let start = System.monotonic()
        if let action = Reducer.action(for: key, state: state, keyMap: environment.keyMap) {
            _ = Reducer.reduce(&state, action, environment)
        }
        terminal.draw(ConsoleView.render(state, environment), theme: state.theme)
        times.append((System.monotonic() - start) * 1000)
    }
    return times
}

/// The key presses `benchmarkFrame` uses by default: moving, paging and jumping in the findings and the
/// timeline, drilling into the detail pane and zooming in time.
public enum ConsoleBenchmark {
    public static let keys: [Key] = {
        var keys: [Key] = []
        keys += Array(repeating: .char("j"), count: 10)
        keys += [.enter, .char("j"), .char("j"), .escape]
        keys += [.char("2")] + Array(repeating: .char("j"), count: 20)
        keys += Array(repeating: .pageDown, count: 10) + [.char("G"), .char("g"), .ctrl("d"), .ctrl("u")]
        keys += [.char("+"), .char("+"), .char("-"), .char("0"), .char("e"), .char("e"), .char("t"), .char("t")]
        keys += [.enter, .char("j"), .char("j"), .char("4"), .tab, .tab, .char("z"), .char("z")]
        return keys
    }()
}
