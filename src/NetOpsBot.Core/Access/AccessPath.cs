using System.Globalization;

namespace NetOpsBot.Core.Access;

/// <summary>How a CLI session reaches the device: SSH on a port (through the jump host) or the console server.</summary>
public sealed record AccessPath
{
    private AccessPath(AccessPathKind kind, int? port)
    {
        Kind = kind;
        Port = port;
    }

    public static AccessPath Console { get; } = new(AccessPathKind.Console, null);

    public AccessPathKind Kind { get; }

    /// <summary>The SSH port; null for the console.</summary>
    public int? Port { get; }

    public static AccessPath Ssh(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new AccessPath(AccessPathKind.Ssh, port);
    }

    public override string ToString() => Kind == AccessPathKind.Console ? "console" : "ssh:" + Port!.Value.ToString(CultureInfo.InvariantCulture);
}
