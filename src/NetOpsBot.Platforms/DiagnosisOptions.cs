using System.ComponentModel.DataAnnotations;
using System.Net;
using NetOpsBot.Core.Net;
using NetOpsBot.Runbooks.SshUnreachable;

namespace NetOpsBot.Platforms;

/// <summary>
/// `NetOps:Diagnosis`: how a diagnosis runs. The Host and the CLI both read it here (AddNetOpsPlatforms), so
/// `netopsbot diag` and `/sshdiag` judge a device against the same management subnet and jump host address.
/// </summary>
public sealed class DiagnosisOptions
{
    public const string SectionName = "NetOps:Diagnosis";

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

    /// <summary>The runbook's settings; call only on validated options (<see cref="Problems"/> empty).</summary>
    public SshUnreachableOptions ToRunbookOptions() => new()
    {
        ManagementSubnet = Ipv4Prefix.Parse(ManagementSubnet),
        JumpHostIp = JumpHostIp is { Length: > 0 } ip ? IPAddress.Parse(ip) : null,
        DebugWindow = TimeSpan.FromSeconds(DebugWindowSeconds),
        CommandTimeout = TimeSpan.FromSeconds(CommandTimeoutSeconds),
        RunTimeout = TimeSpan.FromSeconds(RunTimeoutSeconds),
        GatewaySessionIdle = TimeSpan.FromSeconds(GatewaySessionIdleSeconds),
    };

    /// <summary>Every problem, each naming its key; empty when <see cref="ToRunbookOptions"/> can run.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = Core.OptionProblems.Of(this, SectionName).ToList();
        if (problems.Count == 0 && !Ipv4Prefix.TryParse(ManagementSubnet, out _))
        {
            problems.Add($"{SectionName}:ManagementSubnet '{ManagementSubnet}' is not a valid IPv4 prefix (octets 0-255, length 0-32).");
        }

        if (JumpHostIp is { Length: > 0 } ip && !(IPAddress.TryParse(ip, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            problems.Add($"{SectionName}:JumpHostIp '{ip}' is not an IPv4 address.");
        }

        return problems;
    }
}
