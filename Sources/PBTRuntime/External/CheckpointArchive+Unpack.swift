import Foundation
import PBTStore

extension CheckpointArchive {
    /// Unpacks `bytes` at `path`, which must not exist yet: the file they are, or the file or
    /// folder of the archive they are.
    /// - Throws: `Failure` for an archive that is not of this format.
    public static func unpack(_ bytes: [UInt8], to path: String) throws {
        try unpack(CheckpointReader(.bytes(bytes)), to: path)
    }

    /// Unpacks the checkpoint `reader` reads at `path`, which must not exist yet, a chunk at a
    /// time, then has the reader verify it.
    /// - Throws: `StoreError.checkpointCorrupt` when the checkpoint's file is missing or does not
    ///   match its SHA-256 (also when that is why its contents made no sense); `Failure` when
    ///   an intact checkpoint is an archive not of this format.
    public static func unpack(_ reader: CheckpointReader, to path: String) throws {
        do {
            try unpackEntries(reader, to: path)
        } catch let failure as Failure {
            try reader.finish()
            throw failure
        }
        try reader.finish()
    }

    private static func unpackEntries(_ reader: CheckpointReader, to path: String) throws {
        let header = try reader.peek(magic.count + 1)
        guard header.starts(with: magic) else {
            // A file that is its own checkpoint.
            try write(reader, count: nil, to: path)
            return
        }
        guard header.count > magic.count, try reader.bytes(exactly: header.count) != nil else {
            throw Failure(description: "the checkpoint archive is truncated")
        }
        let manager = FileManager.default
        switch header[magic.count] {
        case 0x46:
            try write(reader, count: nil, to: path)
        case 0x44:
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            while let type = try reader.bytes(exactly: 1)?.first {
                let length = Int(try integer(reader, width: 4))
                guard length > 0, let pathBytes = try reader.bytes(exactly: length),
                    let name = String(validating: pathBytes, as: UTF8.self), isSafe(name)
                else { throw Failure(description: "the checkpoint archive has a bad entry path") }
                let full = path + "/" + name
                switch type {
                case 0x64:
                    try manager.createDirectory(atPath: full, withIntermediateDirectories: true)
                case 0x66:
                    try write(reader, count: try integer(reader, width: 8), to: full)
                default:
                    throw Failure(description: "the checkpoint archive has an unknown entry type \(type) for '\(name)'")
                }
            }
        default:
            throw Failure(description: "the checkpoint archive has an unknown kind \(header[8])")
        }
    }

    private static func isSafe(_ name: String) -> Bool {
        !name.hasPrefix("/")
            && !name.split(separator: "/", omittingEmptySubsequences: false).contains {
                $0.isEmpty || $0 == "." || $0 == ".."
            }
    }

    /// Writes the next `count` bytes `reader` reads (all that is left when nil) to a new file.
    private static func write(_ reader: CheckpointReader, count: UInt64?, to path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot write \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let copied: UInt64
        do {
            copied = try reader.copy(count, to: descriptor)
        } catch FileRangeCopy.Failure.write(let reason) {
            throw Failure(description: "cannot write \(path): \(reason)")
        }
        if let count, copied < count {
            throw Failure(
                description: "the checkpoint archive is truncated in '\((path as NSString).lastPathComponent)'")
        }
    }

    private static func integer(_ reader: CheckpointReader, width: Int) throws -> UInt64 {
        guard let bytes = try reader.bytes(exactly: width) else {
            throw Failure(description: "the checkpoint archive is truncated")
        }
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        return value
    }
}
