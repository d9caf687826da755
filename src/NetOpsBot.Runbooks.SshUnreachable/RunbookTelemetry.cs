using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NetOpsBot.Runbooks.SshUnreachable;

/// <summary>Traces and metrics of the runbook (<c>NetOpsBot.Runbooks.SshUnreachable</c>): one span per run and per step, step durations by status.</summary>
public static class RunbookTelemetry
{
    public const string Name = "NetOpsBot.Runbooks.SshUnreachable";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);

    /// <summary>Duration of one runbook step, tagged with the step id and its status.</summary>
    public static readonly Histogram<double> StepDuration = s_meter.CreateHistogram<double>(
        "netopsbot.diagnosis.step.duration", unit: "s", description: "Duration of one diagnosis step");

    /// <summary>Duration of a whole diagnosis, tagged with the verdict's root cause.</summary>
    public static readonly Histogram<double> RunDuration = s_meter.CreateHistogram<double>(
        "netopsbot.diagnosis.duration", unit: "s", description: "Duration of a whole diagnosis run");
}
