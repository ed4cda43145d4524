import Foundation
import PBT
import PBTReport
import PBTStore

/// The API's JSON documents (documented in docs/api.md).
enum APIEncoding {
    static func hyperparameters(_ values: Hyperparameters, into json: inout JSONText) {
        json.raw("{")
        for (index, name) in values.names.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(name)
            switch values[name]! {
            case .number(let number): json.number(number)
            case .text(let text): json.string(text)
            }
        }
        json.raw("}")
    }

    /// `{"name": number, …}` in name order.
    static func metrics(_ values: Metrics, into json: inout JSONText) {
        json.raw("{")
        for (index, name) in values.names.enumerated() {
            if index > 0 { json.raw(",") }
            json.key(name)
            json.number(values[name])
        }
        json.raw("}")
    }

    /// `,"time":` seconds since 1970 (null when the store did not keep it).
    static func time(_ date: Date?, into json: inout JSONText) {
        json.raw(",\"time\":")
        json.number(date?.timeIntervalSince1970)
    }

    /// `[{"member","step","score","hyperparameters","metrics","time"}]`, from position `since`.
    static func scores(_ scores: ArraySlice<ScoreRecord>) -> String {
        var json = JSONText(capacity: scores.count * 64)
        json.raw("[")
        for (index, score) in scores.enumerated() {
            json.raw(index == 0 ? "{\"member\":" : ",{\"member\":")
            json.integer(score.member)
            json.raw(",\"step\":")
            json.integer(score.step)
            json.raw(",\"score\":")
            json.number(score.score)
            json.raw(",\"hyperparameters\":")
            hyperparameters(score.hyperparameters, into: &json)
            json.raw(",\"metrics\":")
            metrics(score.metrics, into: &json)
            time(score.recordedAt, into: &json)
            json.raw("}")
        }
        json.raw("]")
        return json.text
    }

    /// `[{"sequence","member","step","donor","donorStep","exploit","before","after","mutations","time"}]`.
    static func events(_ events: ArraySlice<ExploitEvent>) -> String {
        var json = JSONText(capacity: events.count * 160)
        json.raw("[")
        for (index, event) in events.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"sequence\":")
            json.integer(event.sequence)
            json.raw(",\"member\":")
            json.integer(event.member)
            json.raw(",\"step\":")
            json.integer(event.step)
            json.raw(",\"donor\":")
            json.integer(event.donor)
            json.raw(",\"donorStep\":")
            json.integer(event.donorStep)
            json.raw(event.isExploit ? ",\"exploit\":true,\"before\":" : ",\"exploit\":false,\"before\":")
            hyperparameters(event.before, into: &json)
            json.raw(",\"after\":")
            hyperparameters(event.after, into: &json)
            json.raw(",\"mutations\":[")
            for (position, mutation) in event.mutations.enumerated() {
                if position > 0 { json.raw(",") }
                json.raw("{\"name\":")
                json.string(mutation.name)
                switch mutation.operation {
                case .scaled(let factor):
                    json.raw(",\"operation\":\"scaled\",\"factor\":")
                    json.number(factor)
                case .shifted(let shift):
                    json.raw(",\"operation\":\"shifted\",\"shift\":")
                    json.integer(shift)
                case .resampled: json.raw(",\"operation\":\"resampled\"")
                case .unchanged: json.raw(",\"operation\":\"unchanged\"")
                case .suggested: json.raw(",\"operation\":\"suggested\"")
                }
                json.raw(mutation.clamped ? ",\"clamped\":true}" : ",\"clamped\":false}")
            }
            json.raw("]")
            if let explanation = event.explanation {
                json.raw(",\"explanation\":")
                json.string(explanation.description)
            }
            time(event.recordedAt, into: &json)
            json.raw("}")
        }
        json.raw("]")
        return json.text
    }

    /// `[{"slot","step","status","score","hyperparameters","initialHyperparameters","checkpoint","failures","lease"}]`.
    static func members(_ members: [MemberRecord]) -> String {
        var json = JSONText(capacity: members.count * 200)
        json.raw("[")
        for (index, member) in members.enumerated() {
            if index > 0 { json.raw(",") }
            json.raw("{\"slot\":")
            json.integer(member.slot)
            json.raw(",\"step\":")
            json.integer(member.step)
            json.raw(",\"status\":")
            json.string(member.status.rawValue)
            json.raw(",\"score\":")
            json.number(member.score)
            json.raw(",\"hyperparameters\":")
            hyperparameters(member.hyperparameters, into: &json)
            json.raw(",\"initialHyperparameters\":")
            hyperparameters(member.initialHyperparameters, into: &json)
            json.raw(",\"checkpoint\":")
            json.raw(member.checkpoint.map { String($0) } ?? "null")
            json.raw(",\"failures\":")
            json.integer(member.failures)
            json.raw(",\"lease\":")
            if let lease = member.lease {
                json.raw("{\"worker\":")
                json.string(lease.worker)
                json.raw(",\"expiresAt\":")
                json.string(ISO8601DateFormatter().string(from: lease.expiresAt))
                json.raw("}")
            } else {
                json.raw("null")
            }
            json.raw("}")
        }
        json.raw("]")
        return json.text
    }

    /// `{"finishedMembers","members","steps","totalSteps","bestScore","exploits","readyPoints",`
    /// `"finished","stop","line"}`.
    static func progress(_ progress: ExperimentProgress, into json: inout JSONText) {
        json.raw("{\"finishedMembers\":")
        json.integer(progress.finishedMembers)
        json.raw(",\"members\":")
        json.integer(progress.members)
        json.raw(",\"steps\":")
        json.integer(progress.steps)
        json.raw(",\"totalSteps\":")
        json.raw(progress.totalSteps.map { String($0) } ?? "null")
        json.raw(",\"bestScore\":")
        json.number(progress.bestScore)
        json.raw(",\"exploits\":")
        json.integer(progress.exploits)
        json.raw(",\"readyPoints\":")
        json.integer(progress.readyPoints)
        json.raw(progress.finished ? ",\"finished\":true,\"stop\":" : ",\"finished\":false,\"stop\":")
        stop(progress.stop, into: &json)
        json.raw(",\"line\":")
        json.string(progress.line)
        json.raw("}")
    }

    /// `{"rule","detail","at"}` (ISO 8601), or `null` while no `stop:` rule ended the experiment.
    static func stop(_ stop: StopRecord?, into json: inout JSONText) {
        guard let stop else { return json.raw("null") }
        json.raw("{\"rule\":")
        json.string(stop.rule)
        json.raw(",\"detail\":")
        json.string(stop.detail)
        json.raw(",\"at\":")
        json.string(ISO8601DateFormatter().string(from: stop.at))
        json.raw("}")
    }

    /// One experiment's summary; with `configuration`, its stored configuration too.
    static func experiment(
        _ entry: StoreCatalog.Entry, _ snapshot: HistoryCache.Snapshot, configuration: Bool, into json: inout JSONText
    ) {
        let history = snapshot.history
        json.raw("{\"name\":")
        json.string(entry.experiment.name)
        json.raw(",\"population\":")
        json.integer(entry.experiment.population)
        json.raw(",\"createdAt\":")
        json.string(ISO8601DateFormatter().string(from: entry.experiment.createdAt))
        json.raw(",\"store\":")
        json.string(entry.location.description)
        json.raw(",\"workload\":")
        if let workload = history.settings.workload { json.string(workload) } else { json.raw("null") }
        json.raw(",\"mode\":")
        json.string(history.settings.mode.rawValue)
        json.raw(",\"version\":")
        json.integer(snapshot.version)
        json.raw(",\"runSeconds\":")
        json.number(history.experiment.runSeconds)
        json.raw(",\"progress\":")
        progress(ExperimentProgress(history), into: &json)
        if configuration {
            json.raw(",\"configuration\":")
            let stored = entry.experiment.configuration
            if let object = try? JSONSerialization.jsonObject(with: Data(stored.utf8), options: [.fragmentsAllowed]) {
                json.raw(hidingEnvironmentValues(object) ?? stored)
            } else {
                json.string(stored)
            }
        }
        json.raw("}")
    }

    /// The configuration with its command's environment values replaced by `"(hidden)"`: they
    /// often hold API keys. The names stay. Nil when there is nothing to hide (serve it as stored).
    static func hidingEnvironmentValues(_ configuration: Any) -> String? {
        guard var top = configuration as? [String: Any], var workload = top["workload"] as? [String: Any],
            var command = workload["command"] as? [String: Any],
            let environment = command["environment"] as? [String: Any], !environment.isEmpty
        else { return nil }
        command["environment"] = environment.mapValues { _ in "(hidden)" }
        workload["command"] = command
        top["workload"] = workload
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: top, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
