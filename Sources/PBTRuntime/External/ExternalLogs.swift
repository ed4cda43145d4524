import Foundation
import PBTStore

/// Where an external program's standard error goes: one log file per member, beside the
/// experiment's store.
///
/// For the default store `runs/NAME.sqlite` the logs are `runs/NAME/logs/member-<slot>.log`;
/// for `sqlite:DIR/FILE` they are `DIR/NAME/logs/…`; for `memory:` and PostgreSQL they are
/// `runs/NAME/logs/…` under the working directory of the process running the worker.
public enum ExternalLogs {
    /// The folder holding `experiment`'s member logs for a store at `location`.
    public static func directory(experiment: String, store location: StoreLocation) -> String {
        switch location {
        case .sqlite(let path):
            let folder = (path as NSString).deletingLastPathComponent
            return folder.isEmpty ? "\(experiment)/logs" : "\(folder)/\(experiment)/logs"
        case .memory, .postgres:
            return "runs/\(experiment)/logs"
        }
    }

    /// The log file of `member` in `directory`: `member-<slot>.log`.
    public static func path(member: Int, in directory: String) -> String {
        "\(directory)/member-\(member).log"
    }

    /// The log file of `member` of `experiment` for a store at `location`.
    public static func path(experiment: String, member: Int, store location: StoreLocation) -> String {
        path(member: member, in: directory(experiment: experiment, store: location))
    }
}
