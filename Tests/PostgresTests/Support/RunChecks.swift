import Foundation
import PBT
import PBTPostgres
import PBTStore
import Testing

/// What every finished run on PostgreSQL must show, whatever happened to its workers or server.
enum RunChecks {
    /// Checks that every member is done at its budget with no lease left, that no member was
    /// ever held by two live leases, that every score came from exactly one committed claim,
    /// and that every event is consistent with the scores.
    static func finished(
        _ store: PostgresStore, experiment: String, budget: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let members = try await store.members(of: experiment)
        for member in members {
            #expect(member.status == .done, "member \(member.slot) is \(member.status)", sourceLocation: sourceLocation)
            #expect(
                member.step >= budget, "member \(member.slot) stopped at step \(member.step)",
                sourceLocation: sourceLocation)
            #expect(member.lease == nil, "member \(member.slot) is still leased", sourceLocation: sourceLocation)
        }
        let claims = try await store.claims(of: experiment)
        for (member, held) in Dictionary(grouping: claims, by: \.member) {
            let ordered = held.sorted { $0.started < $1.started }
            for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                #expect(
                    earlier.liveUntil <= later.started,
                    """
                    member \(member): \(earlier.worker)'s claim lives until \(earlier.liveUntil), \
                    after \(later.worker)'s began at \(later.started): \(earlier) then \(later)
                    """,
                    sourceLocation: sourceLocation)
            }
            #expect(
                ordered.allSatisfy { $0.ended != nil }, "member \(member) has an open claim",
                sourceLocation: sourceLocation)
        }
        let scores = try await store.scores(of: experiment)
        let committed = claims.filter { $0.outcome == .committed }.count
        #expect(
            committed == scores.count, "\(committed) committed claims for \(scores.count) scores",
            sourceLocation: sourceLocation)
        try checkEvents(try await store.events(of: experiment), against: scores, sourceLocation: sourceLocation)
    }

    /// Every event follows a score of its member at its step, with the hyperparameters then in
    /// force; an exploit copies weights that had scored at least as well. A donor that had
    /// itself just exploited holds weights it never scored: their score is the one recorded by
    /// the member that trained them, found by following the donor's own exploit back.
    static func checkEvents(
        _ events: [ExploitEvent], against scores: [ScoreRecord], sourceLocation: SourceLocation
    ) throws {
        #expect(
            events.map(\.sequence) == Array(stride(from: 1, through: events.count, by: 1)),
            sourceLocation: sourceLocation)
        for event in events {
            let own = scores.filter {
                $0.member == event.member && $0.step == event.step && $0.hyperparameters == event.before
            }
            #expect(
                !own.isEmpty, "event \(event.sequence) has no score of member \(event.member) at step \(event.step)",
                sourceLocation: sourceLocation)
            guard event.isExploit, let mine = own.map(\.score).min() else { continue }
            let donor = scoresOfWeights(
                member: event.donor, step: event.donorStep, before: event.sequence, events, scores)
            #expect(
                donor.contains { $0 >= mine },
                """
                event \(event.sequence): the weights of donor \(event.donor) at step \(event.donorStep) \
                never scored ≥ \(mine) (\(donor))
                """,
                sourceLocation: sourceLocation)
        }
    }

    /// The scores recorded for the weights `member` held at `step` before event `sequence`:
    /// its own scores at that step, or, when it had copied them, those of the member it
    /// copied from.
    private static func scoresOfWeights(
        member: Int, step: Int, before sequence: Int, _ events: [ExploitEvent], _ scores: [ScoreRecord]
    ) -> [Double] {
        let own = scores.filter { $0.member == member && $0.step == step }.map(\.score)
        guard own.isEmpty,
            let copy = events.last(where: {
                $0.sequence < sequence && $0.member == member && $0.isExploit && $0.donorStep == step
            })
        else { return own }
        return scoresOfWeights(member: copy.donor, step: step, before: copy.sequence, events, scores)
    }
}
