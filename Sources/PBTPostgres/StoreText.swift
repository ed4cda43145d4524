import Foundation
import PBT
import PBTStore
import Synchronization

/// Hyperparameters, mutations and other values as the JSON text the PostgreSQL store keeps
/// (keys sorted, numbers that read back bit for bit), with a small cache of decoded
/// hyperparameters: a population shares few distinct texts, and each commit reads every
/// member's.
enum StoreText {
    private static let cache = Mutex<[String: Hyperparameters]>([:])
    private static let cacheLimit = 4096

    /// The JSON text of `value`.
    /// - Throws: `StoreError.invalid` naming `what` when a number is not finite.
    static func encode(_ value: some Encodable, _ what: @autoclosure () -> String) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StoreError(.invalid, "\(what()) cannot be stored as JSON (every number must be finite): \(error)")
        }
    }

    /// The value of a JSON text.
    /// - Throws: `StoreError.invalid` naming `what` when the stored text does not decode.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String, _ what: @autoclosure () -> String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError(.invalid, "\(what()) holds unreadable JSON \(text.prefix(80)): \(error)")
        }
    }

    /// The hyperparameters of a JSON text, cached.
    static func hyperparameters(_ text: String, _ what: @autoclosure () -> String) throws -> Hyperparameters {
        if let known = cache.withLock({ $0[text] }) { return known }
        let decoded = try decode(Hyperparameters.self, text, what())
        cache.withLock { entries in
            if entries.count >= cacheLimit { entries.removeAll(keepingCapacity: true) }
            entries[text] = decoded
        }
        return decoded
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
