import Foundation
import PBT
import Testing

@testable import PBTRuntime

/// Protocol version 2: a `train` with a time budget, answered with the steps done.
@Suite("External protocol: time budgets")
struct ExternalTimeBudgetTests {
    typealias Request = ExternalProtocol.Request

    @Test func theEngineOffersBothVersionsAndSendsTheBudget() {
        #expect(ExternalProtocol.versions == [1, 2])
        #expect(Request.train(steps: 50, seconds: 1.5).line() == #"{"seconds":1.5,"steps":50,"type":"train"}"#)
        #expect(
            Request.train(steps: 50).line() == #"{"steps":50,"type":"train"}"#, "step intervals send what version 1 did"
        )
    }

    @Test func theStepsDoneAreRead() throws {
        #expect(
            try ExternalProtocol.parse(#"{"type":"ok","steps":7}"#, answering: .train(steps: 50, seconds: 1))
                == .trained(steps: 7))
        #expect(
            try ExternalProtocol.parse(#"{"type":"ok","steps":50}"#, answering: .train(steps: 50, seconds: 1))
                == .trained(steps: 50))
        #expect(
            try ExternalProtocol.parse(#"{"type":"ok","steps":8}"#, answering: .train(steps: 8)) == .trained(steps: 8))
        #expect(try ExternalProtocol.parse(#"{"type":"ok"}"#, answering: .train(steps: 8)) == .ok)
    }

    @Test(arguments: [
        (#"{"type":"ok"}"#, Request.train(steps: 50, seconds: 1), "needs 'steps'"),
        (#"{"type":"ok","steps":"7"}"#, .train(steps: 50, seconds: 1), "needs 'steps'"),
        (#"{"type":"ok","steps":7.5}"#, .train(steps: 50, seconds: 1), "needs 'steps'"),
        (#"{"type":"ok","steps":0}"#, .train(steps: 50, seconds: 1), "must be in 1...50"),
        (#"{"type":"ok","steps":51}"#, .train(steps: 50, seconds: 1), "must be in 1...50"),
        (#"{"type":"ok","steps":3}"#, .train(steps: 8), "8 were asked"),
    ])
    func wrongCountsAreViolations(line: String, request: Request, message: String) {
        #expect {
            try ExternalProtocol.parse(line, answering: request)
        } throws: { error in
            guard let violation = error as? ExternalProtocol.Violation else { return false }
            if !violation.message.contains(message) { Issue.record("got \(violation.message)") }
            return violation.code == .missingField && violation.message.contains(message)
        }
    }
}
