import Foundation
import PBTStore

/// Packs the file or folder an external program saved into a checkpoint, and back, a chunk
/// at a time (a file's bytes copied in the kernel where the system can, as `cp` does): memory
/// stays bounded whatever the checkpoint's size.
///
/// A single file is its own checkpoint, byte for byte, unless its first eight bytes are the
/// magic below: then, and for a folder, the checkpoint is an archive. So a store can keep a
/// program's file as it is, moved in without copying (`CheckpointFileWriter.adopting`), and
/// the archive's header never shifts a large file's bytes off the page boundaries the kernel
/// copies fastest on.
///
/// The archive (version 1), deterministic — the same tree always packs to the same bytes:
/// ```
/// magic   8 bytes  "PBTCKPT" 0x01
/// kind    1 byte   'F' (0x46): one file, whose bytes follow to the end
///                  'D' (0x44): a folder, whose entries follow to the end
/// entry   (folders) sorted by path, bytewise; a folder's entry precedes its contents
///   type    1 byte   'd' (0x64) folder | 'f' (0x66) file
///   length  4 bytes  little-endian byte length of the path
///   path    UTF-8, relative, '/'-separated, no empty, '.' or '..' components
///   size    8 bytes  little-endian (files only)
///   bytes   `size` bytes (files only)
/// ```
/// Only names, folders and file contents are kept: no permissions, owners or times. A symbolic
/// link at the saved path itself is followed (a program may link its real checkpoint file or
/// folder there); links and other special files inside a folder are refused.
public enum CheckpointArchive {
    /// The first eight bytes of every archive.
    public static let magic: [UInt8] = Array("PBTCKPT".utf8) + [1]

    /// A problem packing or unpacking, in words.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong.
        public let description: String
    }

    /// Packs the file or folder at `path`, or the one a symbolic link at `path` leads to, into
    /// bytes in memory.
    /// - Throws: `Failure` when nothing is there, for a special file, or for a symbolic link or
    ///   special file inside the folder.
    public static func pack(_ path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        try pack(path, into: &bytes)
        return bytes
    }

    /// Packs the file or folder at `path` into a new checkpoint file in `directory`, hashing as
    /// it writes; at most one chunk is in memory at a time. A single file that is its own
    /// checkpoint is moved there instead when it can be (see
    /// `CheckpointFileWriter.adopting(_:directory:)`): then `path` is gone.
    /// - Returns: the file (a staging file), its SHA-256 and size.
    /// - Throws: `Failure` as `pack(_:)`; `StoreError.unavailable` when the file cannot be
    ///   written.
    public static func pack(_ path: String, intoFileIn directory: String) throws -> CheckpointFile {
        var status = stat()
        if lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG, try !startsWithMagic(path),
            let adopted = try CheckpointFileWriter.adopting(path, directory: directory)
        {
            return adopted
        }
        var writer = try CheckpointFileWriter(directory: directory)
        try pack(path, into: &writer)
        return try writer.finish()
    }

    /// Whether the file at `path` begins with `magic`.
    private static func startsWithMagic(_ path: String) throws -> Bool {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: magic.count)
        let count = head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return count == magic.count && head == magic
    }

    private static func pack(_ path: String, into sink: inout some ArchiveSink) throws {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure(description: "nothing was written at \(path)")
        }
        let path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if !isFolder.boolValue {
            try checkRegular(path, name: (path as NSString).lastPathComponent)
            if try startsWithMagic(path) { try sink.append(magic + [0x46]) }
            _ = try copy(path, into: &sink)
            return
        }
        try sink.append(magic + [0x44])
        guard let enumerator = manager.enumerator(atPath: path) else {
            throw Failure(description: "cannot list the folder \(path)")
        }
        var entries: [String] = []
        while let name = enumerator.nextObject() as? String { entries.append(name) }
        for name in entries.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let full = path + "/" + name
            let type = try checkRegular(full, name: name)
            let pathBytes = Array(name.utf8)
            var header: [UInt8] = [type == .typeDirectory ? 0x64 : 0x66]
            append(UInt64(pathBytes.count), width: 4, to: &header)
            header += pathBytes
            if type != .typeDirectory {
                let size = (try manager.attributesOfItem(atPath: full)[.size] as? NSNumber)?.uint64Value ?? 0
                append(size, width: 8, to: &header)
                try sink.append(header)
                guard try copy(full, into: &sink) == size else {
                    throw Failure(description: "'\(name)' changed size while the checkpoint was packed")
                }
            } else {
                try sink.append(header)
            }
        }
    }

    @discardableResult
    private static func checkRegular(_ path: String, name: String) throws -> FileAttributeType {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let type = attributes[.type] as? FileAttributeType
        guard type == .typeRegular || type == .typeDirectory, let type else {
            throw Failure(
                description: "'\(name)' in the checkpoint is not a regular file or folder (links are not kept)")
        }
        return type
    }

    private static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }
}

/// Where packed bytes go: memory, or a checkpoint file.
protocol ArchiveSink {
    /// Appends `bytes`.
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws

    /// Appends what is left of the open file `source`.
    /// - Returns: the bytes appended.
    /// - Throws: `FileRangeCopy.Failure.read` when `source` cannot be read.
    mutating func append(contentsOf source: Int32) throws -> UInt64
}

extension ArchiveSink {
    /// Appends `bytes`.
    mutating func append(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

extension [UInt8]: ArchiveSink {
    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        append(contentsOf: bytes)
    }

    mutating func append(contentsOf source: Int32) throws -> UInt64 {
        var buffer = [UInt8](repeating: 0, count: CheckpointReader.chunkSize)
        var total: UInt64 = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw FileRangeCopy.Failure.read(String(cString: strerror(errno))) }
            guard count > 0 else { return total }
            append(contentsOf: buffer[0..<count])
            total += UInt64(count)
        }
    }
}

extension CheckpointFileWriter: ArchiveSink {
    func append(contentsOf source: Int32) throws -> UInt64 {
        try append(contentsOf: source, limit: nil)
    }
}

/// Appends the contents of the file at `path` to `sink`.
/// - Returns: how many bytes it appended.
private func copy(_ path: String, into sink: inout some ArchiveSink) throws -> UInt64 {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw CheckpointArchive.Failure(description: "cannot read \(path): \(String(cString: strerror(errno)))")
    }
    defer { close(descriptor) }
    do {
        return try sink.append(contentsOf: descriptor)
    } catch FileRangeCopy.Failure.read(let reason) {
        throw CheckpointArchive.Failure(description: "cannot read \(path): \(reason)")
    }
}
