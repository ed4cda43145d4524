/// The Vargha–Delaney A12 effect size: the probability that a value drawn from the first
/// sample is greater than one drawn from the second, ties counting one half,
/// A12 = P(X > Y) + 0.5 · P(X = Y).
///
/// 0.5 means no effect; Vargha and Delaney (2000) call 0.56, 0.64 and 0.71 small, medium
/// and large effects (and symmetrically below 0.5). A12 = U / (n · m) for the Mann-Whitney
/// statistic U of the first sample.
public struct VarghaDelaneyA12: Sendable, Equatable {
    /// A12 in [0, 1].
    public var value: Double

    /// Computes A12 of `x` against `y` by counting every pair; nil when a sample is empty or
    /// holds a NaN.
    /// - Complexity: O(n · m).
    public init?(_ x: [Double], _ y: [Double]) {
        guard !x.isEmpty, !y.isEmpty, !(x + y).contains(where: \.isNaN) else { return nil }
        var greater = 0, equal = 0
        for a in x {
            for b in y {
                if a > b { greater += 1 } else if a == b { equal += 1 }
            }
        }
        value = (Double(greater) + 0.5 * Double(equal)) / (Double(x.count) * Double(y.count))
    }
}
