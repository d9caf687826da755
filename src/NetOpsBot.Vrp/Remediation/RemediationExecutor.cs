using System.Globalization;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Remediation;

namespace NetOpsBot.Vrp.Remediation;

/// <summary>
/// Carries out an approved plan on a Huawei VRP device through Core's <see cref="RemediationExecutorBase"/>: this class
/// holds only VRP's words, its [Y/N] answers, the read-backs of <see cref="RemediationVerifications"/> and how
/// <c>display tcp status</c> shows the SSH listener after a reboot.
/// </summary>
public sealed class RemediationExecutor : RemediationExecutorBase
{
    private const string Save = "save";
    private const string Reboot = "reboot";

    private static readonly RebootWording Words = new(
        Verb: "reboot",
        Done: "rebooted",
        Device: "device",
        SaveSkipped: "Skipped save: the request said not to save the running configuration",
        CannotAnswerEach: "answering the save question 'n' and the reboot question 'y' is not supported by the connector");

    /// <param name="access">Probes the SSH port and opens the post-reboot login check (always SSH through the jump host, never the console).</param>
    /// <param name="openSession">Opens the session the plan runs on (any access path the Host chooses), paging already off.</param>
    /// <param name="time">Clock for probe intervals, deadlines and durations.</param>
    public RemediationExecutor(IDeviceAccess access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession, TimeProvider time)
        : base(access, openSession, time, new ListenerReadBack(RemediationVerifications.TcpStatus, ListeningSocket, "Listening"))
    {
    }

    protected override string SaveCommand => Save;

    protected override string RebootCommand => Reboot;

    protected override RebootWording Wording => Words;

    protected override IReadOnlyCollection<string> ReadOnlyCommands => RemediationVerifications.AllCommands;

    protected override (string Running, string Saved) ConfigurationReads => ("display current-configuration", "display saved-configuration");

    protected override CommandAnswers AnswersFor(PlanCommandRole role, string command, ExecutionOptions options) => role switch
    {
        // The plan was approved as a whole, so a confirmation a config command asks is answered yes; the save
        // is answered yes because the approval card said the configuration would be saved.
        PlanCommandRole.Config or PlanCommandRole.Save => CommandAnswers.Alike("y"),
        PlanCommandRole.Reboot => options.SaveBeforeReboot ? CommandAnswers.Alike("y") : CommandAnswers.ByQuestion(RebootWithoutSave),

        // Anything else in a reboot plan, and every read-back, gets no "yes" it was not approved for.
        _ => CommandAnswers.Alike(null),
    };

    protected override ReadBack? ReadBackFor(BoundCommand command) => RemediationVerifications.For(command);

    protected override IReadOnlySet<string> ConfigurationLines(string text) => text.Split('\n')
        .Select(l => l.TrimEnd('\r').TrimEnd())
        .Where(l => l.Length > 0 && l != "#" && !l.StartsWith('!') && l != "return")
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>"n" to "save the modified configuration?", "y" to "System will reboot!", decline anything else.</summary>
    private static string? RebootWithoutSave(string question) =>
        question.Contains("reboot", StringComparison.OrdinalIgnoreCase) && !question.Contains("save", StringComparison.OrdinalIgnoreCase) ? "y"
        : question.Contains("save", StringComparison.OrdinalIgnoreCase) || question.Contains("modified", StringComparison.OrdinalIgnoreCase) ? "n"
        : null;

    /// <summary>The socket <c>display tcp status</c> shows listening on <paramref name="port"/>, or null when none.</summary>
    private static string? ListeningSocket(string output, int port)
    {
        if (TcpStatusParser.Parse(output) is not { IsParsed: true, Value: { } table } || !table.IsListening(port))
        {
            return null;
        }

        // Read from the command and its output together, as the evidence the thread keeps shows it.
        var socket = TcpStatusParser.Parse(RemediationVerifications.TcpStatus + "\n" + output).Value?.Sockets.FirstOrDefault(s => s.IsListening && s.LocalPort == port);
        return socket is null ? "port " + port.ToString(CultureInfo.InvariantCulture) : $"{socket.LocalAddress}:{socket.LocalPort.ToString(CultureInfo.InvariantCulture)}";
    }
}
