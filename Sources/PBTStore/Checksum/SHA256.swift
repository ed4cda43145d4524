import CSHA256

/// SHA-256 (FIPS 180-4) of a byte buffer: what the stores record beside every checkpoint and
/// check before handing one back.
///
/// Computed by the `CSHA256` target: on x86-64 CPUs with the SHA extensions (Intel Goldmont and
/// Ice Lake on, AMD Zen on) with those instructions, as fast as OpenSSL's (about 1.6 GB/s on one
/// core of this machine: `pbt bench checkpoint`'s save); elsewhere one round at a time, about 6×
/// slower. Checked against the FIPS test vectors and Python's `hashlib`, both ways.
public enum SHA256 {
    /// The digest of `bytes` as 32 bytes.
    /// - Complexity: O(n) in `bytes.count`.
    public static func digest(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var stream = Stream()
        if bytes.withContiguousStorageIfAvailable({ stream.update(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { stream.update($0) }
        }
        return stream.digest()
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits.
    public static func hex(_ bytes: some Collection<UInt8>) -> String {
        hexadecimal(digest(bytes))
    }

    /// Whether this CPU's SHA instructions compute the digests.
    public static var usesCPUInstructions: Bool { pbt_sha256_accelerated_available() != 0 }

    /// The SHA-256 of bytes that arrive in pieces (a file read or written a chunk at a time).
    public struct Stream {
        private var context = pbt_sha256()

        /// Starts an empty digest.
        public init() {
            self.init(usingCPUInstructions: true)
        }

        /// Starts an empty digest, computed with the CPU's SHA instructions only when
        /// `usingCPUInstructions` and the CPU has them (tests compare both ways).
        init(usingCPUInstructions: Bool) {
            pbt_sha256_init(&context, usingCPUInstructions ? 1 : 0)
        }

        /// Adds the next bytes.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            guard let start = bytes.baseAddress, !bytes.isEmpty else { return }
            pbt_sha256_update(&context, start, bytes.count)
        }

        /// The digest of everything added, as 32 bytes.
        func digest() -> [UInt8] {
            var finished = context
            return [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
                pbt_sha256_final(&finished, buffer.baseAddress!)
                count = 32
            }
        }

        /// The digest of everything added, as 64 lowercase hexadecimal digits.
        public func hex() -> String {
            SHA256.hexadecimal(digest())
        }
    }

    static func hexadecimal(_ digest: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: digest.count * 2) { text in
            for (index, byte) in digest.enumerated() {
                text[2 * index] = hexDigit(byte >> 4)
                text[2 * index + 1] = hexDigit(byte & 0x0f)
            }
            return digest.count * 2
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
    }
}
