using NetOpsBot.Core.Remediation;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>
/// Every command an IOS-XE remediation may send, as typed templates (Core's <see cref="CommandTemplate"/>): the
/// only text that reaches the device besides the runbook's read-only commands. Values are validated by type.
/// </summary>
public static class IosXeCommandTemplates
{
    public static CommandTemplate ConfigureTerminal { get; } = CommandTemplate.Parse("configure terminal");

    public static CommandTemplate End { get; } = CommandTemplate.Parse("end");

    public static CommandTemplate WriteMemory { get; } = CommandTemplate.Parse("write memory");

    public static CommandTemplate Reload { get; } = CommandTemplate.Parse("reload");

    public static CommandTemplate DefaultRoute { get; } = CommandTemplate.Parse("ip route 0.0.0.0 0.0.0.0 {gateway:ipv4}");

    public static CommandTemplate CryptoKeyGenerateRsa { get; } = CommandTemplate.Parse("crypto key generate rsa modulus 2048");

    public static CommandTemplate IpSshVersion2 { get; } = CommandTemplate.Parse("ip ssh version 2");

    // IOS-XE numbers VTY lines 0..1869 (platform maximum; most images configure 0 4 or 0 15).
    public static CommandTemplate LineVty { get; } = CommandTemplate.Parse("line vty {first:int(0..1869)} {last:int(0..1869)}");

    public static CommandTemplate TransportInputSsh { get; } = CommandTemplate.Parse("transport input ssh");

    // Numbered ACLs only: Core has no typed "ACL name" parameter, and a free-text name would be chat-controlled text.
    public static CommandTemplate AccessClassIn { get; } = CommandTemplate.Parse("access-class {acl:int(1..2699)} in");

    /// <summary>Takes the ACL off the VTY lines (under "line vty"): SSH from anywhere the other checks allow.</summary>
    public static CommandTemplate NoAccessClassIn { get; } = CommandTemplate.Parse("no access-class {acl:int(1..2699)} in");

    public static CommandTemplate StandardAcl { get; } = CommandTemplate.Parse("ip access-list standard {acl:int(1..1999)}");

    public static CommandTemplate StandardPermit { get; } = CommandTemplate.Parse("{seq:int(1..2147483647)} permit {network:ipv4} {wildcard:ipv4}");

    public static CommandTemplate ExtendedAcl { get; } = CommandTemplate.Parse("ip access-list extended {acl:int(100..2699)}");

    public static CommandTemplate ExtendedPermitSsh { get; } = CommandTemplate.Parse("{seq:int(1..2147483647)} permit tcp {network:ipv4} {wildcard:ipv4} any eq {port:ssh-port}");

    /// <summary>Enters the management interface (the name the diagnosis read from "show running-config").</summary>
    public static CommandTemplate Interface { get; } = CommandTemplate.Parse("interface {interface:interface}");

    /// <summary>Brings the interface entered just before up again (under "interface").</summary>
    public static CommandTemplate NoShutdown { get; } = CommandTemplate.Parse("no shutdown");

    /// <summary>Every template, for tests that check each one renders only validated values.</summary>
    public static IReadOnlyList<CommandTemplate> All { get; } =
    [
        ConfigureTerminal, End, WriteMemory, Reload, DefaultRoute, CryptoKeyGenerateRsa, IpSshVersion2, LineVty, TransportInputSsh,
        AccessClassIn, NoAccessClassIn, StandardAcl, StandardPermit, ExtendedAcl, ExtendedPermitSsh, Interface, NoShutdown,
    ];

    /// <summary>Standard numbered ACLs are 1-99 and 1300-1999; extended 100-199 and 2000-2699.</summary>
    public static bool IsStandardNumber(int n) => n is >= 1 and <= 99 or >= 1300 and <= 1999;

    public static bool IsExtendedNumber(int n) => n is >= 100 and <= 199 or >= 2000 and <= 2699;
}
