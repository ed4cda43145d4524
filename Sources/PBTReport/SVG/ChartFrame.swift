/// The frame of one chart: size, margins, scales, title, axes with ticks and labels, and a
/// legend in the right margin. Series are drawn between `open` and `close`.
struct ChartFrame: Sendable {
    /// One legend line.
    struct LegendEntry: Sendable {
        /// How the swatch is drawn.
        enum Style: Sendable { case line, dashed, dotted, thick, dot }
        var label: String
        var color: String
        var style: Style
    }

    static let width = 960.0
    let height: Double
    let left = 78.0, top = 44.0, bottom = 54.0
    let right: Double
    let title: String
    let xLabel: String
    let yLabel: String
    let x: Scale
    let y: Scale
    /// Labels for a categorical y axis (choice hyperparameters): value → text.
    var yCategories: [String] = []
    let legend: [LegendEntry]

    /// The width of one legend column: the swatch and the longest label at 11 px (≈ 6.2 px a
    /// character), at least 118 px.
    static func legendColumnWidth(_ legend: [LegendEntry]) -> Double {
        max(118, 24 + 6.2 * Double(legend.map(\.label.count).max() ?? 0))
    }

    /// The right margin the legend needs: its columns side by side.
    static func rightMargin(legend: [LegendEntry], height: Double) -> Double {
        let rows = max(1, Int((height - 44 - 54) / 15))
        let columns = max(1, (legend.count + rows - 1) / rows)
        return 28 + Double(columns) * legendColumnWidth(legend)
    }

    /// Creates a frame whose scales span `xValues` and `yValues`.
    init(
        title: String, xLabel: String, yLabel: String, height: Double = 380, xValues: [Double], yValues: [Double],
        yLogarithmic: Bool = false, yPadding: Double = 0.04, legend: [LegendEntry]
    ) {
        self.height = height
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.legend = legend
        let right = Self.rightMargin(legend: legend, height: height)
        self.right = right
        x = Scale(covering: xValues + [0], pixels: (78, Self.width - right))
        y = Scale(covering: yValues, pixels: (height - 54, 44), logarithmic: yLogarithmic, padding: yPadding)
    }

    /// Writes the opening `<svg>`, title, grid, axes and labels.
    func open(_ svg: inout String, label: String) {
        let w = Format.pixel(Self.width), h = Format.pixel(height)
        svg += "<svg class=\"chart\" viewBox=\"0 0 \(w) \(h)\" width=\"\(w)\" height=\"\(h)\" role=\"img\" "
        svg += "xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"\(label.htmlEscaped)\">"
        svg += "<title>\(label.htmlEscaped)</title>"
        svg += "<text class=\"title\" x=\"\(Format.pixel(left))\" y=\"22\">\(title.htmlEscaped)</text>"
        let plotLeft = x.from, plotRight = x.to, plotTop = y.to, plotBottom = y.from
        svg += "<g class=\"grid\">"
        let yTicks: [(Double, String)] =
            yCategories.isEmpty
            ? y.ticks(count: 6).map { ($0, Format.tick($0)) }
            : yCategories.enumerated().map { (Double($0.offset), $0.element) }
        for (value, _) in yTicks {
            let py = Format.pixel(y(value))
            svg +=
                "<line x1=\"\(Format.pixel(plotLeft))\" x2=\"\(Format.pixel(plotRight))\" y1=\"\(py)\" y2=\"\(py)\"/>"
        }
        let xTicks = x.ticks(count: 8)
        for value in xTicks {
            let px = Format.pixel(x(value))
            svg +=
                "<line x1=\"\(px)\" x2=\"\(px)\" y1=\"\(Format.pixel(plotTop))\" y2=\"\(Format.pixel(plotBottom))\"/>"
        }
        svg += "</g><g class=\"axis\">"
        svg +=
            """
            <line x1=\"\(Format.pixel(plotLeft))\" x2=\"\(Format.pixel(plotRight))\" \
            y1=\"\(Format.pixel(plotBottom))\" y2=\"\(Format.pixel(plotBottom))\"/>
            """
        svg +=
            """
            <line x1=\"\(Format.pixel(plotLeft))\" x2=\"\(Format.pixel(plotLeft))\" y1=\"\(Format.pixel(plotTop))\" \
            y2=\"\(Format.pixel(plotBottom))\"/>
            """
        for (value, text) in yTicks {
            svg +=
                """
                <text class=\"tick\" x=\"\(Format.pixel(plotLeft - 6))\" y=\"\(Format.pixel(y(value) + 4))\" \
                text-anchor=\"end\">\(text.htmlEscaped)</text>
                """
        }
        for value in xTicks {
            svg +=
                """
                <text class=\"tick\" x=\"\(Format.pixel(x(value)))\" y=\"\(Format.pixel(plotBottom + 17))\" \
                text-anchor=\"middle\">\(Format.tick(value))</text>
                """
        }
        svg +=
            """
            <text class=\"label\" x=\"\(Format.pixel((plotLeft + plotRight) / 2))\" \
            y=\"\(Format.pixel(height - 10))\" text-anchor=\"middle\">\(xLabel.htmlEscaped)</text>
            """
        let middle = Format.pixel((plotTop + plotBottom) / 2)
        svg +=
            """
            <text class=\"label\" x=\"16\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \
            \(middle))\">\(yLabel.htmlEscaped)</text>
            """
        svg += "</g>"
        // The plot area clips what lies outside it, with room for a dot's radius at the edges.
        let clipX = Format.pixel(plotLeft - 7), clipY = Format.pixel(plotTop - 7)
        let clipWidth = Format.pixel(plotRight - plotLeft + 14), clipHeight = Format.pixel(plotBottom - plotTop + 14)
        svg += "<svg x=\"\(clipX)\" y=\"\(clipY)\" width=\"\(clipWidth)\" height=\"\(clipHeight)\" "
        svg += "viewBox=\"\(clipX) \(clipY) \(clipWidth) \(clipHeight)\" overflow=\"hidden\">"
    }

    /// Closes the plot area, writes the legend, `extra` (SVG outside the plot) and the closing `</svg>`.
    func close(_ svg: inout String, extra: String = "") {
        svg += "</svg>"
        writeLegend(&svg)
        svg += extra + "</svg>"
    }

    private func writeLegend(_ svg: inout String) {
        guard !legend.isEmpty else { return }
        let rows = max(1, Int((height - top - bottom) / 15))
        let columnWidth = Self.legendColumnWidth(legend)
        svg += "<g class=\"legend\">"
        for (index, entry) in legend.enumerated() {
            let column = index / rows, row = index % rows
            let lx = Self.width - right + 18 + Double(column) * columnWidth, ly = top + Double(row) * 15 + 4
            let color = entry.color
            switch entry.style {
            case .dot:
                svg += "<circle cx=\"\(Format.pixel(lx + 9))\" cy=\"\(Format.pixel(ly))\" r=\"4\" fill=\"\(color)\"/>"
            default:
                let extra: String
                switch entry.style {
                case .dashed: extra = " stroke-dasharray=\"4 3\""
                case .dotted: extra = " stroke-dasharray=\"1.5 2\" stroke-width=\"1.5\""
                case .thick: extra = " stroke-width=\"3.5\""
                default: extra = " stroke-width=\"2\""
                }
                svg +=
                    """
                    <line x1=\"\(Format.pixel(lx))\" x2=\"\(Format.pixel(lx + 18))\" y1=\"\(Format.pixel(ly))\" \
                    y2=\"\(Format.pixel(ly))\" stroke=\"\(color)\"\(extra)/>
                    """
            }
            svg +=
                "<text x=\"\(Format.pixel(lx + 24))\" y=\"\(Format.pixel(ly + 4))\">\(entry.label.htmlEscaped)</text>"
        }
        svg += "</g>"
    }

    /// Legend entries for every member: `member 0`, `member 1`, … in their colours.
    static func memberLegend(_ count: Int) -> [LegendEntry] {
        (0..<count).map { LegendEntry(label: "member \($0)", color: Palette.color($0), style: .line) }
    }
}

/// SVG path data built from pixel points: `M x y L x y …`, one decimal per coordinate.
struct PathData: Sendable {
    private(set) var text = ""

    /// Starts a new subpath at a point.
    mutating func move(_ x: Double, _ y: Double) {
        text += "M\(Format.pixel(x)) \(Format.pixel(y))"
    }

    /// A straight line to a point.
    mutating func line(_ x: Double, _ y: Double) {
        text += "L\(Format.pixel(x)) \(Format.pixel(y))"
    }

    /// Whether nothing was drawn.
    var isEmpty: Bool { text.isEmpty }
}
