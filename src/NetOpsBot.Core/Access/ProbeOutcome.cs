namespace NetOpsBot.Core.Access;

/// <summary>What a TCP connect through the jump host to one device port saw.</summary>
public enum ProbeOutcome
{
    /// <summary>The handshake completed: something listens there.</summary>
    Open,

    /// <summary>TCP RST: the host is alive but nothing listens on the port.</summary>
    Refused,

    /// <summary>No answer within the timeout: host down or the port filtered.</summary>
    Timeout,

    /// <summary>The jump host itself could not be reached, so nothing is known about the device.</summary>
    JumpHostUnreachable,

    /// <summary>Any other failure; see <see cref="TcpProbeResult.Detail"/>.</summary>
    Error,
}
