import VigilTerminal

/// Everything that can change the state: a bound command, keys typed into a prompt, the mouse, a resize, data
/// arriving, the clock, and results of effects the runtime performed.
enum Action: Equatable {
    case command(Command)
    /// A key for the open prompt (command line, search, filter, help filter).
    case promptKey(Key)
    case mouse(MouseEvent)
    case resize(Size)
    /// Data arrived (from `DataSource.poll`); `status` is the new ingest status.
    case dataChanged(DataChange, IngestStatus)
    /// Time passed with no input (status messages expire).
    case tick
    /// Runs a command-line command, as if typed after `:`.
    case run(String)
    case themeLoaded(Theme)
    /// An effect finished: a message for the status line.
    case report(String, StatusMessage.Level)
    /// The checklist was written to a file: its ticks are saved.
    case checklistExported(path: String)
    /// A key bound to nothing here (shows a hint).
    case unbound(Key)
}

/// Work the reducer asks for and the runtime performs (the reducer itself touches no files or terminals).
enum Effect: Equatable {
    case quit
    /// Loads a theme by name or path; the runtime answers `.themeLoaded` or `.report` with the error.
    case loadTheme(String)
    /// Writes the timeline rows as shown (filtered) to a file.
    case exportTimeline(path: String)
    /// Writes the checklist, ticks included, as Markdown.
    case exportChecklist(path: String)
    /// A line for the log file.
    case log(String)
}
