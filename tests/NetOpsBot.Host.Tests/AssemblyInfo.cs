using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]

// Each test here runs a lab, a host process and often a browser; on 2 cores several at once would
// turn the latency checks (card within 1 s) into a measure of the machine's load, not of the product.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
