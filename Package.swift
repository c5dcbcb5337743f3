// swift-tools-version:6.0
import PackageDescription

/// Release builds of the ingestion and store modules skip run-time exclusivity checks (debug builds and tests
/// keep them): they showed up as several percent of ingest time in profiles.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "Vigil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vigil", targets: ["vigil"]),
        .library(name: "VigilCore", targets: ["VigilCore"]),
        .library(name: "VigilIngest", targets: ["VigilIngest"]),
        .library(name: "VigilStore", targets: ["VigilStore"]),
        .library(name: "VigilDetect", targets: ["VigilDetect"]),
        .library(name: "VigilTerminal", targets: ["VigilTerminal"]),
        .library(name: "VigilConsole", targets: ["VigilConsole"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // libdeflate inflates whole gzip files about twice as fast as zlib; zlib stays for streams and for
        // recovering what a truncated or corrupt file still holds.
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate", providers: [.apt(["libdeflate-dev"])]),
        // glibc's malloc.h (part of libc6-dev), for handing freed memory back after a large load.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw",
                       providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "VigilCore", dependencies: ["CMalloc"], swiftSettings: hotPath),
        .target(name: "VigilIngest", dependencies: ["VigilCore", "VigilStore", "CZlib", "CDeflate"], swiftSettings: hotPath),
        .target(name: "VigilStore", dependencies: ["VigilCore", "CZlib"], swiftSettings: hotPath),
        .target(name: "VigilSynth", dependencies: ["VigilCore", "CZlib"]),
        .target(name: "VigilDetect", dependencies: ["VigilCore", "VigilStore", "VigilIngest", .product(name: "Yams", package: "Yams")],
                resources: [.copy("RulePack")], swiftSettings: hotPath),
        .target(name: "VigilTerminal", dependencies: ["VigilCore", "CNcursesw", .product(name: "Yams", package: "Yams")]),
        .target(name: "VigilConsole", dependencies: ["VigilCore", "VigilStore", "VigilIngest", "VigilDetect", "VigilTerminal",
                                                   .product(name: "Yams", package: "Yams")]),
        .executableTarget(name: "vigil", dependencies: [
            "VigilCore", "VigilIngest", "VigilStore", "VigilSynth", "VigilDetect", "VigilTerminal", "VigilConsole",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "VigilCoreTests", dependencies: ["VigilCore"]),
        .testTarget(name: "VigilIngestTests", dependencies: ["VigilIngest", "VigilSynth"]),
        .testTarget(name: "VigilStoreTests", dependencies: ["VigilStore", "VigilIngest"]),
        .testTarget(name: "VigilDetectTests", dependencies: ["VigilDetect", "VigilIngest", "VigilSynth"],
                    resources: [.copy("Fixtures")]),
        .target(name: "VigilSnapshotTesting", dependencies: ["VigilTerminal"], path: "Tests/Support/VigilSnapshotTesting"),
        .testTarget(name: "VigilTerminalTests", dependencies: ["VigilTerminal", "VigilSnapshotTesting"], exclude: ["__Snapshots__"]),
        .testTarget(name: "VigilConsoleTests", dependencies: ["VigilConsole", "VigilIngest", "VigilSnapshotTesting"],
                    exclude: ["__Snapshots__"]),
        .testTarget(name: "VigilCLITests", dependencies: ["vigil", "VigilCore"]),
    ]
)
