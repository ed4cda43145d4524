/// A seeded, splittable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random choice in swift-pbt comes from a `PBTRandom` derived from the experiment seed
/// and the coordinates of the choice (member, step, purpose), never from the global source, so a
/// run with one worker and the same seed is reproducible bit for bit, and a choice does not
/// depend on the order in which other members happened to decide.
public struct PBTRandom: RandomNumberGenerator, Sendable, Hashable {
    private var s0, s1, s2, s3: UInt64

    /// What a derived stream is used for; distinct purposes never share a stream.
    public enum Purpose: UInt64, Sendable {
        /// Drawing a member's initial hyperparameters.
        case initialHyperparameters = 1
        /// A scheduler decision (exploit and explore) at a ready point.
        case decision = 2
        /// The seed handed to a member's `Trainable`.
        case trainable = 3
        /// Ordering a synchronous round.
        case round = 4
    }

    /// Creates a generator from a 64-bit seed.
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        s0 = mixer.next()
        s1 = mixer.next()
        s2 = mixer.next()
        s3 = mixer.next()
    }

    /// Creates the generator for one choice of one experiment.
    /// - Parameters:
    ///   - seed: the experiment seed.
    ///   - purpose: what the numbers will be used for.
    ///   - member: the member slot the choice belongs to.
    ///   - step: the member's step at the choice.
    ///   - visit: distinguishes choices at the same member and step: a member that copied a
    ///     donor at an earlier step comes back to a step it has been at, and must draw afresh
    ///     rather than repeat the same decision forever (the scheduler passes the score's bits).
    public init(seed: UInt64, purpose: Purpose, member: Int = 0, step: Int = 0, visit: UInt64 = 0) {
        var mixer = SplitMix64(state: seed)
        var key = mixer.next() ^ purpose.rawValue &* 0xD1B5_4A32_D192_ED03
        key = SplitMix64(state: key).peek() ^ UInt64(bitPattern: Int64(member)) &* 0x9E37_79B9_7F4A_7C15
        key = SplitMix64(state: key).peek() ^ UInt64(bitPattern: Int64(step)) &* 0xBF58_476D_1CE4_E5B9
        if visit != 0 { key = SplitMix64(state: key).peek() ^ visit &* 0x94D0_49BB_1331_11EB }
        self.init(seed: key)
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}

/// SplitMix64, used to expand seeds into generator states.
struct SplitMix64 {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// The value `next()` would return, without advancing.
    func peek() -> UInt64 {
        Self.mix(state &+ 0x9E37_79B9_7F4A_7C15)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
