using System.Text.RegularExpressions;

namespace NetOpsBot.Core.Diagnosis;

/// <summary>
/// What the record says about each root cause beyond its title: a short phrase for headlines ("no return route"),
/// the lessons a postmortem carries (the reference case's "trust display tcp status" for <c>listener-stuck</c>), and
/// short names of the fixes.
/// </summary>
public static partial class RootCauseCatalogue
{
    private static readonly Dictionary<string, string> Phrases = new(StringComparer.Ordinal)
    {
        ["healthy"] = "no fault found",
        ["ssh-server-disabled"] = "SSH server disabled",
        ["rsa-key-missing"] = "no RSA host key",
        ["return-route-missing"] = "no return route",
        ["listener-stuck"] = "SSH listener stuck",
        ["vty-acl-denies-management"] = "VTY ACL denies the management subnet",
        ["vty-protocol-not-ssh"] = "VTY lines refuse SSH",
        ["ssh-source-excludes-management"] = "SSH source excludes the management interface",
        ["device-unreachable"] = "device unreachable",
        ["jump-host-unreachable"] = "jump host unreachable",
        ["host-key-mismatch"] = "host key mismatch",
    };

    private static readonly Dictionary<string, string[]> Lessons = new(StringComparer.Ordinal)
    {
        ["listener-stuck"] =
        [
            "Trust `display tcp status`: the application status (SSH enabled) does not always reflect the socket reality. If the port is not Listening in the TCP table, the service is effectively down.",
            "Debugging limits: SSH debugging stays silent when the connection is reset at the transport layer (TCP), before it reaches SSH.",
            "Process vs. config: a CLI success message means the configuration was stored, not that the process rebound its socket; re-applying `ssh server port` does not move a stuck listener, a save and reboot does.",
        ],
        ["return-route-missing"] =
        [
            "Check both directions: a switch that answers ARP and ping from its gateway can still be unreachable from a remote subnet when it has no route back; `display ip routing-table` shows it.",
        ],
        ["ssh-server-disabled"] = ["Check `display ssh server status` first: nothing answers SSH while STelnet is disabled, however reachable the device is."],
        ["rsa-key-missing"] = ["A TCP connection that opens and a handshake that fails point at the host key: `display rsa local-key-pair public`."],
        ["vty-acl-denies-management"] = ["An ACL on the VTY lines is evaluated before SSH authentication: permit the management subnet ahead of any deny."],
        ["vty-protocol-not-ssh"] = ["`protocol inbound ssh` on the VTY lines is the barrier that keeps Telnet out; `telnet` there keeps SSH out."],
        ["ssh-source-excludes-management"] = ["`ssh server-source -i` limits SSH to the listed interfaces: keep the management interface in the list."],
        ["device-unreachable"] = ["When nothing answers on any port and the gateway cannot resolve the device, check power and uplink before the configuration."],
        ["jump-host-unreachable"] = ["Nothing can be learned about a device while the jump host is down: monitor the jump host itself."],
        ["host-key-mismatch"] = ["A changed host key is a security event until proven otherwise: verify it out of band before re-pinning."],
        ["healthy"] = ["When the switch is healthy, look at the user's side: their SSH client, their credentials, and the path before the jump host."],
    };

    private static readonly Dictionary<string, string> FixNames = new(StringComparer.Ordinal)
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

    /// <summary>What to check next when a diagnosis finds no fault on the switch.</summary>
    public static IReadOnlyList<string> NoFaultNextChecks { get; } =
    [
        "the user's SSH client (version, algorithms, the host key it pinned)",
        "the user's credentials (account, password or key, AAA service type)",
        "the path before the jump host (VPN, firewall, the user's own network)",
    ];

    /// <summary>
    /// A few words for a headline. <paramref name="facts"/> are the run's findings and evidence lines, used to make
    /// the phrase concrete (the ghost port of a stuck listener).
    /// </summary>
    public static string Phrase(string code, IEnumerable<string>? facts = null)
    {
        var phrase = Phrases.TryGetValue(code, out var p) ? p : RootCause.FromCode(code)?.Title ?? code;
        if (code == RootCause.ListenerStuck.Code && facts is not null)
        {
            foreach (var line in facts)
            {
                if (GhostPort().Match(line) is { Success: true } m)
                {
                    return "listener stuck on " + m.Groups["ports"].Value;
                }
            }
        }

        return phrase;
    }

    public static IReadOnlyList<string> Takeaways(string code) => Lessons.TryGetValue(code, out var l) ? l : [];

    /// <summary>A short name of a fix for headlines ("default route", "reboot").</summary>
    public static string FixName(string planId, string title, bool reboot)
    {
        if (FixNames.TryGetValue(planId, out var name))
        {
            return name;
        }

        if (reboot)
        {
            return "reboot";
        }

        return title.Length == 0 ? planId : char.ToLowerInvariant(title[0]) + title[1..];
    }

    [GeneratedRegex(@"unexpected port (?<ports>\d{1,5}(?:, \d{1,5})*)", RegexOptions.CultureInvariant)]
    private static partial Regex GhostPort();
}
