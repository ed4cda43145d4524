import Foundation
import PBTStore
import PostgresNIO

/// Turns PostgresNIO errors into `StoreError`s whose messages name the URL without its
/// password and never include statement parameters.
enum PostgresFailure {
    /// SQLSTATEs after which retrying the call may succeed: connection exceptions (class 08),
    /// server shutdown or start-up (57P01–57P03), too many connections, serialisation
    /// failures and deadlocks.
    static let transientStates: Set<String> = ["57P01", "57P02", "57P03", "53300", "40001", "40P01"]

    /// The `StoreError` for `error`; `StoreError`s, cancellation and errors thrown by callers'
    /// closures (a `decide` that failed) pass unchanged.
    static func translate(_ error: any Error, location: PostgresLocation) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        let prefix = "PostgreSQL store '\(location)'"
        if let error = error as? PSQLError {
            return translate(error, prefix: prefix)
        }
        if isConnectionLoss(error) || isConnectionFailure(error) {
            return StoreError(.unreachable, "\(prefix) is unreachable: \(error)")
        }
        if let error = error as? PostgresDecodingError {
            return StoreError(
                .invalid,
                "\(prefix): column '\(error.columnName)' holds a value of an unexpected type (\(error.postgresType))")
        }
        return error
    }

    /// Whether `error` reports that the connection it happened on is gone.
    static func isConnectionLoss(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return error is IOError || error is ChannelError }
        return [.connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown].contains(
            error.code)
    }

    /// Whether `error` is the connection pool's or NIO's report of a connection that could not
    /// be made (their types live in modules this target does not import).
    private static func isConnectionFailure(_ error: any Error) -> Bool {
        let name = String(reflecting: type(of: error))
        return name.hasSuffix(".ConnectionPoolError") || name.hasSuffix(".NIOConnectionError")
    }

    private static func translate(_ error: PSQLError, prefix: String) -> StoreError {
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? "?"
            let message = error.serverInfo?[.message] ?? "server error"
            let detail = "\(message) (SQLSTATE \(state))"
            if state.hasPrefix("08") || transientStates.contains(state) {
                return StoreError(.unreachable, "\(prefix): \(detail); retrying may succeed")
            }
            if state == "3D000" {
                return StoreError(.unavailable, "\(prefix): \(detail); create it (createdb) or name another database")
            }
            if state.hasPrefix("28") {
                return StoreError(
                    .unavailable, "\(prefix): \(detail); check the user and password (or PGPASSWORD) and pg_hba.conf")
            }
            if state.hasPrefix("23") {
                return StoreError(.invalid, "\(prefix): the stored data refused a change: \(detail)")
            }
            return StoreError(.unavailable, "\(prefix): \(detail)")
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            return StoreError(.unreachable, "\(prefix) is unreachable (\(error.code))\(cause)")
        case .authMechanismRequiresPassword:
            return StoreError(
                .unavailable, "\(prefix): the server asks for a password; add it to the URL or set PGPASSWORD")
        case .sslUnsupported:
            return StoreError(.unavailable, "\(prefix): the server does not offer TLS; add ?sslmode=disable or prefer")
        default:
            return StoreError(.unavailable, "\(prefix): \(error.code)")
        }
    }
}
