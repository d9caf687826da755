using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using NetOpsBot.Lab;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// The POST that receives a chat command must answer in under 100 ms at the 99th percentile with 50
/// concurrent users while diagnoses run in the background. Real host process, real lab, real SQLite.
/// Baseline in the same run: GET /healthz from the same 50 users just before (the host's HTTP floor).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class ChatBenchmark
{
    private static readonly string[] Users = ["alice", "bob", "carol"];

    public static async Task<bool> RunAsync(string repoRoot)
    {
        var run = Path.Combine(Path.GetTempPath(), "netopsbot-bench-chat-" + Guid.NewGuid().ToString("N")[..8]);
        var work = Directory.CreateTempSubdirectory("netopsbot-bench-chat-db-");
        await using var lab = await LabController.StartAsync(
            new LabOptions { RunDirectory = run, AddressBlock = 190, Scenario = ScenarioLoader.Load("seed-case"), ExtraAccessSwitches = 16 },
            NullLogger.Instance, _ => { }, CancellationToken.None).ConfigureAwait(false);
        var port = FreePort();
        var hostDll = Path.Combine(repoRoot, "src", "NetOpsBot.Host", "bin", "Release", "net10.0", "NetOpsBot.Host.dll");
        var psi = new ProcessStartInfo("/usr/bin/dotnet", [hostDll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        psi.Environment["NetOps__LabRunDirectory"] = run;
        psi.Environment["NetOps__Storage__ConnectionString"] = $"Data Source={Path.Combine(work.FullName, "bench.db")}";
        psi.Environment["NetOps__Diagnosis__DebugWindowSeconds"] = "1";
        // The benchmark measures the POST path, not the rate limiter: let every message through.
        psi.Environment["NetOps__Limits__PerUserBurst"] = "1000";
        psi.Environment["NetOps__Limits__PerChannelBurst"] = "10000";
        psi.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        using var host = Process.Start(psi)!;
        host.OutputDataReceived += (_, _) => { };
        host.ErrorDataReceived += (_, _) => { };
        host.BeginOutputReadLine();
        host.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            var sw = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    if ((await http.GetAsync("/healthz").ConfigureAwait(false)).IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (sw.Elapsed < TimeSpan.FromSeconds(60))
                {
                    await Task.Delay(200).ConfigureAwait(false);
                }
            }

            const int users = 50;
            const int perUser = 20;
            var devices = Enumerable.Range(12, 19).Select(n => string.Create(CultureInfo.InvariantCulture, $"sw-access-{n}")).ToList();

            // Warm-up: one of each request kind, not measured.
            await http.GetAsync("/healthz").ConfigureAwait(false);
            await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag help", clientMessageId = "warm" }).ConfigureAwait(false);
            await http.PostAsJsonAsync("/api/chat/messages", new { user = "alice", text = "/sshdiag sw-access-30", clientMessageId = "warm-diag" }).ConfigureAwait(false);

            var baseline = await LoadAsync(users, perUser, async (u, i) => (await http.GetAsync("/healthz").ConfigureAwait(false)).EnsureSuccessStatusCode()).ConfigureAwait(false);
            var kinds = new System.Collections.Concurrent.ConcurrentBag<(bool Diagnose, double Ms)>();
            var posts = await LoadAsync(users, perUser, async (u, i) =>
            {
                var start = Stopwatch.GetTimestamp();
                // Every 5th message starts a real diagnosis (over SSH through the jump host); the rest are
                // commands answered on the spot. Both are what a busy channel sends.
                var text = i % 5 == 0 ? "/sshdiag " + devices[(u + i) % devices.Count] : "/sshdiag help";
                var user = Users[u % Users.Length];
                (await http.PostAsJsonAsync("/api/chat/messages", new { user, text, clientMessageId = $"b{u}-{i}" }).ConfigureAwait(false)).EnsureSuccessStatusCode();
                kinds.Add((i % 5 == 0, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
            }).ConfigureAwait(false);

            var list = await http.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/incidents?limit=100").ConfigureAwait(false);
            var running = list.GetProperty("incidents").EnumerateArray().Count(i => i.GetProperty("state").GetString() == "Running");
            Console.WriteLine($"chat: POST /api/chat/messages, {users} concurrent users x {perUser} messages (1 in 5 starts a diagnosis)");
            Console.WriteLine(Fmt($"  POST    p50 {posts.P50:0.0} ms  p95 {posts.P95:0.0} ms  p99 {posts.P99:0.0} ms  max {posts.Max:0.0} ms"));
            foreach (var (label, diagnose) in new[] { ("opens an incident", true), ("answered on the spot", false) })
            {
                var ms = kinds.Where(k => k.Diagnose == diagnose).Select(k => k.Ms).Order().ToArray();
                Console.WriteLine(Fmt($"    {label,-22} n={ms.Length,4}  p50 {ms[ms.Length / 2]:0.0} ms  p99 {ms[Math.Min(ms.Length - 1, (int)(ms.Length * 0.99))]:0.0} ms"));
            }

            Console.WriteLine(Fmt($"  baseline GET /healthz, same 50 users, measured just before the diagnoses start: p50 {baseline.P50:0.0} ms  p99 {baseline.P99:0.0} ms"));
            Console.WriteLine(Fmt($"  ratio POST/healthz p99 {posts.P99 / Math.Max(0.1, baseline.P99):0.00}x; diagnoses still running when the load ended: {running}"));
            var pass = posts.P99 < 100;
            Console.WriteLine($"  target p99 < 100 ms: {(pass ? "met" : "NOT MET")}");
            return pass;
        }
        finally
        {
            host.Kill(entireProcessTree: true);
            await host.WaitForExitAsync().ConfigureAwait(false);
            work.Delete(recursive: true);
        }
    }

    private static async Task<(double P50, double P95, double P99, double Max)> LoadAsync(int users, int perUser, Func<int, int, Task> request)
    {
        var samples = new List<double>[users];
        await Task.WhenAll(Enumerable.Range(0, users).Select(async u =>
        {
            samples[u] = [];
            for (var i = 0; i < perUser; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await request(u, i).ConfigureAwait(false);
                samples[u].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ConfigureAwait(false);
        var all = samples.SelectMany(s => s).Order().ToArray();
        double P(double q) => all[Math.Min(all.Length - 1, (int)(all.Length * q))];
        return (P(0.5), P(0.95), P(0.99), all[^1]);
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
