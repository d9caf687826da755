using System.Text.RegularExpressions;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Runbooks;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>
/// The root causes of the <c>ssh-unreachable</c> runbook and everything the record and the cards say about each one
/// (<see cref="Catalogue"/>). <see cref="RootCause.Code"/> is persisted and used by cards, tests and later issues:
/// never rename one.
/// </summary>
public static partial class SshUnreachableCauses
{
    public static RootCause Healthy { get; } = new(
        RootCause.HealthyCode,
        "Healthy",
        "SSH answers on the configured port, the device has a route back to the management subnet and no rule found a fault. If users still cannot connect, look at their client, credentials or the path before the jump host.");

    public static RootCause SshServerDisabled { get; } = new(
        "ssh-server-disabled",
        "SSH server disabled",
        "The STelnet (SSH) server is disabled on the device, so nothing accepts SSH sessions even though the device is reachable. Enabling it with `stelnet server enable` restores the service.");

    public static RootCause RsaKeyMissing { get; } = new(
        "rsa-key-missing",
        "No RSA host key",
        "The device has no RSA local key pair, so the SSH server cannot complete the key exchange: the TCP connection opens and the handshake then fails. Creating the key pair (`rsa local-key-pair create`) fixes it; clients will see a new host key that must be pinned deliberately.");

    public static RootCause ReturnRouteMissing { get; } = new(
        "return-route-missing",
        "No route back to the management subnet",
        "The device has neither a default route nor a route covering the remote management subnet, so it cannot answer connections from there even though its neighbours can reach it at L2/L3. A static default route to the gateway restores the return path.");

    public static RootCause ListenerStuck { get; } = new(
        "listener-stuck",
        "SSH listener stuck on another port",
        "The SSH server is enabled and configured for one port, but the TCP stack listens on another one (the \"ghost port\"), so connections to the configured port are reset at the transport layer and never reach SSH. Re-applying the port alone does not rebind the socket; a save and reboot flushes the management plane's TCP state (reference case).");

    public static RootCause VtyAclDeniesManagement { get; } = new(
        "vty-acl-denies-management",
        "VTY ACL denies the management subnet",
        "An ACL applied inbound on the VTY lines (or to the SSH server) does not permit the management subnet, so logins from it are rejected. The ACL needs a permit rule for the management subnet ahead of the deny.");

    public static RootCause VtyProtocolNotSsh { get; } = new(
        "vty-protocol-not-ssh",
        "VTY lines do not accept SSH",
        "The VTY lines are set to `protocol inbound telnet`, so SSH sessions are refused at login even though the SSH server runs. Setting `protocol inbound ssh` on the VTY lines lets SSH in (and keeps Telnet out).");

    public static RootCause SshSourceExcludesManagement { get; } = new(
        "ssh-source-excludes-management",
        "SSH server source excludes the management interface",
        "`ssh server-source -i` limits the SSH server to the listed interfaces (or `undo ssh server-source all-interface` leaves it none), and the interface holding the device's management address is not among them, so SSH from the management subnet is refused although the server runs. Adding the management interface with `ssh server-source -i <interface>` lets it in again; it takes effect at the next login.");

    public static RootCause ManagementInterfaceDown { get; } = new(
        "mgmt-interface-down",
        "Management interface shut down",
        "The interface holding the device's management address is administratively down (`shutdown`), so the device has no address on the management VLAN: its gateway gets no ARP answer and every port times out, while the console still works. `undo shutdown` on that interface brings the address, its connected route and the routes through it back.");

    public static RootCause InterfaceAclBlocksManagement { get; } = new(
        "interface-acl-blocks-management",
        "Packet filter on the management interface drops the management subnet",
        "A `traffic-filter inbound acl` on the interface holding the management address drops packets from the management subnet before TCP sees them, so connections time out (no RST) while the gateway's ARP and ping still work. Unlike a VTY ACL, which closes the session after the handshake, nothing reaches the SSH server. The ACL needs a permit rule for the management subnet ahead of the deny (or the filter removed from the interface).");

    public static RootCause DeviceUnreachable { get; } = new(
        "device-unreachable",
        "Device unreachable",
        "The device answers on no port, its gateway cannot resolve or ping it and the console gives no prompt: it is down, unpowered or cut off. This needs a console or on-site check (power, uplink), not a configuration change.");

    public static RootCause JumpHostUnreachable { get; } = new(
        "jump-host-unreachable",
        "Jump host unreachable",
        "The bot could not reach the SSH jump host, so nothing could be learned about the device. Restore the jump host (or the bot's path to it) and run the diagnosis again.");

    public static RootCause HostKeyMismatch { get; } = new(
        "host-key-mismatch",
        "Host key mismatch (security event)",
        "The device presented an SSH host key different from the pinned one. This can be a replaced device or regenerated key, or an interception attempt; the run stopped and the new key was not accepted. Verify the key out of band before re-pinning it.");


    /// <summary>The catalogue: every cause the rules of <see cref="SshUnreachableRules"/> can conclude, with its severity and texts.</summary>
    public static IReadOnlyList<RunbookCause> Catalogue { get; } =
    [
        new(Healthy, RootCauseSeverity.NoFault)
        {
            Phrase = "no fault found",
            Lessons = ["When the switch is healthy, look at the user's side: their SSH client, their credentials, and the path before the jump host."],
        },
        new(SshServerDisabled, RootCauseSeverity.Fault)
        {
            Phrase = "SSH server disabled",
            Lessons = ["Check `display ssh server status` first: nothing answers SSH while STelnet is disabled, however reachable the device is."],
            FixWhy = "Nothing accepts SSH until the server is enabled.",
        },
        new(RsaKeyMissing, RootCauseSeverity.Fault)
        {
            Phrase = "no RSA host key",
            Lessons = ["A TCP connection that opens and a handshake that fails point at the host key: `display rsa local-key-pair public`."],
            FixWhy = "The SSH handshake cannot complete without a host key.",
        },
        new(ReturnRouteMissing, RootCauseSeverity.Fault)
        {
            Phrase = "no return route",
            Lessons = ["Check both directions: a switch that answers ARP and ping from its gateway can still be unreachable from a remote subnet when it has no route back; `display ip routing-table` shows it."],
            FixWhy = "Replies have no path back to the management subnet: nothing can be verified remotely until this is in.",
            FixPriority = FixPriority.PathBack,
        },
        new(ListenerStuck, RootCauseSeverity.Fault)
        {
            Phrase = "SSH listener stuck",
            ConcretePhrase = GhostPortPhrase,
            Lessons =
            [
                "Trust `display tcp status`: the application status (SSH enabled) does not always reflect the socket reality. If the port is not Listening in the TCP table, the service is effectively down.",
                "Debugging limits: SSH debugging stays silent when the connection is reset at the transport layer (TCP), before it reaches SSH.",
                "Process vs. config: a CLI success message means the configuration was stored, not that the process rebound its socket; re-applying `ssh server port` does not move a stuck listener, a save and reboot does.",
            ],
            FixWhy = "Re-applies the configured SSH port.",
            RebootWhy = "A reboot re-binds the SSH listener on the configured port.",

            // The reference case: re-applying the port leaves a stuck listener where it is, so the card marks that fix
            // rather than making it the obvious next click.
            ConfigFixDoubt = "Expected not to help: the listener is stuck (re-applying the port does not re-bind it).",
        },
        new(VtyAclDeniesManagement, RootCauseSeverity.Fault)
        {
            Phrase = "VTY ACL denies the management subnet",
            Lessons = ["An ACL on the VTY lines is evaluated before SSH authentication: permit the management subnet ahead of any deny."],
            FixWhy = "The VTY ACL rejects logins from the management subnet.",
            FixPriority = FixPriority.Access,
        },
        new(VtyProtocolNotSsh, RootCauseSeverity.Fault)
        {
            Phrase = "VTY lines refuse SSH",
            Lessons = ["`protocol inbound ssh` on the VTY lines is the barrier that keeps Telnet out; `telnet` there keeps SSH out."],
            FixWhy = "The VTY lines refuse SSH logins.",
        },
        new(SshSourceExcludesManagement, RootCauseSeverity.Fault)
        {
            Phrase = "SSH source excludes the management interface",
            Lessons = ["`ssh server-source -i` limits SSH to the listed interfaces: keep the management interface in the list."],
            FixWhy = "SSH does not answer on the management interface.",
            FixPriority = FixPriority.Access,
        },
        new(ManagementInterfaceDown, RootCauseSeverity.Fault)
        {
            FixWhy = "The management address is down with its interface: nothing is reachable until it is up.",
            FixPriority = FixPriority.PathBack,
        },
        new(InterfaceAclBlocksManagement, RootCauseSeverity.Fault)
        {
            FixWhy = "The interface filter drops the management subnet before TCP: nothing is reachable until it passes.",
            FixPriority = FixPriority.PathBack,
        },
        new(DeviceUnreachable, RootCauseSeverity.Outage)
        {
            Phrase = "device unreachable",
            Lessons = ["When nothing answers on any port and the gateway cannot resolve the device, check power and uplink before the configuration."],
            FixWhy = "The device answers on no port: only the console or a site visit can tell why.",
        },
        new(JumpHostUnreachable, RootCauseSeverity.Undiagnosable)
        {
            Phrase = "jump host unreachable",
            Lessons = ["Nothing can be learned about a device while the jump host is down: monitor the jump host itself."],
            FixWhy = "Nothing about the device can be learned without the jump host.",
        },
        new(HostKeyMismatch, RootCauseSeverity.SecurityEvent)
        {
            Phrase = "host key mismatch",
            Lessons = ["A changed host key is a security event until proven otherwise: verify it out of band before re-pinning."],
            FixWhy = "A different host key can be an interception: it is never accepted automatically.",
        },
    ];

    /// <summary>What to check next when a diagnosis finds no fault on the switch.</summary>
    public static IReadOnlyList<string> NoFaultNextChecks { get; } =
    [
        "the user's SSH client (version, algorithms, the host key it pinned)",
        "the user's credentials (account, password or key, AAA service type)",
        "the path before the jump host (VPN, firewall, the user's own network)",
    ];

    /// <summary>Short names of the fixes for headlines, keyed by plan id.</summary>
    public static IReadOnlyDictionary<string, string> FixNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["return-route-missing.default-route"] = "default route",
        ["listener-stuck.ssh-server-port"] = "re-applied SSH port",
        ["listener-stuck.reboot"] = "reboot",
        ["ssh-server-disabled.enable"] = "STelnet enabled",
        ["rsa-key-missing.create"] = "RSA key pair",
        ["vty-protocol-not-ssh.protocol-inbound-ssh"] = "SSH on the VTY lines",
        ["ssh-source-excludes-management.add-management-interface"] = "SSH source on the management interface",
        ["vty-acl-denies-management.permit-management"] = "ACL permit for management",
    };

    /// <summary>"listener stuck on 22, 830" when a finding or evidence line names the ports the listener is stuck on.</summary>
    private static string? GhostPortPhrase(IEnumerable<string> facts)
    {
        foreach (var line in facts)
        {
            if (GhostPort().Match(line) is { Success: true } m)
            {
                return "listener stuck on " + m.Groups["ports"].Value;
            }
        }

        return null;
    }

    [GeneratedRegex(@"unexpected port (?<ports>\d{1,5}(?:, \d{1,5})*)", RegexOptions.CultureInvariant)]
    private static partial Regex GhostPort();
}
