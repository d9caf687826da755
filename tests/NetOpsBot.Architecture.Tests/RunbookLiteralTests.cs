using System.Text.RegularExpressions;
using NetOpsBot.Platforms;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16, seam 1: Core and the chat surfaces read a runbook's id and command word from the registry, so a second
/// runbook (or a renamed command) changes no file there. A string literal naming a registered runbook's id or command
/// in their code is the shortcut this rule catches; comments may still use them as examples.
/// </summary>
public sealed partial class RunbookLiteralTests
{
    public static TheoryData<string> RunbookNeutralProjects() => [ProjectRules.Core, ProjectRules.Cards, ProjectRules.Teams, ProjectRules.Slack, ProjectRules.Alerts, ProjectRules.Cli, ProjectRules.Host];

    [Theory]
    [MemberData(nameof(RunbookNeutralProjects))]
    public void NoStringLiteral_NamesARunbooksIdOrCommand(string project)
    {
        var root = Path.Combine(ProjectFile.SourceRoot, project);
        var found = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(p => Literals(File.ReadAllText(p)).Select(line => $"{Path.GetRelativePath(root, p)}: {line}"))
            .ToList();
        Assert.True(found.Count == 0, "read the runbook's id or command word from the RunbookRegistry instead:\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheWebChatPage_NamesNoRunbookCommand()
    {
        // The composer's hint comes from /api/chat/users (the registry's default runbook), not from the page.
        var root = Path.Combine(ProjectFile.SourceRoot, ProjectRules.Host, "wwwroot");
        var words = KnownRunbooks.Definitions.SelectMany(d => new[] { d.Id, d.CommandWord }).ToList();
        var found = Directory.GetFiles(root, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".html", StringComparison.Ordinal) || p.EndsWith(".js", StringComparison.Ordinal))
            .SelectMany(p => File.ReadAllLines(p).Where(l => words.Any(w => l.Contains(w, StringComparison.Ordinal))).Select(l => $"{Path.GetFileName(p)}: {l.Trim()}"))
            .ToList();
        Assert.True(found.Count == 0, "the web chat reads the runbook's command from the server:\n" + string.Join("\n", found));
    }

    [Fact]
    public void TheRule_CatchesALiteral_AndLeavesCommentsAlone()
    {
        const string Source = """
            /// <summary>Answers <c>/sshdiag help</c>.</summary>
            // "sshdiag incident <id>" shows the card
            var help = "Try `/sshdiag help`.";
            var runbook = "ssh-unreachable";
            var word = "sshdiagnose";
            """;
        Assert.Equal(["var help = \"Try `/sshdiag help`.\";", "var runbook = \"ssh-unreachable\";", "var word = \"sshdiagnose\";"], Literals(Source));
        Assert.Empty(Literals("var other = \"/ifdiag\";"));
    }

    /// <summary>Code lines (not comments) with a string literal that holds a registered runbook's id or command word.</summary>
    private static List<string> Literals(string source)
    {
        var words = KnownRunbooks.Definitions.SelectMany(d => new[] { d.Id, d.CommandWord }).ToList();
        return [.. source.Split('\n')
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith("//", StringComparison.Ordinal))
            .Where(l => StringLiteral().Matches(l).Any(m => words.Any(w => m.Value.Contains(w, StringComparison.Ordinal))))];
    }

    [GeneratedRegex("\"[^\"\\n]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex StringLiteral();
}
