import PBT
import PBTRuntime
import Testing

/// Parsing `--gpus`, `--members-per-gpu` and `--slots`: what each slot's program gets, and
/// refusals that name the option and what is allowed.
@Suite("Slots")
struct SlotsTests {
    @Test func gpuSlotsSpreadOverTheDevicesFirst() throws {
        let slots = try Slots.gpus("0, 1,2 ", membersPerGPU: 2)
        #expect(slots.devices == ["0", "1", "2"] && slots.count == 6 && slots.perDevice == 2)
        #expect((0..<6).map { slots.device(of: $0)! } == ["0", "1", "2", "0", "1", "2"])
        #expect(slots.environment(slot: 4) == ["PBT_SLOT": "4", "CUDA_VISIBLE_DEVICES": "1"])
        #expect(slots.option == "--gpus 0,1,2 with --members-per-gpu 2")
    }

    @Test func deviceIdsAreAnyTextWithoutCommas() throws {
        let slots = try Slots.gpus("GPU-8f3a,MIG-1/2")
        #expect(slots.devices == ["GPU-8f3a", "MIG-1/2"] && slots.count == 2)
    }

    @Test func anonymousSlotsSetOnlyTheSlot() throws {
        let slots = try Slots.anonymous(3)
        #expect(slots.devices == nil && slots.count == 3 && slots.device(of: 2) == nil)
        #expect(slots.environment(slot: 2) == ["PBT_SLOT": "2"])
        #expect(slots.option == "--slots 3")
    }

    @Test(arguments: [
        ("", 1, "--gpus: no device id in ''"),
        (" , ", 1, "--gpus: no device id"),
        ("0,,1", 1, "--gpus: an empty device id in '0,,1'"),
        ("0,1,0", 1, "--gpus: device '0' is listed twice"),
        ("0,1", 0, "--members-per-gpu: must be at least 1"),
    ])
    func badGPUListsAreRefusedNamingTheOption(list: String, perGPU: Int, message: String) {
        #expect {
            _ = try Slots.gpus(list, membersPerGPU: perGPU)
        } throws: { error in
            "\(error)".hasPrefix(message)
                && ("\(error)".contains("e.g. --gpus 0,1,2,3") || perGPU == 0 || list == "0,1,0")
        }
    }

    @Test func zeroSlotsAreRefused() {
        #expect { _ = try Slots.anonymous(0) } throws: {
            "\($0)" == "--slots: must be at least 1 (live processes at once), got 0"
        }
    }
}
