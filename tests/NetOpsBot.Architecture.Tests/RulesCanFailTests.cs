using ArchUnitNET.xUnit;
using NetOpsBot.Architecture.Tests.Canaries;

namespace NetOpsBot.Architecture.Tests;

/// <summary>
/// Each rule, fed a deliberate violation, must fail: the canaries (Canaries.cs) and made-up project files. Without
/// these, a rule that matches nothing (a wrong assembly, a typo in a pattern) would pass forever.
/// </summary>
public sealed class RulesCanFailTests
{
    private const string CanaryNamespace = "NetOpsBot.Architecture.Tests.Canaries";
    private static readonly System.Reflection.Assembly Tests = typeof(RulesCanFailTests).Assembly;

    [Fact]
    public void TypeRule_CatchesAUseOfAForbiddenProject()
    {
        var rule = TypeRules.NoDependency(Tests, [Assemblies.Of(ProjectRules.Vrp)], [], "canary", CanaryNamespace);
        Assert.False(rule.HasNoViolations(Assemblies.Architecture));
        var failure = Assert.ThrowsAny<Exception>(() => rule.Check(Assemblies.Architecture));
        Assert.Contains(typeof(UsesVrp).FullName!, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeRule_CatchesAUseInsideACompilerMadeNestedType()
    {
        var rule = TypeRules.NoDependency(Tests, [Assemblies.Of(ProjectRules.Ssh)], [], "canary", CanaryNamespace);
        var failure = Assert.ThrowsAny<Exception>(() => rule.Check(Assemblies.Architecture));
        Assert.Contains(typeof(UsesSshInsideAsync).FullName!, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TypeRule_ToleratesOnlyTheNamedTypesAndTheirNestedTypes()
    {
        var forbidden = new[] { Assemblies.Of(ProjectRules.Vrp), Assemblies.Of(ProjectRules.Ssh) };
        Assert.True(TypeRules.NoDependency(Tests, forbidden, [typeof(UsesVrp).FullName!, typeof(UsesSshInsideAsync).FullName!], "canary", CanaryNamespace)
            .HasNoViolations(Assemblies.Architecture));
        Assert.False(TypeRules.NoDependency(Tests, forbidden, [typeof(UsesVrp).FullName!], "canary", CanaryNamespace)
            .HasNoViolations(Assemblies.Architecture));
        // A prefix of a tolerated name is a different type, not a tolerated one.
        Assert.False(TypeRules.NoDependency(Tests, forbidden, [typeof(UsesVrp).FullName!, CanaryNamespace + ".UsesSsh"], "canary", CanaryNamespace)
            .HasNoViolations(Assemblies.Architecture));
    }

    [Fact]
    public void TypeRule_PassesCodeThatUsesOnlyAllowedProjects() =>
        Assert.True(TypeRules.NoDependency(Tests, [Assemblies.Of(ProjectRules.Storage)], [], "canary", CanaryNamespace).HasNoViolations(Assemblies.Architecture));

    [Fact]
    public void StaleToleration_IsReported()
    {
        var vrp = Assemblies.Of(ProjectRules.Vrp);
        Assert.Empty(TypeRules.StaleTolerations(Assemblies.Architecture, [typeof(UsesVrp).FullName!], vrp));
        Assert.Equal([typeof(UsesCoreOnly).FullName!], TypeRules.StaleTolerations(Assemblies.Architecture, [typeof(UsesCoreOnly).FullName!], vrp));
    }

    [Fact]
    public void ConfigurationFileRule_CatchesAJsonFileProvider() =>
        Assert.Contains("Microsoft.Extensions.Configuration.Json", TypeRules.ConfigurationFileProviderReferences(Tests));

    [Fact]
    public void BclOnlyRule_CatchesAPackage() =>
        Assert.Contains("NetOpsBot.Vrp", TypeRules.NonBclReferences(Tests));

    [Fact]
    public void CoverageRule_CatchesAProjectWithoutARule() =>
        Assert.Single(ProjectChecks.Uncovered([ProjectRules.Core, "NetOpsBot.Pager"], ProjectRules.All), p => p.StartsWith("NetOpsBot.Pager ", StringComparison.Ordinal));

    [Theory]
    [InlineData(ProjectRules.Cards, ProjectRules.Ssh)]
    [InlineData(ProjectRules.Teams, ProjectRules.Slack)]
    [InlineData(ProjectRules.Slack, ProjectRules.Storage)]
    [InlineData(ProjectRules.Core, ProjectRules.Vrp)]
    [InlineData(ProjectRules.LabEmulator, ProjectRules.Vrp)]
    [InlineData(ProjectRules.Ssh, ProjectRules.Storage)]
    [InlineData(ProjectRules.Ssh, ProjectRules.Vrp)]
    [InlineData(ProjectRules.Ssh, ProjectRules.IosXe)]
    [InlineData(ProjectRules.IosXe, ProjectRules.Vrp)]
    [InlineData(ProjectRules.RunbookSshUnreachable, ProjectRules.Vrp)]
    [InlineData(ProjectRules.RunbookSshUnreachable, ProjectRules.IosXe)]
    [InlineData(ProjectRules.Core, ProjectRules.RunbookSshUnreachable)]
    [InlineData(ProjectRules.Cards, ProjectRules.RunbookSshUnreachable)]
    [InlineData(ProjectRules.Teams, ProjectRules.RunbookSshUnreachable)]
    [InlineData(ProjectRules.Slack, ProjectRules.RunbookSshUnreachable)]
    [InlineData(ProjectRules.Storage, ProjectRules.RunbookSshUnreachable)]
    public void ReferenceRule_CatchesAForbiddenProjectReference(string from, string to)
    {
        var file = ProjectFile.Parse(from, Csproj($"""<ProjectReference Include="../{to}/{to}.csproj" />"""));
        Assert.Single(ProjectChecks.ReferenceViolations(file, ProjectRules.For(from), ProjectRules.Known), p => p.Contains(to, StringComparison.Ordinal));
    }

    [Fact]
    public void ReferenceRule_KnownViolationPassesWhileItExists_AndMustBeDeletedOnceGone()
    {
        // The list is empty since seam 2; the mechanism stays for the next tolerated arrow, so check it on one.
        KnownViolation[] known = [new(ProjectRules.Ssh, ProjectRules.Vrp, ["NetOpsBot.Ssh.Example"], "a canary")];
        var today = ProjectFile.Parse(ProjectRules.Ssh, Csproj("""<ProjectReference Include="../NetOpsBot.Core/NetOpsBot.Core.csproj" /><ProjectReference Include="..\NetOpsBot.Vrp\NetOpsBot.Vrp.csproj" />"""));
        Assert.Empty(ProjectChecks.ReferenceViolations(today, ProjectRules.For(ProjectRules.Ssh), known));
        Assert.NotEmpty(ProjectChecks.ReferenceViolations(today, ProjectRules.For(ProjectRules.Ssh), ProjectRules.Known));
        var afterSeam = ProjectFile.Parse(ProjectRules.Ssh, Csproj("""<ProjectReference Include="../NetOpsBot.Core/NetOpsBot.Core.csproj" />"""));
        Assert.Single(ProjectChecks.ReferenceViolations(afterSeam, ProjectRules.For(ProjectRules.Ssh), known), p => p.Contains("delete its KnownViolation", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ProjectRules.Cards, "Microsoft.Extensions.Configuration.Json")]
    [InlineData(ProjectRules.Teams, "SSH.NET")]
    [InlineData(ProjectRules.Slack, "Microsoft.EntityFrameworkCore.Sqlite")]
    [InlineData(ProjectRules.Core, "YamlDotNet")]
    [InlineData(ProjectRules.Vrp, "Microsoft.AspNetCore.App")]
    public void PackageRule_CatchesAForbiddenPackage(string project, string package)
    {
        var file = ProjectFile.Parse(project, Csproj($"""<PackageReference Include="{package}" />"""));
        Assert.NotEmpty(ProjectChecks.PackageViolations(file, ProjectRules.For(project)));
    }

    private static string Csproj(string items) => $"""<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>{items}</ItemGroup></Project>""";
}
