using System.Diagnostics;
using System.Globalization;
using System.Text;
using NetOpsBot.Vrp;

namespace NetOpsBot.Benchmarks;

/// <summary>
/// `display tcp status` with 10,000 sockets (a busy core switch) must parse in under 5 ms.
/// Baseline: splitting the same text into lines, the least any parser must do.
/// </summary>
internal static class ParserBenchmark
{
    public static bool Run()
    {
        var text = BuildTcpStatus(10_000);
        const int rounds = 200;

        // Warm up both paths past tiered compilation (30 calls, then a background tier-1 compile)
        // so neither is measured in its unoptimised form.
        for (var i = 0; i < 150; i++)
        {
            _ = TcpStatusParser.Parse(text);
            _ = text.Split('\n');
        }

        var parse = Measure(rounds, () => TcpStatusParser.Parse(text).Value!.Sockets.Count);
        var split = Measure(rounds, () => text.Split('\n').Length);
        var sockets = TcpStatusParser.Parse(text).Value!.Sockets.Count;

        Console.WriteLine("parsers: display tcp status, 10,000 lines");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  sockets parsed        {sockets}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  parse   median {parse.Median:0.000} ms  p95 {parse.P95:0.000} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  baseline (line split) median {split.Median:0.000} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  ratio parse/split     {parse.Median / split.Median:0.00}x"));
        var pass = parse.Median < 5.0 && sockets == 10_000;
        Console.WriteLine($"  target < 5 ms median: {(pass ? "met" : "NOT MET")}");
        return pass;
    }

    private static (double Median, double P95) Measure(int rounds, Func<int> action)
    {
        var samples = new double[rounds];
        var sink = 0;
        for (var i = 0; i < rounds; i++)
        {
            var start = Stopwatch.GetTimestamp();
            sink += action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        GC.KeepAlive(sink);
        Array.Sort(samples);
        return (samples[rounds / 2], samples[(int)(rounds * 0.95)]);
    }

    private static string BuildTcpStatus(int lines)
    {
        var sb = new StringBuilder();
        sb.Append("<sw-core-01>display tcp status\r\n");
        sb.Append("TCPCB    Tid/Soid Local Add:port        Foreign Add:port      VPNID  State\r\n");
        for (var i = 0; i < lines; i++)
        {
            var listening = i % 50 == 0;
            var local = listening ? string.Create(CultureInfo.InvariantCulture, $"0.0.0.0:{1025 + i}") : string.Create(CultureInfo.InvariantCulture, $"10.12.{i / 250 % 250}.{i % 250}:22");
            var foreign = listening ? "0.0.0.0:0" : string.Create(CultureInfo.InvariantCulture, $"10.200.0.{i % 250}:{20000 + i}");
            var state = listening ? "Listening" : "Established";
            sb.Append(CultureInfo.InvariantCulture, $"{0x0d430000 + i:x8} {100 + (i % 50)}/{i % 9 + 1}    {local,-21} {foreign,-21} -1     {state}\r\n");
        }

        sb.Append("<sw-core-01>");
        return sb.ToString();
    }
}
