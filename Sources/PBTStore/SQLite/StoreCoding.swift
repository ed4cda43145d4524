import Foundation
import PBT
import Synchronization

/// Hyperparameters as JSON text, with a small cache of decoded texts: a population shares few
/// distinct texts, and each commit reads every member's.
enum StoreCoding {
    private static let cache = Mutex<[String: Hyperparameters]>([:])
    private static let cacheLimit = 4096

    /// The JSON text of `hyperparameters`.
    static func text(_ hyperparameters: Hyperparameters, _ what: @autoclosure () -> String) throws -> String {
        try StoreJSON.encode(hyperparameters, what())
    }

    /// The hyperparameters of a JSON text.
    static func hyperparameters(_ text: String, _ what: @autoclosure () -> String) throws -> Hyperparameters {
        if let known = cache.withLock({ $0[text] }) { return known }
        let decoded = try StoreJSON.decode(Hyperparameters.self, text, what())
        cache.withLock { entries in
            if entries.count >= cacheLimit { entries.removeAll(keepingCapacity: true) }
            entries[text] = decoded
        }
        return decoded
    }
}
