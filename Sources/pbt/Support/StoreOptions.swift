import ArgumentParser
import Foundation
import PBTRuntime
import PBTSQLite
import PBTStore

#if PostgreSQL
import PBTPostgres
#endif

/// The `--store URL` option shared by the commands that read or write experiments.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "Where experiments live: sqlite:PATH, memory: or postgres://USER@HOST:PORT/DB (default: runs/NAME.sqlite).",
            valueName: "url"))
    var url: String?

    /// The location: `--store`, or the experiment's default SQLite file.
    func location(experiment: String) throws -> StoreLocation {
        guard let url else { return .sqlite(path: StoreLocation.defaultPath(for: experiment)) }
        return try StoreLocation.parse(url)
    }

    /// Opens the store for `experiment`.
    /// - Parameters:
    ///   - create: whether a missing SQLite file (and its `runs/` folder) may be created;
    ///     commands that only read refuse a missing file and write nothing.
    ///   - writing: whether the command changes the store (a SQLite store is then locked for
    ///     this process: see `SQLiteStore`).
    func open(experiment: String, create: Bool, writing: Bool? = nil) throws -> (any PopulationStore, StoreLocation) {
        let location = try location(experiment: experiment)
        return (try Self.open(location, create: create, writing: writing ?? create), location)
    }

    /// Opens a store location.
    /// - Parameter create: false for commands that work on existing experiments: the SQLite
    ///   file must already hold a swift-pbt store, nothing is created or migrated, and
    ///   `memory:` (empty in a new process) is refused.
    static func open(_ location: StoreLocation, create: Bool, writing: Bool? = nil) throws -> any PopulationStore {
        switch location {
        case .memory:
            guard create else {
                throw StoreError(
                    .unavailable,
                    """
                    store 'memory:' keeps nothing between commands; name the store the experiment ran in, e.g. \
                    sqlite:runs/NAME.sqlite
                    """
                )
            }
            return InMemoryStore()
        case .sqlite(let path):
            if !FileManager.default.fileExists(atPath: path) {
                guard create else {
                    throw StoreError(
                        .unavailable,
                        "no store at '\(path)' (the file does not exist); pass --store sqlite:PATH for another file")
                }
                let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
                if path.hasPrefix("runs/") || path.hasPrefix("./runs/") {
                    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                }
            }
            return try SQLiteStore(path: path, create: writing ?? create)
        case .postgres(let url):
            #if PostgreSQL
            return PostgresStore(
                try PostgresLocation(url: url), connections: ProcessInfo.processInfo.activeProcessorCount + 4)
            #else
            _ = url
            throw CommandError.leftOut("The PostgreSQL store (postgres:// URLs)", trait: "PostgreSQL")
            #endif
        }
    }
}

extension StoreLocation {
    /// Where workers call the store opened here: in place for the stores that answer from this
    /// process's memory (memory, a SQLite file), on the store executor for a server.
    var storeCalls: StoreCalls {
        if case .postgres = self { .onStoreExecutor } else { .inPlace }
    }
}
