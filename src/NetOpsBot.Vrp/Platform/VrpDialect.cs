using System.Globalization;
using NetOpsBot.Core.Access;

namespace NetOpsBot.Vrp.Platform;

/// <summary>Huawei VRP's CLI for the SSH connector: &lt;H&gt;/[H] prompts, "---- More ----", [Y/N] questions, "Error:" lines.</summary>
public sealed class VrpDialect : IDeviceDialect
{
    public static VrpDialect Instance { get; } = new();

    public string Platform => VrpPlatform.PlatformId;

    public string? DisablePagingCommand => "screen-length 0 temporary";

    public string EnterConfigCommand => "system-view";

    public string ExitConfigCommand => "return";

    public string PagerKeystroke => " ";

    public DialectPrompt? FindPromptAtEnd(string tail, string? knownHostname) =>
        VrpPrompt.FindAtEnd(tail, knownHostname) is { } p ? new DialectPrompt(p.Raw, p.Hostname, p.Kind != VrpViewKind.User) : null;

    public bool EndsWithPager(string tail) => VrpPaging.EndsWithMore(tail);

    public DialectQuestion? DetectQuestionAtEnd(string tail) => VrpConfirmation.DetectAtEnd(tail) switch
    {
        { Kind: VrpQuestionKind.YesNo } q => new DialectQuestion(DialectQuestionKind.Decision, q.Text, q.Default),
        { Kind: VrpQuestionKind.Number } q => new DialectQuestion(DialectQuestionKind.Value, q.Text, q.Default),
        _ => null,
    };

    public string Reply(DialectQuestion question, bool yes) => yes ? "y" : "n";

    public DialectOutput Clean(string raw, string? command, string? knownHostname)
    {
        var cleaned = VrpOutputCleaner.Clean(raw, command, knownHostname);
        return new DialectOutput(cleaned.Text, cleaned.AsyncLogLines);
    }

    public string? FirstErrorLine(string output) => VrpErrors.FirstError(output) is { } e
        ? e.Number is { } n ? $"Error[{n.ToString(CultureInfo.InvariantCulture)}]: {e.Text}" : "Error: " + e.Text
        : null;

    // From a user view "quit" ends the session; from any other view "return" first (REPORT.md gotcha 23: leave cleanly).
    public string Logout(DialectPrompt? last) => last is { InConfigMode: false } ? "quit\r" : "return\rquit\r";
}
