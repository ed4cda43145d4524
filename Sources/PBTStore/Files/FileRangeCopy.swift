import Foundation

/// Copies bytes from one open file to another inside the kernel (`copy_file_range`, on
/// Linux), so a large checkpoint is not copied into the process and back out: the way `cp`
/// copies. Where the system cannot (another kind of file system, another operating system, an
/// error), the rest goes through a buffer, which also names the failing side precisely.
public enum FileRangeCopy {
    /// The bytes copied before each report to `copied`: enough to keep system calls few, small
    /// enough that a hasher reading the range back finds it in memory.
    static let piece = 8 << 20

    /// A side of the copy that failed, with the system's reason.
    public enum Failure: Error {
        /// Reading the source failed.
        case read(String)
        /// Writing the destination failed.
        case write(String)
    }

    /// Copies up to `limit` bytes (all that is left when nil) from `source`'s file position to
    /// `destination`'s, advancing both.
    /// - Parameters:
    ///   - source: the open file read from, at its current position.
    ///   - destination: the open file written to, at its current position.
    ///   - limit: the most bytes to copy; nil: to the end of `source`.
    ///   - copied: called after each piece with its start, counted from the first byte this
    ///     call copied, and its length.
    /// - Returns: the bytes copied (fewer than `limit` when the source ended).
    /// - Throws: `Failure`; `copied`'s errors.
    public static func copy(
        from source: Int32, to destination: Int32, limit: UInt64?, copied: (Int, Int) throws -> Void
    ) throws -> UInt64 {
        var done: UInt64 = 0
        var left: UInt64 { limit.map { $0 - done } ?? UInt64.max }
        #if os(Linux)
        while left > 0, let kernelCopy {
            let count = kernelCopy(source, nil, destination, nil, Int(min(left, UInt64(piece))), 0)
            if count < 0, errno == EINTR { continue }
            // 0 is the end, or a file the kernel cannot copy (some report a size of 0); an error
            // is an unsupported pair of files or a failure: the buffered copy says which.
            guard count > 0 else { break }
            try copied(Int(done), count)
            done += UInt64(count)
        }
        #endif
        guard left > 0 else { return done }
        var buffer = [UInt8](repeating: 0, count: CheckpointReader.chunkSize)
        var pending = 0  // bytes written since the last report
        while left > 0 {
            let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, Int(min(left, UInt64($0.count)))) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw Failure.read(String(cString: strerror(errno))) }
            if count == 0 { break }
            try buffer.withUnsafeBytes { try writeAll(destination, UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            done += UInt64(count)
            pending += count
            if pending >= piece {
                try copied(Int(done) - pending, pending)
                pending = 0
            }
        }
        if pending > 0 { try copied(Int(done) - pending, pending) }
        return done
    }

    #if os(Linux)
    /// `copy_file_range(2)` (glibc 2.27+), looked up at run time: Swift's Glibc module leaves
    /// out the declarations that need `_GNU_SOURCE`.
    private typealias CopyFileRange =
        @convention(c) (
            Int32, UnsafeMutablePointer<Int64>?, Int32, UnsafeMutablePointer<Int64>?, Int, UInt32
        ) -> Int
    private static let kernelCopy: CopyFileRange? = dlsym(dlopen(nil, RTLD_NOW), "copy_file_range")
        .map { unsafeBitCast($0, to: CopyFileRange.self) }
    #endif

    /// Writes all of `bytes` to `descriptor`.
    /// - Throws: `Failure.write`.
    public static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw Failure.write(String(cString: strerror(errno))) }
            offset += written
        }
    }
}
