import Hummingbird
import PBTReport
import PBTStore

/// The live dashboard: a list of experiments, a page per experiment with the report's charts
/// (refreshed while the run goes on), and a read-only JSON API under `/api/` (docs/api.md).
///
/// Every route is a `GET`; nothing can be changed through the dashboard.
public struct Dashboard: Sendable {
    /// The experiments shown.
    public let catalog: StoreCatalog
    /// How often a page of a running experiment asks whether it changed, in milliseconds.
    public let pollMilliseconds: Int
    let cache = HistoryCache()

    /// Creates a dashboard over `catalog`.
    public init(catalog: StoreCatalog, pollMilliseconds: Int = 2000) {
        self.catalog = catalog
        self.pollMilliseconds = pollMilliseconds
    }

    /// The router with every page and API route.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        addPages(to: router)
        addAPI(to: router)
        return router
    }

    /// The application serving `router()` at `host:port` (port 0 picks a free port).
    /// - Parameters:
    ///   - host: the address to listen on, e.g. `127.0.0.1`.
    ///   - port: the port to listen on; 0 picks a free one.
    ///   - onRunning: called once listening, with the port bound.
    public func application(
        host: String, port: Int, onRunning: @escaping @Sendable (Int?) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "pbt"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port) })
    }

    /// The experiment named `name` and its current snapshot.
    /// - Throws: `HTTPError(.notFound)` naming the experiment.
    func lookup(_ name: String) async throws -> (StoreCatalog.Entry, HistoryCache.Snapshot) {
        guard let entry = try await catalog.entry(named: name) else {
            throw HTTPError(.notFound, message: "no experiment named '\(name)'")
        }
        return (entry, try await cache.snapshot(entry))
    }
}

extension Response {
    /// A response with `text` as its body.
    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: type, .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A JSON response.
    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        .text(text, type: "application/json; charset=utf-8", status: status)
    }

    /// An HTML response.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        .text(text, type: "text/html; charset=utf-8", status: status)
    }
}
