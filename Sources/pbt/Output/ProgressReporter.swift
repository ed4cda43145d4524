import Foundation
import PBT
import PBTRuntime
import PBTStore

/// Shows an experiment's progress on standard error while work runs: a line rewritten in
/// place on a terminal, a plain line every few seconds otherwise (CI logs), nothing when silent.
struct ProgressReporter: Sendable {
    enum Style: Sendable {
        case automatic
        case silent
    }

    let experiment: String
    let store: any PopulationStore
    let budget: Int
    let mode: ScoreMode
    let style: Style

    /// Runs `work` while reporting; prints a final line when it ends.
    func `while`(_ work: @Sendable () async throws -> Void) async throws {
        guard style != .silent else { return try await work() }
        let terminal = isatty(STDERR_FILENO) != 0
        let start = ContinuousClock.now
        let reporter = Task {
            var last = ContinuousClock.now
            while !Task.isCancelled {
                try? await Task.sleep(for: terminal ? .milliseconds(250) : .seconds(1))
                if Task.isCancelled { break }
                guard ContinuousClock.now - last >= (terminal ? .zero : .seconds(5)) else { continue }
                last = ContinuousClock.now
                await report(since: start, terminal: terminal, final: false)
            }
        }
        defer { reporter.cancel() }
        try await work()
        reporter.cancel()
        await reporter.value  // no report of the loop may land after the final one
        await report(since: start, terminal: terminal, final: true)
    }

    private func report(since start: ContinuousClock.Instant, terminal: Bool, final: Bool) async {
        guard let progress = try? await Progress(experiment: experiment, store: store, budget: budget, mode: mode)
        else {
            return
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        var line = progress.line(elapsed: seconds)
        // A line wider than the terminal wraps, and rewriting it in place would leave copies.
        if terminal, let width = Self.terminalWidth(), line.count >= width {
            line = String(line.prefix(width - 2)) + "…"
        }
        let text = terminal ? "\r\u{1B}[2K\(line)\(final ? "\n" : "")" : "\(line)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The width of the terminal on standard error in columns, or nil when unknown.
    private static func terminalWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 8 else { return nil }
        return Int(size.ws_col)
    }
}
