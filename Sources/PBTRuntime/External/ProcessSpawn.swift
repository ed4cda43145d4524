import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Starts a program with `posix_spawn` in a process group of its own, with an empty signal mask
/// and every signal at its default disposition, and no descriptor of the engine but the three
/// it is given.
///
/// Foundation's `Process` hands a program the calling thread's signal mask (Dispatch's threads
/// block most signals) and the engine's ignored signals (SIGPIPE, and SIGINT and SIGTERM in
/// `pbt run`): `timeout` inside a program could not end its command, and SIGTERM could not end
/// the program. The program's own process group keeps a terminal's Ctrl-C from it (the engine
/// stops it after the current commit) and lets the engine signal it together with every
/// process it forked.
enum ProcessSpawn {
    /// Why a program could not start (or its log could not be opened), in words.
    struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        let description: String
    }

    /// Starts `executable` with `arguments` in `directory`.
    /// - Parameters:
    ///   - environment: the program's whole environment.
    ///   - descriptors: its standard input, output and error.
    /// - Returns: the process id, which is also the id of the program's process group.
    static func spawn(
        _ executable: String, arguments: [String], directory: String, environment: [String: String],
        descriptors: [Int32]
    ) throws -> pid_t {
        guard let addChdir = GNUExtensions.addChdir else {
            throw Failure(
                description: "this C library lacks posix_spawn_file_actions_addchdir_np (glibc 2.29 or later is needed)"
            )
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, descriptor) in descriptors.enumerated() {
            try check(
                posix_spawn_file_actions_adddup2(&actions, descriptor, Int32(target)), "redirect descriptor \(target)")
        }
        if let addClosefrom = GNUExtensions.addClosefrom {
            try check(addClosefrom(&actions, Int32(descriptors.count)), "close the engine's descriptors")
        }
        try check(addChdir(&actions, directory), "change to \(directory)")

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        try check(posix_spawnattr_setsigmask(&attributes, &signals), "clear the signal mask")
        // Every signal 1–64: `sigfillset` leaves out glibc's reserved 32 and 33, which
        // posix_spawn would then set to ignored in the program.
        signals.__val.0 = .max
        try check(posix_spawnattr_setsigdefault(&attributes, &signals), "reset the signal dispositions")
        try check(posix_spawnattr_setpgroup(&attributes, 0), "start a process group")
        let flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "set the spawn flags")

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw Failure(description: "cannot run \(executable) in \(directory): \(String(cString: strerror(result)))")
        }
        return pid
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result != 0 else { return }
        throw Failure(description: "cannot \(what) for the program: \(String(cString: strerror(result)))")
    }
}

/// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `…_addclosefrom_np` (2.34), which
/// Swift's Glibc module does not export (they are GNU extensions), looked up at run time.
private enum GNUExtensions {
    typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, UnsafePointer<CChar>?) -> Int32
    typealias AddClosefrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32

    static let addChdir = symbol("posix_spawn_file_actions_addchdir_np", as: AddChdir.self)
    /// Without it (glibc before 2.34) the program inherits only the engine's descriptors that
    /// lack close-on-exec; the engine opens its pipes and logs with it.
    static let addClosefrom = symbol("posix_spawn_file_actions_addclosefrom_np", as: AddClosefrom.self)

    private static func symbol<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: type) }
    }
}
