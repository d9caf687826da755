using System.Text.RegularExpressions;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>
/// How a remediation answers one of IOS's questions. <see cref="Answer"/> is the text typed before Enter:
/// "" confirms a "[confirm]", "yes"/"no" answer a "[yes/no]" (IOS wants the word), null declines (the executor
/// stops and reports the question). <see cref="Why"/> is shown on the timeline.
/// </summary>
public sealed record IosXeAnswer(string Command, string QuestionPattern, string? Answer, string Why);

/// <summary>The questions each remediation command may ask, and the answers an approved plan gives: data, not code paths.</summary>
public static class IosXeConfirmations
{
    public static IReadOnlyList<IosXeAnswer> All { get; } =
    [
        // The plan's own "write memory" ran before the reload; a change made since was not approved to be saved.
        new("reload", @"System configuration has been modified\. Save\? \[yes/no\]:", "no", "the approved plan saved with 'write memory' already; later changes are not part of it"),
        new("reload", @"Proceed with reload\? \[confirm\]", string.Empty, "the reload was approved by two people"),
        new("write memory", @"Destination filename \[startup-config\]\?", string.Empty, "the startup configuration is the destination"),
        // A key already exists: replacing it changes the pinned host key, which needs a security review, not a click.
        new("crypto key generate rsa modulus 2048", @"Do you really want to replace them\? \[yes/no\]:", "no", "replacing an RSA key changes the pinned SSH host key"),
        new("crypto key generate rsa modulus 2048", @"How many bits in the modulus \[\d+\]:", "2048", "the plan asks for 2048 bits"),
    ];

    /// <summary>The answer to <paramref name="question"/> asked by <paramref name="command"/>, or null to decline an unexpected question.</summary>
    public static IosXeAnswer? For(string command, string question)
    {
        var cmd = command.Trim();
        return All.FirstOrDefault(a => a.Command.Equals(cmd, StringComparison.Ordinal) && Regex.IsMatch(question, a.QuestionPattern, RegexOptions.None, TimeSpan.FromSeconds(1)));
    }
}
