using System.Net;

namespace NetOpsBot.Core.Devices;

/// <summary>
/// One inventory entry. <see cref="ManagementAddress"/> is where the connector dials (through the jump
/// host; in the lab a loopback address), <see cref="ManagementIp"/> is the device's own management IP as
/// the network sees it (what the gateway's ARP table and ping refer to).
/// </summary>
public sealed record DeviceRef(
    DeviceName Name,
    string Platform,
    string ManagementAddress,
    IPAddress ManagementIp,
    int SshPort,
    IReadOnlyList<int> AlternatePorts,
    DeviceName? GatewayName,
    string? JumpHostName,
    ConsoleEndpoint? Console,
    string CredentialRef)
{
    /// <summary>The gateway's own address on this device's subnet (source of the gateway ping, next hop of a default route); null when not in the inventory.</summary>
    public IPAddress? GatewayIp { get; init; }

    /// <summary>The inventory site the device belongs to (its own <c>site</c>, else the inventory's); null when none is named.</summary>
    public string? Site { get; init; }

    /// <summary>How long this device takes to come back after a reboot (inventory <c>expectedBootSeconds</c>); null: the platform's default.</summary>
    public TimeSpan? ExpectedBootTime { get; init; }
}
