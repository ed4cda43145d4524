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
            "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ])
    func fipsVectors(text: String, expected: String) {
        #expect(SHA256.hex(Array(text.utf8)) == expected)
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
    }

    @Test func millionAs() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(bytes) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestIs32Bytes() {
        #expect(SHA256.digest([1, 2, 3]).count == 32)
    }
}
