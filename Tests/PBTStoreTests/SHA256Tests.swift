import Testing

@testable import PBTStore

/// SHA-256 against the FIPS 180-4 examples and digests printed by Python's `hashlib`.
@Suite("SHA-256")
struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            """
            abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno\
            ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu
            """,
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func fipsVectors(text: String, expected: String) {
        #expect(SHA256.hex(Array(text.utf8)) == expected)
        for instructions in [false, true] {
            var stream = SHA256.Stream(usingCPUInstructions: instructions)
            Array(text.utf8).withUnsafeBytes { stream.update($0) }
            #expect(stream.hex() == expected, "CPU instructions: \(instructions)")
        }
    }

    /// `hashlib.sha256(bytes((i * 31 + 7) % 256 for i in range(n))).hexdigest()`: lengths
    /// around the 55/56/64-byte padding boundaries and a 4 KB checkpoint.
    @Test(arguments: [
        (0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        (55, HashlibVectors.length55),
        (56, HashlibVectors.length56),
        (63, HashlibVectors.length63),
        (64, HashlibVectors.length64),
        (65, HashlibVectors.length65),
        (4096, HashlibVectors.length4096),
    ])
    func hashlibVectors(length: Int, expected: String) {
        let bytes = (0..<length).map { UInt8(($0 * 31 + 7) % 256) }
        #expect(SHA256.hex(bytes) == expected)
        #expect(SHA256.hex(bytes[...]) == expected)
        #expect(SHA256.hex(bytes.lazy.map { $0 }) == expected)
        var portable = SHA256.Stream(usingCPUInstructions: false)
        bytes.withUnsafeBytes { portable.update($0) }
        #expect(portable.hex() == expected)
    }

    /// Pieces of every size from 0 to 200 bytes, then large ones, cut at block boundaries and
    /// off them: the same digest as all at once, with and without the CPU's instructions.
    @Test func piecesGiveTheDigestOfTheWhole() {
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: (UInt32($0) &* 2_654_435_761) >> 13) }
        let whole = SHA256.hex(bytes)
        for instructions in [false, true] {
            var stream = SHA256.Stream(usingCPUInstructions: instructions)
            var start = 0, size = 0
            bytes.withUnsafeBytes { all in
                while start < all.count {
                    let end = min(all.count, start + (size <= 200 ? size : size * 97))
                    stream.update(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                    start = end
                    size += 1
                }
            }
            #expect(stream.hex() == whole, "CPU instructions: \(instructions)")
        }
        print("SHA-256 with the CPU's SHA instructions on this machine: \(SHA256.usesCPUInstructions)")
    }

    @Test func millionAs() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(bytes) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIs32Bytes() {
        #expect(SHA256.digest([1, 2, 3]).count == 32)
    }
}
