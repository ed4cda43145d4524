import Foundation
import PBTStore

/// Checkpoint bytes kept as files named by their SHA-256 in a directory every worker mounts
/// at the same path (`checkpoints=file:///DIR` on the store URL). Identical states share one
/// file. The database keeps each checkpoint's SHA-256 and size; bytes are verified on read.
struct CheckpointFiles: Sendable {
    /// The directory.
    let directory: String

    /// The file holding the bytes whose SHA-256 is `sha256`.
    func path(_ sha256: String) -> String {
        "\(directory)/\(sha256)"
    }

    /// Writes `bytes` (atomically: a temporary file renamed into place) unless a file of that
    /// digest and size is already there.
    /// - Throws: `StoreError.unavailable` naming the directory when it cannot be written.
    func write(_ bytes: [UInt8], sha256: String, location: PostgresLocation) throws {
        let target = path(sha256)
        let manager = FileManager.default
        if let size = (try? manager.attributesOfItem(atPath: target)[.size] as? NSNumber)?.intValue, size == bytes.count {
            return
        }
        do {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let temporary = "\(directory)/.\(sha256).\(UUID().uuidString).tmp"
            try Data(bytes).write(to: URL(fileURLWithPath: temporary))
            if rename(temporary, target) != 0 {
                let code = errno
                try? manager.removeItem(atPath: temporary)
                throw StoreError(.unavailable, String(cString: strerror(code)))
            }
        } catch {
            throw StoreError(
                .unavailable,
                "PostgreSQL store '\(location)': cannot write checkpoint file '\(target)': \(Self.reason(error)); "
                    + "check that the checkpoint directory exists on this machine and is writable")
        }
    }

    /// The bytes of the file for `sha256`, or nil when it is missing.
    func read(_ sha256: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path(sha256)).map { [UInt8]($0) }
    }

    /// Removes the file for `sha256`, if any.
    func remove(_ sha256: String) {
        try? FileManager.default.removeItem(atPath: path(sha256))
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? StoreError { return error.message }
        return (error as NSError).localizedDescription
    }
}
