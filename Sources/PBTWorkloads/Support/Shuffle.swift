import Neural

extension MutableCollection where Self: RandomAccessCollection, Index == Int {
    /// Fisher–Yates shuffle drawing from `rng`, spelled out so the permutation for a seed never
    /// depends on the standard library's version.
    mutating func fisherYatesShuffle(using rng: inout NeuralRNG) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            swapAt(startIndex + i, startIndex + j)
        }
    }
}
