import ArgumentParser
import Foundation
import PBTReport
import PBTStore

#if Dashboard
import PBTServe
#endif

/// `pbt serve`: the live dashboard and its read-only JSON API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a live dashboard of experiments and a read-only JSON API (docs/api.md).",
        discussion: """
            Without --store every *.sqlite file in the runs folder is served (pbt run keeps one file per \
            experiment there); experiments started later appear on reload. Listens on 127.0.0.1 by default; \
            there are no write endpoints.
            """
    )

    @Option(
        name: .customLong("store"),
        help: ArgumentHelp(
            "One store to serve: sqlite:PATH or postgres://… (default: every runs/*.sqlite).", valueName: "url"))
    var url: String?

    @Option(help: ArgumentHelp("The folder of SQLite stores served without --store.", valueName: "dir"))
    var runs = "runs"

    @Option(help: "The address to listen on (loopback by default; another address exposes every experiment read-only).")
    var host = "127.0.0.1"

    @Option(help: "The port (0 picks a free one and prints it).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be in 0...65535, got \(port)") }
    }

    func run() async throws {
        #if Dashboard
        let catalog: StoreCatalog
        if let url {
            let location = try StoreLocation.parse(url)
            catalog = StoreCatalog(.store(location, try StoreOptions.open(location, create: false)))
        } else {
            catalog = StoreCatalog(.folder(runs))
        }
        let host = self.host
        if !["127.0.0.1", "localhost", "::1"].contains(host) {
            FileHandle.standardError.write(
                Data("pbt: listening on \(host): anyone who can reach it can read every experiment\n".utf8))
        }
        let app = Dashboard(catalog: catalog).application(host: host, port: port) { bound in
            let shown = host.contains(":") ? "[\(host)]" : host
            let line = "pbt: dashboard at http://\(shown):\(bound.map(String.init) ?? "?")/ (Ctrl-C to stop)\n"
            FileHandle.standardOutput.write(Data(line.utf8))
        }
        try await app.runService()
        #else
        throw CommandError.leftOut("pbt serve (the dashboard)", trait: "Dashboard")
        #endif
    }
}
