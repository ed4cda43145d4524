import Foundation
import PBT

/// The line-delimited JSON protocol between the engine and an external training program
/// (specified in `docs/protocol.md`): one JSON object per line, each request answered by one
/// reply line.
public enum ExternalProtocol {
    /// The protocol versions this engine speaks, offered in `hello`. Version 2 adds time
    /// budgets to `train` (`seconds`, answered with the steps done); a program that chooses
    /// version 1 works as before, with step intervals only.
    public static let versions = [1, 2]
    /// The first version whose `train` may carry a time budget.
    public static let timeBudgetVersion = 2
    /// What a program must be able to do, listed in its `hello` reply (both versions).
    public static let requiredCapabilities = ["train", "evaluate", "save", "load", "set_hyperparameters"]

    /// A message from the engine to the program.
    public enum Request: Sendable, Equatable {
        /// The first message: the versions the engine speaks and who the program trains.
        case hello(member: Int, seed: UInt64, experiment: String)
        /// New hyperparameters for the live state.
        case setHyperparameters(Hyperparameters)
        /// Train `steps` steps; with `seconds` (version 2), train until that much time has passed
        /// (at least one step, at most `steps`) and reply with the steps done.
        case train(steps: Int, seconds: Double? = nil)
        /// Evaluate the current state.
        case evaluate
        /// Save the whole state at `path` (a file or a folder the program creates).
        case save(path: String)
        /// Replace the state with the one saved at `path`, a state of `member`: a process
        /// the engine reuses for another member trains that member from now on.
        case load(path: String, member: Int)
        /// Finish and exit; no reply.
        case shutdown

        /// The `type` field.
        public var type: String {
            switch self {
            case .hello: "hello"
            case .setHyperparameters: "set_hyperparameters"
            case .train: "train"
            case .evaluate: "evaluate"
            case .save: "save"
            case .load: "load"
            case .shutdown: "shutdown"
            }
        }

        /// The reply `type` this request expects.
        public var replyType: String {
            switch self {
            case .hello: "hello"
            case .evaluate: "score"
            case .save: "saved"
            default: "ok"
            }
        }

        /// The request as one line of JSON (no newline), keys sorted.
        public func line() -> String {
            var object: [String: Any] = ["type": type]
            switch self {
            case .hello(let member, let seed, let experiment):
                object["protocol"] = ExternalProtocol.versions
                object["member"] = member
                object["seed"] = seed
                object["experiment"] = experiment
            case .setHyperparameters(let values):
                var encoded: [String: Any] = [:]
                for (name, value) in values.values {
                    switch value {
                    case .number(let number): encoded[name] = number
                    case .text(let text): encoded[name] = text
                    }
                }
                object["hyperparameters"] = encoded
            case .train(let steps, let seconds):
                object["steps"] = steps
                if let seconds { object["seconds"] = seconds }
            case .save(let path):
                object["path"] = path
            case .load(let path, let member):
                object["path"] = path
                object["member"] = member
            case .evaluate, .shutdown:
                break
            }
            // Texts and finite numbers only (hyperparameters are checked finite where they enter).
            do {
                let data = try JSONSerialization.data(
                    withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                return String(decoding: data, as: UTF8.self)
            } catch {
                preconditionFailure("request '\(type)' does not encode as JSON: \(error)")
            }
        }
    }

    /// A reply from the program, checked against the request it answers.
    public enum Reply: Sendable, Equatable {
        /// The `hello` reply: the chosen version and the program's capabilities.
        case hello(version: Int, capabilities: [String], hyperparameters: [String]?)
        /// Done (`set_hyperparameters`, `train`, `load`).
        case ok
        /// Done training, with the steps done: the reply to a `train` with `seconds`.
        case trained(steps: Int)
        /// The `evaluate` reply: the score and the optional `metrics` (none when absent).
        case score(Double, metrics: Metrics)
        /// The `save` reply: where the checkpoint was written.
        case saved(path: String)
    }

    /// Why a line is not the reply a request expects.
    public struct Violation: Error, Equatable {
        /// The error code it maps to.
        public var code: ExternalProgramError.Code
        /// What is wrong.
        public var message: String
    }

    /// Parses `line` as the reply to `request`.
    /// - Throws: `Violation` for a line that is not a JSON object, an `error` reply, an unknown
    ///   or unexpected `type`, a missing or mistyped field, or a score that is not finite.
    public static func parse(_ line: String, answering request: Request) throws -> Reply {
        let object = try jsonObject(line)
        guard let type = object["type"] as? String else {
            throw Violation(code: .missingField, message: "the reply to '\(request.type)' has no text field 'type'")
        }
        if type == "error" {
            let message = object["message"] as? String ?? "(no message)"
            throw Violation(
                code: .programError, message: "the program reported an error in '\(request.type)': \(message)")
        }
        let known = ["hello", "ok", "score", "saved"]
        guard known.contains(type) else {
            throw Violation(
                code: .unexpectedMessage,
                message:
                    """
                    unknown message type '\(type)' in reply to '\(request.type)'; \
                    expected '\(request.replyType)' or 'error'
                    """
            )
        }
        guard type == request.replyType else {
            throw Violation(
                code: .unexpectedMessage,
                message: "'\(type)' is not the reply to '\(request.type)'; expected '\(request.replyType)'")
        }
        switch type {
        case "hello":
            guard let version = integer(object["protocol"]) else {
                throw missing("protocol", "an integer version", request)
            }
            guard let capabilities = object["capabilities"] as? [String] else {
                throw missing("capabilities", "a list of texts", request)
            }
            let names = object["hyperparameters"].map { $0 as? [String] } ?? nil
            if object["hyperparameters"] != nil, names == nil {
                throw missing("hyperparameters", "a list of texts", request)
            }
            return .hello(version: version, capabilities: capabilities, hyperparameters: names)
        case "score":
            guard let value = object["score"], !isBoolean(value), let number = value as? NSNumber else {
                throw missing("score", "a number", request)
            }
            let score = number.doubleValue
            guard score.isFinite else {
                throw Violation(code: .invalidScore, message: "the score is not finite (\(score))")
            }
            return .score(score, metrics: try metrics(object["metrics"]))
        case "saved":
            guard let path = object["path"] as? String else {
                throw missing("path", "the path the checkpoint was written to", request)
            }
            return .saved(path: path)
        default:
            guard case .train(let steps, let seconds) = request, seconds != nil || object["steps"] != nil else {
                return .ok
            }
            guard let done = integer(object["steps"]) else {
                throw missing("steps", "the number of steps trained (an integer in 1...\(steps))", request)
            }
            guard (1...steps).contains(done) else {
                throw Violation(
                    code: .missingField,
                    message: "the 'ok' reply to 'train' says \(done) steps were trained; it must be in 1...\(steps)"
                        + (seconds == nil ? " and, without 'seconds', exactly \(steps)" : ""))
            }
            guard seconds != nil || done == steps else {
                throw Violation(
                    code: .missingField,
                    message: "the 'ok' reply to 'train' says \(done) steps were trained; \(steps) were asked")
            }
            return .trained(steps: done)
        }
    }

    /// The optional `metrics` of a `score` reply: an object of names and finite numbers.
    private static func metrics(_ field: Any?) throws -> Metrics {
        guard let field, !(field is NSNull) else { return .none }
        guard let object = field as? [String: Any] else {
            throw Violation(
                code: .invalidMetrics,
                message: "'metrics' must be an object of names and finite numbers, e.g. {\"loss\": 0.3}")
        }
        var values: [String: Double] = [:]
        for name in object.keys.sorted() {
            guard let value = object[name], !isBoolean(value), let number = value as? NSNumber else {
                let shown = String(describing: object[name]!).prefix(40)
                throw Violation(
                    code: .invalidMetrics,
                    message: "metric '\(name)' is not a number (\(shown)); a metric must be a finite number")
            }
            values[name] = number.doubleValue
        }
        do {
            return try Metrics.validated(values)
        } catch let error as MetricsError {
            throw Violation(code: .invalidMetrics, message: error.message)
        }
    }

    private static func jsonObject(_ line: String) throws -> [String: Any] {
        let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8), options: [])
        guard let object = parsed as? [String: Any] else {
            if line.range(of: #"(?<![A-Za-z"])(-?Infinity|NaN)(?![A-Za-z"])"#, options: .regularExpression) != nil {
                throw Violation(
                    code: .invalidScore,
                    message: "the line holds NaN or Infinity, which is not JSON and not a valid score or metric")
            }
            let what = parsed == nil ? "not JSON" : "JSON but not an object"
            throw Violation(
                code: .malformed,
                message:
                    """
                    the program wrote a line that is \(what) (its standard output is reserved for the protocol; \
                    print to standard error)
                    """
            )
        }
        return object
    }

    private static func integer(_ value: Any?) -> Int? {
        guard let value, !isBoolean(value), let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        return double == double.rounded() ? Int(exactly: double) : nil
    }

    /// The dynamic type JSONSerialization gives `true` and `false` (on Linux, `is Bool` also
    /// holds for the numbers 0 and 1).
    private static let booleanType: ObjectIdentifier? = {
        let parsed = try? JSONSerialization.jsonObject(with: Data("[true]".utf8)) as? [Any]
        return parsed?.first.map { ObjectIdentifier(type(of: $0 as AnyObject)) }
    }()

    private static func isBoolean(_ value: Any) -> Bool {
        ObjectIdentifier(type(of: value as AnyObject)) == booleanType
    }

    private static func missing(_ field: String, _ what: String, _ request: Request) -> Violation {
        Violation(
            code: .missingField,
            message: "the '\(request.replyType)' reply to '\(request.type)' needs '\(field)': \(what)")
    }
}
