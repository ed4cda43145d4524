import Foundation
import PBTSQLite
import PBTStore

/// The experiments a report or the dashboard can show: those of one store, or of every SQLite
/// file in a folder (`runs/` by default, where `pbt run` puts one file per experiment).
///
/// A folder is scanned again whenever an unknown experiment is asked for and on every listing,
/// so experiments started after the dashboard appear without a restart. Files that cannot be
/// opened are skipped and reported by `problems`.
public actor StoreCatalog {
    /// One experiment and where it lives.
    public struct Entry: Sendable {
        /// The experiment.
        public var experiment: ExperimentRecord
        /// Where it lives (shown; passwords hidden).
        public var location: StoreLocation
        /// The store holding it.
        public var store: any PopulationStore
    }

    /// Where the catalogue looks.
    public enum Source: Sendable {
        /// One opened store.
        case store(StoreLocation, any PopulationStore)
        /// Every `*.sqlite` file directly inside a folder.
        case folder(String)
    }

    /// Where the catalogue looks.
    public nonisolated let source: Source
    private var opened: [String: any PopulationStore] = [:]
    private var known: [String: Entry] = [:]
    /// Files of the folder that could not be read at the last scan, with the reason.
    public private(set) var problems: [String] = []

    /// Where the catalogue looks, for messages and pages (passwords hidden).
    public nonisolated var sourceDescription: String {
        switch source {
        case .store(let location, _): location.description
        case .folder(let path): "every *.sqlite file in \(path)/"
        }
    }

    /// Creates a catalogue.
    public init(_ source: Source) {
        self.source = source
    }

    /// Every experiment, by store and then oldest first.
    public func entries() async throws -> [Entry] {
        var result: [Entry] = []
        switch source {
        case .store(let location, let store):
            result = try await store.experiments().map { Entry(experiment: $0, location: location, store: store) }
        case .folder(let path):
            var problems: [String] = []
            for file in Self.sqliteFiles(in: path) {
                do {
                    let store = try open(file)
                    for record in try await store.experiments() {
                        result.append(Entry(experiment: record, location: .sqlite(path: file), store: store))
                    }
                } catch {
                    problems.append("\(file): \(error)")
                }
            }
            self.problems = problems
        }
        for entry in result where known[entry.experiment.name] == nil { known[entry.experiment.name] = entry }
        return result
    }

    /// The experiment named `name`, or nil.
    public func entry(named name: String) async throws -> Entry? {
        if let entry = known[name] { return entry }
        return try await entries().first { $0.experiment.name == name }
    }

    /// The stores' experiment names with their stores (for finding comparison runs).
    public func candidates() async throws -> [(name: String, store: any PopulationStore)] {
        try await entries().map { ($0.experiment.name, $0.store) }
    }

    private func open(_ file: String) throws -> any PopulationStore {
        if let store = opened[file] { return store }
        let store = try SQLiteStore(path: file, create: false)
        opened[file] = store
        return store
    }

    /// The `*.sqlite` files directly inside `folder`, sorted by name.
    static func sqliteFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".sqlite") }.sorted().map { (folder as NSString).appendingPathComponent($0) }
    }
}
