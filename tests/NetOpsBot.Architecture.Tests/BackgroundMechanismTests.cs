using System.Text.RegularExpressions;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16 seam 3: work that outlives its caller starts on Core's <c>BackgroundJobs</c> (its queue for chat work, its
/// long lane for diagnoses, executions, recovery watches and re-checks), which is tracked, stopped and reported. A
/// <c>Task.Run</c> in Core, the Host or a chat surface is a fifth mechanism nobody stops: it fails here. The two
/// mechanisms' own files start their tasks, and the card publisher's coalescer runs one publication per incident.
/// </summary>
public sealed partial class BackgroundMechanismTests
{
    private static readonly string[] Allowed = ["BackgroundJobs.cs", "UpdateCoalescer.cs"];

    [Fact]
    public void CoreHostAndSurfaces_StartNoTaskOfTheirOwn()
    {
        var found = new List<string>();
        foreach (var project in (string[])[ProjectRules.Core, ProjectRules.Host, ProjectRules.Teams, ProjectRules.Slack])
        {
            var root = Path.Combine(ProjectFile.SourceRoot, project);
            foreach (var file in Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
                .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !Allowed.Contains(Path.GetFileName(p))))
            {
                found.AddRange(Starts(File.ReadAllText(file)).Select(line => $"{project}/{Path.GetRelativePath(root, file)}: {line}"));
            }
        }

        Assert.True(found.Count == 0, "start background work with BackgroundJobs.Start (long) or TryEnqueue (chat work):\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheRule_CatchesTaskRunAndFactoryStartNew_NotComments()
    {
        const string Source = """
            // Task.Run(() => x) is what we avoid
            var run = Task.Run(() => RunAsync());
            _ = Task.Factory.StartNew(Work);
            """;
        Assert.Equal(["var run = Task.Run(() => RunAsync());", "_ = Task.Factory.StartNew(Work);"], Starts(Source));
    }

    private static List<string> Starts(string source) =>
        [.. source.Split('\n').Select(l => l.Trim()).Where(l => !l.StartsWith("//", StringComparison.Ordinal) && TaskStart().IsMatch(l))];

    [GeneratedRegex(@"\bTask\s*\.\s*(Run|Factory\s*\.\s*StartNew)\s*\(")]
    private static partial Regex TaskStart();
}
