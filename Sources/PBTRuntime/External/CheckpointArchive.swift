import Foundation

/// Packs the file or folder an external program saved into checkpoint bytes, and back.
///
/// The format (version 1), deterministic — the same tree always packs to the same bytes:
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

    /// Packs the file or folder at `path`, or the one a symbolic link at `path` leads to.
    /// - Throws: `Failure` when nothing is there, for a special file, or for a symbolic link or
    ///   special file inside the folder.
    public static func pack(_ path: String) throws -> [UInt8] {
        let manager = FileManager.default
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Failure(description: "nothing was written at \(path)")
        }
        let path = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        if !isFolder.boolValue {
            try checkRegular(path, name: (path as NSString).lastPathComponent)
            let contents = try read(path)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(magic.count + 1 + contents.count)
            bytes += magic
            bytes.append(0x46)
            bytes += contents
            return bytes
        }
        var bytes = magic + [0x44]
        guard let enumerator = manager.enumerator(atPath: path) else {
            throw Failure(description: "cannot list the folder \(path)")
        }
        var entries: [String] = []
        while let name = enumerator.nextObject() as? String { entries.append(name) }
        for name in entries.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let full = path + "/" + name
            let type = try checkRegular(full, name: name)
            let pathBytes = Array(name.utf8)
            bytes.append(type == .typeDirectory ? 0x64 : 0x66)
            append(UInt64(pathBytes.count), width: 4, to: &bytes)
            bytes += pathBytes
            if type != .typeDirectory {
                let contents = try read(full)
                append(UInt64(contents.count), width: 8, to: &bytes)
                bytes += contents
            }
        }
        return bytes
    }

    /// Unpacks `bytes` at `path`, which must not exist yet.
    /// - Throws: `Failure` when the bytes are not an archive of this format.
    public static func unpack(_ bytes: [UInt8], to path: String) throws {
        guard bytes.count >= 9, Array(bytes[0..<8]) == magic else {
            throw Failure(description: "the checkpoint is not an external-program archive (bad magic)")
        }
        let manager = FileManager.default
        switch bytes[8] {
        case 0x46:
            try write(bytes[9...], to: path)
        case 0x44:
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
            var offset = 9
            while offset < bytes.count {
                let type = bytes[offset]
                offset += 1
                let length = Int(try integer(bytes, at: &offset, width: 4))
                guard length > 0, offset + length <= bytes.count,
                    let name = String(validating: bytes[offset..<(offset + length)], as: UTF8.self), isSafe(name)
                else { throw Failure(description: "the checkpoint archive has a bad entry path at byte \(offset)") }
                offset += length
                let full = path + "/" + name
                switch type {
                case 0x64:
                    try manager.createDirectory(atPath: full, withIntermediateDirectories: true)
                case 0x66:
                    let size = try integer(bytes, at: &offset, width: 8)
                    guard size <= UInt64(bytes.count - offset) else {
                        throw Failure(description: "the checkpoint archive is truncated in '\(name)'")
                    }
                    try write(bytes[offset..<(offset + Int(size))], to: full)
                    offset += Int(size)
                default:
                    throw Failure(description: "the checkpoint archive has an unknown entry type \(type) for '\(name)'")
                }
            }
        default:
            throw Failure(description: "the checkpoint archive has an unknown kind \(bytes[8])")
        }
    }

    @discardableResult
    private static func checkRegular(_ path: String, name: String) throws -> FileAttributeType {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        let type = attributes[.type] as? FileAttributeType
        guard type == .typeRegular || type == .typeDirectory, let type else {
            throw Failure(description: "'\(name)' in the checkpoint is not a regular file or folder (links are not kept)")
        }
        return type
    }

    private static func isSafe(_ name: String) -> Bool {
        !name.hasPrefix("/") && !name.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0 == "." || $0 == ".."
        }
    }

    private static func read(_ path: String) throws -> Data {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    private static func write(_ bytes: ArraySlice<UInt8>, to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw Failure(description: "cannot write \(path): \(error.localizedDescription)")
        }
    }

    private static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index)))) }
    }

    private static func integer(_ bytes: [UInt8], at offset: inout Int, width: Int) throws -> UInt64 {
        guard offset + width <= bytes.count else { throw Failure(description: "the checkpoint archive is truncated") }
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += width
        return value
    }
}
