using NetOpsBot.Benchmarks;

// Each benchmark prints absolute figures AND a ratio against a baseline measured in the same run,
// because absolute times on a shared 2-core machine mean little.
var which = args.Length > 0 ? args[0] : "all";
var ok = true;
if (which is "all" or "parsers")
{
    ok &= ParserBenchmark.Run();
}

return ok ? 0 : 1;
