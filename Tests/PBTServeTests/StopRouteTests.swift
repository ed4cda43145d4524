import Foundation
import Hummingbird
import HummingbirdTesting
import PBT
import PBTReport
import PBTRuntime
import PBTServe
import PBTStore
import Testing

/// What the API and the report say about a run a `stop:` rule ended.
@Suite("Dashboard: stopped runs")
struct StopRouteTests {
    @Test("progress.stop and runSeconds are served; a stopped run is finished; the page says why, live or not")
    func stopped() async throws {
        let store = InMemoryStore()
        var config = try quadratic(name: "stopped-quadratic", steps: 4000)
        config.stop = try StopRules(score: 0.5, seconds: 3600)
        let runner = try runner(config, store)
        try await runner.open()
        let dashboard = Dashboard(catalog: StoreCatalog(.store(.memory, store)))
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let status = "/api/experiments/stopped-quadratic/status"
            let first = try #require(
                try json(String(buffer: try await client.execute(uri: status, method: .get).body)) as? [String: Any])
            #expect((first["progress"] as? [String: Any])?["stop"] is NSNull)
            try await runner.run(workers: 1)
            let recorded = try #require(try await store.experiment(named: "stopped-quadratic")?.stop)
            let after = try #require(
                try json(String(buffer: try await client.execute(uri: status, method: .get).body)) as? [String: Any])
            let progress = try #require(after["progress"] as? [String: Any])
            #expect(progress["finished"] as? Bool == true)
            let stop = try #require(progress["stop"] as? [String: Any])
            #expect(stop["rule"] as? String == "score" && stop["detail"] as? String == recorded.detail)
            #expect((progress["line"] as? String)?.hasSuffix("· stopped (\(recorded.summary))") == true)
            let list = try #require(
                try json(String(buffer: try await client.execute(uri: "/api/experiments", method: .get).body))
                    as? [[String: Any]])
            #expect((list.first?["runSeconds"] as? Double ?? 0) > 0)
            let page = String(
                buffer: try await client.execute(uri: "/experiments/stopped-quadratic", method: .get).body)
            #expect(page.contains("stopped by") && page.contains(recorded.detail))
            #expect(page.contains("stop rules") && page.contains("score: 0.5"))
        }
    }
}
