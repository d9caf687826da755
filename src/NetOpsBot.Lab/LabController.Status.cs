using System.Text.Json;
using NetOpsBot.Lab.Emulator;

namespace NetOpsBot.Lab;

/// <summary>The lab's status: <see cref="CurrentStatus"/>, and status.json rewritten whenever a device's state moves.</summary>
public sealed partial class LabController
{
    private readonly SemaphoreSlim _statusGate = new(1, 1);

    private async Task WriteStatusAsync(CancellationToken ct)
    {
        var status = CurrentStatus();
        await _statusGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var path = LabLayout.StatusPath(_run);
            var tmp = path + ".tmp";
            await File.WriteAllTextAsync(tmp, JsonSerializer.Serialize(status, LabStatus.Json), ct).ConfigureAwait(false);
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            _statusGate.Release();
        }
    }

    public LabStatus CurrentStatus() => new()
    {
        RunDirectory = _run,
        Pid = Environment.ProcessId,
        Running = true,
        Scenario = _options.Scenario.Name,
        ScenarioDescription = _options.Scenario.Description,
        StartedAt = _startedAt,
        Network = _topology.Network == LabNetworkMode.Namespaces ? "namespaces" : "loopback",
        NetworkReason = NetworkDecision.Reason,
        JumpHost = new JumpHostInfo(_topology.JumpHostAddress, Topology.JumpHostPort, LabHost.JumpUser, KeyPath("bot_ed25519"), Topology.JumpHostManagementIp),
        KnownHosts = LabLayout.KnownHostsPath(_run),
        SshConfig = LabLayout.SshConfigPath(_run),
        Inventory = LabLayout.InventoryPath(_run),
        ConsoleServer = new ConsoleServerInfo(_topology.ConsoleServerAddress, LabHost.DeviceUser, _password),
        Devices = _devices.Values.Select(r => new DeviceInfo(
            r.Lab.Name,
            r.Lab.Role,
            r.Lab.LabAddress,
            r.Lab.ManagementIp,
            r.Device.Power == PowerState.Up ? [.. r.Device.ListeningTcpPorts.Order()] : [],
            r.Device.Power.ToString().ToLowerInvariant(),
            LabHost.DeviceUser,
            _password,
            r.Lab.ConsolePort)).Concat(IosXeDeviceStatus()).ToList(),
    };
}
