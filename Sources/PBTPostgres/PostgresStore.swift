import Foundation
import PBT
import PBTStore
import PostgresNIO
import Synchronization

/// A `PopulationStore` on a PostgreSQL server: the store for many machines.
///
/// Every worker on every machine opens the same URL; the server is the only coordinator.
///
/// - **Transactions.** Every method is one transaction. A claim picks the least-advanced free
///   member with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent claims never wait for each
///   other and never share a member. Commits of one experiment are serialised by a lock on
///   its row (as SQLite serialises every write), so each decision reads a population no
///   other commit is changing.
/// - **Leases and claims.** Lease times come from the server's clock (or the injected `now`),
///   so workers on machines with skewed clocks agree. Every claim is recorded in the `claim`
///   table with its worker, start, expiry (moved by `renew`) and end (`claims(of:)`); at most
///   one claim per member is open, enforced by a unique index.
/// - **Checkpoints** are `bytea` rows by default (less than 1 GiB each: larger ones are
///   refused with a message asking for a directory), or files named by their SHA-256 in the
///   URL's `checkpoints=file:///DIR` directory (`CheckpointDirectory`, any size; files are
///   streamed, never whole in memory); either way the SHA-256 is recorded and checked on
///   every read.
/// - **Failures.** A call that cannot reach the server, or loses its connection, throws
///   `StoreError.unreachable` and may be retried; the connection pool reconnects by itself.
///   Messages name the URL with its password hidden.
/// - **Cancellation.** A cancelled call either does nothing or rolls back: a transaction never
///   half-applies.
public final class PostgresStore: PopulationStore {
    /// Where the server is.
    public let location: PostgresLocation
    /// Checkpoints kept per member besides those a member points to.
    public let keep: Int
    let client: PostgresClient
    let logger: Logger
    let files: CheckpointDirectory?

    /// The checkpoint directory, when the URL names one: workers write files there so that
    /// committing moves them in with a `rename`.
    public var checkpointStaging: String? { files?.path }

    private let now: (@Sendable () -> Date)?
    private let runner: Task<Void, Never>
    private let calls: BoundedCall
    private let schemaReady = Mutex(false)
    let cache = Mutex<[String: PostgresExperiment]>([:])

    /// Opens a store at `location`; nothing is sent to the server until the first call, which
    /// creates the tables (or checks them) first.
    /// - Parameters:
    ///   - location: the server, database, schema and checkpoint directory.
    ///   - keep: checkpoints kept per member besides those a member points to (at least 1).
    ///   - connections: the most connections this store opens at once.
    ///   - callLimit: the longest one call may wait for the server before it throws
    ///     `StoreError.unreachable` (and may be retried).
    ///   - now: the clock for leases and records (injected by tests); nil uses the server's.
    public init(
        _ location: PostgresLocation, keep: Int = 2, connections: Int = 4, callLimit: Duration = .seconds(30),
        now: (@Sendable () -> Date)? = nil
    ) {
        self.location = location
        self.keep = max(1, keep)
        self.now = now
        files = location.checkpointDirectory.map(CheckpointDirectory.init(path:))
        var logger = Logger(label: "pbt.postgres")
        logger.logLevel = .critical
        self.logger = logger
        var configuration = PostgresClient.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: location.tls.clientTLS)
        configuration.options.maximumConnections = max(1, connections)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = location.startupParameters
        let executor = EventLoopExecutor.shared
        let client = PostgresClient(configuration: configuration, eventLoopGroup: executor.loop)
        self.client = client
        runner = Task(executorPreference: executor) { await client.run() }
        calls = BoundedCall(limit: callLimit, executor: executor)
    }

    /// Opens the store at `url` and makes sure its tables exist.
    /// - Throws: `StoreError.unavailable` or `.unreachable` naming the URL (password hidden).
    public static func open(url: String, keep: Int = 2, connections: Int = 4) async throws -> PostgresStore {
        let store = PostgresStore(try PostgresLocation(url: url), keep: keep, connections: connections)
        try await store.prepare()
        return store
    }

    deinit {
        runner.cancel()
    }

    /// Closes the store's connections; later calls fail.
    public func close() {
        runner.cancel()
    }

    /// Creates or checks the tables (once per store), on a connection of its own: an
    /// unreachable server or a bad password is reported at once, where the pool would keep
    /// trying to connect.
    public func prepare() async throws {
        if schemaReady.withLock({ $0 }) { return }
        let (location, logger) = (self.location, self.logger)
        try await translatingErrors {
            let connection = try await PostgresConnection.connect(
                on: EventLoopExecutor.shared.loop, configuration: try location.connectionConfiguration(), id: 0,
                logger: logger)
            do {
                try await PostgresMigrator(location: location, logger: logger).migrate(connection)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        }
        schemaReady.withLock { $0 = true }
    }

    /// Runs `body` in one transaction on one pooled connection; database errors become
    /// `StoreError`s.
    func transaction<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await prepare()
        let logger = self.logger
        return try await translatingErrors {
            try await self.client.withConnection { connection in
                try self.checkOpen(connection)
                try await connection.query("BEGIN", logger: logger)
                do {
                    let value = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return value
                } catch {
                    // A connection that closed rolled back on the server; a query sent on it
                    // would never complete (PostgresNIO 1.33 neither sends nor fails it).
                    if !connection.isClosed && !PostgresFailure.isConnectionLoss(error) {
                        _ = try? await connection.query("ROLLBACK", logger: logger)
                    }
                    throw error
                }
            }
        }
    }

    /// Runs `body` on one pooled connection without a transaction: for reads, for writes that
    /// are one statement (atomic on its own), and for a commit (whose second call is its one
    /// transaction).
    func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await prepare()
        return try await translatingErrors {
            try await self.client.withConnection { connection in
                try self.checkOpen(connection)
                return try await body(connection)
            }
        }
    }

    /// Runs `body` as a bounded call (see `BoundedCall`), translating database errors.
    private func translatingErrors<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let location = self.location
        return try await calls.run("PostgreSQL store '\(location)'") {
            do {
                return try await body()
            } catch {
                throw PostgresFailure.translate(error, location: location)
            }
        }
    }

    /// Throws `CancellationError` when the call was cancelled or abandoned while it waited
    /// for a connection (it must not start late), and `StoreError.unreachable` for a pooled
    /// connection that closed (a query sent on it would never complete).
    private func checkOpen(_ connection: PostgresConnection) throws {
        try Task.checkCancellation()
        if connection.isClosed {
            throw StoreError(.unreachable, "PostgreSQL store '\(location)' closed the connection")
        }
    }

    /// The clock value to bind: the injected clock's seconds since 1970, or nil for the
    /// server's clock (see `PostgresSQL.now`).
    var clock: Double? { now?().timeIntervalSince1970 }
}

extension PostgresLocation {
    /// The session settings sent when connecting: the schema and the application's name.
    var startupParameters: [(String, String)] {
        (schema == "public" ? [] : [("search_path", schema)]) + [("application_name", "pbt")]
    }

    /// The configuration of a single connection (outside the pool).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch self.tls {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = startupParameters
        return configuration
    }
}

extension PostgresLocation.TLSMode {
    /// The client's TLS setting.
    var clientTLS: PostgresClient.Configuration.TLS {
        switch self {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
    }
}
