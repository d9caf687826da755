using System.Text.RegularExpressions;
using NetOpsBot.Core.Runbooks;
using NetOpsBot.Platforms;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Issue 16, seam 1: a runbook's root causes belong to the runbook (its definition's catalogue), so no other project
/// holds a closed list of them. A string literal naming a registered runbook's fault code (anything but the shared
/// "healthy" no-fault code) outside the runbook's own project is that closed list. The only other files that may name
/// one are the platforms' remediation planners: a platform implements the runbook, and its plan ids start with the
/// cause they fix ("return-route-missing.default-route").
/// </summary>
public sealed partial class RootCauseLiteralTests
{
    /// <summary>The platforms' remediation planners, which plan fixes for the runbook's causes by code.</summary>
    private static readonly string[] Planners =
    [
        Path.Combine(ProjectRules.Vrp, "Remediation", "SshUnreachableRemediations.cs"),
        Path.Combine(ProjectRules.IosXe, "Remediation", "IosXeRemediations.cs"),
    ];

    /// <summary>
    /// The lab shares no code with the product (DESIGN.md §3): its scenario names ("listener-stuck") are the faults it
    /// breaks a switch with, checked against the product from the outside, not the product's catalogue.
    /// </summary>
    private static readonly string[] OutsideTheProduct = [ProjectRules.Lab, ProjectRules.LabEmulator, ProjectRules.LabVty];

    [Fact]
    public void NoFileOutsideTheRunbook_NamesItsFaultCodes()
    {
        var unexpected = FilesNamingACode().Where(f => !Planners.Contains(f.File)).Select(f => $"{f.File}: {f.Line}").ToList();
        Assert.True(unexpected.Count == 0, "a runbook's root causes live in its definition (RunbookCause); read them through the RunbookRegistry:\n" + string.Join("\n", unexpected));
    }

    [Fact]
    public void ThePlanners_StillNameACode_ElseDeleteThemFromTheList()
    {
        var naming = FilesNamingACode().Select(f => f.File).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(Planners, t => !naming.Contains(t));
    }

    [Fact]
    public void TheRule_CatchesACodeLiteral_AndLeavesCommentsAndHealthyAlone()
    {
        const string Source = """
            /// <summary>"return-route-missing" is the reference case.</summary>
            // "listener-stuck" is the other one
            var cause = "return-route-missing";
            var plan = "listener-stuck.reboot";
            var healthy = "healthy";
            var longer = "not-listener-stuck-at-all";
            """;
        Assert.Equal(["var cause = \"return-route-missing\";", "var plan = \"listener-stuck.reboot\";"], Literals(Source));
    }

    [Fact]
    public void TheRule_ScansEveryProductProject_ButNotTheRunbooks()
    {
        var scanned = ScannedProjects();
        Assert.Contains(ProjectRules.Core, scanned);
        Assert.Contains(ProjectRules.Cards, scanned);
        Assert.Contains(ProjectRules.Host, scanned);
        Assert.Contains(ProjectRules.Vrp, scanned);
        Assert.DoesNotContain(ProjectRules.RunbookSshUnreachable, scanned);
        Assert.DoesNotContain(ProjectRules.Lab, scanned);
    }

    /// <summary>Every project under src/ but the runbooks' own (NetOpsBot.Runbooks.*) and the lab's.</summary>
    private static List<string> ScannedProjects() =>
        [.. ProjectFile.AllUnderSrc().Select(p => p.Name)
            .Where(n => !n.StartsWith("NetOpsBot.Runbooks.", StringComparison.Ordinal) && !OutsideTheProduct.Contains(n))];

    private static List<(string File, string Line)> FilesNamingACode()
    {
        var src = ProjectFile.SourceRoot;
        return [.. ScannedProjects()
            .SelectMany(project => Directory.GetFiles(Path.Combine(src, project), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(p => Literals(File.ReadAllText(p)).Select(line => (Path.GetRelativePath(src, p), line)))];
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
