import ArgumentParser
import Foundation
import PBTRuntime
import PBTStore

/// `pbt delete NAME`: remove an experiment and everything stored of it.
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete an experiment from its store: members, scores, events and checkpoints.",
        discussion: """
            Asks nothing. Refused while workers hold live leases on the experiment's members (a pbt worker \
            training it on PostgreSQL) unless --force; a SQLite store that a running pbt works on is refused \
            whatever (the file is locked). Member logs of a command workload (runs/NAME/logs) are kept. \
            To restart a changed experiment file in one step, use pbt run FILE --fresh.
            """
    )

    @Argument(help: "The experiment's name.")
    var name: String

    @Flag(help: "Delete even while workers hold live leases on its members (they fail when they next reach the store).")
    var force = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        // Looked up without writing first: an unknown name or store changes nothing.
        try await ExperimentReader.with(name, self.store) { _ in }
        let (store, location) = try self.store.open(experiment: name, create: false, writing: true)
        defer { try? store.close() }
        let deleted = try await ExperimentDeletion.delete(name, from: store, force: force)
        print("deleted experiment '\(name)' from \(location): \(deleted)")
    }
}
