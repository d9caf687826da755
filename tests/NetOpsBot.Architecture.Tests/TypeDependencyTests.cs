using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// The arrows of DESIGN.md §3 in the compiled code: a type may use types only of the projects its project may
/// reference. This also catches a use that arrives through another project (Teams using Ssh's types because Cards
/// started to reference Ssh).
/// </summary>
public sealed class TypeDependencyTests
{
    public static TheoryData<string> Libraries() => [.. ProjectRules.All.Where(r => !r.IsCompositionRoot).Select(r => r.Project)];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void Types_UseOnlyTheProjectsTheirProjectMayReference(string project)
    {
        var rule = ProjectRules.For(project);
        var allowed = rule.MayReference!.Append(project).ToHashSet(StringComparer.Ordinal);
        var forbidden = ProjectRules.All.Where(r => !allowed.Contains(r.Project)).ToList();
        foreach (var target in forbidden)
        {
            var tolerated = ProjectRules.KnownFrom(project).Where(k => k.To == target.Project).SelectMany(k => k.Types).ToList();
            TypeRules.NoDependency(Assemblies.Of(project), [Assemblies.Of(target.Project)], tolerated, $"{project} must not use {target.Project}: {rule.Why}")
                .Check(Assemblies.Architecture);
        }
    }

    [Fact]
    public void KnownViolations_StillExist_OtherwiseTheirEntryMustGo()
    {
        var stale = ProjectRules.Known
            .SelectMany(k => TypeRules.StaleTolerations(Assemblies.Architecture, k.Types, Assemblies.Of(k.To)).Select(t => $"{t} no longer uses {k.To}: remove it from ProjectRules.Known ({k.RemovedBy})"))
            .ToList();
        Assert.True(stale.Count == 0, string.Join("\n", stale));
    }

    [Fact]
    public void Core_UsesNoHostingWebDatabaseSshOrConfigurationTypes() =>
        Types().That().ResideInAssembly(Assemblies.Of(ProjectRules.Core))
            .Should().NotDependOnAny(Types(true).That().ResideInNamespaceMatching(TypeRules.NotInCore))
            .Because("Core is the domain: nothing but the BCL (DESIGN.md §3)")
            .Check(Assemblies.Architecture);

    [Fact]
    public void Core_ReferencesOnlyTheBcl() =>
        Assert.Empty(TypeRules.NonBclReferences(Assemblies.Of(ProjectRules.Core)));

    [Theory]
    [MemberData(nameof(Libraries))]
    public void OnlyACompositionRoot_UsesConfigurationFiles(string project) =>
        Assert.Empty(TypeRules.ConfigurationFileProviderReferences(Assemblies.Of(project)));

    [Theory]
    [MemberData(nameof(Libraries))]
    public void OnlyACompositionRoot_BuildsAHost(string project) =>
        // The default builders add appsettings*.json, user secrets and environment variables on their own.
        Types().That().ResideInAssembly(Assemblies.Of(project))
            .Should().NotDependOnAny(Types(true).That().HaveFullName("Microsoft.Extensions.Hosting.Host")
                .Or().HaveFullName("Microsoft.AspNetCore.Builder.WebApplication")
                .Or().HaveFullName("Microsoft.Extensions.Configuration.ConfigurationBuilder"))
            .Because("nothing but the Host knows about configuration files (DESIGN.md §3)")
            .Check(Assemblies.Architecture);
}
