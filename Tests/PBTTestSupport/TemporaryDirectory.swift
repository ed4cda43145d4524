import Foundation

/// A fresh directory under the system's temporary directory, for one test; removed by
/// `remove()` (usually in a `defer` right after creating it).
public struct TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// The directory's path.
    public var path: String { url.path }

    /// Creates a directory named after the test target that asks for it and a fresh UUID
    /// (`pbt-CLITests-…`), so that one left behind says where it came from.
    ///
    /// - Parameter fileID: the caller's file, whose module names the directory; leave the
    ///   default.
    public init(fileID: String = #fileID) throws {
        let module = fileID.split(separator: "/").first.map(String.init) ?? "tests"
        url = FileManager.default.temporaryDirectory.appendingPathComponent("pbt-\(module)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `text` to the file `name` in the directory, replacing any file of that name.
    ///
    /// - Returns: the file written.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    /// The names in the directory, each with a regular file's bytes (a folder's are the text
    /// `<directory>`): what a test compares before and after to check that nothing was written.
    public func snapshot() throws -> [String: Data] {
        var result: [String: Data] = [:]
        let files = FileManager.default
        for name in try files.contentsOfDirectory(atPath: path) {
            var isDirectory: ObjCBool = false
            let full = url.appendingPathComponent(name).path
            _ = files.fileExists(atPath: full, isDirectory: &isDirectory)
            result[name] = isDirectory.boolValue ? Data("<directory>".utf8) : files.contents(atPath: full) ?? Data()
        }
        return result
    }

    /// Removes the directory and everything in it, after making it writable again (a test may
    /// have made it read-only). Errors are ignored: a directory left behind fails no test.
    public func remove() {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        try? FileManager.default.removeItem(at: url)
    }
}
