using System.Text.Json;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Remediation;

/// <summary>Sending one command and the audit lines: every command and every step reaches the observer, redacted.</summary>
public abstract partial class RemediationExecutorBase
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private async Task<CliResult> SendAsync(Run run, IConfirmingCliSession session, string command, PlanCommandRole role)
    {
        var answers = AnswersFor(role, command, run.Options);
        var started = time.GetTimestamp();
        var r = answers.Each is { } each
            ? await session.RunAnsweringEachAsync(command, run.Options.CommandTimeout, each, run.Token).ConfigureAwait(false)
            : await session.RunAsync(command, run.Options.CommandTimeout, answers.AnswerToAll, run.Token).ConfigureAwait(false);
        Record(run, command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
        return r;
    }

    private static void Record(Run run, string command, string raw, string? error, TimeSpan duration)
    {
        // What a command answered goes to the result, the timeline and the thread; none of them may hold a device secret.
        var output = DeviceOutputRedactor.Redact(raw);
        run.Commands.Add(new ExecutedCommand(command, output, error, duration));
        var detail = JsonSerializer.Serialize(new CommandDetail(command, output, error, (long)duration.TotalMilliseconds), JsonOptions);
        Report(run, error is null ? $"Ran `{command}` ({RecoveryWatch.Format(duration)})" : $"Ran `{command}`: {error}", detail);
    }

    private static void Report(Run run, string summary, string? detail)
    {
        try
        {
            run.Observer.Progress(DeviceOutputRedactor.Redact(summary), detail is null ? null : DeviceOutputRedactor.RedactJson(detail));
        }
#pragma warning disable CA1031 // An observer (timeline, chat) failing must not stop a half-applied change or a reboot watch.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static ExecutionResult Fail(Run run, string summary)
    {
        Report(run, summary, null);
        return Result(run, false, summary, false, string.Empty);
    }

    private static ExecutionResult Result(Run run, bool ok, string summary, bool verified, string evidence) =>
        new(ok, DeviceOutputRedactor.Redact(summary), [.. run.Commands], verified, DeviceOutputRedactor.Redact(evidence), null);

    private sealed record CommandDetail(string Command, string Output, string? Error, long DurationMs);

    private sealed class Run(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken token)
    {
        public DeviceRef Device { get; } = device;

        public ExecutionOptions Options { get; } = options;

        public IExecutionObserver Observer { get; } = observer;

        public CancellationToken Token { get; } = token;

        public List<ExecutedCommand> Commands { get; } = [];
    }
}
