namespace NetOpsBot.Lab.Emulator;

/// <summary>One interface of a simulated switch; <see cref="Address"/> null means no IP address (an L2 port).</summary>
public sealed record InterfaceProfile(string Name, string? Address, int PrefixLength, bool Up = true, int? TrafficFilterInbound = null);

public sealed record StaticRouteProfile(string Prefix, int PrefixLength, string NextHop);

/// <summary>A basic ACL rule; <see cref="Source"/> null matches any source.</summary>
public sealed record AclRuleProfile(int Id, string Action, string? Source, string? Wildcard);

public sealed record AclProfile(int Number, IReadOnlyList<AclRuleProfile> Rules);

public sealed record LocalUserProfile(string Name, IReadOnlyList<string> ServiceTypes, int Level = 15);

public sealed record SshServerProfile
{
    public bool StelnetEnabled { get; init; } = true;

    /// <summary>Configured port; running and saved configuration both start with it.</summary>
    public int Port { get; init; } = 22;

    /// <summary>The ghost listener of the reference incident: bound here and deaf to configuration until a reboot.</summary>
    public int? StuckListenerPort { get; init; }

    public bool CompatibleEnabled { get; init; }

    public bool SourceAllInterface { get; init; } = true;
}

public sealed record VtyProfile
{
    public string ProtocolInbound { get; init; } = "ssh";

    public int? AclInbound { get; init; }

    public string AuthenticationMode { get; init; } = "aaa";
}

public sealed record DeviceProfile
{
    public required string Name { get; init; }

    public string Model { get; init; } = "S5735-L48T4X-A1";

    public string Version { get; init; } = "V200R019C10SPC500";

    public string Esn { get; init; } = "2102353168P0K8000123";

    public required IReadOnlyList<InterfaceProfile> Interfaces { get; init; }

    public IReadOnlyList<StaticRouteProfile> StaticRoutes { get; init; } = [];

    public SshServerProfile Ssh { get; init; } = new();

    public bool RsaKeyPresent { get; init; } = true;

    public int RsaKeyBits { get; init; } = 2048;

    public VtyProfile Vty { get; init; } = new();

    public IReadOnlyList<AclProfile> Acls { get; init; } = [];

    public IReadOnlyList<LocalUserProfile> LocalUsers { get; init; } = [];

    public bool TelnetServerEnabled { get; init; }

    public TimeSpan BootTime { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>False models the device-down scenario: the device exists in the lab but is switched off.</summary>
    public bool PoweredOn { get; init; } = true;
}

public enum PowerState
{
    Up,
    Rebooting,
    Off,
}

public enum SessionTransport
{
    Ssh,
    Console,
    Telnet,
}

public sealed record SessionOrigin(SessionTransport Transport, string ClientAddress, int ClientPort, int ServerPort, string User);

/// <summary>Outcome is one of "connected", "kex-failed", "auth-failed", "closed".</summary>
public sealed record SshConnectionAttempt(string ClientAddress, int ClientPort, int ServerPort, string Outcome);
