namespace NetOpsBot.Lab.Emulator;

/// <summary>A neighbour the device's real IP stack has resolved (an ARP entry).</summary>
public sealed record NeighbourEntry(string Address, string Mac, string Interface);

/// <summary>A TCP socket in the device's real IP stack: a listener or an established connection.</summary>
public sealed record TcpSocketEntry(string LocalAddress, int LocalPort, string RemoteAddress, int RemotePort, bool Listening);

/// <summary>
/// The real IP stack behind the emulated devices, when the lab runs one (network namespaces): facts
/// that packets decide (ARP, ping, TCP sockets) are read from it instead of being worked out from the
/// configuration, so no output can claim what the kernel could not have done.
/// </summary>
public interface IPhysicalNetwork
{
    IReadOnlyList<NeighbourEntry> Neighbours(string device);

    IReadOnlyList<TcpSocketEntry> TcpSockets(string device);

    /// <summary>One ICMP echo from the device (from <paramref name="source"/> when given); true when the reply came back.</summary>
    bool Ping(string device, string target, string? source);
}
