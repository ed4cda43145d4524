import PBT

/// Member colours: the same member has the same colour in every chart, table and page.
///
/// The first ten are Tableau 10 (distinct for colour-blind readers as far as ten colours can
/// be); beyond ten, hues step by the golden angle so neighbours differ.
enum Palette {
    private static let base = [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    ]

    /// The colour of member `slot`.
    static func color(_ slot: Int) -> String {
        if slot < base.count { return base[slot] }
        let hue = Int((Double(slot) * 137.507_764).truncatingRemainder(dividingBy: 360))
        let lightness = slot % 2 == 0 ? 42 : 56
        return "hsl(\(hue),62%,\(lightness)%)"
    }

    /// The colour of an arm's runs in comparisons.
    static func color(_ arm: ComparisonArm) -> String {
        switch arm {
        case .pbt: "#4e79a7"
        case .pb2: "#b07aa1"
        case .random: "#f28e2b"
        case .fixed: "#59a14f"
        }
    }
    /// The best member's schedule and other emphasis.
    static let emphasis = "#1b1b1b"
}
