import ArgumentParser
import Foundation
import PBTStore

/// `pbt`'s exit statuses beyond 0 (done), 1 (an error, printed) and 64 (bad arguments).
enum ExitStatus {
    /// The experiment ended, but every member failed: nothing was trained to its budget.
    static let everyMemberFailed = ExitCode(3)
    /// Stopped by SIGINT or SIGTERM; everything committed is kept.
    static let interrupted = ExitCode(130)

    /// Throws `everyMemberFailed`, after a one-line reason on standard error, unless some member
    /// of the ended experiment is done (or, when a `stop:` rule ended it, has not failed).
    static func checkSomeMemberDone(_ members: [MemberRecord], experiment: String, stopped: Bool = false) throws {
        // A `stop:` rule ends an experiment with its members still ready: failed only if all are.
        let finished: (MemberRecord) -> Bool = { stopped ? $0.status != .failed : $0.status == .done }
        guard !members.isEmpty, !members.contains(where: finished) else { return }
        let failures = members.reduce(0) { $0 + $1.failures }
        FileHandle.standardError.write(
            Data(
                ("pbt: experiment '\(experiment)' ended with every member failed (\(members.count) members, "
                    + "\(failures) failures in all); each member's last error is above\n").utf8))
        throw everyMemberFailed
    }
}
