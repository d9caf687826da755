using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]

// The end-to-end tests run a lab, a host process and the fake Slack; on 2 cores two at once would make
// the acknowledgement-time checks measure the machine's load rather than the product.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
