using System.Globalization;
using System.Text;
using NetOpsBot.Core.Access;
using NetOpsBot.Core.Diagnosis;
using NetOpsBot.Core.Platforms;

namespace NetOpsBot.Runbooks.SshUnreachable;

public sealed partial class DiagnosisRunner
{
    private const int MaxEvidenceLines = 8;

    private static readonly TimeSpan DebugPoll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Turns SSH debugging on (in the platform's commands), makes the jump host attempt a connection, and counts the
    /// SSH debug lines of that attempt: none while the attempt is refused means the rejection happens below SSH (the
    /// reference case). Debugging is always switched off again, even when the step fails.
    /// </summary>
    private async Task<StepOutcome> SshDebugAsync(RunContext run, IDeviceCliSession session, StepLog log, ISshUnreachableCollector c)
    {
        var facts = run.Facts;
        string lines;
        TcpProbeResult probe;
        DebugAttempt attempt;
        DebugCapture capture;
        try
        {
            var debugOn = new List<CliResult>();
            foreach (var command in c.DebugOnCommands)
            {
                debugOn.Add(await RunCommandAsync(run, session, log, command).ConfigureAwait(false));
            }

            var quiet = DebugQuietFor(debugOn);
            attempt = AttemptFor(facts, quiet);
            probe = await ProbeQuietlyAsync(run, facts.ConfiguredPort, attempt.Timeout).ConfigureAwait(false);
            log.Note($"connection attempt to {probe.Port.ToString(CultureInfo.InvariantCulture)}: {attempt.Describe(probe)}");
            var attemptPort = probe.Port;
            capture = await CaptureDebugLinesAsync(run, session, probe, quiet, text => c.ReadSshDebug(text, attemptPort)?.Attempt.Count > 0).ConfigureAwait(false);
            lines = capture.Lines;
            log.Note(capture.Describe());
            log.Note("collected asynchronous lines:");
            log.Note(lines);
        }
        finally
        {
            foreach (var command in c.DebugOffCommands)
            {
                try
                {
                    await RunCommandAsync(run, session, log, command).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is TimeoutException or DeviceAccessException or OperationCanceledException)
                {
                    // Debugging left on is a nuisance the engineer must know about, not a reason to lose the step.
                    log.Note($"'{command}' failed: {ex.Message}; debugging may still be on");
                }
            }
        }

        facts.DebugProbeOutcome = probe.Outcome;
        var port = facts.ConfiguredPort.ToString(CultureInfo.InvariantCulture);
        if (c.ReadSshDebug(lines, probe.Port) is not { } debug)
        {
            return new StepOutcome(StepStatus.Warn, "The debug output could not be read", [$"attempt to port {port}: {attempt.Describe(probe)}", capture.Describe()]);
        }

        var ssh = debug.Attempt;
        facts.SshDebugLineCount = ssh.Count;
        var evidence = new List<string> { $"attempt to port {port}: {attempt.Describe(probe)}", $"SSH debug lines during the attempt: {ssh.Count.ToString(CultureInfo.InvariantCulture)}", capture.Describe() };
        if (debug.OtherCount > 0)
        {
            evidence.Add($"not counted: {debug.OtherCount.ToString(CultureInfo.InvariantCulture)} SSH debug lines of another connection (server port {string.Join(", ", debug.OtherPorts)}), not the attempt");
        }

        evidence.AddRange(ssh.Take(MaxEvidenceLines - 3));
        if (ssh.Count > 0)
        {
            return new StepOutcome(StepStatus.Ok, $"{ssh.Count} SSH debug lines: the attempt reached the SSH server", evidence);
        }

        return probe.Outcome == ProbeOutcome.Refused
            ? new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines while port {port} refused the attempt: rejected at the TCP layer, before SSH", evidence)
            : new StepOutcome(StepStatus.Warn, $"Zero SSH debug lines during the attempt ({attempt.Summary(probe)})", evidence);
    }

    /// <summary>
    /// The attempt's timeout. Where the access step's probe of the configured port already waited the whole probe
    /// timeout without an answer (no SYN-ACK, no RST: a dropped SYN or no way back), a second full wait would only
    /// repeat that finding; what this step adds is whether an attempt reaches the SSH server while debugging is on,
    /// and an answered SYN (one round trip) or its debug lines come well within the capture's quiet time. So the
    /// attempt gets that quiet time, and its evidence says both waits. Any answer (open, refused) keeps the whole
    /// probe timeout, as does a configured port the access step did not see time out.
    /// </summary>
    private DebugAttempt AttemptFor(DiagnosisFacts facts, TimeSpan quiet) =>
        facts.Probes.TryGetValue(facts.ConfiguredPort, out var seen) && seen.Outcome == ProbeOutcome.Timeout && quiet > TimeSpan.Zero && quiet < options.ProbeTimeout
            ? new DebugAttempt(quiet, AccessTimedOut: true)
            : new DebugAttempt(options.ProbeTimeout, AccessTimedOut: false);

    private readonly record struct DebugAttempt(TimeSpan Timeout, bool AccessTimedOut)
    {
        /// <summary>True when the attempt ended on its shortened timeout.</summary>
        public bool Shortened(TcpProbeResult probe) => AccessTimedOut && probe.Outcome == ProbeOutcome.Timeout;

        /// <summary>The attempt's outcome in words; a shortened one names its own wait and the access probe's.</summary>
        public string Describe(TcpProbeResult probe) => Shortened(probe)
            ? $"no answer within {Seconds(Timeout)} (timed out in the access probe too)"
            : DiagnosisRunner.Describe(probe.Outcome);

        /// <summary>The port and its outcome, for the step's one-line finding.</summary>
        public string Summary(TcpProbeResult probe)
        {
            var port = probe.Port.ToString(CultureInfo.InvariantCulture);
            return Shortened(probe)
                ? $"port {port}: no answer within {Seconds(Timeout)}, timed out in the access probe too"
                : $"port {port} {DiagnosisRunner.Describe(probe.Outcome)}";
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + " s";
    }

    /// <summary>
    /// Collects the asynchronous lines that follow the connection attempt, and ends as soon as the device has
    /// nothing more to say about it, instead of waiting out <see cref="SshUnreachableOptions.DebugWindow"/>:
    /// the attempt is over when the probe returns (refused, timed out, or the banner read and the socket
    /// closed), and the device is done once it has been quiet for <paramref name="quiet"/> since the attempt
    /// or its last line. An attempt that reached a listener must have been logged by its server, so there the
    /// capture also waits for a first line of that attempt (<paramref name="isAttemptLine"/>), up to the window:
    /// a late logger is waited for, a silent one costs the whole window, as before.
    /// </summary>
    /// <param name="quiet">Silence that ends the capture; the caller scales it with the session's round trip.</param>
    private async Task<DebugCapture> CaptureDebugLinesAsync(RunContext run, IDeviceCliSession session, TcpProbeResult probe, TimeSpan quiet, Func<string, bool> isAttemptLine)
    {
        var window = options.DebugWindow;
        if (window <= TimeSpan.Zero)
        {
            // A zero window (benchmarks, --debug-window 0) takes what has already arrived and waits for nothing.
            var now = await session.CollectAsyncLinesAsync(TimeSpan.Zero, run.Token).ConfigureAwait(false);
            return new DebugCapture(now, TimeSpan.Zero, quiet, window, EndedEarly: false, WaitedForAttempt: false);
        }

        quiet = quiet < window ? quiet : window;
        var expectLines = probe.Outcome == ProbeOutcome.Open;
        var lines = new StringBuilder();
        var start = time.GetTimestamp();
        var lastLine = start;
        var seenAttempt = false;
        while (true)
        {
            var elapsed = time.GetElapsedTime(start);
            if (elapsed >= window)
            {
                return new DebugCapture(lines.ToString(), elapsed, quiet, window, EndedEarly: false, expectLines);
            }

            var poll = window - elapsed < DebugPoll ? window - elapsed : DebugPoll;
            var chunk = await session.CollectAsyncLinesAsync(poll, run.Token).ConfigureAwait(false);
            if (chunk.Length > 0)
            {
                if (lines.Length > 0)
                {
                    lines.Append('\n');
                }

                lines.Append(chunk);
                lastLine = time.GetTimestamp();
                seenAttempt = seenAttempt || isAttemptLine(lines.ToString());
            }

            if ((!expectLines || seenAttempt) && time.GetElapsedTime(lastLine) >= quiet)
            {
                return new DebugCapture(lines.ToString(), time.GetElapsedTime(start), quiet, window, EndedEarly: true, expectLines);
            }
        }
    }

    /// <summary>The silence that ends a capture: the configured floor, or four command round trips on a slow session.</summary>
    private TimeSpan DebugQuietFor(IEnumerable<CliResult> debugOn)
    {
        var rtt = debugOn.Select(r => r.Duration).DefaultIfEmpty(TimeSpan.Zero).Max();
        var scaled = rtt * 4;
        return scaled > options.DebugQuiet ? scaled : options.DebugQuiet;
    }

    private readonly record struct DebugCapture(string Lines, TimeSpan Waited, TimeSpan Quiet, TimeSpan Window, bool EndedEarly, bool WaitedForAttempt)
    {
        /// <summary>How long the capture listened and why it stopped: the basis of a "zero lines" finding.</summary>
        public string Describe()
        {
            var waited = Seconds(Waited);
            if (Window <= TimeSpan.Zero)
            {
                return "capture: no window (0 s): only lines already received";
            }

            if (!EndedEarly)
            {
                return WaitedForAttempt
                    ? $"capture: {waited}, the whole window (no line of the attempt came)"
                    : $"capture: {waited}, the whole window (the device kept logging)";
            }

            return $"capture: {waited} after the attempt ended, stopped after {Seconds(Quiet)} without a new line (window {Seconds(Window)})";
        }

        private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + " s";
    }
}
