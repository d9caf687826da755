namespace NetOpsBot.Testing;

/// <summary>Locates the checkout so tests can read shared fixtures without depending on the working directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The real VRP outputs with provenance; they live beside the checkout, in ../shared.</summary>
    public static string VrpSamples => Path.GetFullPath(Path.Combine(Root, "..", "shared", "vrp-samples"));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NetOpsBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("NetOpsBot.sln not found above " + AppContext.BaseDirectory);
    }
}
