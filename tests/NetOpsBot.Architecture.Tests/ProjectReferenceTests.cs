namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// The arrows of DESIGN.md §3 as the project files declare them. A declared reference counts even when nothing uses
/// it yet: it is the door the next shortcut walks through.
/// </summary>
public sealed class ProjectReferenceTests
{
    public static TheoryData<string> RuledProjects() => [.. ProjectRules.All.Select(r => r.Project)];

    [Fact]
    public void EverySourceProject_HasARule()
    {
        var projects = ProjectFile.AllUnderSrc().Select(p => p.Name).ToList();
        Assert.Contains(ProjectRules.Core, projects);
        Assert.Empty(ProjectChecks.Uncovered(projects, ProjectRules.All));
    }

    [Fact]
    public void EveryRule_NamesAProjectThatExists()
    {
        var projects = ProjectFile.AllUnderSrc().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = ProjectRules.All.Select(r => r.Project).Concat(ProjectRules.All.SelectMany(r => r.MayReference ?? []))
            .Concat(ProjectRules.Known.SelectMany(k => new[] { k.From, k.To }))
            .Where(p => !projects.Contains(p))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(unknown.Count == 0, "ProjectRules names projects that are not under src/: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryRuledProject_IsLoadedByTheseTests()
    {
        // A project the test project does not reference would pass the type rules by being absent.
        var missing = ProjectFile.AllUnderSrc().Where(p => Assemblies.TryLoad(p.AssemblyName) is null).Select(p => p.Name).ToList();
        Assert.True(missing.Count == 0, "add a ProjectReference to NetOpsBot.Architecture.Tests.csproj for: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(RuledProjects))]
    public void ProjectReferences_FollowTheRule(string project)
    {
        var file = ProjectFile.AllUnderSrc().Single(p => p.Name == project);
        var problems = ProjectChecks.ReferenceViolations(file, ProjectRules.For(project), ProjectRules.Known);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(RuledProjects))]
    public void PackageReferences_FollowTheRule(string project)
    {
        var file = ProjectFile.AllUnderSrc().Single(p => p.Name == project);
        var problems = ProjectChecks.PackageViolations(file, ProjectRules.For(project));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
