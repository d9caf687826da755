using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetOpsBot.Lab;

/// <summary>What `lab status --json` prints: everything a client needs to reach the lab.</summary>
public sealed record LabStatus
{
    public required string RunDirectory { get; init; }

    public required int Pid { get; init; }

    public required bool Running { get; init; }

    public required string Scenario { get; init; }

    public required string ScenarioDescription { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>"namespaces" or "loopback": the network the lab runs on (docs/LAB-NETWORK.md).</summary>
    public string Network { get; init; } = "loopback";

    /// <summary>Why the lab runs on that network (e.g. "network namespaces need root; running the loopback lab").</summary>
    public string? NetworkReason { get; init; }

    public required JumpHostInfo JumpHost { get; init; }

    public required string KnownHosts { get; init; }

    public required string Inventory { get; init; }

    /// <summary>An OpenSSH client config with a Host entry per device, the jump host and the console server.</summary>
    public required string SshConfig { get; init; }

    public required ConsoleServerInfo ConsoleServer { get; init; }

    public required IReadOnlyList<DeviceInfo> Devices { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static LabStatus? Read(string runDirectory)
    {
        var path = LabLayout.StatusPath(runDirectory);
        if (!File.Exists(path))
        {
            return null;
        }

        var status = JsonSerializer.Deserialize<LabStatus>(File.ReadAllText(path), Json);
        return status is null ? null : status with { Running = ProcessTools.IsAlive(status.Pid) };
    }
}

public sealed record JumpHostInfo(string Address, int Port, string User, string KeyFile, string ManagementIp);

public sealed record ConsoleServerInfo(string Address, string User, string Password);

/// <summary>A device as the lab runs it. Password is the lab-only device login, printed on purpose.</summary>
public sealed record DeviceInfo(
    string Name,
    string Role,
    string Address,
    string ManagementIp,
    IReadOnlyList<int> Ports,
    string Power,
    string User,
    string Password,
    int ConsolePort);

/// <summary>The files a lab keeps in its run directory.</summary>
public static class LabLayout
{
    public static string DefaultRunDirectory =>
        Environment.GetEnvironmentVariable("NETOPSBOT_LAB_DIR") is { Length: > 0 } dir ? dir : "/tmp/netopsbot-lab";

    public static string StatusPath(string run) => Path.Combine(run, "status.json");

    public static string PidPath(string run) => Path.Combine(run, "controller.pid");

    public static string LogPath(string run) => Path.Combine(run, "lab.log");

    public static string KnownHostsPath(string run) => Path.Combine(run, "known_hosts");

    public static string InventoryPath(string run) => Path.Combine(run, "inventory.json");

    public static string SshConfigPath(string run) => Path.Combine(run, "ssh_config");

    public static string CredentialsPath(string run) => Path.Combine(run, "credentials.json");

    public static string KeysDirectory(string run) => Path.Combine(run, "keys");

    public static string SshdDirectory(string run) => Path.Combine(run, "sshd");

    public static string VtyDirectory(string run) => Path.Combine(run, "vty");

    public static string VtySocketPath(string run) => Path.Combine(run, "vty.sock");

    public static string ControlSocketPath(string run) => Path.Combine(run, "control.sock");
}
