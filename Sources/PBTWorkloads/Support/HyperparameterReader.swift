import PBT
import PBTRuntime

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

    /// The hyperparameter `range` describes: its default when absent, else a value it accepts.
    mutating func number(_ range: HyperparameterRange) throws -> Double {
        read.insert(range.name)
        guard let value = values[range.name] else { return range.defaultValue }
        guard range.accepts(value), let number = value.number else {
            throw WorkloadError("\(workload): hyperparameter \(range.name) must be \(range.allowed), got \(value)")
        }
        return number
    }

    /// The integer hyperparameter `range` describes.
    mutating func integer(_ range: HyperparameterRange) throws -> Int {
        Int(try number(range))
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
