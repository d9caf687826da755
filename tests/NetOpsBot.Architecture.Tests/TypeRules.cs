using System.Reflection;
using System.Text.RegularExpressions;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Loader;
using static ArchUnitNET.Fluent.ArchRuleDefinition;
using ArchAssembly = System.Reflection.Assembly;

namespace NetOpsBot.Architecture.Tests;

/// <summary>Our assemblies, loaded once (ArchUnitNET's import is the slow part).</summary>
internal static class Assemblies
{
    private static readonly Lazy<ArchUnitNET.Domain.Architecture> Loaded = new(() =>
        new ArchLoader().LoadAssemblies([.. Ours(), typeof(Assemblies).Assembly]).Build());

    public static ArchUnitNET.Domain.Architecture Architecture => Loaded.Value;

    /// <summary>The assembly of every project under src/ (the CLI's is named netopsbot).</summary>
    public static IReadOnlyList<ArchAssembly> Ours() => [.. ProjectFile.AllUnderSrc().Select(p => Of(p.Name))];

    public static ArchAssembly Of(string project)
    {
        var file = ProjectFile.AllUnderSrc().SingleOrDefault(p => p.Name == project) ?? throw new KeyNotFoundException(project + " is not under src/");
        return TryLoad(file.AssemblyName) ?? throw new InvalidOperationException($"{project} ({file.AssemblyName}.dll) is not referenced by NetOpsBot.Architecture.Tests");
    }

    public static ArchAssembly? TryLoad(string assemblyName)
    {
        try
        {
            return ArchAssembly.Load(new AssemblyName(assemblyName));
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }
}

/// <summary>The type-level rules: what the compiled code really uses, including what it reaches through another project.</summary>
internal static class TypeRules
{
    /// <summary>Namespaces Core must never use: hosting, web, database, SSH, configuration, cloud SDKs.</summary>
    public const string NotInCore = @"^(Microsoft\.AspNetCore|Microsoft\.EntityFrameworkCore|Microsoft\.Data\.Sqlite|Npgsql|Renci\.SshNet|Microsoft\.Extensions\.Configuration|Microsoft\.Extensions\.Hosting|Microsoft\.Extensions\.DependencyInjection|Azure)(\..*)?$";

    /// <summary>
    /// Types of <paramref name="source"/> (below <paramref name="sourceNamespace"/> when given) must not use any type of
    /// <paramref name="forbidden"/>, except the <paramref name="tolerated"/> types (and their nested, compiler-made types).
    /// </summary>
    public static IArchRule NoDependency(ArchAssembly source, IReadOnlyList<ArchAssembly> forbidden, IReadOnlyCollection<string> tolerated, string because, string? sourceNamespace = null)
    {
        var sources = Types().That().ResideInAssembly(source);
        if (sourceNamespace is not null)
        {
            sources = sources.And().ResideInNamespaceOrBelow(sourceNamespace);
        }

        if (tolerated.Count > 0)
        {
            sources = sources.And().DoNotHaveFullNameMatching(ToleratedPattern(tolerated));
        }

        return sources.Should().NotDependOnAny(Types().That().ResideInAssembly(forbidden[0], [.. forbidden.Skip(1)])).Because(because);
    }

    /// <summary>Tolerated types that no longer use <paramref name="target"/>: their allow-list entry must go.</summary>
    public static IReadOnlyList<string> StaleTolerations(ArchUnitNET.Domain.Architecture architecture, IReadOnlyCollection<string> tolerated, ArchAssembly target) =>
        [.. tolerated.Where(name => !architecture.Types
            .Where(t => t.FullName == name || t.FullName.StartsWith(name + "+", StringComparison.Ordinal))
            .SelectMany(t => t.Dependencies)
            .Any(d => d.Target.Assembly.FullName == target.FullName))];

    /// <summary>Assemblies <paramref name="assembly"/> really uses (the compiler drops unused references) that are not the BCL.</summary>
    public static IReadOnlyList<string> NonBclReferences(ArchAssembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)
            .Where(n => !(n is "netstandard" or "mscorlib" || n == "System" || n.StartsWith("System.", StringComparison.Ordinal) || n.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)))];

    /// <summary>Configuration file providers <paramref name="assembly"/> really uses.</summary>
    public static IReadOnlyList<string> ConfigurationFileProviderReferences(ArchAssembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name ?? string.Empty)
            .Where(n => Regex.IsMatch(n, ProjectChecks.ConfigurationFileProviders, RegexOptions.CultureInvariant))];

    private static string ToleratedPattern(IEnumerable<string> types) =>
        "^(" + string.Join("|", types.Select(Regex.Escape)) + @")(\+.*)?$";
}
