import PBT
import PBTRuntime

/// The workloads that ship with swift-pbt, by the name an experiment file uses.
public enum BuiltinWorkloads {
    /// The names an experiment's `workload` may use.
    public static let names = ["quadratic", "cartpole", "acrobot", "digits", "signals", "gan"]

    /// The workload a spec names, with its options validated.
    /// - Throws: `WorkloadError` naming the unknown workload or option and what is allowed.
    public static func make(_ spec: WorkloadSpec) throws -> any Workload {
        switch spec.name {
        case "quadratic":
            return try read(spec) { options in
                Quadratic(stepSize: try options.number("step_size", default: 0.01, in: 1e-9...0.5))
            }
        case "cartpole": return try read(spec, CartPole.make)
        case "acrobot": return try read(spec, Acrobot.make)
        case "digits": return try read(spec, Digits.make)
        case "signals": return try read(spec, Signals.make)
        case "gan": return try read(spec, GAN.make)
        default:
            throw WorkloadError("workload: unknown workload '\(spec.name)'; built-in: \(names.joined(separator: ", "))")
        }
    }

    /// The values the built-in workload `name` accepts for its hyperparameters (see
    /// `Workload.hyperparameterRanges`); none for a name that is not built in.
    public static func ranges(of name: String) -> [HyperparameterRange] {
        switch name {
        case "cartpole": CartPole.ranges
        case "acrobot": Acrobot.ranges
        case "digits", "signals": MLPClassifier.ranges
        case "gan": GAN.ranges
        default: []
        }
    }

    /// Makes a workload from the spec's options, refusing options the maker did not read.
    private static func read(
        _ spec: WorkloadSpec, _ make: (inout WorkloadOptions) throws -> any Workload
    ) throws -> any Workload {
        var options = WorkloadOptions(spec)
        let workload = try make(&options)
        try options.finish()
        return workload
    }
}

/// Reads a workload's options, refusing unknown ones.
struct WorkloadOptions {
    private let spec: WorkloadSpec
    private var read: Set<String> = []

    init(_ spec: WorkloadSpec) {
        self.spec = spec
    }

    mutating func number(_ name: String, default fallback: Double, in range: ClosedRange<Double>) throws -> Double {
        read.insert(name)
        guard let value = spec.options[name] else { return fallback }
        guard let number = value.number, range.contains(number) else {
            throw WorkloadError(
                "workload.\(name): must be a number in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return number
    }

    mutating func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        read.insert(name)
        guard let value = spec.options[name] else { return fallback }
        guard let number = value.number, number == number.rounded(), let integer = Int(exactly: number),
            range.contains(integer)
        else {
            throw WorkloadError(
                "workload.\(name): must be an integer in \(range.lowerBound)...\(range.upperBound), got \(value)")
        }
        return integer
    }

    mutating func text(_ name: String, default fallback: String) throws -> String {
        read.insert(name)
        guard let value = spec.options[name] else { return fallback }
        guard let text = value.text else { throw WorkloadError("workload.\(name): must be text, got \(value)") }
        return text
    }

    func finish() throws {
        let unknown = spec.options.keys.filter { !read.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw WorkloadError(
                """
                workload.\(unknown[0]): unknown option of '\(spec.name)'; allowed: \
                \(read.sorted().joined(separator: ", "))
                """
            )
        }
    }
}
