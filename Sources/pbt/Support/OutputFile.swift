import Foundation

/// Writes a command's output file, with errors that say what is wrong in words.
enum OutputFile {
    /// Writes `text` to `path` atomically (a temporary file renamed into place).
    /// - Throws: `CommandError` naming the path and the reason: a folder given where a file is
    ///   expected, a missing parent folder, or the system's reason (permission, full disk…).
    static func write(_ text: String, to path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw CommandError("cannot write '\(path)': it is a folder; give a file name, e.g. '\(path)/NAME'")
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            throw CommandError("cannot write '\(path)': the folder '\(parent)' does not exist")
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let reason = ((error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError).map {
                String(cString: strerror(Int32($0.code)))
            }
            throw CommandError(
                """
                cannot write '\(path)': \
                \(reason ?? "the system refused (check the folder's permissions and free space)")
                """
            )
        }
    }
}
