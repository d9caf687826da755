namespace NetOpsBot.Core.Access;

/// <summary>A CLI prompt as a dialect recognises it.</summary>
/// <param name="Raw">The prompt text as the device printed it.</param>
/// <param name="Hostname">The device's hostname inside the prompt.</param>
/// <param name="InConfigMode">True in a configuration (or any non-top-level) view: leaving needs the dialect's exit command first.</param>
public sealed record DialectPrompt(string Raw, string Hostname, bool InConfigMode);

public enum DialectQuestionKind
{
    /// <summary>A decision ("Continue? [Y/N]", "Save? [yes/no]:"): answered yes or no, never anything else.</summary>
    Decision,

    /// <summary>"Proceed with reload? [confirm]": Enter confirms, the dialect's "no" cancels.</summary>
    Confirm,

    /// <summary>A value with a default offered (modulus bits, destination filename): an approved command takes the default with Enter.</summary>
    Value,
}

/// <summary>A question the device is waiting on; <see cref="Text"/> is the question line as shown.</summary>
public sealed record DialectQuestion(DialectQuestionKind Kind, string Text, string? Default);

/// <summary>Command output with echo, prompts and pager artefacts removed; asynchronous log lines apart.</summary>
public sealed record DialectOutput(string Text, IReadOnlyList<string> AsyncLogLines);

/// <summary>
/// How one device platform's CLI talks (issue 16, seam 2): prompts, pager, questions, error lines, paging off,
/// config mode and logout. The SSH connector drives any CLI through this port and knows no vendor; each platform
/// project implements it next to its parsers.
/// </summary>
public interface IDeviceDialect
{
    /// <summary>The inventory's platform id this dialect speaks ("huawei-vrp", "cisco-iosxe").</summary>
    string Platform { get; }

    /// <summary>Sent once after login so output never pages (null: the platform cannot turn paging off).</summary>
    string? DisablePagingCommand { get; }

    /// <summary>Enters global configuration mode.</summary>
    string EnterConfigCommand { get; }

    /// <summary>Leaves any configuration view back to the top-level prompt.</summary>
    string ExitConfigCommand { get; }

    /// <summary>What answers a pager prompt (without Enter).</summary>
    string PagerKeystroke { get; }

    /// <summary>The prompt at the end of <paramref name="tail"/>, or null when the device is not (yet) at a prompt.</summary>
    DialectPrompt? FindPromptAtEnd(string tail, string? knownHostname);

    /// <summary>True when <paramref name="tail"/> ends in a pager prompt ("---- More ----", " --More-- ").</summary>
    bool EndsWithPager(string tail);

    /// <summary>The question the device waits on at the end of <paramref name="tail"/>, or null.</summary>
    DialectQuestion? DetectQuestionAtEnd(string tail);

    /// <summary>The keystrokes (without Enter) that answer <paramref name="question"/> yes or no in this dialect ("y", "yes", "" for [confirm]).</summary>
    string Reply(DialectQuestion question, bool yes);

    /// <summary>Removes echo, prompts and pager artefacts from <paramref name="raw"/> and separates asynchronous log lines.</summary>
    DialectOutput Clean(string raw, string? command, string? knownHostname);

    /// <summary>The first line of <paramref name="output"/> that says the command failed, as the result's error line; null when none.</summary>
    string? FirstErrorLine(string output);

    /// <summary>The keystrokes (Enter included) that end the session cleanly from <paramref name="last"/>.</summary>
    string Logout(DialectPrompt? last);
}
