using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe;

public enum IosXeMode
{
    UserExec,
    PrivilegedExec,
    GlobalConfig,
    LineConfig,
    InterfaceConfig,
    OtherConfig,
}

/// <summary>A parsed prompt: "sw1>", "sw1#", "sw1(config)#", "sw1(config-line)#".</summary>
public sealed record IosXePromptInfo(string Raw, IosXeMode Mode, string Hostname, string? ConfigMode)
{
    public bool IsConfig => ConfigMode is not null;

    public bool IsPrivileged => Mode != IosXeMode.UserExec;
}

/// <summary>
/// Recognises IOS / IOS-XE prompts. A hostname is up to 63 characters of letters, digits, '-', '_' and '.';
/// config submodes appear in parentheses before '#'. User exec ends with '&gt;', everything else with '#'.
/// </summary>
public static partial class IosXePrompt
{
    [GeneratedRegex(@"^(?<host>[A-Za-z0-9][A-Za-z0-9._-]{0,62})(?:\((?<mode>config(?:-[a-z0-9-]+)?)\))?(?<end>[>#]) ?$")]
    private static partial Regex PromptLine();

    [GeneratedRegex(@"^(?<host>[A-Za-z0-9][A-Za-z0-9._-]{0,62})(?:\((?<mode>config(?:-[a-z0-9-]+)?)\))?(?<end>[>#]) ?(?<rest>[a-z].*)$")]
    private static partial Regex PromptWithText();

    public static bool TryParse(string? line, out IosXePromptInfo? prompt, string? knownHostname = null)
    {
        prompt = null;
        if (line is null || line.Length > 200)
        {
            return false;
        }

        var m = PromptLine().Match(line.Trim('\r', '\n').TrimStart());
        prompt = m.Success ? Build(m, knownHostname) : null;
        return prompt is not null;
    }

    /// <summary>Splits "sw1#show ip ssh" into the prompt and the echoed command.</summary>
    public static bool TrySplitEcho(string? line, out IosXePromptInfo? prompt, out string command, string? knownHostname = null)
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

    /// <summary>The prompt on the last line of a buffer, if any (an earlier one may be a re-print after a log line).</summary>
    public static IosXePromptInfo? FindAtEnd(string? buffer, string? knownHostname = null)
    {
        if (string.IsNullOrEmpty(buffer))
        {
            return null;
        }

        var start = buffer.LastIndexOfAny(['\n', '\r'], buffer.Length - 1);
        return TryParse(buffer[(start + 1)..], out var p, knownHostname) ? p : null;
    }

    private static IosXePromptInfo? Build(Match m, string? knownHostname)
    {
        var host = m.Groups["host"].Value;

        // Once the hostname is learned, "Router#" text inside output (a banner, a description) is not our prompt.
        if (!string.IsNullOrEmpty(knownHostname) && !string.Equals(host, knownHostname, StringComparison.Ordinal))
        {
            return null;
        }

        var configMode = m.Groups["mode"].Success ? m.Groups["mode"].Value : null;
        var user = m.Groups["end"].Value == ">";
        if (user && configMode is not null)
        {
            return null;
        }

        var mode = configMode switch
        {
            null => user ? IosXeMode.UserExec : IosXeMode.PrivilegedExec,
            "config" => IosXeMode.GlobalConfig,
            "config-line" => IosXeMode.LineConfig,
            "config-if" or "config-subif" => IosXeMode.InterfaceConfig,
            _ => IosXeMode.OtherConfig,
        };
        return new IosXePromptInfo(m.Value.TrimEnd(), mode, host, configMode);
    }
}
