using System.Text.RegularExpressions;
using System.Xml.Linq;
using NetOpsBot.Testing;

namespace NetOpsBot.Architecture.Tests;

/// <summary>What a project file declares: the references that exist even when the compiler drops an unused one.</summary>
internal sealed record ProjectFile(
    string Name,
    string AssemblyName,
    IReadOnlyList<string> ProjectReferences,
    IReadOnlyList<string> PackageReferences,
    IReadOnlyList<string> FrameworkReferences)
{
    public static string SourceRoot => Path.Combine(RepoPaths.Root, "src");

    /// <summary>Every project under src/ (one folder, one project file).</summary>
    public static IReadOnlyList<ProjectFile> AllUnderSrc() =>
        [.. Directory.GetFiles(SourceRoot, "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => Parse(Path.GetFileNameWithoutExtension(p), File.ReadAllText(p)))];

    public static ProjectFile Parse(string name, string xml)
    {
        var doc = XDocument.Parse(xml);
        IReadOnlyList<string> Includes(string element) =>
            [.. doc.Descendants().Where(e => e.Name.LocalName == element)
                .Select(e => (string?)e.Attribute("Include"))
                .OfType<string>()];
        var assemblyName = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "AssemblyName")?.Value;
        return new ProjectFile(
            name,
            string.IsNullOrWhiteSpace(assemblyName) ? name : assemblyName.Trim(),
            [.. Includes("ProjectReference").Select(p => Path.GetFileNameWithoutExtension(p.Replace('\\', '/')))],
            Includes("PackageReference"),
            Includes("FrameworkReference"));
    }
}

/// <summary>A package (or shared framework) only some projects may reference.</summary>
internal sealed record PackageRule(string Pattern, IReadOnlyList<string> OnlyIn, string Why)
{
    public bool Matches(string package) => Regex.IsMatch(package, Pattern, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
}

/// <summary>The checks over project files; each returns what is wrong, in words, so a self-test can prove it can fail.</summary>
internal static class ProjectChecks
{
    /// <summary>Files behind IConfiguration: only a composition root decides which files configure the product.</summary>
    public const string ConfigurationFileProviders = @"^Microsoft\.Extensions\.Configuration\.(Json|FileExtensions|Ini|Xml|UserSecrets|KeyPerFile)$|Configuration\.Yaml";

    public static IReadOnlyList<PackageRule> Packages { get; } =
    [
        new(@"^SSH\.NET$", [ProjectRules.Ssh], "only device access speaks SSH"),
        new(@"^(Microsoft\.EntityFrameworkCore|Npgsql|Microsoft\.Data\.Sqlite)", [ProjectRules.Storage], "only storage knows the database"),
        new(ConfigurationFileProviders, [], "nothing but the Host (or the CLI) knows about configuration files"),
        new(@"^Microsoft\.AspNetCore", [ProjectRules.Teams, ProjectRules.Slack], "only the chat adapters (HTTP edges) and the Host use ASP.NET Core"),
        new(@"^Azure\.", [ProjectRules.SecretsKeyVault, ProjectRules.Teams], "Azure SDKs stay in the secrets provider and the Teams credential"),
    ];

    /// <summary>Projects under src/ that no rule covers; a new project must get a row in ProjectRules.All.</summary>
    public static IReadOnlyList<string> Uncovered(IEnumerable<string> projects, IReadOnlyList<ProjectRule> rules) =>
        [.. projects.Where(p => rules.All(r => r.Project != p)).Select(p => $"{p} is under src/ but has no rule in ProjectRules.All: add one (what it may reference, and why)")];

    public static IReadOnlyList<string> ReferenceViolations(ProjectFile project, ProjectRule rule, IEnumerable<KnownViolation> known)
    {
        if (rule.IsCompositionRoot)
        {
            return [];
        }

        var tolerated = known.Where(k => k.From == project.Name).Select(k => k.To).ToHashSet(StringComparer.Ordinal);
        var problems = project.ProjectReferences
            .Where(r => !rule.MayReference!.Contains(r) && !tolerated.Contains(r))
            .Select(r => $"{project.Name} references {r}, but {rule.Why} (may reference: {Describe(rule.MayReference!)})")
            .ToList();
        problems.AddRange(known.Where(k => k.From == project.Name && !project.ProjectReferences.Contains(k.To))
            .Select(k => $"{project.Name} no longer references {k.To}: delete its KnownViolation (it was waiting for {k.RemovedBy})"));
        return problems;
    }

    public static IReadOnlyList<string> PackageViolations(ProjectFile project, ProjectRule rule)
    {
        if (rule.IsCompositionRoot)
        {
            return [];
        }

        var problems = new List<string>();
        if (project.Name == ProjectRules.Core)
        {
            problems.AddRange(project.PackageReferences.Concat(project.FrameworkReferences)
                .Select(p => $"{project.Name} references {p}, but Core depends on nothing but the BCL"));
        }

        foreach (var package in project.PackageReferences.Concat(project.FrameworkReferences))
        {
            problems.AddRange(Packages.Where(r => r.Matches(package) && !r.OnlyIn.Contains(project.Name))
                .Select(r => $"{project.Name} references {package}, but {r.Why}"));
        }

        return problems;
    }

    private static string Describe(IReadOnlyList<string> projects) => projects.Count == 0 ? "nothing of ours" : string.Join(", ", projects);
}
