import ArgumentParser
import Foundation
import PBTReport
import PBTStore

/// `--x-axis step|time`.
extension ChartOptions.XAxis: ExpressibleByArgument {}

/// `pbt report NAME --out FILE`: one self-contained HTML file with the experiment's charts.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an experiment's report: one self-contained HTML file (inline SVG and CSS, no network).",
        discussion: """
            Without --store the experiment is looked for in every runs/*.sqlite file: pbt run's \
            runs/NAME.sqlite and pbt compare's runs/NAME.compare.sqlite, whose runs (NAME.pbt.seedS, \
            NAME.random.seedS, NAME.fixed.seedS) add a comparison section (id "comparison": each arm's median \
            best score against step with a min-max band over seeds) and the winning PBT member's schedule \
            (id "winning-schedule").
            """
    )

    @Argument(help: "The experiment's name (or a comparison's name, for its first PBT run).")
    var name: String

    @Option(help: ArgumentHelp("The HTML file to write (default: NAME.html).", valueName: "file"))
    var out: String?

    @Flag(help: "Span every score on the score axis (by default it is fitted to the later scores).")
    var fullRange = false

    @Option(
        help: ArgumentHelp(
            "The score and metric charts' x axis: step, or time (wall-clock time since the first record; steps, "
                + "with a note, when the store kept no times).", valueName: "step|time"))
    var xAxis: ChartOptions.XAxis = .step

    @Flag(help: "Draw each member's best score so far too (dotted, in its colour).")
    var memberBest = false

    @OptionGroup var store: StoreOptions

    func run() async throws {
        let catalog = try catalog()
        let options = ChartOptions(fullScoreRange: fullRange, xAxis: xAxis, memberBestSoFar: memberBest)
        let report = try await HTMLReport.make(name, catalog: catalog, options: options)
        let path = out ?? "\(name).html"
        let html = report.document()
        try OutputFile.write(html, to: path)
        let size = Double(html.utf8.count) / 1_048_576
        print(
            String(
                format: "wrote %@ (%.2f MB): %@, %d members, %d ready points", path, size,
                report.history.experiment.name, report.history.members.count, report.history.scores.count))
    }

    /// Where to look for the experiment.
    private func catalog() throws -> StoreCatalog {
        if let url = store.url {
            let location = try StoreLocation.parse(url)
            return StoreCatalog(.store(location, try StoreOptions.open(location, create: false)))
        }
        return StoreCatalog(.folder("runs"))
    }
}
