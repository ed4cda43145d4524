import Testing

@testable import PBT

@Suite("Schedules and lineage from events")
struct LineageTests {
    let h = (0..<3).map { Hyperparameters(["lr": .number(Double($0 + 1) / 10)]) }

    func event(
        _ sequence: Int, _ member: Int, at step: Int, from donor: Int, _ donorStep: Int, lr: Double
    ) -> ExploitEvent {
        ExploitEvent(
            sequence: sequence, member: member, step: step, donor: donor, donorStep: donorStep,
            before: Hyperparameters(), after: Hyperparameters(["lr": .number(lr)]), mutations: [])
    }

    @Test("a member with no events has its initial values from step 0")
    func noEvents() {
        let lineage = Lineage(initial: h, events: [])
        #expect(lineage.schedule(of: 2) == [ScheduleEntry(step: 0, member: 2, hyperparameters: h[2])])
    }

    @Test("the schedule follows donors back through the chain of events")
    func chain() {
        // Member 1 copies 0 at step 8; later member 2 copies 1 at step 16; member 0 then
        // changes (after the copy, so it must not appear in 2's schedule).
        let events = [
            event(1, 1, at: 8, from: 0, 8, lr: 0.12),
            event(2, 2, at: 16, from: 1, 16, lr: 0.144),
            event(3, 0, at: 20, from: 0, 20, lr: 0.5),
        ]
        let lineage = Lineage(initial: h, events: events.shuffled())
        #expect(
            lineage.schedule(of: 2) == [
                ScheduleEntry(step: 0, member: 0, hyperparameters: h[0]),
                ScheduleEntry(step: 8, member: 1, hyperparameters: Hyperparameters(["lr": 0.12])),
                ScheduleEntry(step: 16, member: 2, hyperparameters: Hyperparameters(["lr": 0.144])),
            ])
        #expect(lineage.ancestry(of: 2).map(\.sequence) == [2, 1])
        #expect(
            lineage.schedule(of: 0).last
                == ScheduleEntry(step: 20, member: 0, hyperparameters: Hyperparameters(["lr": 0.5])))
    }

    @Test("copying an earlier step drops the donor's later changes")
    func earlierStep() {
        let events = [
            event(1, 0, at: 12, from: 0, 12, lr: 0.3),
            event(2, 1, at: 16, from: 0, 12, lr: 0.33),
        ]
        let lineage = Lineage(initial: h, events: events)
        #expect(lineage.schedule(of: 1).map(\.step) == [0, 12])
        #expect(lineage.schedule(of: 1).last?.member == 1)
    }
}
