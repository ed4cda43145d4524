import Foundation
import PBTRuntime
import PBTSQLite
import PBTStore
import PBTTestSupport
import Testing

/// One end-to-end check in a real browser: `pbt serve` on a finished experiment in a SQLite
/// file, the page loaded by headless Chromium, the charts counted in the rendered DOM.
@Suite("Dashboard in headless Chromium")
struct BrowserTests {
    /// Debian's `chromium`, if installed.
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The `pbt` executable, if it has been built (this target does not depend on it).
    static let pbt: String? = {
        let path = PBTProcess.executable.path
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }()

    static var skipReason: String? {
        if chromium == nil { return "chromium is not installed (apt-get install -y chromium)" }
        if pbt == nil { return "the pbt executable was not found (build it, or set PBT_BINARY)" }
        return nil
    }

    @Test(
        "pbt serve renders the experiment's charts in Chromium, under a non-ASCII name too",
        .enabled(if: skipReason == nil, Comment(rawValue: skipReason ?? "")))
    func charts() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let path = folder.path + "/browser.sqlite"
        let config = try quadratic(name: "browser-quadratic", members: 4, steps: 60)
        let store = try SQLiteStore(path: path)
        try await runner(config, store).run(workers: 1)
        let unicodeName = "实验-é"
        try await runner(try quadratic(name: unicodeName, members: 2, steps: 8), store).run(workers: 1)
        try store.close()

        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.pbt!)
        server.arguments = ["serve", "--store", "sqlite:\(path)", "--port", "0"]
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        let url = try #require(Self.dashboardURL(from: output.fileHandleForReading), "pbt serve printed no address")
        let dom = try Self.dumpDOM(url + "experiments/browser-quadratic")
        let svgs = occurrences(of: "<svg class=\"chart\"", in: dom)
        let circles = occurrences(of: "<circle", in: dom)
        let paths = occurrences(of: "<path", in: dom)
        print("chromium rendered \(svgs) charts, \(paths) paths, \(circles) circles from \(url)")
        #expect(svgs == 7, "score, the quadratic's 3 metrics, h0, h1, lineage")
        #expect(circles >= 4, "a latest-score dot per member")
        #expect(paths >= 4 * 3, "a line per member in each chart")
        #expect(dom.contains("Lineage: who copied whom"))
        let list = try Self.dumpDOM(url)
        #expect(list.contains("browser-quadratic"))
        // The list links the name percent-encoded; the page behind the link is the experiment's.
        let encoded = try #require(unicodeName.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed))
        #expect(list.contains(unicodeName) && list.contains("/experiments/\(encoded)"))
        let unicodePage = try Self.dumpDOM(url + "experiments/" + encoded)
        #expect(occurrences(of: "<svg class=\"chart\"", in: unicodePage) == 7, "\(unicodePage.prefix(300))")
        #expect(unicodePage.contains(unicodeName))
    }

    /// Reads `pbt serve`'s first line, `pbt: dashboard at http://127.0.0.1:PORT/ …`.
    static func dashboardURL(from handle: FileHandle) -> String? {
        var buffer = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
            let text = String(decoding: buffer, as: UTF8.self)
            if let start = text.range(of: "http://"), let end = text[start.lowerBound...].firstIndex(of: " ") {
                return String(text[start.lowerBound..<end])
            }
        }
        return nil
    }

    /// The DOM after Chromium loaded `url` and ran its scripts.
    static func dumpDOM(_ url: String) throws -> String {
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: chromium!)
        browser.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--dump-dom", url,
        ]
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = FileHandle.nullDevice
        try browser.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        browser.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
