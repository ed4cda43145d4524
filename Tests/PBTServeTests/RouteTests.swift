import Foundation
import Hummingbird
import HummingbirdTesting
import PBTReport
import PBTRuntime
import PBTServe
import PBTStore
import PBTTestSupport
import Testing

@Suite("Dashboard routes and JSON, in process")
struct RouteTests {
    /// A dashboard over a finished quadratic experiment in memory.
    static func finished() async throws -> (Dashboard, InMemoryStore, String) {
        let store = InMemoryStore()
        let config = try quadratic()
        try await runner(config, store).run(workers: 1)
        return (Dashboard(catalog: StoreCatalog(.store(.memory, store))), store, config.name)
    }

    @Test("GET /api/experiments lists the experiment with its progress")
    func experiments() async throws {
        let (dashboard, _, name) = try await Self.finished()
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/experiments", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let list = try #require(try json(String(buffer: response.body)) as? [[String: Any]])
            #expect(list.count == 1)
            #expect(list[0]["name"] as? String == name)
            #expect(list[0]["workload"] as? String == "quadratic")
            let progress = try #require(list[0]["progress"] as? [String: Any])
            #expect(progress["finished"] as? Bool == true)
            #expect(progress["steps"] as? Int == 4 * 40 && progress["totalSteps"] as? Int == 4 * 40)
        }
    }

    @Test("members, scores and events match the store record for record")
    func records() async throws {
        let (dashboard, store, name) = try await Self.finished()
        let scores = try await store.scores(of: name), events = try await store.events(of: name)
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let members = try #require(
                try json(
                    String(buffer: try await client.execute(uri: "/api/experiments/\(name)/members", method: .get).body)
                ) as? [[String: Any]])
            #expect(members.count == 4)
            #expect(members.map { $0["slot"] as? Int } == [0, 1, 2, 3])
            #expect(members.allSatisfy { $0["status"] as? String == "done" })
            let scoreBody = try await client.execute(uri: "/api/experiments/\(name)/scores", method: .get).body
            // Swift's own decoder, which parses numbers exactly: scores read back bit for bit.
            let decoded = try JSONDecoder().decode([ScoreRecord].self, from: Data(String(buffer: scoreBody).utf8))
            #expect(decoded == scores)
            #expect(
                scores.allSatisfy { !$0.metrics.isEmpty && $0.recordedAt != nil },
                "the quadratic workload reports metrics")
            let eventBody = String(
                buffer: try await client.execute(uri: "/api/experiments/\(name)/events", method: .get).body)
            let eventList = try #require(try json(eventBody) as? [[String: Any]])
            // Times with Swift's own decoder, which parses numbers exactly.
            struct Timed: Decodable { var time: Double? }
            let times = try JSONDecoder().decode([Timed].self, from: Data(eventBody.utf8)).map(\.time)
            #expect(times == events.map { $0.recordedAt?.timeIntervalSince1970 } && !times.contains(nil))
            #expect(eventList.count == events.count)
            #expect(!events.isEmpty)
            for (decoded, event) in zip(eventList, events) {
                #expect(decoded["sequence"] as? Int == event.sequence && decoded["donor"] as? Int == event.donor)
                #expect(decoded["exploit"] as? Bool == event.isExploit)
                #expect((decoded["mutations"] as? [Any])?.count == event.mutations.count)
            }
            let tail = try #require(
                try json(
                    String(
                        buffer: try await client.execute(
                            uri: "/api/experiments/\(name)/scores?since=\(scores.count - 3)", method: .get
                        ).body)) as? [Any])
            #expect(tail.count == 3)
            let bad = try await client.execute(uri: "/api/experiments/\(name)/scores?since=-1", method: .get)
            #expect(bad.status == .badRequest)
        }
    }

    @Test("the experiment document carries its configuration; unknown experiments are 404 JSON")
    func experiment() async throws {
        let (dashboard, _, name) = try await Self.finished()
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/experiments/\(name)", method: .get)
            let object = try #require(try json(String(buffer: response.body)) as? [String: Any])
            let configuration = try #require(object["configuration"] as? [String: Any])
            #expect(configuration["population"] as? Int == 4)
            #expect(object["store"] as? String == "memory:")
            for path in ["/api/experiments/nope", "/api/experiments/nope/scores", "/api/experiments/nope/events"] {
                let missing = try await client.execute(uri: path, method: .get)
                #expect(missing.status == .notFound)
                let error = try #require(try json(String(buffer: missing.body)) as? [String: Any])
                #expect((error["error"] as? String)?.contains("nope") == true)
            }
        }
    }

    @Test("a non-ASCII name is found through its percent-encoded path; the command's environment values are hidden")
    func encodedNamesAndHiddenEnvironment() async throws {
        let store = InMemoryStore()
        var config = try quadratic(name: "实验-é")
        config.workload = WorkloadSpec(
            command: CommandSpec(arguments: ["train.py"], directory: "/tmp", environment: ["API_KEY": "sk-secret-123"]))
        _ = try await store.create(
            ExperimentRecord(
                name: config.name, population: config.population, configuration: try config.canonicalJSON()),
            members: try config.initialHyperparameters(using: try config.makeScheduler()))
        let app = Application(router: Dashboard(catalog: StoreCatalog(.store(.memory, store))).router())
        try await app.test(.router) { client in
            let path = "%E5%AE%9E%E9%AA%8C-%C3%A9"
            let page = try await client.execute(uri: "/experiments/\(path)", method: .get)
            #expect(page.status == .ok)
            let document = try await client.execute(uri: "/api/experiments/\(path)", method: .get)
            #expect(document.status == .ok)
            let text = String(buffer: document.body)
            #expect(!text.contains("sk-secret-123") && text.contains("API_KEY"))
            let object = try #require(try json(text) as? [String: Any])
            let configuration = try #require(object["configuration"] as? [String: Any])
            #expect(configuration["population"] as? Int == 4)
            for uri in ["/", "/api/experiments", "/experiments/\(path)"] {
                let body = String(buffer: try await client.execute(uri: uri, method: .get).body)
                #expect(!body.contains("sk-secret-123"), "\(uri) shows an environment value")
            }
            #expect(try await client.execute(uri: "/api/experiments/%E5%ZZ", method: .get).status == .badRequest)
        }
    }

    @Test("pages: the list links each experiment; its page has the charts and no live script once finished")
    func pages() async throws {
        let (dashboard, _, name) = try await Self.finished()
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let list = String(buffer: try await client.execute(uri: "/", method: .get).body)
            #expect(list.contains("href=\"/experiments/\(name)\""))
            let page = try await client.execute(uri: "/experiments/\(name)", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(
                occurrences(of: "<svg class=\"chart\"", in: html) == 7, "score, 3 metrics, 2 hyperparameters, lineage")
            #expect(!html.contains("<script"), "a finished experiment does not poll")
            let body = String(buffer: try await client.execute(uri: "/experiments/\(name)/body", method: .get).body)
            #expect(body.hasPrefix("<section id=\"experiment\">") && body.contains("id=\"lineage\""))
            #expect(try await client.execute(uri: "/experiments/nope", method: .get).status == .notFound)
        }
    }

    @Test("there are no write endpoints")
    func readOnly() async throws {
        let (dashboard, store, name) = try await Self.finished()
        let before = try await store.scores(of: name).count
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            for method in [HTTPRequest.Method.post, .put, .delete, .patch] {
                for path in [
                    "/api/experiments", "/api/experiments/\(name)", "/api/experiments/\(name)/scores",
                    "/experiments/\(name)",
                ] {
                    let response = try await client.execute(uri: path, method: method)
                    #expect(response.status.code >= 400, "\(method) \(path) must be refused")
                }
            }
        }
        #expect(try await store.scores(of: name).count == before)
    }

    @Test("a running experiment's page polls, and its version moves when the run commits")
    func live() async throws {
        let store = InMemoryStore()
        let config = try quadratic(name: "live-quadratic")
        let runner = try runner(config, store)
        try await runner.open()
        let dashboard = Dashboard(catalog: StoreCatalog(.store(.memory, store)))
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let page = String(buffer: try await client.execute(uri: "/experiments/live-quadratic", method: .get).body)
            #expect(page.contains("<script>") && page.contains("/api/experiments/live-quadratic/status"))
            let status = "/api/experiments/live-quadratic/status"
            let first = try #require(
                try json(String(buffer: try await client.execute(uri: status, method: .get).body)) as? [String: Any])
            let again = try #require(
                try json(String(buffer: try await client.execute(uri: status, method: .get).body)) as? [String: Any])
            #expect(first["version"] as? Int == again["version"] as? Int, "nothing changed, same version")
            #expect((first["progress"] as? [String: Any])?["finished"] as? Bool == false)
            try await runner.run(workers: 1)
            let after = try #require(
                try json(String(buffer: try await client.execute(uri: status, method: .get).body)) as? [String: Any])
            #expect(after["version"] as? Int != first["version"] as? Int)
            #expect((after["progress"] as? [String: Any])?["finished"] as? Bool == true)
            let scores = try #require(
                try json(
                    String(
                        buffer: try await client.execute(uri: "/api/experiments/live-quadratic/scores", method: .get)
                            .body)) as? [Any])
            #expect(scores.count == (try await store.scores(of: "live-quadratic")).count)
        }
    }
}
