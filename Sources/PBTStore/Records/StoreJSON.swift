import Foundation
import PBT
import Synchronization

/// The JSON text of hyperparameters and mutations as the SQL stores keep them: keys
/// sorted, numbers written so they read back bit for bit.
public enum StoreJSON {
    private static let decoded = Mutex<[String: Hyperparameters]>([:])
    private static let decodedLimit = 4096

    /// Encodes `value`.
    /// - Throws: `StoreError.invalid` naming `what` when a number is not finite.
    public static func encode(_ value: some Encodable, _ what: @autoclosure () -> String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.invalid, "\(what()) cannot be stored as JSON (every number must be finite): \(error)")
        }
    }

    /// Throws what `encode` would throw for `hyperparameters` (a number that is not finite),
    /// without encoding them.
    public static func checkFinite(_ hyperparameters: Hyperparameters, _ what: @autoclosure () -> String) throws {
        for (name, value) in hyperparameters.values where value.number.map({ !$0.isFinite }) ?? false {
            throw StoreError(
                .invalid, "\(what()) cannot be stored as JSON (every number must be finite): \(name) = \(value)")
        }
    }

    /// Decodes `text`.
    /// - Throws: `StoreError.invalid` naming `what` when the stored text does not decode.
    public static func decode<T: Decodable>(
        _ type: T.Type, _ text: String, _ what: @autoclosure () -> String
    ) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.invalid, "\(what()) holds unreadable JSON \(text.prefix(80)): \(error)")
        }
    }

    /// Decodes hyperparameters, from a small cache: a population shares few distinct texts,
    /// and each commit reads every member's.
    /// - Throws: `StoreError.invalid` naming `what` when the stored text does not decode.
    public static func hyperparameters(_ text: String, _ what: @autoclosure () -> String) throws -> Hyperparameters {
        if let known = decoded.withLock({ $0[text] }) { return known }
        let value = try decode(Hyperparameters.self, text, what())
        decoded.withLock { entries in
            if entries.count >= decodedLimit { entries.removeAll(keepingCapacity: true) }
            entries[text] = value
        }
        return value
    }

    /// The stored text of `metrics`: nil for none, so a score without metrics adds nothing to
    /// its row.
    /// - Throws: `StoreError.invalid` naming `what` when a value is not finite.
    public static func text(_ metrics: Metrics, _ what: @autoclosure () -> String) throws -> String? {
        metrics.isEmpty ? nil : try encode(metrics, what())
    }

    /// The metrics stored as `text` (nil: none).
    /// - Throws: `StoreError.invalid` naming `what` when the stored text does not decode.
    public static func metrics(_ text: String?, _ what: @autoclosure () -> String) throws -> Metrics {
        guard let text else { return .none }
        return try decode(Metrics.self, text, what())
    }
}
