/// One arm of a comparison (`pbt compare`): a way of spending the same compute on the same
/// experiment. PBT is the arm every other is compared against.
///
/// This is the arm's identity (name, label, order); how an arm configures its runs lives with
/// the runtime (`ComparisonArm.configuration` in PBTRuntime), so a new arm is a new case here
/// and one more branch there.
public enum ComparisonArm: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// Population Based Training as the experiment file describes it.
    case pbt
    /// PBT with PB2 exploring (`explore: {strategy: pb2}` with its default settings): the
    /// file's exploit, GP-UCB suggestions instead of its explore.
    case pb2
    /// Parallel random search: the same members and initial draws, exploit and explore none.
    case random
    /// The best fixed configuration (the paper's "hand-tuned" baseline): every member starts
    /// with the hyperparameters of the best member of all random-search runs, and keeps them.
    case fixed

    /// Every arm by its command-line name, in order: `pbt, pb2, random, fixed`.
    public static let allowedNames = allCases.map(\.rawValue).joined(separator: ", ")

    /// The arms `pbt compare` runs unless told otherwise: PBT, random search, best fixed.
    public static let defaults: [ComparisonArm] = [.pbt, .random, .fixed]

    /// A short label for tables and legends.
    public var label: String {
        switch self {
        case .pbt: "PBT"
        case .pb2: "PB2"
        case .random: "random search"
        case .fixed: "best fixed"
        }
    }

    /// The arms whose finished runs this arm needs before its own can be configured.
    public var prerequisites: [ComparisonArm] {
        switch self {
        case .pbt, .pb2, .random: []
        case .fixed: [.random]
        }
    }

    /// The order arms are listed and run in (the order of the cases).
    public static func < (a: ComparisonArm, b: ComparisonArm) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
