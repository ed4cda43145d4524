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

    /// The hyperparameters of a JSON text, cached.
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

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (whole, fraction) = components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
