using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>
/// The fixed table of read-only "show" commands the IOS-XE executor may send besides a plan's own commands, keyed by
/// the template (never the rendered text) so an argument can never choose what is read.
/// </summary>
internal static class IosXeVerifications
{
    public const string ShowIpRoute = "show ip route";
    public const string ShowIpSsh = "show ip ssh";
    public const string ShowTcpBriefAll = "show tcp brief all";
    public const string ShowRunningConfig = "show running-config";
    public const string ShowStartupConfig = "show startup-config";

    public static IReadOnlyList<string> AllCommands { get; } = [ShowIpRoute, ShowIpSsh, ShowTcpBriefAll, ShowRunningConfig, ShowStartupConfig];

    /// <summary>The read-back for <paramref name="command"/>, or null when it changes nothing to check (configure terminal, end).</summary>
    public static ReadBack? For(BoundCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (!command.Template.Contains('{', StringComparison.Ordinal) && Rebind(command.Text) is { } typed)
        {
            // A command restored from storage is bound as a literal; its typed parameters are recovered (and
            // validated again by the template) so it gets the same read-back as a fresh plan.
            command = typed;
        }

        string Arg(string name) => command.Arguments.TryGetValue(name, out var v) ? v : string.Empty;
        var t = command.Template;
        if (t == IosXeCommandTemplates.DefaultRoute.Pattern)
        {
            return new ReadBack("default route", [ShowIpRoute], o => DefaultRoute(o[0], Arg("gateway")));
        }

        if (t == IosXeCommandTemplates.CryptoKeyGenerateRsa.Pattern)
        {
            return new ReadBack("ssh server", [ShowIpSsh, ShowTcpBriefAll], o => SshEnabled(o[0], o[1]));
        }

        if (t == IosXeCommandTemplates.TransportInputSsh.Pattern)
        {
            return new ReadBack("vty transport", [ShowRunningConfig], o => VtyTransport(o[0]));
        }

        if (t == IosXeCommandTemplates.NoAccessClassIn.Pattern)
        {
            return new ReadBack("vty access-class", [ShowRunningConfig], o => NoAccessClass(o[0], Arg("acl")));
        }

        // Keyed on "interface X" (it carries the name; "no shutdown" does not): read after the whole plan, so it sees
        // the interface as the plan's "no shutdown" left it. Only the mgmt-interface-down plan enters an interface.
        if (t == IosXeCommandTemplates.Interface.Pattern)
        {
            return new ReadBack("interface state", [ShowRunningConfig], o => InterfaceNotShut(o[0], Arg("interface")));
        }

        if (t == IosXeCommandTemplates.StandardPermit.Pattern || t == IosXeCommandTemplates.ExtendedPermitSsh.Pattern)
        {
            return new ReadBack("acl entry", [ShowRunningConfig], o => AclPermit(o[0], Arg("network"), Arg("wildcard")));
        }

        return null;
    }

    private static readonly (CommandTemplate Template, Regex Text)[] Typed =
    [
        (IosXeCommandTemplates.DefaultRoute, new(@"^ip route 0\.0\.0\.0 0\.0\.0\.0 (?<gateway>\S+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
        (IosXeCommandTemplates.Interface, new(@"^interface (?<interface>\S+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
        (IosXeCommandTemplates.NoAccessClassIn, new(@"^no access-class (?<acl>\d+) in$", RegexOptions.None, TimeSpan.FromSeconds(1))),
        (IosXeCommandTemplates.StandardPermit, new(@"^(?<seq>\d+) permit (?<network>\S+) (?<wildcard>\S+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
        (IosXeCommandTemplates.ExtendedPermitSsh, new(@"^(?<seq>\d+) permit tcp (?<network>\S+) (?<wildcard>\S+) any eq (?<port>\d+)$", RegexOptions.None, TimeSpan.FromSeconds(1))),
    ];

    private static BoundCommand? Rebind(string text)
    {
        foreach (var (template, regex) in Typed)
        {
            var m = regex.Match(text);
            if (m.Success)
            {
                var args = regex.GetGroupNames().Where(g => !char.IsDigit(g[0])).ToDictionary(g => g, g => m.Groups[g].Value, StringComparer.Ordinal);
                return template.TryRender(args).Command;
            }
        }

        return null;
    }

    internal static ReadBackOutcome DefaultRoute(string output, string gateway)
    {
        var parsed = ShowIpRouteParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } table })
        {
            return new ReadBackOutcome(false, $"{ShowIpRoute}: not understood ({parsed.Reason})");
        }

        var defaults = table.Routes.Where(r => r.IsDefault).ToList();
        var via = defaults.FirstOrDefault(r => r.NextHops.Any(h => string.Equals(h.Address, gateway, StringComparison.Ordinal)));
        return via is not null
            ? new ReadBackOutcome(true, $"{ShowIpRoute}: {via.Code}* 0.0.0.0/0 via {gateway}")
            : new ReadBackOutcome(false, defaults.Count == 0
                ? $"{ShowIpRoute}: no default route"
                : $"{ShowIpRoute}: default route(s) via {string.Join(", ", defaults.SelectMany(r => r.NextHops).Select(h => h.Address ?? h.Interface))}, none via {gateway}");
    }

    internal static ReadBackOutcome InterfaceNotShut(string output, string name)
    {
        var parsed = RunningConfigParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: not understood ({parsed.Reason})");
        }

        return cfg.ShutdownInterfaces.Contains(name, StringComparer.Ordinal)
            ? new ReadBackOutcome(false, $"{ShowRunningConfig}: interface {name} is still shut down", $"check on the console: 'show running-config interface {name}'")
            : new ReadBackOutcome(true, $"{ShowRunningConfig}: interface {name} has no 'shutdown'");
    }

    internal static ReadBackOutcome SshEnabled(string ipSsh, string tcp)
    {
        var parsed = ShowIpSshParser.Parse(ipSsh);
        if (parsed is not { IsParsed: true, Value: { } status })
        {
            return new ReadBackOutcome(false, $"{ShowIpSsh}: not understood ({parsed.Reason})");
        }

        if (!status.Enabled || status.RsaKeyMissing)
        {
            return new ReadBackOutcome(false, $"{ShowIpSsh}: SSH disabled{(status.RsaKeyMissing ? " (no RSA key)" : string.Empty)}", "check the key generation's output on the thread: IOS needs a hostname and 'ip domain name' first");
        }

        var evidence = $"{ShowIpSsh}: SSH enabled, version {status.Version ?? "?"}";
        var sockets = TcpListenersParser.ParseTcpBrief(tcp);
        if (sockets is not { IsParsed: true, Value: { } table })
        {
            return new ReadBackOutcome(false, evidence + $"; {ShowTcpBriefAll}: not understood ({sockets.Reason})", $"check `{ShowTcpBriefAll}` by hand for a listener on 22");
        }

        return table.ListeningPorts.Contains(22)
            ? new ReadBackOutcome(true, evidence + $"; {ShowTcpBriefAll}: listening on 22")
            : new ReadBackOutcome(false, evidence + $"; {ShowTcpBriefAll}: NOT listening on 22", "the SSH listener did not start with the key: a reload re-binds it (re-run the diagnosis to get the plan)");
    }

    internal static ReadBackOutcome VtyTransport(string output)
    {
        var parsed = RunningConfigParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: not understood ({parsed.Reason})");
        }

        var vtys = cfg.Vty;
        if (vtys.Count == 0)
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: no line vty section");
        }

        // Lines 0 4 are the ones a login lands on first; the plan changes them, the rest is shown for the record.
        var first = vtys.FirstOrDefault(v => v.First == 0);
        return new ReadBackOutcome(
            first is { AllowsSsh: true },
            $"{ShowRunningConfig}: {string.Join("; ", vtys.Select(v => $"line vty {v.First.ToString(CultureInfo.InvariantCulture)} {v.Last.ToString(CultureInfo.InvariantCulture)} transport input {(v.TransportInput is null ? "(default)" : string.Join(' ', v.TransportInput))}"))}");
    }

    internal static ReadBackOutcome NoAccessClass(string output, string acl)
    {
        var parsed = RunningConfigParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: not understood ({parsed.Reason})");
        }

        // A login lands on the first free line, from 0 up: the lines from 0 must be free of the ACL.
        var first = cfg.Vty.FirstOrDefault(v => v.First == 0);
        var lines = string.Join("; ", cfg.Vty.Select(v => $"line vty {v.First.ToString(CultureInfo.InvariantCulture)} {v.Last.ToString(CultureInfo.InvariantCulture)} access-class {v.AccessClassIn ?? "(none)"}"));
        return first is not null && first.AccessClassIn != acl
            ? new ReadBackOutcome(true, $"{ShowRunningConfig}: {lines}")
            : new ReadBackOutcome(false, $"{ShowRunningConfig}: {lines}");
    }

    internal static ReadBackOutcome AclPermit(string output, string network, string wildcard)
    {
        var parsed = RunningConfigParser.Parse(output);
        if (parsed is not { IsParsed: true, Value: { } cfg })
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: not understood ({parsed.Reason})");
        }

        var hit = cfg.AccessLists.SelectMany(a => a.Entries.Select(e => (Acl: a, Entry: e)))
            .FirstOrDefault(x => x.Entry.Action == IosAclAction.Permit && x.Entry.SourceNetwork == network && x.Entry.SourceWildcard == wildcard);
        if (hit.Entry is null)
        {
            return new ReadBackOutcome(false, $"{ShowRunningConfig}: no permit {network} {wildcard} in any access-list");
        }

        // The permit only helps if nothing ahead of it denies the management subnet.
        var before = hit.Acl.Entries.TakeWhile(e => !ReferenceEquals(e, hit.Entry)).FirstOrDefault(e => e.Action == IosAclAction.Deny && Covers(e, network));
        return before is null
            ? new ReadBackOutcome(true, $"{ShowRunningConfig}: access-list {hit.Acl.Name}: {hit.Entry.Text}")
            : new ReadBackOutcome(false, $"{ShowRunningConfig}: access-list {hit.Acl.Name}: '{before.Text}' comes before '{hit.Entry.Text}'", "resequence the ACL by hand so the permit comes first");
    }

    private static bool Covers(IosAclEntry e, string network)
    {
        if (!IPAddress.TryParse(network, out var n) || !IPAddress.TryParse(e.SourceNetwork, out var en) || !IPAddress.TryParse(e.SourceWildcard, out var w))
        {
            return false;
        }

        var care = ~IosXeText.ToUInt(w);
        return (IosXeText.ToUInt(n) & care) == (IosXeText.ToUInt(en) & care);
    }
}
