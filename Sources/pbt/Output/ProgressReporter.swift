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
                guard ContinuousClock.now - last >= (terminal ? .zero : .seconds(5)) else { continue }
                last = ContinuousClock.now
                await report(since: start, terminal: terminal, final: false)
            }
        }
        defer { reporter.cancel() }
        try await work()
        reporter.cancel()
        await report(since: start, terminal: terminal, final: true)
    }

    private func report(since start: ContinuousClock.Instant, terminal: Bool, final: Bool) async {
        guard let progress = try? await Progress(experiment: experiment, store: store, budget: budget, mode: mode) else {
            return
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let line = progress.line(elapsed: seconds)
        let text = terminal ? "\r\u{1B}[2K\(line)\(final ? "\n" : "")" : "\(line)\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
