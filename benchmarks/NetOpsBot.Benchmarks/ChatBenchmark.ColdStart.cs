using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// First card after a cold host start, as the web chat sees it: a fresh host process (nothing run through it yet),
/// the page's event stream open, `/sshdiag sw-access-12` posted, the time until the stream delivers that incident's
/// first card. Baseline in the same run, on the same host: the same measure for the next `/sshdiag` (another
/// switch, so it opens its own incident), when everything the first request touched is warm. Each round is a fresh
/// lab and host; the figure is the median.
/// </summary>
internal static partial class ChatBenchmark
{
    private static readonly string[] PageLoad = ["/", "/app.js", "/api/chat/users", "/api/incidents?limit=20"];

    public static async Task<bool> RunColdStartAsync(string repoRoot, int rounds)
    {
        Console.WriteLine($"coldstart: a fresh host, the web chat's page loaded (its GETs and event stream), /sshdiag sw-access-12 -> its first card on the stream; baseline: the next /sshdiag (sw-access-13) on the same, now warm host; median of {rounds} rounds");
        var cold = new List<double>();
        var warm = new List<double>();
        var ready = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            await WithLabAndHostAsync(
                repoRoot,
                LabWeight.Unchanged,
                async host =>
                {
                    // What the page loads before anyone can type (index, script, users, recent incidents), as a browser would.
                    foreach (var path in PageLoad)
                    {
                        (await host.Http.GetAsync(path).ConfigureAwait(false)).EnsureSuccessStatusCode();
                    }

                    using var stream = new HttpClient { BaseAddress = host.Url, Timeout = Timeout.InfiniteTimeSpan };
                    using var response = await stream.GetAsync("/api/chat/stream", HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync().ConfigureAwait(false));
                    var events = new CardEvents(reader);
                    await events.WaitForAsync("hello", null, TimeSpan.FromSeconds(10)).ConfigureAwait(false);

                    var first = await FirstCardAsync(host.Http, events, "sw-access-12").ConfigureAwait(false);
                    var second = await FirstCardAsync(host.Http, events, "sw-access-13").ConfigureAwait(false);
                    cold.Add(first);
                    warm.Add(second);
                    ready.Add(host.StartToHealthy.TotalMilliseconds);
                    Console.WriteLine(Fmt($"    round {round + 1}: process start -> healthy {host.StartToHealthy.TotalMilliseconds:0} ms; first card: cold {first:0} ms, warm {second:0} ms"));
                    return new Outcome(true, double.NaN, double.NaN);
                },
                "seed-case",
                extraSwitches: 0,
                Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_HOST_LOG") is { Length: > 0 } ? new Dictionary<string, string> { ["Serilog__MinimumLevel__Default"] = "Debug" } : null).ConfigureAwait(false);
        }

        var (c, w) = (Median(cold), Median(warm));
        Console.WriteLine(Fmt($"  process start -> /healthz answers: median {Median(ready):0} ms"));
        Console.WriteLine(Fmt($"  first card, cold host: median {c:0} ms (min {cold.Min():0}, max {cold.Max():0}); warm host: median {w:0} ms; cold/warm {c / w:0.0}x"));
        var met = c <= 1000;
        Console.WriteLine($"  target: first card after a cold start <= 1 s: {(met ? "met" : "NOT MET")}");
        return met;
    }

    /// <summary>Milliseconds from sending the message to the stream's first card event for the incident it opened.</summary>
    private static async Task<double> FirstCardAsync(HttpClient http, CardEvents events, string device)
    {
        var sw = Stopwatch.StartNew();
        var post = http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag " + device, clientMessageId = $"coldbench-{Guid.NewGuid():N}" });
        // The card may reach the stream before the POST's answer: read the stream at once, match on the device.
        var seen = await events.WaitForAsync("card", device, TimeSpan.FromSeconds(30), sw).ConfigureAwait(false);
        (await post.ConfigureAwait(false)).EnsureSuccessStatusCode();
        return seen.TotalMilliseconds;
    }

    /// <summary>The web chat's server-sent events, read as the page reads them (event name, JSON data).</summary>
    private sealed class CardEvents(StreamReader reader)
    {
        public async Task<TimeSpan> WaitForAsync(string name, string? device, TimeSpan limit, Stopwatch? since = null)
        {
            var sw = since ?? Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(limit);
            string? eventName = null;
            while (true)
            {
                var line = await reader.ReadLineAsync(cts.Token).ConfigureAwait(false) ?? throw new InvalidOperationException("the stream ended");
                if (line.StartsWith("event:", StringComparison.Ordinal))
                {
                    eventName = line["event:".Length..].Trim();
                }
                else if (line.StartsWith("data:", StringComparison.Ordinal) && eventName == name)
                {
                    if (device is null)
                    {
                        return sw.Elapsed;
                    }

                    using var data = JsonDocument.Parse(line["data:".Length..]);
                    if (data.RootElement.TryGetProperty("device", out var d) && d.GetString() == device && data.RootElement.TryGetProperty("card", out _))
                    {
                        return sw.Elapsed;
                    }
                }
                else if (line.Length == 0)
                {
                    eventName = null;
                }
            }
        }
    }
}
