using NetOpsBot.Core.Access;

namespace NetOpsBot.Ssh;

/// <summary>One SSH jump host (bastion). The private key file is read at connect time and never logged.</summary>
public sealed record JumpHostOptions
{
    public required string Name { get; init; }

    public required string Address { get; init; }

    public int Port { get; init; } = 22;

    public required string User { get; init; }

    public required string PrivateKeyPath { get; init; }

    public override string ToString() => $"{Name} ({User}@{Address}:{Port})";
}

/// <summary>Connector settings: where the jump hosts and console servers are, the pins, and every limit.</summary>
public sealed record SshConnectorOptions
{
    /// <summary>Jump hosts by name (<c>DeviceRef.JumpHostName</c>).</summary>
    public required IReadOnlyDictionary<string, JumpHostOptions> JumpHosts { get; init; }

    /// <summary>Used for devices whose inventory entry names no jump host.</summary>
    public string? DefaultJumpHost { get; init; }

    /// <summary>Console servers by name → address (<c>ConsoleEndpoint.Server</c>); an unknown name is used as the address itself.</summary>
    public IReadOnlyDictionary<string, string> ConsoleServers { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>OpenSSH known_hosts with the pins of the jump hosts, devices and console servers.</summary>
    public required string KnownHostsPath { get; init; }

    /// <summary>
    /// Direct-tcpip channels (device sessions + probes) open at once per jump host. Kept below SSH.NET's
    /// client MaxSessions (10), past which a channel request blocks forever, and well inside sshd MaxStartups.
    /// </summary>
    public int MaxChannelsPerJumpHost { get; init; } = 8;

    /// <summary>Channels for TCP probes, counted apart from CLI sessions (see JumpHostConnection.OpenForwardAsync).</summary>
    public int MaxProbeChannelsPerJumpHost { get; init; } = 4;

    /// <summary>TCP connect + key exchange + authentication, per hop.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Default per-command timeout for callers that have none of their own.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for a whole session (open to dispose); commands past it fail with a timeout.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long to wait for the first prompt after login (banners can be long, consoles slow).</summary>
    public TimeSpan PromptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a caller may queue for the device's single CLI slot or a jump channel.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A command whose answer exceeds this is cut off (the device floods) and the session closed.</summary>
    public int MaxOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Keeps the pooled jump connection alive through firewalls and detects a dead bastion.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Send <c>screen-length 0 temporary</c> right after login (VRP); the pager is still handled when off.</summary>
    public bool DisablePagingOnOpen { get; init; } = true;

    /// <summary>
    /// Prefer classical curve25519-sha256 over SSH.NET's default post-quantum hybrids (sntrup761x25519 /
    /// mlkem768x25519): measured ~55 ms more CPU per handshake on 2 cores (REPORT.md §5), paid on every
    /// device session, and VRP devices do not offer them anyway. The hybrids stay available as fallbacks.
    /// </summary>
    public bool PreferClassicalKeyExchange { get; init; } = true;

    /// <summary>
    /// Raise the thread-pool minimum by the threads SSH.NET's ForwardedPortLocal pins per open forward
    /// (2 × <see cref="MaxChannelsPerJumpHost"/> per jump host). Without it, 20 sessions through one jump host
    /// on 2 cores wait on the pool's slow thread injection (measured 7.2 s instead of ~2.5 s).
    /// </summary>
    public bool ReservePoolThreadsForForwards { get; init; } = true;

    /// <summary>Where jump-host keys come from (a vault in production); by default the inventory's key file.</summary>
    public IJumpHostKeyProvider JumpHostKeys { get; init; } = new FileJumpHostKeyProvider();

    /// <summary>
    /// The CLI dialect of an inventory platform id (e.g. <c>DevicePlatforms.DialectFor</c>); null or a null answer
    /// refuses the session: the connector itself knows no vendor.
    /// </summary>
    public Func<string, IDeviceDialect?>? Dialects { get; init; }
}
