using System.Globalization;
using NetOpsBot.Benchmarks;

// Each benchmark prints absolute figures AND a ratio against a baseline measured in the same run,
// because absolute times on a shared 2-core machine mean little.
// Usage: [all|parsers|diagnosis|chat|burst|alerts|verdicts|coldstart|platforms] [runs]   (chat, burst, alerts and verdicts need the Host and the CLI built: `dotnet build -c Release NetOpsBot.sln`)   (runs: single-device repetitions of the diagnosis benchmark)
var which = args.Length > 0 ? args[0] : "all";
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
var ok = true;
if (which is "all" or "parsers")
{
    ok &= ParserBenchmark.Run();
}

if (which is "all" or "diagnosis")
{
    if (OperatingSystem.IsLinux())
    {
        ok &= await DiagnosisBenchmark.RunAsync(runs).ConfigureAwait(false);
    }
    else
    {
        Console.WriteLine("diagnosis: needs the lab (Linux, OpenSSH sshd); skipped");
        ok = false;
    }
}

// Not part of "all": eight labs one after another.
if (which is "platforms")
{
    ok &= OperatingSystem.IsLinux() && await DiagnosisBenchmark.RunPlatformsAsync(args.Length > 1 ? runs : 3).ConfigureAwait(false);
}

if (which is "all" or "chat" or "burst" or "alerts" or "verdicts" or "coldstart")
{
    if (OperatingSystem.IsLinux())
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "NetOpsBot.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("NetOpsBot.sln not found");
        }

        // Before/after figures from one benchmark: NETOPSBOT_BENCH_ROOT points at another tree's built Host and CLI.
        if (Environment.GetEnvironmentVariable("NETOPSBOT_BENCH_ROOT") is { Length: > 0 } other)
        {
            root = other;
        }

        if (which is "all" or "chat")
        {
            ok &= await ChatBenchmark.RunAsync(root).ConfigureAwait(false);
        }

        if (which is "all" or "burst")
        {
            ok &= await ChatBenchmark.RunBurstAsync(root).ConfigureAwait(false);
        }

        // Not part of "all": ten labs and hosts one after another take some minutes.
        if (which is "alerts")
        {
            ok &= await ChatBenchmark.RunAlertsAsync(root).ConfigureAwait(false);
        }

        // Not part of "all": a fresh lab and host per round.
        if (which is "coldstart")
        {
            ok &= await ChatBenchmark.RunColdStartAsync(root, args.Length > 1 ? runs : 5).ConfigureAwait(false);
        }

        // Not part of "all" either: one lab and host per scenario, and each scenario's timeouts, take some minutes.
        if (which is "verdicts")
        {
            ok &= await ChatBenchmark.RunVerdictsAsync(root, args.Length > 1 ? runs : 3).ConfigureAwait(false);
        }
    }
}

return ok ? 0 : 1;
