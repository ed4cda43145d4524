import Foundation

/// Where an experiment's store lives, as written after `--store`.
///
/// ```
/// sqlite:runs/demo.sqlite      sqlite://runs/demo.sqlite      sqlite:///tmp/demo.sqlite
/// memory:
/// postgres://user:password@host:5432/database
/// ```
///
/// `description` and `debugDescription` never show a password, so a location may be logged
/// or shown on the dashboard.
public enum StoreLocation: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A SQLite file (the embedded default).
    case sqlite(path: String)
    /// Process memory: nothing survives the process.
    case memory
    /// A PostgreSQL server, the URL as given (with its password, if any).
    case postgres(url: String)

    /// The forms `parse` accepts, for error messages and help texts.
    public static let allowedForms = [
        "sqlite:PATH", "sqlite://PATH", "memory:", "postgres://USER:PASSWORD@HOST:PORT/DATABASE",
    ]

    /// The message for a location the build cannot open yet: PostgreSQL.
    public static let postgresNotBuilt = "PostgreSQL support is not built yet; use sqlite:PATH or memory:"

    /// Reads a store location.
    /// - Parameter text: e.g. `sqlite:runs/demo.sqlite`, `memory:`, `postgres://…`.
    /// - Throws: `StoreError.unavailable` naming the text (password hidden) and the allowed
    ///   forms when the scheme is unknown, missing, or the path is empty.
    public static func parse(_ text: String) throws -> StoreLocation {
        let trimmed = text.trimmingWhitespace()
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw StoreError(
                .unavailable,
                "store '\(hidingPassword(trimmed))' has no scheme; write sqlite:\(trimmed) for a SQLite file. "
                    + "Allowed: \(allowedForms.joined(separator: ", "))")
        }
        let scheme = trimmed[..<colon].lowercased()
        var rest = trimmed[trimmed.index(after: colon)...]
        switch scheme {
        case "sqlite":
            if rest.hasPrefix("//") { rest = rest.dropFirst(2) }
            guard !rest.isEmpty else {
                throw StoreError(
                    .unavailable, "store '\(trimmed)' names no file; write sqlite:PATH, e.g. sqlite:runs/demo.sqlite")
            }
            return .sqlite(path: String(rest))
        case "memory":
            guard rest.isEmpty || rest == "//" else {
                throw StoreError(
                    .unavailable, "store '\(hidingPassword(trimmed))': memory: takes nothing after the colon")
            }
            return .memory
        case "postgres", "postgresql":
            guard rest.hasPrefix("//"), rest.count > 2 else {
                throw StoreError(
                    .unavailable,
                    """
                    store '\(hidingPassword(trimmed))' is not a PostgreSQL URL; \
                    write postgres://USER:PASSWORD@HOST:PORT/DATABASE
                    """
                )
            }
            return .postgres(url: trimmed)
        default:
            throw StoreError(
                .unavailable,
                """
                store '\(hidingPassword(trimmed))' has unknown scheme '\(scheme)'; allowed: \
                \(allowedForms.joined(separator: ", "))
                """
            )
        }
    }

    /// The default SQLite file of an experiment when no `--store` is given:
    /// `runs/<experiment>.sqlite`, relative to the working directory.
    public static func defaultPath(for experiment: String) -> String {
        "runs/\(experiment).sqlite"
    }

    /// The location as it can be typed again, with any password replaced by `***`.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .memory: "memory:"
        case .postgres(let url): Self.hidingPassword(url)
        }
    }

    /// The same as `description`: a debugger or log never shows the password either.
    public var debugDescription: String { description }

    /// `text` with the password of a `scheme://user:password@host` authority, and any
    /// `password=` query parameter, replaced by `***`.
    public static func hidingPassword(_ text: String) -> String {
        var result = text
        if let schemeEnd = result.range(of: "://") {
            let authorityStart = schemeEnd.upperBound
            let authorityEnd =
                result[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? result.endIndex
            if let at = result[authorityStart..<authorityEnd].lastIndex(of: "@"),
                let colon = result[authorityStart..<at].firstIndex(of: ":")
            {
                result.replaceSubrange(result.index(after: colon)..<at, with: "***")
            }
        }
        for key in ["password=", "Password=", "PASSWORD="] {
            var searchStart = result.startIndex
            while let found = result.range(of: key, range: searchStart..<result.endIndex) {
                let valueEnd =
                    result[found.upperBound...].firstIndex { $0 == "&" || $0 == "#" || $0 == " " } ?? result.endIndex
                result.replaceSubrange(found.upperBound..<valueEnd, with: "***")
                searchStart = result.index(found.upperBound, offsetBy: 3)
            }
        }
        return result
    }
}

extension String {
    /// The text without leading and trailing spaces, tabs and newlines.
    fileprivate func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
