import Foundation
import PBTStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Frees the leases of local workers that died (`kill -9`, a crash, a reboot) so that a resumed
/// run continues at once with the member they held, instead of waiting for the lease to lapse.
///
/// Local workers are named `HOST:PID/INDEX`. A lease whose worker names this host and a process
/// that no longer exists is released; leases of live processes and of other hosts are left to
/// lapse. Releasing is a compare-and-set on the worker's name, so a member that another worker
/// claimed meanwhile is not touched.
enum DeadLeases {
    /// The worker-name prefix of this process: `HOST:PID`.
    static var processPrefix: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Releases every lease of `experiment` held by a dead worker process of this host.
    /// - Returns: the slots released.
    @discardableResult
    static func release(experiment: String, in store: any PopulationStore) async throws -> [Int] {
        let host = ProcessInfo.processInfo.hostName
        var released: [Int] = []
        for member in try await store.members(of: experiment) {
            guard let worker = member.lease?.worker, let pid = processID(of: worker, host: host), !isAlive(pid) else {
                continue
            }
            do {
                try await store.release(experiment: experiment, member: member.slot, worker: worker)
                released.append(member.slot)
            } catch let error as StoreError where error.code == .leaseLost {
                continue  // claimed by someone else meanwhile
            }
        }
        return released
    }

    /// The process id in a local worker name `HOST:PID/INDEX` of `host`, or nil.
    static func processID(of worker: String, host: String) -> Int32? {
        guard let slash = worker.lastIndex(of: "/") else { return nil }
        let prefix = worker[..<slash]
        guard let colon = prefix.lastIndex(of: ":"), prefix[..<colon] == host else { return nil }
        return Int32(prefix[prefix.index(after: colon)...])
    }

    /// Whether a process with this id exists (signal 0 probes without sending anything).
    static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
