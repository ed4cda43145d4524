import Hummingbird
import PBTReport
import PBTStore

extension Dashboard {
    /// `GET /api/experiments`, `/api/experiments/{name}`, `…/members`, `…/scores`, `…/events`,
    /// `…/status`. Unknown experiments answer 404 with `{"error": "…"}`.
    func addAPI(to router: Router<BasicRequestContext>) {
        router.get("/api/experiments") { _, _ -> Response in
            var json = JSONText()
            json.raw("[")
            for (index, entry) in try await catalog.entries().enumerated() {
                if index > 0 { json.raw(",") }
                APIEncoding.experiment(entry, try await cache.snapshot(entry), configuration: false, into: &json)
            }
            json.raw("]")
            return .json(json.text)
        }
        router.get("/api/experiments/:name") { _, context -> Response in
            try await api(context) { entry, snapshot in
                var json = JSONText()
                APIEncoding.experiment(entry, snapshot, configuration: true, into: &json)
                return json.text
            }
        }
        router.get("/api/experiments/:name/status") { _, context -> Response in
            try await api(context) { _, snapshot in
                var json = JSONText()
                json.raw("{\"version\":")
                json.integer(snapshot.version)
                json.raw(",\"progress\":")
                APIEncoding.progress(ExperimentProgress(snapshot.history), into: &json)
                json.raw("}")
                return json.text
            }
        }
        router.get("/api/experiments/:name/members") { _, context -> Response in
            try await api(context) { _, snapshot in APIEncoding.members(snapshot.history.members) }
        }
        router.get("/api/experiments/:name/scores") { request, context -> Response in
            let since = try Self.since(request)
            guard since == 0 else {
                return try await api(context) { _, snapshot in
                    APIEncoding.scores(snapshot.history.scores.dropFirst(since))
                }
            }
            return try await cachedAPI(context, kind: "scores") { APIEncoding.scores($0.scores[...]) }
        }
        router.get("/api/experiments/:name/events") { request, context -> Response in
            let since = try Self.since(request)
            guard since == 0 else {
                return try await api(context) { _, snapshot in
                    APIEncoding.events(snapshot.history.events.dropFirst(since))
                }
            }
            return try await cachedAPI(context, kind: "events") { APIEncoding.events($0.events[...]) }
        }
    }

    /// The `since` query parameter: how many leading records to skip (default 0).
    static func since(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters["since"] else { return 0 }
        guard let value = Int(text), value >= 0 else {
            throw HTTPError(.badRequest, message: "since must be a whole number ≥ 0, got '\(text)'")
        }
        return value
    }

    /// Answers with `make`'s JSON for the experiment in the path, or a JSON error.
    private func api(
        _ context: BasicRequestContext, _ make: (StoreCatalog.Entry, HistoryCache.Snapshot) throws -> String
    ) async throws -> Response {
        let name = try ExperimentPath.name(context)
        guard let entry = try await catalog.entry(named: name) else { return Self.notFound(name) }
        return .json(try make(entry, try await cache.snapshot(entry)))
    }

    /// Answers with a body made once per version of the experiment.
    private func cachedAPI(
        _ context: BasicRequestContext, kind: String, _ make: @escaping @Sendable (ExperimentHistory) -> String
    ) async throws -> Response {
        let name = try ExperimentPath.name(context)
        guard let entry = try await catalog.entry(named: name) else { return Self.notFound(name) }
        return .json(try await cache.body(entry, kind: kind, make: make))
    }

    static func notFound(_ name: String) -> Response {
        var json = JSONText()
        json.raw("{\"error\":")
        json.string("no experiment named '\(name)'")
        json.raw("}")
        return .json(json.text, status: .notFound)
    }
}
