/// A suite that compares numbers with reference values to a relative tolerance.
protocol RelativeTolerance {
    /// The relative agreement required by default.
    static var tolerance: Double { get }
}

extension RelativeTolerance {
    /// Whether `value` is within `tolerance` of `reference`, relative to `reference`'s magnitude
    /// (at least 10⁻¹²).
    func close(_ value: Double, _ reference: Double, _ tolerance: Double = Self.tolerance) -> Bool {
        abs(value - reference) <= tolerance * max(abs(reference), 1e-12)
    }
}
