using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;
using NetOpsBot.Core.Security;

namespace NetOpsBot.Core.Remediation;

/// <summary>
/// Carries out an approved plan on any platform: opens the session, sends only the plan's typed commands and the
/// platform's fixed read-only read-backs (anything else is refused unsent), answers questions as the platform's
/// confirmation policy says, reads config changes back, and follows a reboot with Core's <see cref="RecoveryWatch"/>.
/// A platform supplies only its dialect: command words, answers, read-backs and the listener read-back.
/// Device trouble never throws: it becomes a failed result with the reason; cancellation is rethrown.
/// </summary>
public abstract partial class RemediationExecutorBase : IRemediationExecutor
{
    private static readonly TimeSpan ConfigReadTimeout = TimeSpan.FromSeconds(20);

    private readonly Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession;
    private readonly RecoveryWatch watch;
    private readonly TimeProvider time;

    /// <param name="access">Probes the SSH port and opens the post-reboot login check (always SSH through the jump host, never the console).</param>
    /// <param name="openSession">Opens the session the plan runs on (any access path the Host chooses), paging already off.</param>
    /// <param name="time">Clock for probe intervals, deadlines and durations.</param>
    /// <param name="listener">How the platform reads its SSH listener back after a reboot.</param>
    protected RemediationExecutorBase(IDeviceAccess access, Func<DeviceRef, CancellationToken, Task<IConfirmingCliSession>> openSession, TimeProvider time, ListenerReadBack listener)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(openSession);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(listener);
        this.openSession = openSession;
        this.time = time;
        watch = new RecoveryWatch(access, time, listener);
    }

    /// <summary>The save command a reboot plan may hold ("save", "write memory").</summary>
    protected abstract string SaveCommand { get; }

    /// <summary>The reboot command ("reboot", "reload").</summary>
    protected abstract string RebootCommand { get; }

    /// <summary>The platform's words for a reboot in the thread.</summary>
    protected abstract RebootWording Wording { get; }

    /// <summary>The read-only commands read-backs may send: the fixed table, anything else is refused unsent.</summary>
    protected abstract IReadOnlyCollection<string> ReadOnlyCommands { get; }

    /// <summary>The read-only commands that show the running and the saved configuration.</summary>
    protected abstract (string Running, string Saved) ConfigurationReads { get; }

    /// <summary>The confirmation policy: how the questions <paramref name="command"/> asks are answered.</summary>
    protected abstract CommandAnswers AnswersFor(PlanCommandRole role, string command, ExecutionOptions options);

    /// <summary>The read-back for a plan command, or null when it changes nothing to check.</summary>
    protected abstract ReadBack? ReadBackFor(BoundCommand command);

    /// <summary>The lines that make a configuration in the platform's "show/display" output (banners and comments left out).</summary>
    protected abstract IReadOnlySet<string> ConfigurationLines(string text);

    public async Task<ExecutionResult> ExecuteAsync(DeviceRef device, RemediationPlan plan, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var run = new Run(device, options, observer, cancellationToken);
        try
        {
            if (plan.Commands.Count == 0)
            {
                return Fail(run, $"{plan.Id}: the plan has no device commands; nothing was sent");
            }

            return plan.Kind switch
            {
                RemediationKind.Config => await ConfigAsync(run, plan).ConfigureAwait(false),
                RemediationKind.Reboot => await RebootAsync(run, plan).ConfigureAwait(false),
                _ => Fail(run, $"{plan.Id}: a {plan.Kind} plan is carried out by a person; nothing was sent"),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // Timeouts, dropped sessions, connector failures: a result, never an exception to the caller.
            return Fail(run, $"{device.Name}: {plan.Id} stopped: {RecoveryWatch.Describe(ex)}");
        }
    }

    public async Task<IReadOnlyList<string>> UnsavedChangesAsync(DeviceRef device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        var session = await openSession(device, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var (runningCommand, savedCommand) = ConfigurationReads;
            var running = await session.RunAsync(runningCommand, ConfigReadTimeout, null, cancellationToken).ConfigureAwait(false);
            var saved = await session.RunAsync(savedCommand, ConfigReadTimeout, null, cancellationToken).ConfigureAwait(false);
            var r = ConfigurationLines(running.Output);
            var s = ConfigurationLines(saved.Output);

            // Compared raw (a changed secret is a real difference), shown redacted (approvers see that it changed, not what to).
            return [.. r.Where(l => !s.Contains(l)).Select(l => "not saved: " + DeviceOutputRedactor.Redact(l.Trim())),
                .. s.Where(l => !r.Contains(l)).Select(l => "only in saved: " + DeviceOutputRedactor.Redact(l.Trim()))];
        }
    }

    public async Task<RecoveryResult> WatchRecoveryAsync(DeviceRef device, ExecutionOptions options, IExecutionObserver observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(observer);
        var run = new Run(device, options, observer, cancellationToken);
        var (recovery, _) = await WatchAsync(run, expectDown: false).ConfigureAwait(false);
        return recovery;
    }

    private Task<(RecoveryResult Recovery, string Evidence)> WatchAsync(Run run, bool expectDown) =>
        watch.WatchAsync(run.Device, run.Options, expectDown, (s, d) => Report(run, s, d), (c, o, e, t) => Record(run, c, o, e, t), run.Token);

    private async Task<IConfirmingCliSession> OpenAsync(Run run)
    {
        Report(run, $"Opening a CLI session to {run.Device.Name}", null);
        var session = await openSession(run.Device, run.Token).ConfigureAwait(false);
        if (session.Path is { } path)
        {
            Report(run, RecoveryWatch.DescribePath(run.Device, path), path.Kind == AccessPathKind.Console ? """{"path":"console"}""" : """{"path":"ssh"}""");
        }

        return session;
    }
}
