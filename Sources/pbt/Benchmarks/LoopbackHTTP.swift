import Foundation
import PBTReport

#if canImport(Glibc)
import Glibc
#endif

/// A GET to a server on this machine over a plain socket (HTTP/1.1, a body of known length or
/// chunked): what the dashboard benchmark needs, without FoundationNetworking, whose
/// libcurl a static `pbt` would have to carry.
enum LoopbackHTTP {
    /// The body of `GET path` from `127.0.0.1:port`.
    /// - Throws: `ReportError` when the server cannot be reached or answers other than 200.
    static func get(port: Int, path: String) throws -> [UInt8] {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw failure("cannot open a socket") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw failure("cannot connect to 127.0.0.1:\(port)") }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw failure("cannot send the request") }
            sent += count
        }
        var reader = Reader(socket: socket)
        let head = try reader.line()
        guard head.split(separator: " ").dropFirst().first == "200" else { throw failure("GET \(path): \(head)") }
        var length: Int?
        var chunked = false
        while case let header = try reader.line(), !header.isEmpty {
            let parts = header.split(separator: ":", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            if parts.first == "content-length" { length = parts.last.flatMap { Int($0) } }
            if parts.first == "transfer-encoding", parts.last == "chunked" { chunked = true }
        }
        if chunked {
            var body: [UInt8] = []
            while let size = Int(try reader.line().split(separator: ";").first ?? "", radix: 16), size > 0 {
                body += try reader.bytes(size)
                _ = try reader.line()
            }
            return body
        }
        guard let length else { throw failure("GET \(path): no Content-Length and not chunked") }
        return try reader.bytes(length)
    }

    /// Reads a response through a buffer: lines ending in CRLF, then counted bytes.
    private struct Reader {
        let socket: Int32
        var pending: [UInt8] = []

        /// Reads more; false at the end.
        private mutating func fill() throws -> Bool {
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { throw failure("cannot read the response") }
                pending += buffer[0..<count]
                return count > 0
            }
        }

        /// The next line, without its CRLF.
        mutating func line() throws -> String {
            while true {
                if let end = pending.indices.dropLast().first(where: { pending[$0] == 13 && pending[$0 + 1] == 10 }) {
                    defer { pending.removeFirst(end + 2) }
                    return String(decoding: pending[..<end], as: UTF8.self)
                }
                guard try fill() else { throw failure("the response ended early") }
            }
        }

        /// The next `count` bytes.
        mutating func bytes(_ count: Int) throws -> [UInt8] {
            while pending.count < count {
                guard try fill() else { throw failure("the response ended early") }
            }
            defer { pending.removeFirst(count) }
            return Array(pending[..<count])
        }
    }

    private static func failure(_ what: String) -> ReportError {
        ReportError(.output, "dashboard benchmark: \(what) (\(String(cString: strerror(errno))))")
    }
}
