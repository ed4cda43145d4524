import PBT
import PBTStore

/// One stretch of a member's weights: from `start` (step 0, or the donor's step after an
/// exploit) through the ready points in `points`, until the member copied another member or
/// the experiment ended.
struct Segment: Sendable {
    /// The member (slot) training these weights.
    var member: Int
    /// The step the stretch starts from.
    var start: Int
    /// Indices into `ExperimentHistory.scores` of the stretch's ready points, in order.
    var points: [Int]
    /// Where the weights came from: the donor's ready point (an index into the scores), or nil
    /// for a member's initial weights or a donor without a matching ready point.
    var parent: Int?
    /// The donor's slot when the stretch began with an exploit.
    var donor: Int?
    /// Whether the weights of this stretch survive in a current member (themselves or through
    /// copies): the live branches of the lineage tree.
    var alive = false
}

/// The member histories cut at exploits, with every stretch linked to the donor ready point it
/// was copied from: the shared basis of the score, hyperparameter and lineage charts.
struct MemberTracks: Sendable {
    /// The stretches of each member in order, indexed by slot.
    var segments: [[Segment]]
    /// For each score index, the member's stretch index holding it.
    var segmentOfScore: [Int]

    /// Cuts `history` into stretches.
    /// - Complexity: O(S + E·k) for S scores, E exploits and k scores scanned back per donor lookup.
    init(_ history: ExperimentHistory) {
        let count = history.members.count
        var pointsOf = [[Int]](repeating: [], count: count)
        for (index, score) in history.scores.enumerated() where score.member < count {
            pointsOf[score.member].append(index)
        }
        var exploitsOf = [[ExploitEvent]](repeating: [], count: count)
        for event in history.events where event.isExploit && event.member < count {
            exploitsOf[event.member].append(event)
        }
        var segments = [[Segment]](repeating: [], count: count)
        var segmentOfScore = [Int](repeating: 0, count: history.scores.count)
        var pending: [ExploitEvent] = []
        for member in 0..<count {
            var current = Segment(member: member, start: 0, points: [])
            var events = exploitsOf[member][...]
            for index in pointsOf[member] {
                segmentOfScore[index] = segments[member].count
                current.points.append(index)
                if let event = events.first, event.step == history.scores[index].step {
                    events.removeFirst()
                    segments[member].append(current)
                    current = Segment(member: member, start: event.donorStep, points: [], donor: event.donor)
                    pending.append(event)
                }
            }
            segments[member].append(current)
        }
        self.segments = segments
        self.segmentOfScore = segmentOfScore
        link(pending, pointsOf: pointsOf, history: history)
        markAlive(history)
    }

    /// Sets each exploit stretch's `parent`: the donor's latest ready point at the donor step
    /// recorded before the copier's next ready point.
    private mutating func link(_ pending: [ExploitEvent], pointsOf: [[Int]], history: ExperimentHistory) {
        var nextSegment = [Int](repeating: 1, count: segments.count)
        for event in pending {
            let member = event.member, position = nextSegment[member]
            nextSegment[member] += 1
            guard event.donor < pointsOf.count, position < segments[member].count else { continue }
            let bound = segments[member][position].points.first ?? history.scores.count
            let donorPoints = pointsOf[event.donor]
            var low = 0, high = donorPoints.count
            while low < high {
                let middle = (low + high) / 2
                if donorPoints[middle] < bound { low = middle + 1 } else { high = middle }
            }
            var candidate = low - 1
            while candidate >= 0, history.scores[donorPoints[candidate]].step != event.donorStep {
                candidate -= 1
            }
            if candidate >= 0 { segments[member][position].parent = donorPoints[candidate] }
        }
    }

    /// Marks every stretch whose weights survive: each member's last stretch, and recursively
    /// the stretch each surviving stretch was copied from.
    private mutating func markAlive(_ history: ExperimentHistory) {
        var order: [(first: Int, member: Int, index: Int)] = []
        for member in segments.indices {
            for index in segments[member].indices {
                order.append((segments[member][index].points.first ?? Int.max, member, index))
            }
            if let last = segments[member].indices.last { segments[member][last].alive = true }
        }
        order.sort { $0.first > $1.first }
        for (_, member, index) in order where segments[member][index].alive {
            guard let parent = segments[member][index].parent else { continue }
            let donor = history.scores[parent].member
            segments[donor][segmentOfScore[parent]].alive = true
        }
    }
}
