import Testing

@testable import PBT

@Suite("Seeded generator")
struct RandomTests {
    @Test("the same coordinates give the same stream; different ones differ")
    func derivation() {
        var a = PBTRandom(seed: 9, purpose: .decision, member: 3, step: 40)
        var b = PBTRandom(seed: 9, purpose: .decision, member: 3, step: 40)
        #expect((0..<8).map { _ in a.next() } == (0..<8).map { _ in b.next() })
        let first = { (random: PBTRandom) -> UInt64 in
            var copy = random
            return copy.next()
        }
        let variants = [
            PBTRandom(seed: 10, purpose: .decision, member: 3, step: 40),
            PBTRandom(seed: 9, purpose: .trainable, member: 3, step: 40),
            PBTRandom(seed: 9, purpose: .decision, member: 4, step: 40),
            PBTRandom(seed: 9, purpose: .decision, member: 3, step: 44),
        ]
        #expect(Set(variants.map(first)).count == 4)
    }

    @Test("unit draws lie in [0, 1) and average one half")
    func unit() {
        var random = PBTRandom(seed: 1)
        var sum = 0.0
        for _ in 0..<100_000 {
            let value = random.unit()
            #expect(value >= 0 && value < 1)
            sum += value
        }
        #expect(abs(sum / 100_000 - 0.5) < 0.01)
    }
}
