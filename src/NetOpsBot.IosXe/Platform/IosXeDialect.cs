using NetOpsBot.Core.Access;

namespace NetOpsBot.IosXe.Platform;

/// <summary>
/// Cisco IOS-XE's CLI for the SSH connector: "host&gt;", "host#", "host(config)#" prompts, " --More-- ",
/// "[confirm]" and "[yes/no]:" questions, "% Invalid input detected at '^' marker." error lines.
/// </summary>
public sealed class IosXeDialect : IDeviceDialect
{
    public static IosXeDialect Instance { get; } = new();

    public string Platform => IosXePlatform.PlatformId;

    public string? DisablePagingCommand => "terminal length 0";

    public string EnterConfigCommand => "configure terminal";

    public string ExitConfigCommand => "end";

    public string PagerKeystroke => " ";

    public DialectPrompt? FindPromptAtEnd(string tail, string? knownHostname) =>
        IosXePrompt.FindAtEnd(tail, knownHostname) is { } p ? new DialectPrompt(p.Raw, p.Hostname, p.IsConfig) : null;

    public bool EndsWithPager(string tail) => IosXePaging.EndsWithMore(tail);

    public DialectQuestion? DetectQuestionAtEnd(string tail) => IosXeConfirmation.DetectAtEnd(tail) switch
    {
        { Kind: IosXeQuestionKind.Confirm } q => new DialectQuestion(DialectQuestionKind.Confirm, q.Text, q.Default),
        { Kind: IosXeQuestionKind.YesNo } q => new DialectQuestion(DialectQuestionKind.Decision, q.Text, q.Default),
        { Kind: IosXeQuestionKind.Number or IosXeQuestionKind.Filename } q => new DialectQuestion(DialectQuestionKind.Value, q.Text, q.Default),
        _ => null,
    };

    // "[confirm]" takes Enter for yes; "[yes/no]:" wants the word, a lone 'y' is not accepted by every release.
    public string Reply(DialectQuestion question, bool yes)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question.Kind == DialectQuestionKind.Confirm ? (yes ? string.Empty : "n") : (yes ? "yes" : "no");
    }

    public DialectOutput Clean(string raw, string? command, string? knownHostname)
    {
        var cleaned = IosXeOutputCleaner.Clean(raw, command, knownHostname);
        return new DialectOutput(cleaned.Text, cleaned.AsyncLogLines);
    }

    public string? FirstErrorLine(string output) => IosXeErrors.FirstError(output) is { } e ? "% " + e.Text : null;

    public string Logout(DialectPrompt? last) => last is { InConfigMode: true } ? "end\rexit\r" : "exit\r";
}
