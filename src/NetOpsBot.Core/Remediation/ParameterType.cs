namespace NetOpsBot.Core.Remediation;

public enum ParameterType
{
    /// <summary>Strict dotted-quad IPv4 (no leading zeros, no IPv6, no shorthand).</summary>
    Ipv4,

    /// <summary>An SSH server port VRP accepts: 22 or 1025–65535.</summary>
    SshPort,

    /// <summary>A decimal integer in [Min, Max].</summary>
    IntRange,

    /// <summary>A VRP interface name as the configuration prints it: Vlanif10, LoopBack0, MEth0/0/1, GigabitEthernet0/0/1, 40GE2/0/35.205, Eth-Trunk1.</summary>
    InterfaceName,
}
