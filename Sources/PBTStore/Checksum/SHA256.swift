import Crypto

/// SHA-256 (FIPS 180-4) of a byte buffer: what the stores record beside every checkpoint and
/// check before handing one back.
///
/// Computed by swift-crypto (BoringSSL's vectorised implementation, about 4× faster than a
/// plain Swift one: it matters for checkpoints of megabytes); checked against the FIPS test
/// vectors and Python's `hashlib`.
public enum SHA256 {
    /// The digest of `bytes` as 32 bytes.
    /// - Complexity: O(n) in `bytes.count`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        Array(Crypto.SHA256.hash(data: Array(bytes)))
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        hexadecimal(digest(bytes))
    }

    /// The SHA-256 of bytes that arrive in pieces (a file read or written a chunk at a time).
    public struct Stream {
        private var hasher = Crypto.SHA256()

        /// Starts an empty digest.
        public init() {}

        /// Adds the next bytes.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            hasher.update(bufferPointer: bytes)
        }

        /// The digest of everything added, as 64 lowercase hexadecimal digits.
        public func hex() -> String {
            SHA256.hexadecimal(Array(hasher.finalize()))
        }
    }

    private static func hexadecimal(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
