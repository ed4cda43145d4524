// swift-tools-version: 6.1
import PackageDescription

/// Settings shared by every target: Swift 6 language mode and explicit `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

/// Release builds of the numeric code on x86-64 use AVX2 and FMA (x86-64-v3: Intel Haswell
/// 2013+, AMD Excavator 2015+); `NEURAL_FMA` switches the matmul kernel to fused multiply-add.
/// Set both or neither: FMA without the CPU feature becomes a slow library call.
#if arch(x86_64)
let vectorUnits: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"], .when(configuration: .release)),
    .define("NEURAL_FMA", .when(configuration: .release)),
]
#else
let vectorUnits: [SwiftSetting] = []
#endif

/// Release builds of the numeric code: no overflow or bounds traps in the hot loops.
let numeric: [SwiftSetting] =
    strict + vectorUnits + [
        .unsafeFlags(["-Ounchecked"], .when(configuration: .release))
    ]

/// The PostgreSQL store and the dashboard each bring SwiftNIO, and with it a second copy of
/// BoringSSL: most of a first build. A plain `swift run -c release pbt …` leaves them out (SQLite
/// and memory stores, every other command); `--traits PostgreSQL,Dashboard` (or
/// `--enable-all-traits`) builds them into `pbt`. The libraries build either way.
let traits: Set<Trait> = [
    .trait(name: "PostgreSQL", description: "postgres:// stores for pbt (PostgresNIO, SwiftNIO)."),
    .trait(name: "Dashboard", description: "pbt serve, the live dashboard (Hummingbird, SwiftNIO)."),
    .default(enabledTraits: []),
]

let package = Package(
    name: "swift-pbt",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "PBT", targets: ["PBT"]),
        .library(name: "PBTStore", targets: ["PBTStore"]),
        .library(name: "PBTSQLite", targets: ["PBTSQLite"]),
        .library(name: "PBTRuntime", targets: ["PBTRuntime"]),
        .library(name: "Neural", targets: ["Neural"]),
        .library(name: "PBTWorkloads", targets: ["PBTWorkloads"]),
        .executable(name: "pbt", targets: ["pbt"]),
    ],
    traits: traits,
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        // `swift package generate-documentation`: the DocC catalogues under Sources/*/*.docc.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        .target(name: "PBT", dependencies: ["CDense"], swiftSettings: strict),
        /// PB2's dense linear algebra (Cholesky, inverse, triangular solves): 256-bit AVX where
        /// the CPU has it, chosen at run time, the same bits either way.
        .target(name: "CDense"),
        /// SHA-256 for the checkpoints' content addresses: the CPU's SHA instructions where it
        /// has them, chosen at run time (swift-crypto's BoringSSL was half of a first build).
        .target(name: "CSHA256"),
        /// The store contract, the records, checkpoint files and the in-memory store: no database.
        .target(name: "PBTStore", dependencies: ["PBT", "CSHA256"], swiftSettings: strict),
        /// The embedded default: one SQLite file per experiment (GRDB).
        .target(
            name: "PBTSQLite",
            dependencies: ["PBT", "PBTStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "PBTPostgres",
            dependencies: ["PBT", "PBTStore", .product(name: "PostgresNIO", package: "postgres-nio")],
            swiftSettings: strict
        ),
        .target(
            name: "PBTRuntime",
            dependencies: ["PBT", "PBTStore", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(name: "Neural", swiftSettings: numeric),
        .target(
            name: "PBTWorkloads",
            dependencies: ["PBTRuntime", "Neural"],
            resources: [.copy("Resources")],
            swiftSettings: numeric
        ),
        .target(name: "PBTReport", dependencies: ["PBT", "PBTStore", "PBTSQLite"], swiftSettings: strict),
        .target(
            name: "PBTServe",
            dependencies: ["PBT", "PBTReport", "PBTStore", .product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: strict
        ),
        .target(
            name: "PBTTensorBoard",
            dependencies: ["PBT", "PBTStore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pbt",
            dependencies: [
                "PBT", "PBTStore", "PBTSQLite", "PBTRuntime", "PBTWorkloads", "Neural", "PBTReport",
                "PBTTensorBoard",
                .target(name: "PBTServe", condition: .when(traits: ["Dashboard"])),
                .target(name: "PBTPostgres", condition: .when(traits: ["PostgreSQL"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        /// What several test targets share: the built `pbt` run as a child process, temporary
        /// directories, experiment files, and the quadratic toy's `ExperimentConfig` (PBTRuntime).
        .target(
            name: "PBTTestSupport", dependencies: ["PBT", "PBTRuntime"], path: "Tests/PBTTestSupport",
            swiftSettings: strict),
        .testTarget(name: "PBTTests", dependencies: ["PBT", "CDense"], swiftSettings: strict),
        .testTarget(
            name: "CLITests", dependencies: ["pbt", "PBT", "PBTStore", "PBTSQLite", "PBTTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PBTStoreTests", dependencies: ["PBTStore", "PBTSQLite", "PBTPostgres", "PBTTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["PBT", "PBTPostgres", "PBTStore", "PBTRuntime", "PBTTestSupport", "pbt"],
            swiftSettings: strict),
        .testTarget(name: "PBTRuntimeTests", dependencies: ["PBTRuntime", "PBTStore", "PBT"], swiftSettings: strict),
        .testTarget(
            name: "PBTTensorBoardTests", dependencies: ["PBTTensorBoard", "PBTStore", "PBT"], swiftSettings: strict),
        .testTarget(name: "NeuralTests", dependencies: ["Neural"], swiftSettings: strict),
        .testTarget(
            name: "PBTWorkloadsTests", dependencies: ["PBTWorkloads", "Neural"], swiftSettings: strict),
        .testTarget(
            name: "PBTRunTests",
            dependencies: ["PBTRuntime", "PBTStore", "PBTSQLite", "PBTTestSupport", "PBTWorkloads"],
            swiftSettings: strict),
        .testTarget(
            name: "PBTReportTests",
            dependencies: ["PBTReport", "PBTRuntime", "PBTStore", "PBTTestSupport", "PBTWorkloads"],
            swiftSettings: strict),
        .testTarget(
            name: "PBTServeTests",
            dependencies: [
                "PBTServe", "PBTReport", "PBTRuntime", "PBTStore", "PBTSQLite", "PBTTestSupport", "PBTWorkloads",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
