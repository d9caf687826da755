namespace NetOpsBot.Lab.Emulator.IosXe;

/// <summary>A standard ACL entry of a profile: permit or deny a network/wildcard.</summary>
public sealed record IosXeAclRule(bool Permit, string Network, string Wildcard);

/// <summary>A neighbour the switch has in its ARP table (the gateway, typically).</summary>
public sealed record IosXeNeighbour(string Address, string Mac);

/// <summary>
/// How one emulated Cisco IOS-XE switch starts: its configuration and the fault a scenario puts in it. Each root
/// cause of the ssh-unreachable runbook maps to one field: no RSA key (SSH disabled), VTY transport telnet only,
/// a VTY access-class, no default route, a stuck SSH listener, powered off.
/// </summary>
public sealed record IosXeSwitchProfile
{
    public required string Hostname { get; init; }

    public string DomainName { get; init; } = "lab.local";

    public string ManagementInterface { get; init; } = "GigabitEthernet0/0";

    public required string ManagementAddress { get; init; }

    public string ManagementMask { get; init; } = "255.255.255.0";

    public string Mac { get; init; } = "5254.0012.3456";

    /// <summary>The default route's next hop; null is the "no default route" fault.</summary>
    public string? DefaultGateway { get; init; }

    public IReadOnlyList<IosXeNeighbour> Neighbours { get; init; } = [];

    public bool RsaKeyPresent { get; init; } = true;

    public int RsaKeyBits { get; init; } = 2048;

    /// <summary>"transport input" of the VTY lines 0 4 and 5 15; ["telnet"] is the "telnet only" fault.</summary>
    public IReadOnlyList<string> VtyTransport { get; init; } = ["ssh"];

    /// <summary>A standard numbered ACL applied with "access-class N in" on every VTY line; null for none.</summary>
    public int? VtyAccessClass { get; init; }

    public IReadOnlyList<IosXeAclRule> VtyAcl { get; init; } = [];

    public bool PoweredOn { get; init; } = true;

    /// <summary>"shutdown" under the management interface at start: no link, no connected route, no ARP; the console still works.</summary>
    public bool ManagementInterfaceShutdown { get; init; }

    /// <summary>
    /// SSH is enabled with a key, yet nothing listens on 22 (the SSH process lost its socket): the "listener stuck"
    /// fault. Runtime state only, so a reload clears it, as it does on a real switch.
    /// </summary>
    public bool SshListenerStuck { get; init; }

    public TimeSpan BootTime { get; init; } = TimeSpan.FromSeconds(5);

    public string Model { get; init; } = "C9300-48P";

    public string Version { get; init; } = "17.09.04a";

    public string Serial { get; init; } = "FOC2234X0AB";
}

/// <summary>The scenarios of issue 16 in IOS-XE form: one profile per root cause, plus a healthy switch.</summary>
public static class IosXeScenarios
{
    public static IosXeSwitchProfile Healthy(string name, string address, string gateway) =>
        new() { Hostname = name, ManagementAddress = address, DefaultGateway = gateway, Neighbours = [new IosXeNeighbour(gateway, "00a0.c9ff.0001")] };

    public static IosXeSwitchProfile NoRsaKey(string name, string address, string gateway) => Healthy(name, address, gateway) with { RsaKeyPresent = false };

    public static IosXeSwitchProfile TelnetOnly(string name, string address, string gateway) => Healthy(name, address, gateway) with { VtyTransport = ["telnet"] };

    public static IosXeSwitchProfile VtyAccessClass(string name, string address, string gateway, string permittedNetwork, string permittedWildcard) =>
        Healthy(name, address, gateway) with { VtyAccessClass = 10, VtyAcl = [new IosXeAclRule(true, permittedNetwork, permittedWildcard), new IosXeAclRule(false, "0.0.0.0", "255.255.255.255")] };

    public static IosXeSwitchProfile NoDefaultRoute(string name, string address, string gateway) => Healthy(name, address, gateway) with { DefaultGateway = null };

    public static IosXeSwitchProfile ListenerStuck(string name, string address, string gateway) => Healthy(name, address, gateway) with { SshListenerStuck = true };

    public static IosXeSwitchProfile ManagementInterfaceShut(string name, string address, string gateway) => Healthy(name, address, gateway) with { ManagementInterfaceShutdown = true };

    public static IosXeSwitchProfile Down(string name, string address, string gateway) => Healthy(name, address, gateway) with { PoweredOn = false };
}
