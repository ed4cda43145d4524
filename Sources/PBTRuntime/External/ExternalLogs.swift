import Foundation
import PBTStore

#if canImport(Glibc)
import Glibc
#endif

/// Where an external program's standard error goes: one log file per member, beside the
/// experiment's store.
///
/// For the default store `runs/NAME.sqlite` the logs are `runs/NAME/logs/member-<slot>.log`;
/// for `sqlite:DIR/FILE` they are `DIR/NAME/logs/…`; for `memory:` and PostgreSQL they are
/// `runs/NAME/logs/…` under the working directory of the process running the worker. A root
/// folder given instead (`--logs ROOT`, e.g. one that every machine's workers share) holds
/// them as `ROOT/NAME/logs/…`.
public enum ExternalLogs {
    /// The folder holding `experiment`'s member logs for a store at `location`, or under
    /// `root` when one is given.
    public static func directory(experiment: String, store location: StoreLocation, root: String? = nil) -> String {
        if let root { return "\(root)/\(experiment)/logs" }
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

    /// Opens the log file at `path` for appending, creating it and its folder if missing, and
    /// writes `line` (a separator naming the start) and a newline.
    ///
    /// Every write goes to the end of the file (`O_APPEND`), also those of a program still
    /// running from an earlier start, so no start overwrites what another wrote.
    static func append(to path: String, _ line: String) throws -> FileHandle {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ProcessSpawn.Failure(
                description: "cannot open the log file \(path): \(String(cString: strerror(errno)))")
        }
        let log = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try log.write(contentsOf: Data((line + "\n").utf8))
        return log
    }

    /// The log file of `member` of `experiment` for a store at `location`.
    public static func path(experiment: String, member: Int, store location: StoreLocation) -> String {
        path(member: member, in: directory(experiment: experiment, store: location))
    }
}
