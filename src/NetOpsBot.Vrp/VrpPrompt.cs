using System.Text.RegularExpressions;

namespace NetOpsBot.Vrp;

public enum VrpViewKind
{
    User,
    System,
    UserInterface,
    Aaa,
    Interface,
    OtherSubView,
}

/// <summary>A parsed prompt. <see cref="CommitMarker"/> is '~' (VRP8 clean) or '*' (VRP8 uncommitted changes).</summary>
public sealed record VrpPromptInfo(string Raw, VrpViewKind Kind, string Name, string Hostname, string? View, char? CommitMarker)
{
    public bool IsVrp8 => CommitMarker is not null;
}

/// <summary>
/// Recognises VRP prompts (&lt;H&gt;, [H], [~H], [*H-aaa], HRP_M&lt;FW&gt;). Hostnames may contain '-' and
/// spaces, so the view suffix can only be split reliably once the hostname is known (learned at login).
/// </summary>
public static partial class VrpPrompt
{
    // View suffixes seen in the corpus; used only when the hostname has not been learned yet.
    private static readonly string[] KnownViewPrefixes =
    [
        "ui-", "aaa", "GigabitEthernet", "XGigabitEthernet", "Ethernet", "Vlanif", "Eth-Trunk", "LoopBack", "Tunnel",
        "MEth", "GE", "10GE", "25GE", "40GE", "100GE", "port-group", "ospf", "bgp", "isis", "rsa", "acl", "ip-pool",
        "vlan", "Vlan", "NULL", "Dialer", "user-interface",
    ];

    [GeneratedRegex(@"^(?:HRP_[MS])?(?:<(?<uv>[^<>\r\n]{1,64})>|\[(?<mark>[~*])?(?<sv>[^\[\]\r\n]{1,120})\])[ :]?$")]
    private static partial Regex PromptLine();

    [GeneratedRegex(@"^(?:HRP_[MS])?(?:<(?<uv>[^<>\r\n\s][^<>\r\n]{0,63})>|\[(?<mark>[~*])?(?<sv>[^\[\]\r\n\s][^\[\]\r\n]{0,119})\]) ?(?<rest>\S.*)$")]
    private static partial Regex PromptWithText();

    /// <summary>Parses a line that consists of a prompt only (trailing space allowed).</summary>
    public static bool TryParse(string? line, out VrpPromptInfo? prompt, string? knownHostname = null)
    {
        prompt = null;
        if (line is null || line.Length > 200)
        {
            return false;
        }

        var m = PromptLine().Match(line.Trim('\r', '\n').TrimStart());
        if (!m.Success)
        {
            return false;
        }

        prompt = Build(m, knownHostname);
        return prompt is not null;
    }

    /// <summary>Splits "&lt;H&gt;display arp" into the prompt and the echoed command.</summary>
    public static bool TrySplitEcho(string? line, out VrpPromptInfo? prompt, out string command, string? knownHostname = null)
    {
        prompt = null;
        command = string.Empty;
        if (line is null || line.Length > 4096)
        {
            return false;
        }

        var m = PromptWithText().Match(line);
        if (!m.Success)
        {
            return false;
        }

        prompt = Build(m, knownHostname);
        command = m.Groups["rest"].Value.Trim();
        return prompt is not null;
    }

    /// <summary>
    /// The prompt at the very end of a buffer, if any. Only the last line counts: a prompt earlier in the
    /// stream may be a re-print after an asynchronous log message, and config text can contain "&lt;…&gt;".
    /// </summary>
    public static VrpPromptInfo? FindAtEnd(string? buffer, string? knownHostname = null)
    {
        if (string.IsNullOrEmpty(buffer))
        {
            return null;
        }

        var end = buffer.Length;
        var start = buffer.LastIndexOfAny(['\n', '\r'], end - 1);
        var last = buffer[(start + 1)..end];
        return TryParse(last, out var p, knownHostname) ? p : null;
    }

    private static VrpPromptInfo? Build(Match m, string? knownHostname)
    {
        var raw = m.Value.TrimEnd();
        if (m.Groups["uv"].Success)
        {
            var name = m.Groups["uv"].Value;
            return new VrpPromptInfo(raw, VrpViewKind.User, name, name, null, null);
        }

        var full = m.Groups["sv"].Value;
        char? mark = m.Groups["mark"].Success ? m.Groups["mark"].Value[0] : null;
        var (host, view) = SplitView(full, knownHostname);
        return new VrpPromptInfo(raw, Classify(view), full, host, view, mark);
    }

    private static (string Host, string? View) SplitView(string full, string? knownHostname)
    {
        if (!string.IsNullOrEmpty(knownHostname) && full.StartsWith(knownHostname, StringComparison.Ordinal))
        {
            var rest = full[knownHostname.Length..];
            if (rest.Length == 0)
            {
                return (full, null);
            }

            if (rest[0] == '-')
            {
                return (knownHostname, rest[1..]);
            }
        }

        // Without a learned hostname pick the first '-' followed by a known view name.
        for (var i = full.IndexOf('-', StringComparison.Ordinal); i > 0; i = full.IndexOf('-', i + 1))
        {
            var rest = full.AsSpan(i + 1);
            foreach (var prefix in KnownViewPrefixes)
            {
                if (rest.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return (full[..i], full[(i + 1)..]);
                }
            }
        }

        return (full, null);
    }

    private static VrpViewKind Classify(string? view)
    {
        if (view is null)
        {
            return VrpViewKind.System;
        }

        if (view.StartsWith("ui-", StringComparison.Ordinal))
        {
            return VrpViewKind.UserInterface;
        }

        if (view.Equals("aaa", StringComparison.Ordinal))
        {
            return VrpViewKind.Aaa;
        }

        return view.Length > 0 && (char.IsAsciiDigit(view[^1]) || view.Contains('/', StringComparison.Ordinal)) &&
               !view.Contains("ospf", StringComparison.Ordinal) && !view.StartsWith("ui", StringComparison.Ordinal) &&
               (view.Contains("Ethernet", StringComparison.Ordinal) || view.Contains("GE", StringComparison.Ordinal) ||
                view.StartsWith("Vlanif", StringComparison.Ordinal) || view.StartsWith("Eth-Trunk", StringComparison.Ordinal) ||
                view.StartsWith("LoopBack", StringComparison.Ordinal) || view.StartsWith("Tunnel", StringComparison.Ordinal) ||
                view.StartsWith("MEth", StringComparison.Ordinal))
            ? VrpViewKind.Interface
            : VrpViewKind.OtherSubView;
    }
}
