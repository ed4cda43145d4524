import PBT

/// Reads a workload's hyperparameters: a missing one takes its documented default, a present
/// one must be a number in range, and a name the workload does not read is an error.
struct HyperparameterReader {
    private let values: Hyperparameters
    private let workload: String
    private var read: Set<String> = []

    init(_ values: Hyperparameters, workload: String) {
        self.values = values
        self.workload = workload
    }

    /// A real hyperparameter in `range` (`default` when absent).
    mutating func number(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        read.insert(name)
        guard let value = values[name] else { return fallback }
        guard let number = value.number, number.isFinite, range.contains(number) else {
            throw WorkloadError(
                "\(workload): hyperparameter \(name) must be a number in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return number
    }

    /// An integer hyperparameter in `range` (`default` when absent).
    mutating func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        read.insert(name)
        guard let value = values[name] else { return fallback }
        guard let number = value.number, number == number.rounded(), let integer = Int(exactly: number),
            range.contains(integer)
        else {
            throw WorkloadError(
                "\(workload): hyperparameter \(name) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return integer
    }

    /// Throws if a hyperparameter was given that the workload does not read.
    func finish() throws {
        let unknown = values.names.filter { !read.contains($0) }
        guard unknown.isEmpty else {
            throw WorkloadError(
                "\(workload): unknown hyperparameter \(unknown[0]); it reads: \(read.sorted().joined(separator: ", "))")
        }
    }
}
