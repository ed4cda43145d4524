import Dispatch
import Foundation

/// Turns SIGINT/SIGTERM into task cancellation: the first signal lets every worker finish its
/// current commit and stop; a second one exits at once (nothing committed is lost either way).
final class Interrupts {
    private let sources: [any DispatchSourceSignal]

    /// Cancels `task` on the first signal.
    init(cancelling task: Task<Void, any Error>) {
        let counter = SignalCounter()
        sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                if counter.increment() == 1 {
                    FileHandle.standardError.write(
                        Data("\npbt: stopping after the current commits (interrupt again to quit now)\n".utf8))
                    task.cancel()
                } else {
                    exit(130)
                }
            }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}

/// A thread-safe count of signals received.
private final class SignalCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
