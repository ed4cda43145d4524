/// Digests printed by `hashlib.sha256(bytes((i * 31 + 7) % 256 for i in range(n))).hexdigest()`.
enum HashlibVectors {
    static let length55 = "8aa994584139d128848eeebc4e815639ba5ab6e6e39574195a63ac4f14f7c43b"
    static let length56 = "ad574708f75c044c9b85de64cb568ee7711ff4f36448c6242f053ba8f6cc2b63"
    static let length63 = "280ed3e8ff1df845b2e7dfe6ac6cee817bef20e783cc65abc41b818b4d2fe076"
    static let length64 = "c6ab9724ade5b6a7a1edfffb12f3aa9181351355af8fd08c919952ad211339dd"
    static let length65 = "788367c73c7ddf4c53f65e68cc0d943e6227ab55b0e78ba63ace822b1c6301c0"
    static let length4096 = "d41d438c379110c7f7b2c561b1f04f26c1b4549110791f8e022f48974280c13e"
}
