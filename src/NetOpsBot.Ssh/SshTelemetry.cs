using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace NetOpsBot.Ssh;

/// <summary>
/// Traces and metrics of the connector (<c>NetOpsBot.Ssh</c>). Tags carry names, hops and outcomes only:
/// never a credential, a command's output or a key.
/// </summary>
public static class SshTelemetry
{
    public const string Name = "NetOpsBot.Ssh";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter s_meter = new(Name);

    /// <summary>TCP connect + key exchange + authentication of one hop (jump host or device), in seconds.</summary>
    public static readonly Histogram<double> ConnectDuration = s_meter.CreateHistogram<double>(
        "netopsbot.ssh.connect.duration", unit: "s", description: "SSH connect time (TCP, key exchange, authentication) per hop");

    internal static void RecordConnect(string hop, string target, string outcome, TimeSpan elapsed) =>
        ConnectDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("netopsbot.ssh.hop", hop),
            new KeyValuePair<string, object?>("netopsbot.ssh.target", target),
            new KeyValuePair<string, object?>("netopsbot.outcome", outcome));
}
