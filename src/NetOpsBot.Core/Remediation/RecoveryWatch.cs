using System.Globalization;
using System.Text.Json;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Devices;

namespace NetOpsBot.Core.Remediation;

/// <summary>How a platform reads its SSH listener back after a reboot: one read-only command and what its output says.</summary>
/// <param name="Command">The read-only command ("show tcp brief all").</param>
/// <param name="ListeningSocket">The socket listening on the port ("0.0.0.0:22"), or null when none (or unreadable).</param>
/// <param name="ListeningWord">The word the platform's table uses for the state, so the thread quotes it ("Listening" on VRP).</param>
public sealed record ListenerReadBack(string Command, Func<string, int, string?> ListeningSocket, string ListeningWord = "listening");

/// <summary>
/// The vendor-neutral part of a reboot: probe until the device stops answering, probe until its SSH port answers
/// again, then log in over SSH through the jump host (never the console) and read the listener back in the
/// platform's own command. Platform executors report through <c>report</c> and record what they ran through
/// <c>record</c>; nothing here throws for device trouble.
/// </summary>
public sealed class RecoveryWatch
{
    private readonly IDeviceAccess access;
    private readonly TimeProvider time;
    private readonly ListenerReadBack listener;

    public RecoveryWatch(IDeviceAccess access, TimeProvider time, ListenerReadBack listener)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(listener);
        this.access = access;
        this.time = time;
        this.listener = listener;
    }

    /// <summary>Watches <paramref name="device"/> come back; <paramref name="expectDown"/> is false when a resumed watch may find it up already.</summary>
    public async Task<(RecoveryResult Recovery, string Evidence)> WatchAsync(
        DeviceRef device,
        ExecutionOptions options,
        bool expectDown,
        Action<string, string?> report,
        Action<string, string, string?, TimeSpan> record,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(record);
        var name = device.Name.ToString();
        var port = device.SshPort;
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var start = time.GetTimestamp();
        var expected = BootTimes.Expected(device);
        var deadline = BootTimes.RecoveryDeadline(device, options.RecoveryDeadline, options.DeadlineFollowsBootTime);
        var probeTimeout = TimeSpan.FromTicks(Math.Clamp(options.ProbeInterval.Ticks * 2, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromSeconds(5).Ticks));
        var wentDown = false;
        long? downAt = null;
        var lastProblem = string.Empty;

        if (expectDown)
        {
            while (time.GetElapsedTime(start) < deadline)
            {
                var p = await ProbeAsync(device, port, probeTimeout, cancellationToken).ConfigureAwait(false);
                if (p.Outcome is ProbeOutcome.Timeout or ProbeOutcome.Refused)
                {
                    wentDown = true;
                    downAt = time.GetTimestamp();
                    report($"{name} is down (TCP {portText} {p.Outcome.ToString().ToLowerInvariant()}); expected back within {Format(expected)}", ProbeJson(p));
                    break;
                }

                lastProblem = NoteProbeProblem(report, p, lastProblem);
                await DelayAsync(options, start, deadline, cancellationToken).ConfigureAwait(false);
            }

            if (!wentDown)
            {
                report($"{name} never stopped answering on TCP {portText} within {Format(deadline)}: the reboot may not have happened", null);
            }
        }

        var cameBack = false;
        var downtime = TimeSpan.Zero;
        var progressFrom = downAt ?? start;
        var nextProgress = options.ProgressInterval;
        while (true)
        {
            var p = await ProbeAsync(device, port, probeTimeout, cancellationToken).ConfigureAwait(false);
            if (p.Outcome == ProbeOutcome.Open)
            {
                cameBack = true;
                downtime = downAt is long d ? time.GetElapsedTime(d) : TimeSpan.Zero;
                report(wentDown ? $"{name} answers on TCP {portText} again after {Format(time.GetElapsedTime(start))}" : $"{name} answers on TCP {portText}", ProbeJson(p));
                break;
            }

            lastProblem = NoteProbeProblem(report, p, lastProblem);
            if (time.GetElapsedTime(start) >= deadline)
            {
                break;
            }

            var down = time.GetElapsedTime(progressFrom);
            if (nextProgress > TimeSpan.Zero && down >= nextProgress)
            {
                report($"{name} still {(wentDown ? "down" : "not answering")} after {Format(Whole(down, options.ProgressInterval))} (expected up to {Format(expected)})", null);
                nextProgress = Whole(down, options.ProgressInterval) + options.ProgressInterval;
            }

            await DelayAsync(options, start, deadline, cancellationToken).ConfigureAwait(false);
        }

        if (!cameBack)
        {
            var summary = expectDown
                ? $"{name} did not answer on TCP {portText} within {Format(deadline)} after the reboot"
                : $"{name} did not answer on TCP {portText} within {Format(deadline)}";
            report(summary, null);
            return (new RecoveryResult(wentDown, false, time.GetElapsedTime(start), false, false, summary), string.Empty);
        }

        var (login, socket, evidence, why) = await LoginCheckAsync(device, options, port, start, deadline, report, record, cancellationToken).ConfigureAwait(false);
        string result;
        if (login && socket is not null)
        {
            report($"SSH login through the jump host works; {socket} {listener.ListeningWord}", null);
            result = $"{name} recovered: back on TCP {portText}{(wentDown ? $" after {Format(downtime)} down" : string.Empty)}, {socket} listening, SSH login through the jump host works";
        }
        else if (login)
        {
            result = $"{name} is back but {listener.Command} shows no listener on {portText}";
        }
        else
        {
            result = $"{name} answers on TCP {portText} but an SSH login through the jump host fails: {why}";
        }

        report(result, null);
        return (new RecoveryResult(wentDown, true, downtime, socket is not null, login, result), evidence);
    }

    private async Task<(bool Login, string? Socket, string Evidence, string Why)> LoginCheckAsync(
        DeviceRef device, ExecutionOptions options, int port, long start, TimeSpan deadline, Action<string, string?> report, Action<string, string, string?, TimeSpan> record, CancellationToken ct)
    {
        // The port may open before the CLI is ready, so logins are retried until the deadline (at least twice).
        var why = string.Empty;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var session = await access.OpenCliAsync(device, AccessPath.Ssh(port), ct).ConfigureAwait(false);
                await using (session.ConfigureAwait(false))
                {
                    var started = time.GetTimestamp();
                    var r = await session.RunAsync(listener.Command, options.CommandTimeout, ct).ConfigureAwait(false);
                    record(r.Command, r.Output, r.ErrorLine, time.GetElapsedTime(started));
                    return (true, listener.ListeningSocket(r.Output, port), listener.Command + "\n" + r.Output, string.Empty);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                why = Describe(ex);
                report($"SSH login through the jump host failed (attempt {attempt.ToString(CultureInfo.InvariantCulture)}): {why}", null);
            }

            if (attempt >= 2 && time.GetElapsedTime(start) >= deadline)
            {
                return (false, null, string.Empty, why);
            }

            await Task.Delay(options.ProbeInterval, time, ct).ConfigureAwait(false);
        }
    }

    private async Task<TcpProbeResult> ProbeAsync(DeviceRef device, int port, TimeSpan timeout, CancellationToken ct)
    {
        try
        {
            return await access.ProbeAsync(device, port, timeout, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new TcpProbeResult(port, ProbeOutcome.Error, Describe(ex), TimeSpan.Zero);
        }
    }

    // Jump host trouble says nothing about the device: reported once per distinct problem, not counted as down.
    private static string NoteProbeProblem(Action<string, string?> report, TcpProbeResult p, string last)
    {
        if (p.Outcome is ProbeOutcome.JumpHostUnreachable or ProbeOutcome.Error)
        {
            var problem = $"Probe of TCP {p.Port.ToString(CultureInfo.InvariantCulture)}: {p.Outcome} ({p.Detail})";
            if (problem != last)
            {
                report(problem, ProbeJson(p));
            }

            return problem;
        }

        return last;
    }

    private async Task DelayAsync(ExecutionOptions options, long start, TimeSpan deadline, CancellationToken ct)
    {
        var left = deadline - time.GetElapsedTime(start);
        var wait = left < options.ProbeInterval ? left : options.ProbeInterval;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>What went wrong, in words for the thread.</summary>
    public static string Describe(Exception ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex switch
        {
            DeviceAccessException d => $"{d.Reason}: {d.Message}",
            TimeoutException t => "timeout: " + t.Message,
            _ => ex.GetType().Name + ": " + ex.Message,
        };
    }

    /// <summary>"2 min" for whole minutes, else "12.3 s".</summary>
    public static string Format(TimeSpan t) =>
        t >= TimeSpan.FromMinutes(1) && t.Seconds == 0 && t.Milliseconds == 0
            ? t.TotalMinutes.ToString("0", CultureInfo.InvariantCulture) + " min"
            : t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>The thread's words for the path a fix runs on.</summary>
    public static string DescribePath(DeviceRef device, AccessPath path)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(path);
        return path.Kind == AccessPathKind.Console
            ? $"Connected to {device.Name} over the console{(device.Console is { } c ? $" ({c.Server} port {c.Port.ToString(CultureInfo.InvariantCulture)})" : string.Empty)}: no SSH port of the device gave a session"
            : $"Connected to {device.Name} over SSH port {path.Port!.Value.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary><paramref name="t"/> rounded down to a multiple of <paramref name="step"/> ("after 2 min", not "after 2 min 0.3 s").</summary>
    private static TimeSpan Whole(TimeSpan t, TimeSpan step) => step > TimeSpan.Zero ? TimeSpan.FromTicks(t.Ticks / step.Ticks * step.Ticks) : t;

    private static string ProbeJson(TcpProbeResult p) =>
        JsonSerializer.Serialize(new ProbeDetail(p.Port, p.Outcome.ToString(), p.Detail, (long)p.Duration.TotalMilliseconds), JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private sealed record ProbeDetail(int Port, string Outcome, string Detail, long DurationMs);
}
