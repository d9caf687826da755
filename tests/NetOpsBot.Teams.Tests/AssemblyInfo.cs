using System.Runtime.Versioning;

[assembly: SupportedOSPlatform("linux")]

// The end-to-end tests run a lab, a host, the Agents Playground and a browser; on 2 cores several at once
// would measure the machine's load, not the product.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
