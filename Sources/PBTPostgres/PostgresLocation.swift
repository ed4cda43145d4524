import Foundation
import PBTStore

/// A PostgreSQL store URL taken apart:
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?schema=S&sslmode=M&checkpoints=file:///DIR`.
///
/// - `USER` defaults to `$PGUSER`, then `postgres`; `PASSWORD` to `?password=`, then
///   `$PGPASSWORD` (keep it off command lines that `ps` shows); `HOST` to `localhost`; `PORT`
///   to 5432; `DATABASE` to the user's name.
/// - `schema` puts the tables in that PostgreSQL schema (created when missing), so several
///   stores can share one database; default `public`.
/// - `sslmode`: `disable`, `prefer` (default: TLS when the server offers it) or `require`.
/// - `checkpoints=file:///DIR` keeps checkpoint bytes as files named by their SHA-256 in `DIR`
///   (a filesystem every worker mounts at that path) instead of `bytea` rows.
///
/// `description` never shows the password.
public struct PostgresLocation: Hashable, Sendable, CustomStringConvertible {
    /// How the connection uses TLS.
    public enum TLSMode: String, Hashable, Sendable, CaseIterable {
        /// Never.
        case disable
        /// When the server offers it.
        case prefer
        /// Always; fail when the server does not offer it.
        case require
    }

    /// The server's host name or address.
    public var host: String
    /// The server's port.
    public var port: Int
    /// The role to connect as.
    public var user: String
    /// The password, if any; never printed.
    public var password: String?
    /// The database.
    public var database: String
    /// The schema holding the tables.
    public var schema: String
    /// TLS.
    public var tls: TLSMode
    /// The directory for checkpoint files; nil keeps checkpoints in the database.
    public var checkpointDirectory: String?
    /// The URL as given, for messages (password hidden by `description`).
    public let url: String

    /// The query parameters `init(url:)` accepts.
    public static let parameters = ["schema", "sslmode", "checkpoints", "password", "application_name"]

    /// Reads a `postgres://` or `postgresql://` URL.
    /// - Parameters:
    ///   - url: the URL, e.g. `postgres://USER:PASSWORD@HOST:5432/DATABASE?schema=S`.
    ///   - environment: where `PGUSER` and `PGPASSWORD` are looked up.
    /// - Throws: `StoreError.unavailable` naming the URL (password hidden) and the bad part.
    public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.url = url
        let shown = StoreLocation.hidingPassword(url)
        func bad(_ reason: String) -> StoreError {
            StoreError(.unavailable, "store '\(shown)': \(reason); write postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let components = URLComponents(string: url),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else { throw bad("not a PostgreSQL URL") }
        host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost"
        port = components.port ?? 5432
        guard (1...65535).contains(port) else { throw bad("port \(port) is out of range 1...65535") }
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? "postgres"
        var database = String(components.path.drop { $0 == "/" })
        if database.isEmpty { database = user }
        self.database = database
        var password = components.password
        var schema = "public", tls = TLSMode.prefer, checkpoints: String?
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema":
                guard Self.isIdentifier(value) else {
                    throw bad("schema '\(value)' must be lowercase letters, digits and _, starting with a letter or _")
                }
                schema = value
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    throw bad(
                        "sslmode '\(value)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                tls = mode
            case "checkpoints":
                guard value.hasPrefix("file://"), let directory = URL(string: value)?.path, directory.hasPrefix("/")
                else {
                    throw bad("checkpoints '\(value)' must be file:///ABSOLUTE/DIRECTORY")
                }
                checkpoints = directory
            case "password":
                password = value
            case "application_name":
                break
            default:
                throw bad("unknown parameter '\(item.name)'; allowed: \(Self.parameters.joined(separator: ", "))")
            }
        }
        self.password = password ?? environment["PGPASSWORD"]
        self.schema = schema
        self.tls = tls
        checkpointDirectory = checkpoints
    }

    /// The URL with its password hidden.
    public var description: String { StoreLocation.hidingPassword(url) }

    /// Whether `text` is a plain lowercase SQL identifier (safe to quote into SQL).
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 63 else { return false }
        let letters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz_")
        let rest = letters.union(CharacterSet(charactersIn: "0123456789"))
        return letters.contains(first) && text.unicodeScalars.allSatisfy { rest.contains($0) }
    }
}
