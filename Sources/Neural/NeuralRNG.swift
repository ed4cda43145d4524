import Foundation

/// A small, fast, seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in `Neural` (weight initialisation, dropout masks) comes from a value of
/// this type, so a run is reproducible bit for bit from its seed. The state is four `UInt64`
/// words; it is copied with the value and serialized with an ``MLP``.
public struct NeuralRNG: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var words: (UInt64, UInt64, UInt64, UInt64)

    /// The generator's internal state (never all zero); pass it to ``init(state:)`` to resume.
    public var state: (UInt64, UInt64, UInt64, UInt64) { words }

    /// Creates a generator from a 64-bit seed. Equal seeds give equal sequences.
    /// - Parameter seed: any value, including 0.
    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        words = (splitMix(&sm), splitMix(&sm), splitMix(&sm), splitMix(&sm))
    }

    /// Restores a generator from a state captured with ``state``.
    /// - Throws: ``NeuralError`` if all four words are zero (the one state xoshiro cannot leave).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) throws(NeuralError) {
        guard state.0 | state.1 | state.2 | state.3 != 0 else {
            throw NeuralError(.invalidData, "NeuralRNG state must not be all zero")
        }
        words = state
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(words.1 &* 5, 7) &* 9
        let t = words.1 << 17
        words.2 ^= words.0
        words.3 ^= words.1
        words.1 ^= words.2
        words.0 ^= words.3
        words.2 ^= t
        words.3 = rotl(words.3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Float` in `[0, 1)` with 24 bits of resolution.
    @inlinable
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform `Double` in `[0, 1)` with 53 bits of resolution.
    @inlinable
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A sample from the normal distribution with the given mean and standard deviation
    /// (Box–Muller, one sample per call, computed in `Double`).
    public mutating func normal(mean: Double = 0, standardDeviation: Double = 1) -> Double {
        let u1 = 1 - nextDouble()  // (0, 1]
        let u2 = nextDouble()
        return mean + standardDeviation * (-2 * Foundation.log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Whether two generators are in the same state (and so will produce the same sequence).
    public static func == (lhs: NeuralRNG, rhs: NeuralRNG) -> Bool {
        lhs.words == rhs.words
    }

    /// Hashes the generator's state.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}
