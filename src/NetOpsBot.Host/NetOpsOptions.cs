using System.ComponentModel.DataAnnotations;

namespace NetOpsBot.Host;

/// <summary>Everything under the `NetOps` configuration section; appsettings.sample.json documents each key.</summary>
internal sealed class NetOpsOptions
{
    public const string Section = "NetOps";

    /// <summary>Where a running lab keeps its files; used when Inventory/KnownHosts/Credentials are not set.</summary>
    public string LabRunDirectory { get; set; } = "/tmp/netopsbot-lab";

    /// <summary>Inventory JSON (devices, jump hosts, console servers). Defaults to the running lab's.</summary>
    public string? InventoryPath { get; set; }

    /// <summary>OpenSSH known_hosts with the pinned keys of jump hosts and devices.</summary>
    public string? KnownHostsPath { get; set; }

    /// <summary>Credentials JSON (credential reference → user/password), mode 0600. Environment variables are the alternative.</summary>
    public string? CredentialsPath { get; set; }

    [Required]
    public DiagnosisSettings Diagnosis { get; set; } = new();

    [Required]
    public WebChatSettings WebChat { get; set; } = new();

    [Required]
    public LimitSettings Limits { get; set; } = new();

    /// <summary>Users (platform:userId) allowed to run diagnostics; empty means everyone in the channel.</summary>
    public List<string> DiagnoseAllowList { get; set; } = [];
}

internal sealed class DiagnosisSettings
{
    /// <summary>The remote management subnet devices must route back to (CIDR).</summary>
    [Required]
    [RegularExpression(@"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$", ErrorMessage = "NetOps:Diagnosis:ManagementSubnet must be an IPv4 CIDR such as 10.200.0.0/24")]
    public string ManagementSubnet { get; set; } = "10.200.0.0/24";

    /// <summary>The jump host's address as devices see it (for VTY ACL evaluation).</summary>
    public string? JumpHostIp { get; set; } = "10.200.0.10";

    [Range(0, 60)]
    public double DebugWindowSeconds { get; set; } = 3;

    [Range(1, 600)]
    public double CommandTimeoutSeconds { get; set; } = 10;

    [Range(10, 3600)]
    public double RunTimeoutSeconds { get; set; } = 120;

    /// <summary>How long a gateway's CLI session stays open for the next diagnosis behind it; 0 = one per step.</summary>
    [Range(0, 600)]
    public double GatewaySessionIdleSeconds { get; set; } = 3;

    /// <summary>Diagnoses this instance runs at once; more are refused at once (the benchmarks run 50).</summary>
    [Range(1, 10000)]
    public int MaxConcurrent { get; set; } = 100;

    /// <summary>Diagnoses of one device at once; another /sshdiag on it is refused naming the running incident.</summary>
    [Range(1, 100)]
    public int MaxConcurrentPerDevice { get; set; } = 1;
}

internal sealed class WebChatSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>The demo users of the local web chat; the page lets you act as any of them.</summary>
    public List<string> Users { get; set; } = ["alice", "bob", "carol"];
}

internal sealed class LimitSettings
{
    [Range(1, 1000)]
    public int PerUserBurst { get; set; } = 5;

    [Range(0.1, 3600)]
    public double PerUserRefillSeconds { get; set; } = 10;

    [Range(1, 10000)]
    public int PerChannelBurst { get; set; } = 30;

    [Range(0.1, 3600)]
    public double PerChannelRefillSeconds { get; set; } = 2;
}
