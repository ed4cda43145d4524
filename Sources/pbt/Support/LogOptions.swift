import ArgumentParser

/// Where external programs' member logs go, shared by `pbt run`, `pbt worker` and `pbt logs`:
/// beside the store by default (see `ExternalLogs`), or under `--logs ROOT` as
/// `ROOT/NAME/logs/member-<slot>.log` — a folder every machine's workers share puts all of an
/// experiment's logs in one place.
struct LogOptions: ParsableArguments {
    @Option(
        name: .customLong("logs"),
        help: ArgumentHelp(
            """
            The folder under which external programs' member logs go, as ROOT/NAME/logs/member-<slot>.log (default: \
            beside a SQLite store, else runs/ in the working directory); \
            give workers on several machines a folder they share.
            """,
            valueName: "root"))
    var root: String?
}
