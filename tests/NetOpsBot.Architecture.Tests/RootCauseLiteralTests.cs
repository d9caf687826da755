using System.Text.RegularExpressions;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Platforms;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16, seam 1: a runbook's root causes belong to the runbook (its definition's catalogue), so Core holds no
/// closed list for one runbook. A string literal in Core naming a registered runbook's fault code (anything but the
/// shared "no fault" cause) is that closed list. The files that still hold one are tolerated by name until the
/// catalogue moves out; the list only shrinks: a tolerated file that no longer names a code fails too.
/// </summary>
public sealed partial class RootCauseLiteralTests
{
    /// <summary>Core files that still define the ssh-unreachable causes' texts and phrases (issue 16 seam 1, step 3: move them to the runbook).</summary>
    private static readonly string[] Tolerated =
    [
        Path.Combine("Diagnosis", "RootCause.cs"),
        Path.Combine("Diagnosis", "RootCauseCatalogue.cs"),
    ];

    [Fact]
    public void Core_NamesNoRunbooksFaultCode_OutsideTheToleratedFiles()
    {
        var found = CoreFilesNamingACode();
        var unexpected = found.Where(f => !Tolerated.Contains(f.File)).Select(f => $"{f.File}: {f.Line}").ToList();
        Assert.True(unexpected.Count == 0, "a runbook's root causes live in its definition (RunbookCause); Core reads them through the RunbookRegistry:\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public void ToleratedFiles_StillNameACode_ElseDeleteThemFromTheList()
    {
        var naming = CoreFilesNamingACode().Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(Tolerated, t => !naming.Contains(t));
    }

    [Fact]
    public void TheRule_CatchesACodeLiteral_AndLeavesCommentsAndHealthyAlone()
    {
        const string Source = """
            /// <summary>"return-route-missing" is the reference case.</summary>
            // "listener-stuck" is the other one
            var cause = "return-route-missing";
            var healthy = "healthy";
            """;
        Assert.Equal(["var cause = \"return-route-missing\";"], Literals(Source));
    }

    private static List<(string File, string Line)> CoreFilesNamingACode()
    {
        var root = Path.Combine(ProjectFile.SourceRoot, ProjectRules.Core);
        return [.. Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(p => Literals(File.ReadAllText(p)).Select(line => (Path.GetRelativePath(root, p), line)))];
    }

    /// <summary>Code lines (not comments) with a string literal that is, or holds, a registered runbook's fault code.</summary>
    private static List<string> Literals(string source)
    {
        var codes = KnownRunbooks.Definitions.SelectMany(d => d.Causes).Where(c => c.Severity != RootCauseSeverity.NoFault).Select(c => c.Code).ToList();
        return [.. source.Split('\n')
            .Select(l => l.Trim())
            .Where(l => !l.StartsWith("//", StringComparison.Ordinal))
            .Where(l => StringLiteral().Matches(l).Any(m => codes.Any(c => CodeIn(m.Value, c))))];
    }

    /// <summary>The code as a whole kebab word ("listener-stuck", "listener-stuck.reboot"), not a part of a longer one.</summary>
    private static bool CodeIn(string literal, string code) =>
        Regex.IsMatch(literal, $@"(?<![a-z0-9-]){Regex.Escape(code)}(?![a-z0-9-])", RegexOptions.CultureInvariant);

    [GeneratedRegex("\"[^\"\\n]*\"", RegexOptions.CultureInvariant)]
    private static partial Regex StringLiteral();
}
