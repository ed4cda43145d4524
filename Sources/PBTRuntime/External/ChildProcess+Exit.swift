import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How a program ended.
enum ExitStatus: Equatable, Sendable, CustomStringConvertible {
    /// It exited with this status.
    case exited(Int32)
    /// A signal ended it.
    case killed(Int32)
    /// Something else collected its status first.
    case unknown

    /// Decodes a `waitpid` status (`WIFEXITED`, `WEXITSTATUS`, `WTERMSIG`, which Swift does not
    /// import).
    init(waitStatus: Int32) {
        let signal = waitStatus & 0x7F
        self = signal == 0 ? .exited((waitStatus >> 8) & 0xFF) : .killed(signal)
    }

    /// `exited with status N`, `was killed by signal N`, or `ended (status unknown)`.
    var description: String {
        switch self {
        case .exited(let status): "exited with status \(status)"
        case .killed(let signal): "was killed by signal \(signal)"
        case .unknown: "ended (status unknown)"
        }
    }
}

extension ChildProcess {
    /// The exit status once the program has exited (waiting up to `grace`), else nil.
    func exitStatus(within grace: Duration) async -> String? {
        let deadline = ContinuousClock.now + grace
        while true {
            if let status = ending.withLock({ $0 }) { return status.description }
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Ends the program: closes its input and waits up to `grace` for it to exit; then sends
    /// SIGTERM to its whole process group and waits up to `grace` again; then SIGKILL, and waits
    /// up to `grace` for it to be reaped. Once it has exited, waits up to `grace` more for
    /// its standard error to reach the log.
    func stop(grace: Duration) async {
        closeInput()
        for signal in [SIGTERM, SIGKILL] {
            if await exitStatus(within: grace) != nil { return await logged(within: grace) }
            signalGroup(signal)
        }
        _ = await exitStatus(within: grace)
        await logged(within: grace)
    }

    /// Waits up to `grace` until everything the program's group wrote on standard error is in
    /// the log (a process that left the group may keep it open longer).
    private func logged(within grace: Duration) async {
        let deadline = ContinuousClock.now + grace
        while !relayEnded, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Kills the program and every process of its group (SIGKILL) and closes its input.
    func kill() {
        signalGroup(SIGKILL)
        closeInput()
    }

    /// Sends `signal` to the program's process group (to the program alone if it left the
    /// group), unless it has been reaped.
    private func signalGroup(_ signal: Int32) {
        ending.withLock { ending in
            guard ending == nil else { return }
            if Glibc.kill(-processIdentifier, signal) != 0 { _ = Glibc.kill(processIdentifier, signal) }
        }
    }

    /// The waiter thread: waits for the program to exit, kills what is left of its process
    /// group while the unreaped program still holds the group's id, reaps it, and wakes the
    /// reader thread through `wake`. (If something else reaped it first, the group's id may
    /// already be reused, and nothing is signalled.)
    func awaitExit(wake: Int32) {
        var info = siginfo_t()
        let waited = retryingInterrupts { waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) }
        ending.withLock { ending in
            guard waited == 0 else {
                ending = .unknown
                return
            }
            _ = Glibc.kill(-processIdentifier, SIGKILL)
            var status: Int32 = 0
            let result = retryingInterrupts { waitpid(processIdentifier, &status, 0) }
            ending = result == processIdentifier ? ExitStatus(waitStatus: status) : .unknown
        }
        var byte: UInt8 = 1
        _ = Glibc.write(wake, &byte, 1)
        close(wake)
    }

    /// What `call` returns, calling it again while it fails with EINTR.
    private func retryingInterrupts(_ call: () -> Int32) -> Int32 {
        var result = call()
        while result == -1, errno == EINTR { result = call() }
        return result
    }
}
