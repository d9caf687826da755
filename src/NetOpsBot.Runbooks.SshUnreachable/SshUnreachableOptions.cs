using System.Net;
using NetOpsBot.Core.Net;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>Settings of the <c>ssh-unreachable</c> runbook. Defaults match the lab.</summary>
public sealed record SshUnreachableOptions
{
    /// <summary>The remote management subnet that must be able to reach the device.</summary>
    /// <value>10.200.0.0/24 (lab).</value>
    public Ipv4Prefix ManagementSubnet { get; init; } = Ipv4Prefix.Parse("10.200.0.0/24");

    /// <summary>The jump host's address as devices see it; ACLs are evaluated for it. When null the first host of <see cref="ManagementSubnet"/> is used.</summary>
    /// <value>null.</value>
    public IPAddress? JumpHostIp { get; init; }

    /// <summary>
    /// How long a TCP probe waits for an answer. The SSH debug step's own attempt waits only the capture's quiet time
    /// (<see cref="DebugQuiet"/>) when the access step's probe of the configured port already timed out.
    /// </summary>
    /// <value>3 s.</value>
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// When no probe has found an open port (nor lost the jump host) this long into the access step, the console login
    /// starts beside the probes still waiting; it is used only if no SSH path works. Zero, or <see cref="ProbeTimeout"/>
    /// or more, waits for every probe first.
    /// </summary>
    /// <value>1 s.</value>
    public TimeSpan ConsoleLoginAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <value>10 s.</value>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>VRP pings 5 times with 2 s timeouts, so a failing ping needs more than <see cref="CommandTimeout"/>.</summary>
    /// <value>15 s.</value>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The longest SSH debug lines are collected after the connection attempt. The capture ends sooner once the
    /// device has been quiet for <see cref="DebugQuiet"/> (and, when the attempt reached a listener, has logged it).
    /// </summary>
    /// <value>3 s.</value>
    public TimeSpan DebugWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Silence after the attempt (or after its last debug line) that ends the capture before <see cref="DebugWindow"/>;
    /// on a slow session four command round trips are waited instead, whichever is longer.
    /// </summary>
    /// <value>0.5 s.</value>
    public TimeSpan DebugQuiet { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <value>2 min.</value>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long the gateway's CLI session stays open after a gateway step, for the next diagnosis behind the
    /// same gateway to use in turn; zero opens a session per step.
    /// </summary>
    /// <value>3 s.</value>
    public TimeSpan GatewaySessionIdle { get; init; } = TimeSpan.FromSeconds(3);

    /// <value>1.</value>
    public int ConfigApproversRequired { get; init; } = 1;

    /// <summary>Listeners on these ports are expected services, not a "ghost" SSH listener.</summary>
    /// <value>FTP, Telnet, HTTP(S), BGP, NETCONF, SNMP-trap-less defaults.</value>
    public IReadOnlyList<int> KnownServicePorts { get; init; } = [21, 23, 80, 179, 443, 830];
}
