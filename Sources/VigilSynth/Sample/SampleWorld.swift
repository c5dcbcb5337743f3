/// The fictional company's account contents used across the sample logs ("Harborlight", account 111122223333).
enum World {
    static let account = LeakedAccessKeyScenario.accountID
    static let day0 = LeakedAccessKeyScenario.day0

    /// Epoch seconds for a time on 2026-03-10 (or the 11th).
    static func at(_ h: Int, _ m: Int, _ s: Int = 0, nextDay: Bool = false) -> Int64 {
        LeakedAccessKeyScenario.at(h, m, s, nextDay: nextDay)
    }

    static let start = LeakedAccessKeyScenario.dataStart.seconds
    static let end = LeakedAccessKeyScenario.dataEnd.seconds

    static let regions = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1", "eu-west-2", "eu-west-3",
        "eu-central-1", "eu-north-1", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ap-southeast-1", "ap-southeast-2", "sa-east-1",
    ]

    // Networks
    static let prodVPC = "vpc-0a1b2c3d4e5f60718"
    static let euVPC = "vpc-0e9d8c7b6a5f40321"
    static let minerVPC = "vpc-0d4e5f6a7b8c9d0e1"  // the default VPC of ap-southeast-2
    static let minerSubnet = "subnet-0f3e2d1c0b9a8e7d6"
    static let minerENI = "eni-0e5d4c3b2a1908f76"
    static let minerSG = "sg-0c1d2e3f4a5b6c7d8"
    static let minerAMI = "ami-0b8f6e4d2c0a1e3f5"
    static let publicSubnet = "subnet-0aa11bb22cc33dd44"
    static let privateSubnet = "subnet-0ee55ff66aa77bb88"
    static let s3Endpoint = "vpce-0a1b2c3d4e5f6a7b8"
    static let ssmEndpoint = "vpce-0c2d4e6f8a0b1c3d5"
    static let natIP = "192.0.2.201"
    static let euNatIP = "192.0.2.202"

    struct Instance {
        var id: String
        var name: String
        var privateIP: String
        var region: String
        var zone: String
        var zoneID: String
        var eni: String
        var role: String
        var platform: String
    }

    static let bastion = Instance(id: LeakedAccessKeyScenario.bastionInstanceID, name: "bastion", privateIP: "10.20.0.10",
                                  region: "us-east-1", zone: "us-east-1a", zoneID: "use1-az2", eni: "eni-0a3f9b2c4d5e6f701",
                                  role: "bastion-instance-role", platform: "22.04")
    static let app1 = Instance(id: "i-03c4d5e6f7a8b9c01", name: "orders-app-1", privateIP: "10.20.1.21", region: "us-east-1",
                               zone: "us-east-1a", zoneID: "use1-az2", eni: "eni-0b4a8c2d6e1f30712", role: "app-server-instance-role",
                               platform: "22.04")
    static let app2 = Instance(id: "i-04d5e6f7a8b9c0d12", name: "orders-app-2", privateIP: "10.20.1.22", region: "us-east-1",
                               zone: "us-east-1b", zoneID: "use1-az4", eni: "eni-0c5b9d3e7f2a40823", role: "app-server-instance-role",
                               platform: "22.04")
    static let worker = Instance(id: "i-05e6f7a8b9c0d1e23", name: "orders-worker", privateIP: "10.20.1.40", region: "us-east-1",
                                 zone: "us-east-1b", zoneID: "use1-az4", eni: "eni-0d6cae4f8a3b50934", role: "app-server-instance-role",
                                 platform: "22.04")
    static let euApp = Instance(id: "i-06f7a8b9c0d1e2f34", name: "orders-eu-app-1", privateIP: "10.30.1.21", region: "eu-west-1",
                                zone: "eu-west-1a", zoneID: "euw1-az1", eni: "eni-0e7dbf5a9b4c60a45", role: "app-server-instance-role",
                                platform: "22.04")
    static let instances = [bastion, app1, app2, worker, euApp]

    // Storage
    static let exportsBucket = "harborlight-prod-orders-exports"
    static let euExportsBucket = "harborlight-eu-orders-exports"
    static let mediaBucket = "harborlight-media-uploads"
    static let artifactsBucket = "harborlight-ci-artifacts"
    static let trailBucket = "harborlight-cloudtrail-logs-111122223333"
    static let stateBucket = "harborlight-terraform-state"
    static let athenaBucket = "harborlight-athena-results"
    static let buckets = [exportsBucket, euExportsBucket, mediaBucket, artifactsBucket, trailBucket, stateBucket, athenaBucket]
    static let ordersKey = "arn:aws:kms:us-east-1:111122223333:key/4c1e9a2b-7d3f-4e8a-9b6c-1f2e3d4c5b6a"
    static let euOrdersKey = "arn:aws:kms:eu-west-1:111122223333:key/8a7b6c5d-4e3f-4a1b-9c8d-7e6f5a4b3c2d"
    static let dbSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/orders/db-XyZ12a"
    static let paymentsSecret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/payments/api-key-Qw3rTy"
    static let drSnapshot = "snap-03d2c1b0a9f8e7d6c"

    // Identities
    static let priya = "priya.natarajan"
    static let marcus = "marcus.oyelaran"
    static let jordan = LeakedAccessKeyScenario.leakedUserName
    static let sam = "sam.okafor"
    static let elena = "elena.kowalski@example.com"
    static let grafanaUser = "grafana-readonly"
    static let grafanaKey = "AKIAQ3EXAMPLEGRAF4NA"

    static let officeIPs = ["192.0.2.34", "192.0.2.41", "192.0.2.52", "192.0.2.57"]
    static let vpnIPv6 = "2001:db8:4::18"
    static let githubRunnerIPs = ["198.51.100.181", "198.51.100.184", "198.51.100.187"]
    static let lambdaIPs = ["192.0.2.221", "192.0.2.224", "192.0.2.229"]

    static let chromeMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36"
    static let edgeWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66"
    static let firefoxLinux = "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0"
    static let safariMac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Safari/605.1.15"

    static func userARN(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }
    static func roleARN(_ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }
}
