using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.IosXe.Remediation;

/// <summary>
/// Carries out an approved plan on a Cisco IOS-XE switch through Core's <see cref="RemediationExecutorBase"/>: this
/// class holds only IOS's words, the answers of <see cref="IosXeConfirmations"/> (an unexpected question is declined
/// and stops the plan), the "show" read-backs of <see cref="IosXeVerifications"/> and how <c>show tcp brief all</c>
/// shows the SSH listener after a reload.
/// </summary>
public sealed class IosXeRemediationExecutor : RemediationExecutorBase
{
    private static readonly RebootWording Words = new(
        Verb: "reload",
        Done: "reloaded",
        Device: "switch",
        SaveSkipped: "Skipped 'write memory': the request said not to save the running configuration",
        CannotAnswerEach: "the connector cannot answer IOS's save and confirm questions one by one");

    public IosXeRemediationExecutor(IDeviceAccess access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession, TimeProvider time)
        : base(access, openSession, time, new ListenerReadBack(IosXeVerifications.ShowTcpBriefAll, ListeningSocket))
    {
    }

    protected override string SaveCommand => IosXeCommandTemplates.WriteMemory.Pattern;

    protected override string RebootCommand => IosXeCommandTemplates.Reload.Pattern;

    protected override RebootWording Wording => Words;

    protected override IReadOnlyCollection<string> ReadOnlyCommands => IosXeVerifications.AllCommands;

    protected override (string Running, string Saved) ConfigurationReads => (IosXeVerifications.ShowRunningConfig, IosXeVerifications.ShowStartupConfig);

    // Every command's questions are answered one by one from the table: on a reload "Save? [yes/no]" gets "no" (the
    // plan's own write memory is the only save approved) and "Proceed with reload? [confirm]" is confirmed.
    protected override CommandAnswers AnswersFor(PlanCommandRole role, string command, ExecutionOptions options) =>
        CommandAnswers.ByQuestion(q => AnswerFor(command, q));

    protected override ReadBack? ReadBackFor(BoundCommand command) => IosXeVerifications.For(command);

    protected override IReadOnlySet<string> ConfigurationLines(string text) => ConfigLines(text);

    /// <summary>Lines that make a configuration (banners of the "show" command and comments left out).</summary>
    internal static HashSet<string> ConfigLines(string text) => text.Split('\n')
        .Select(l => l.TrimEnd('\r').TrimEnd())
        .Where(l => l.Length > 0 && !l.StartsWith('!') && l != "end"
            && !l.StartsWith("Building configuration", StringComparison.Ordinal)
            && !l.StartsWith("Current configuration", StringComparison.Ordinal)
            && !l.StartsWith("Startup configuration", StringComparison.Ordinal)
            && !l.StartsWith("Using ", StringComparison.Ordinal))
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>The y/n (or decline) the session gives a question <paramref name="command"/> asks, from <see cref="IosXeConfirmations"/>.</summary>
    internal static string? AnswerFor(string command, string question) => IosXeConfirmations.For(command, question)?.Answer switch
    {
        // The dialect turns "y" into Enter for "[confirm]" and into "yes" for "[yes/no]".
        "" or "yes" => "y",
        "no" => "n",
        _ => null,
    };

    private static string? ListeningSocket(string output, int port)
    {
        var parsed = TcpListenersParser.ParseTcpBrief(output);
        var socket = parsed.Value?.Connections.FirstOrDefault(c => c.IsListening && c.LocalPort == port);
        return socket is null ? null : $"{socket.LocalAddress}:{port.ToString(CultureInfo.InvariantCulture)}";
    }
}
