import Foundation
import PBT
import Testing

@testable import PBTRuntime

/// Requests as the engine writes them, and replies as it reads them (docs/protocol.md).
@Suite("External protocol")
struct ExternalProtocolTests {
    typealias Request = ExternalProtocol.Request

    @Test func requestsAreOneLineOfJSONWithSortedKeys() {
        #expect(
            Request.hello(member: 3, seed: 42, experiment: "demo").line()
                == #"{"experiment":"demo","member":3,"protocol":[1,2],"seed":42,"type":"hello"}"#)
        #expect(
            Request.setHyperparameters(Hyperparameters(["lr": 0.5, "act": "relu"])).line()
                == #"{"hyperparameters":{"act":"relu","lr":0.5},"type":"set_hyperparameters"}"#)
        #expect(Request.train(steps: 8).line() == #"{"steps":8,"type":"train"}"#)
        #expect(Request.evaluate.line() == #"{"type":"evaluate"}"#)
        #expect(Request.save(path: "/tmp/a b/save-1").line() == #"{"path":"/tmp/a b/save-1","type":"save"}"#)
        #expect(Request.load(path: "/x", member: 3).line() == #"{"member":3,"path":"/x","type":"load"}"#)
        #expect(Request.shutdown.line() == #"{"type":"shutdown"}"#)
    }

    @Test func validRepliesAreRead() throws {
        let hello = try ExternalProtocol.parse(
            #"{"type":"hello","protocol":1,"capabilities":["train"],"hyperparameters":["lr"],"extra":true}"#,
            answering: .hello(member: 0, seed: 0, experiment: "x"))
        #expect(hello == .hello(version: 1, capabilities: ["train"], hyperparameters: ["lr"]))
        #expect(try ExternalProtocol.parse(#"{"type":"ok"}"#, answering: .train(steps: 1)) == .ok)
        #expect(
            try ExternalProtocol.parse(#" {"score": 1, "type": "score"} "#, answering: .evaluate)
                == .score(1, metrics: .none))
        #expect(
            try ExternalProtocol.parse(#"{"type":"score","score":-0.25}"#, answering: .evaluate)
                == .score(-0.25, metrics: .none))
        #expect(
            try ExternalProtocol.parse(#"{"type":"saved","path":"/p"}"#, answering: .save(path: "/p"))
                == .saved(path: "/p"))
    }

    @Test(arguments: [
        ("not json", Request.evaluate, ExternalProgramError.Code.malformed, "not JSON"),
        ("[1, 2]", .evaluate, .malformed, "not an object"),
        (#"{"score": 1}"#, .evaluate, .missingField, "'type'"),
        (#"{"type":"progress"}"#, .evaluate, .unexpectedMessage, "unknown message type 'progress'"),
        (#"{"type":"ok"}"#, .evaluate, .unexpectedMessage, "expected 'score'"),
        (#"{"type":"score"}"#, .evaluate, .missingField, "needs 'score'"),
        (#"{"type":"score","score":"0.5"}"#, .evaluate, .missingField, "needs 'score'"),
        (#"{"type":"score","score":true}"#, .evaluate, .missingField, "needs 'score'"),
        (#"{"type":"score","score":NaN}"#, .evaluate, .invalidScore, "NaN"),
        (#"{"type":"score","score":Infinity}"#, .evaluate, .invalidScore, "Infinity"),
        (#"{"type":"saved"}"#, .save(path: "/p"), .missingField, "needs 'path'"),
        (
            #"{"type":"hello","capabilities":[]}"#, .hello(member: 0, seed: 0, experiment: "x"), .missingField,
            "'protocol'"
        ),
        (
            #"{"type":"hello","protocol":1}"#, .hello(member: 0, seed: 0, experiment: "x"), .missingField,
            "'capabilities'"
        ),
        (#"{"type":"error","message":"CUDA out of memory"}"#, .train(steps: 1), .programError, "CUDA out of memory"),
    ])
    func badRepliesAreNamed(line: String, request: Request, code: ExternalProgramError.Code, phrase: String) {
        #expect {
            _ = try ExternalProtocol.parse(line, answering: request)
        } throws: { error in
            guard let violation = error as? ExternalProtocol.Violation else { return false }
            return violation.code == code && violation.message.contains(phrase)
        }
    }
}
