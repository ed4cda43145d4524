import Foundation
import PBT
import Yams

extension ExperimentConfig {
    /// The top-level keys of an experiment file.
    public static let fileKeys = [
        "name", "workload", "population", "steps", "interval", "burn_in", "synchronous", "mode", "seed",
        "exploit", "explore", "hyperparameters", "initial", "stop",
    ]

    /// Reads and validates an experiment file.
    /// - Parameters:
    ///   - path: the YAML file.
    ///   - ranges: the values the named workload accepts for its hyperparameters (see
    ///     `Workload.hyperparameterRanges`); every domain must lie inside them.
    /// - Throws: `ConfigError` naming the file, field, line and what is allowed.
    public init(contentsOf path: String, ranges: (WorkloadSpec) -> [HyperparameterRange] = { _ in [] }) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError(file: path, field: "", message: "cannot read the file (missing or unreadable)")
        }
        try self.init(yaml: String(decoding: data, as: UTF8.self), file: path, ranges: ranges)
    }

    /// Parses and validates an experiment from YAML text.
    /// - Parameters:
    ///   - yaml: the text.
    ///   - file: the name used in errors.
    ///   - ranges: the values the named workload accepts for its hyperparameters.
    public init(
        yaml: String, file: String = "<input>", ranges: (WorkloadSpec) -> [HyperparameterRange] = { _ in [] }
    ) throws {
        guard yaml.utf8.count <= Self.maximumFileBytes else {
            throw ConfigError(
                file: file, field: "",
                message:
                    """
                    the file has \(yaml.utf8.count) bytes; an experiment file may have at most \(Self.maximumFileBytes)
                    """
            )
        }
        let root: Node
        do {
            guard let parsed = try Yams.compose(yaml: yaml) else {
                throw ConfigError(file: file, field: "", message: "the file is empty")
            }
            root = parsed
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(file: file, field: "", message: "not valid YAML: \(error)")
        }
        var budget = Self.maximumValues
        guard Self.fits(root, within: &budget) else {
            throw ConfigError(
                file: file, field: "",
                message:
                    """
                    the file expands to more than \(Self.maximumValues) values (through YAML aliases?); \
                    an experiment file needs far fewer
                    """
            )
        }
        let top = try ConfigNode(node: root, path: "", file: file).mapping(allowed: Self.fileKeys)
        func required(_ key: String) throws -> ConfigNode {
            guard let node = top[key] else {
                throw ConfigError(file: file, field: key, message: "missing (required)")
            }
            return node
        }
        let name = try required("name").string()
        if let problem = Self.nameProblem(name) { throw try required("name").error(problem) }
        let population = try required("population").integer(in: 1...1_000_000)
        let stepsNode = try required("steps")
        let steps = try stepsNode.integer(in: 1...Int.max)
        let burnIn = try top["burn_in"]?.integer(in: 0...steps) ?? 0
        let synchronous = try top["synchronous"]?.bool() ?? false
        let schedule = try Self.schedule(
            interval: required("interval"), steps: steps, burnIn: burnIn, synchronous: synchronous)
        let stop = try top["stop"].map(Self.stop)
        let mode = ScoreMode(rawValue: try top["mode"]?.oneOf(["max", "min"]) ?? "max")!
        let seed = try top["seed"].map { UInt64(try $0.integer(in: 0...Int.max)) } ?? 0
        let exploit = try top["exploit"].map(Self.exploit) ?? .truncation(fraction: 0.2)
        let explore = try top["explore"].map(Self.explore) ?? .perturb(factors: [0.8, 1.2])
        var domains: [String: Domain] = [:]
        var domainNodes: [String: ConfigNode] = [:]
        for (key, node) in try required("hyperparameters").entries() {
            domains[key] = try Self.domain(node)
            domainNodes[key] = node
        }
        let initial = try top["initial"]?.list().map(Self.hyperparameters) ?? []
        self.init(
            name: name, workload: try Self.workload(try required("workload"), file: file), population: population,
            schedule: schedule, mode: mode, seed: seed, exploit: exploit, explore: explore,
            hyperparameters: domains, initial: initial, stop: stop)
        do {
            try HyperparameterRange.check(ranges(workload), domains, workload: workload.name)
        } catch let error as PBTError {
            let name = String(error.field.dropFirst("hyperparameters.".count))
            throw ConfigError(file: file, field: error.field, line: domainNodes[name]?.line, message: error.message)
        }
        do {
            let scheduler = try makeScheduler()
            _ = try initialHyperparameters(using: scheduler)
        } catch let error as PBTError {
            let isDomain = domains[error.field] != nil || error.field == "hyperparameters"
            let field = isDomain && error.field != "hyperparameters" ? "hyperparameters.\(error.field)" : error.field
            let node = top[field.components(separatedBy: CharacterSet(charactersIn: ".[")).first ?? ""]
            throw ConfigError(file: file, field: field, line: node?.line, message: error.message)
        }
    }

    /// The largest experiment file read, in bytes.
    public static let maximumFileBytes = 1 << 20
    /// The most values (scalars, lists, mappings) an experiment file may expand to: aliases may
    /// repeat a node without repeating its text, and a few lines of them expand to billions.
    public static let maximumValues = 100_000

    /// Whether `node`, aliases expanded, has at most `budget` values; stops counting once over.
    private static func fits(_ node: Node, within budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        switch node {
        case .scalar, .alias: return true
        case .sequence(let sequence): return sequence.allSatisfy { fits($0, within: &budget) }
        case .mapping(let mapping):
            return mapping.allSatisfy { fits($0.key, within: &budget) && fits($0.value, within: &budget) }
        }
    }

    /// Why `name` cannot name an experiment (it names files and folders: `runs/NAME.sqlite`,
    /// `runs/NAME/logs`), or nil when it can.
    public static func nameProblem(_ name: String) -> String? {
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            return "use letters, digits, '-', '_' and '.', got '\(name)'"
        }
        guard name != ".", name != ".." else { return "'\(name)' names a folder, not an experiment; use a word" }
        return nil
    }

    private static func workload(_ node: ConfigNode, file: String) throws -> WorkloadSpec {
        if !node.isMapping { return WorkloadSpec(name: try node.string()) }
        if try node.entries().contains(where: { $0.0 == "command" }) {
            return WorkloadSpec(command: try command(node, base: baseFolder(of: file)))
        }
        var name: String?
        var options: [String: HyperparameterValue] = [:]
        for (key, value) in try node.entries() {
            if key == "name" {
                name = try value.string()
            } else if commandKeys.contains(key) {
                throw value.error("only a command workload takes '\(key)'; add command: [program, arguments...]")
            } else {
                options[key] = try value.value()
            }
        }
        guard let name else {
            throw node.error("needs 'name' (the built-in workload), 'command' (a program), or a plain name")
        }
        return WorkloadSpec(name: name, options: options)
    }

    private static func exploit(_ node: ConfigNode) throws -> ExploitSpec {
        let strategies = ["truncation", "ttest", "tournament", "none"]
        if !node.isMapping { return try exploitSpec(try node.oneOf(strategies), [:], node) }
        let fields = try node.mapping(allowed: ["strategy", "fraction", "window", "alpha", "keep_improving"])
        guard let strategy = fields["strategy"] else {
            throw node.error("needs 'strategy': one of \(strategies.joined(separator: ", "))")
        }
        let spec = try exploitSpec(try strategy.oneOf(strategies), fields.filter { $0.key != "keep_improving" }, node)
        guard let guardNode = fields["keep_improving"] else { return spec }
        guard spec != .none else {
            throw guardNode.error("exploit none copies nobody, so there is nothing to keep improving members from")
        }
        if !guardNode.isMapping {
            return .keepImproving(spec, window: try guardNode.integer(in: 3...1_000_000), alpha: 0.05)
        }
        let settings = try guardNode.mapping(allowed: ["window", "alpha"])
        guard let window = settings["window"] else {
            throw guardNode.error("needs 'window': the recent scores each slope is fitted to, an integer ≥ 3")
        }
        return .keepImproving(
            spec, window: try window.integer(in: 3...1_000_000), alpha: try settings["alpha"]?.number() ?? 0.05)
    }

    private static func exploitSpec(
        _ strategy: String, _ fields: [String: ConfigNode], _ node: ConfigNode
    ) throws -> ExploitSpec {
        let allowed: [String: [String]] = ["truncation": ["fraction"], "ttest": ["window", "alpha"]]
        for key in fields.keys where key != "strategy" && !(allowed[strategy] ?? []).contains(key) {
            throw fields[key]!.error(
                "not a setting of \(strategy); allowed: \((allowed[strategy] ?? []).joined(separator: ", "))")
        }
        switch strategy {
        case "truncation": return .truncation(fraction: try fields["fraction"]?.number() ?? 0.2)
        case "ttest":
            return .ttest(
                window: try fields["window"]?.integer(in: 2...1_000_000) ?? 10,
                alpha: try fields["alpha"]?.number() ?? 0.05)
        case "tournament": return .tournament
        default: return .none
        }
    }

    private static func explore(_ node: ConfigNode) throws -> ExploreSpec {
        let strategies = ["perturb", "resample", "pb2", "none"]
        var fields: [String: ConfigNode] = [:]
        let strategy: String
        if node.isMapping {
            fields = try node.mapping(
                allowed: ["strategy", "factors", "probability", "fit_rows", "trust_region"]
                    + PB2Settings.fields.map(\.name))
            guard let name = fields["strategy"] else {
                throw node.error("needs 'strategy': one of \(strategies.joined(separator: ", "))")
            }
            strategy = try name.oneOf(strategies)
        } else {
            strategy = try node.oneOf(strategies)
        }
        if strategy != "resample", let probability = fields["probability"] {
            throw probability.error("only resample takes a probability")
        }
        let pb2Only = PB2Settings.fields.map(\.name) + ["fit_rows", "trust_region"]
        if strategy != "pb2", let setting = pb2Only.lazy.compactMap({ fields[$0] }).first {
            throw setting.error("only pb2 takes this setting")
        }
        if strategy == "none" || strategy == "pb2", let factors = fields["factors"] {
            throw factors.error("\(strategy) takes no factors")
        }
        let factors = try fields["factors"]?.list().map { try $0.number() } ?? [0.8, 1.2]
        switch strategy {
        case "perturb": return .perturb(factors: factors)
        case "resample": return .resample(probability: try fields["probability"]?.number() ?? 0.25, factors: factors)
        case "pb2":
            var settings = PB2Settings()
            for (name, path) in PB2Settings.fields {
                if let value = fields[name] { settings[keyPath: path] = try value.integer(in: 1...1_000_000) }
            }
            if let rows = fields["fit_rows"] {
                let value = try rows.integer(in: 2...1_000_000)
                settings.fitRows = value < settings.minimumWindow ? value : nil
            }
            if let region = fields["trust_region"] {
                let value = try region.number()
                guard value > 0, value <= 1 else { throw region.error("must be a number in (0, 1], got \(value)") }
                settings.trustRegion = value < 1 ? value : nil
            }
            return .pb2(settings)
        default: return .none
        }
    }

    private static func domain(_ node: ConfigNode) throws -> Domain {
        guard node.isMapping else { return .constant(try node.value()) }
        let kinds = ["uniform", "loguniform", "int", "choice", "constant"]
        let fields = try node.mapping(allowed: kinds + ["ordered"])
        let present = kinds.filter { fields[$0] != nil }
        guard present.count == 1, let kind = present.first else {
            throw node.error("needs exactly one of \(kinds.joined(separator: ", ")), e.g. {loguniform: [0.0001, 0.1]}")
        }
        let body = fields[kind]!
        if kind != "choice", let ordered = fields["ordered"] { throw ordered.error("only choice takes 'ordered'") }
        func bounds() throws -> (Double, Double) {
            let items = try body.list()
            guard items.count == 2 else { throw body.error("expected [lower, upper], got \(items.count) values") }
            return (try items[0].number(), try items[1].number())
        }
        switch kind {
        case "uniform":
            let (lower, upper) = try bounds()
            return .uniform(lower: lower, upper: upper)
        case "loguniform":
            let (lower, upper) = try bounds()
            return .logUniform(lower: lower, upper: upper)
        case "int":
            let items = try body.list()
            guard items.count == 2 else { throw body.error("expected [lower, upper], got \(items.count) values") }
            return .integer(
                lower: try items[0].integer(in: Int.min...Int.max), upper: try items[1].integer(in: Int.min...Int.max))
        case "choice":
            return .choice(try body.list().map { try $0.value() }, ordered: try fields["ordered"]?.bool() ?? false)
        default:
            return .constant(try body.value())
        }
    }

    private static func hyperparameters(_ node: ConfigNode) throws -> Hyperparameters {
        var values: [String: HyperparameterValue] = [:]
        for (key, value) in try node.entries() { values[key] = try value.value() }
        return Hyperparameters(values)
    }
}
