import Foundation
import Hummingbird
import HummingbirdTesting
import PBTServe
import PBTTestSupport
import Testing

/// The dashboard draws what `pbt report`'s chart flags draw, asked for in the query.
@Suite("Dashboard chart options in the query")
struct ChartQueryTests {
    @Test("?x=time&range=full&best=members: time axis, every score, members' best; toggles link the other choices")
    func options() async throws {
        let (dashboard, _, name) = try await RouteTests.finished()
        let app = Application(router: dashboard.router())
        try await app.test(.router) { client in
            let plain = String(buffer: try await client.execute(uri: "/experiments/\(name)", method: .get).body)
            #expect(plain.contains("Score against step") && !plain.contains("class=\"member-best "))
            #expect(
                plain.contains("href=\"/experiments/\(name)?x=time\"")
                    && plain.contains("href=\"/experiments/\(name)?range=full\""))
            #expect(plain.contains("href=\"/experiments/\(name)?best=members\""))
            let page = try await client.execute(
                uri: "/experiments/\(name)?x=time&range=full&best=members", method: .get)
            let html = String(buffer: page.body)
            #expect(html.contains("Score against time") && html.contains("since the experiment"))
            #expect(occurrences(of: "class=\"member-best ", in: html) == 4, "one per member")
            #expect(!html.contains("The score axis is fitted"))
            #expect(occurrences(of: "<svg class=\"chart\"", in: html) == 7, "the same charts")
            #expect(
                html.contains("href=\"/experiments/\(name)?range=full&amp;best=members\""),
                "back to steps, the rest kept")
            let body = String(
                buffer: try await client.execute(uri: "/experiments/\(name)/body?x=time", method: .get).body)
            #expect(body.contains("Score against time"))
            let again = String(buffer: try await client.execute(uri: "/experiments/\(name)/body", method: .get).body)
            #expect(again.contains("Score against step"), "bodies are cached per options")
        }
    }
}
